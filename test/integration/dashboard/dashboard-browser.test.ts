import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZENDESK_TEST_SECRET } from '../../../src/adapters/zendesk/webhook-route.js';
import { parseEnv } from '../../../src/config/env-schema.js';
import type { Policy } from '../../../src/config/policy-schema.js';
import { loopFigures } from '../../../src/core/loop/loop-figures.js';
import { settle, startCxloop, type Cxloop } from '../../../src/main.js';
import { dropPrefix, policyWithGroups, postSigned, REDIS_URL, silent, ticketEvent, uniquePrefix } from '../../support/zendesk-fixtures.js';

/** Where the screenshots of each page go (gitignored); the test's closing note lists them. */
export const SCREENSHOTS = join(process.cwd(), 'test-output', 'screenshots');
const CHROMIUM = '/usr/bin/chromium';
const ADMIN = 'U0ADMIN01';
const ENGINEER = 'U0ENGIN01';
const BILLER = 'U0BILLS01';
const AGENT = 777;
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The shipped policy with one admin, and engineering and billing listing their members (a dry run reads no Slack lists). */
function dashboardPolicy(): Policy {
  const policy = policyWithGroups();
  policy.slack.admins = [ADMIN];
  policy.teams.engineering = { ...policy.teams.engineering!, members: [ENGINEER] };
  policy.teams.billing = { ...policy.teams.billing!, members: [BILLER] };
  return policy;
}

const TICKETS = [
  { id: 2001, subject: 'App crashes on login <script>alert(1)</script>', description: 'The app crashes every time I log in since the update. Error 500.', priority: 'high' },
  { id: 2002, subject: 'Outage: dashboard extremely slow', description: 'Since 09:00 the dashboard takes over a minute to load and requests time out.', priority: 'urgent' },
  { id: 2003, subject: 'Bug: export button does nothing', description: 'Clicking export does nothing, there is an error in the console. Bug.', priority: 'normal' },
  { id: 2004, subject: 'Charged twice for my subscription', description: 'My card was charged twice this month, please refund the duplicate invoice.', priority: 'normal' },
  { id: 2005, subject: 'Refund for the duplicate invoice', description: 'Please refund the second payment on my invoice, billing charged me twice.', priority: 'normal' },
];

/**
 * The web dashboard in a real browser (Debian's chromium through playwright-core) against a real
 * cxloop server, Redis and BullMQ workers in a dry run: a scripted morning of tickets, then sign-in
 * by signed link, the Now page, a loop moving live, the Figures page showing the report's number,
 * a ticket's history, CSV export, and refusals (no session, another team, a used link).
 */
describe('the web dashboard in chromium (real server, Redis, BullMQ; dry run)', () => {
  let prefix: string;
  let app: Cxloop;
  let browser: Browser;
  let clock: number;
  const start = Date.parse('2026-11-23T08:00:00Z');

  async function webhook(type: string, id: number, detail: Record<string, unknown>): Promise<void> {
    const response = await postSigned(app.http.url, ticketEvent(type, { id, created_at: iso(start), updated_at: iso(clock), ...detail }), { at: clock, secret: ZENDESK_TEST_SECRET });
    expect(response.status).toBe(200);
    await settle(app, 15_000);
  }

  async function signIn(user: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(await app.dashboardLink(user));
    await page.waitForURL(`${app.http.url}/dashboard`);
    return page;
  }

  beforeAll(async () => {
    prefix = uniquePrefix();
    clock = start;
    mkdirSync(SCREENSHOTS, { recursive: true });
    const env = parseEnv({ REDIS_URL, PORT: '0', CXLOOP_REDIS_PREFIX: prefix, CXLOOP_DRY_RUN: 'true', CXLOOP_DRY_RUN_LOG: 'off' });
    if (!env.ok) throw new Error(JSON.stringify(env.problems));
    app = await startCxloop({
      env: env.env,
      policy: dashboardPolicy(),
      logger: silent,
      host: '127.0.0.1',
      now: () => clock,
      slack: { sender: { intervalMs: 5 } },
      dryRunPeople: { slack: { [ADMIN]: 'Ada Admin', [ENGINEER]: 'Eve Engineer', [BILLER]: 'Bob Biller' }, zendesk: { [AGENT]: 'Zoe Agent' } },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    // The scripted morning: five tickets, one acknowledged at once, one solved; three hours pass (breaches, escalations).
    for (const ticket of TICKETS) {
      await webhook('created', ticket.id, { subject: ticket.subject, description: ticket.description, status: 'new', priority: ticket.priority });
      clock += 5 * 60_000;
    }
    await webhook('agent_assignment_changed', 2004, { subject: TICKETS[3]!.subject, status: 'open', assignee_id: AGENT, actor_id: AGENT });
    clock += 30 * 60_000;
    await webhook('status_changed', 2004, { subject: TICKETS[3]!.subject, status: 'solved', assignee_id: AGENT, actor_id: AGENT });
    clock += 3 * 3_600_000;
    await settle(app, 15_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await dropPrefix(prefix);
  });

  it('refuses every page without a session, and says how to sign in', async () => {
    const page = await browser.newPage();
    for (const path of ['/dashboard', '/dashboard/figures', '/dashboard/ticket?id=2001', '/dashboard/export.csv?table=open', '/dashboard/events']) {
      const response = await page.goto(`${app.http.url}${path}`);
      expect(response?.status(), path).toBe(401);
    }
    await expect(page.locator('main').innerText()).resolves.toContain('/cxloop dashboard');
    await page.screenshot({ path: join(SCREENSHOTS, 'sign-in-required.png'), fullPage: true });
    await page.close();
  });

  it('signs in once by link: the link cannot be used again, and a tampered one is refused', async () => {
    const link = await app.dashboardLink(ENGINEER);
    const page = await browser.newPage();
    await page.goto(link);
    await page.waitForURL(`${app.http.url}/dashboard`);
    const again = await browser.newPage();
    await again.goto(link);
    await expect(again.locator('main').innerText()).resolves.toContain('used already');
    await again.goto(link.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A')));
    await expect(again.locator('main').innerText()).resolves.toMatch(/not one cxloop made|incomplete/);
    await page.close();
    await again.close();
  });

  it('shows a team member their team only: another team\'s ticket, filter and rows are refused or left out', async () => {
    const page = await signIn(ENGINEER);
    const text = await page.locator('#open').innerText();
    expect(text).toContain('#2001');
    expect(text).toContain('#2002');
    expect(text).not.toContain('#2005');
    // Customer text is text: the subject's markup is shown, never run.
    expect(text).toContain('<script>alert(1)</script>');
    expect(await page.locator('#open script').count()).toBe(0);
    const ticket = await page.goto(`${app.http.url}/dashboard/ticket?id=2005`);
    expect(ticket?.status()).toBe(403);
    await expect(page.locator('main').innerText()).resolves.toContain('teams.billing.members');
    const filtered = await page.goto(`${app.http.url}/dashboard?team=billing`);
    expect(filtered?.status()).toBe(403);
    const csv = await page.evaluate(async () => (await fetch('/dashboard/export.csv?table=open&from=/dashboard')).text());
    expect(csv).toContain('#2001');
    expect(csv).not.toContain('#2005');
    await page.close();
  });

  it('moves a loop on the Now page live, as it is acknowledged, without a reload', async () => {
    const page = await signIn(ADMIN);
    await page.locator('#live-status', { hasText: 'Live:' }).waitFor();
    const row = page.locator('#open tr[data-ticket="2003"]');
    await expect(row.innerText()).resolves.toContain('Routed, awaiting acknowledgement');
    await page.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 1));
    await webhook('agent_assignment_changed', 2003, { subject: TICKETS[2]!.subject, status: 'open', assignee_id: AGENT, actor_id: AGENT });
    await page.locator('#open tr[data-ticket="2003"]', { hasText: 'Acknowledged' }).waitFor({ timeout: 10_000 });
    await expect(page.locator('#open tr[data-ticket="2003"]').innerText()).resolves.toContain('Zoe Agent');
    // The same page: no reload happened.
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'now.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    // On a phone the ticket, its subject and its next deadline are in view; the other columns scroll.
    const due = await page.locator('#open th', { hasText: 'Next due' }).boundingBox();
    expect(due!.x + due!.width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SCREENSHOTS, 'now-phone.png'), fullPage: true });
    await page.close();
  });

  it('charts the figures `cxloop report` computes for the same window, against their goals', async () => {
    const span = { since: clock - 7 * DAY, now: clock };
    const report = loopFigures(await app.loops.histories(await app.loops.openedBetween(span.since, span.now)), span);
    const page = await signIn(ADMIN);
    await page.goto(`${app.http.url}/dashboard/figures?days=7`);
    await page.waitForFunction(() => (globalThis as unknown as { Chart?: { getChart(id: string): unknown } }).Chart?.getChart('chart-targets') !== undefined);
    const plotted = await page.evaluate(() => {
      const chart = (globalThis as unknown as { Chart: { getChart(id: string): { data: { datasets: { label: string; data: (number | null)[] }[] } } } }).Chart.getChart('chart-targets');
      return chart.data.datasets.map((dataset) => ({ label: dataset.label, data: dataset.data }));
    });
    const share = (ratio: { share: number | null }) => (ratio.share === null ? null : Math.round(ratio.share * 1000) / 10);
    expect(report.loops.opened).toBe(5);
    expect(plotted[0]!.data.slice(0, 3)).toEqual([share(report.acknowledgedWithin2h), share(report.acknowledgedWithin6h), share(report.closedWithin48h)]);
    expect(plotted.slice(1).map((dataset) => [dataset.label, dataset.data[0]])).toEqual([
      ['goal 60 % acknowledged within 2 h', 60],
      ['goal 85 % acknowledged within 6 h', 85],
      ['goal 95 % closed within 48 h', 95],
    ]);
    const targets = await page.locator('#targets').innerText();
    expect(targets).toContain(`${report.acknowledgedWithin2h.count}/${report.acknowledgedWithin2h.of}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'figures.png'), fullPage: true });
    await page.close();
  });

  it('shows a ticket\'s whole history with who did what and what it caused', async () => {
    const page = await signIn(ADMIN);
    await page.goto(`${app.http.url}/dashboard/ticket?id=2004`);
    const history = await page.locator('#history').innerText();
    expect(history).toContain('Loop opened (routed)');
    expect(history).toContain('Assigned in Zendesk');
    expect(history).toContain('Zoe Agent');
    expect(history).toContain('Solved, verifying');
    expect(history).toContain('Slack: status channel update by cxloop');
    expect(history).not.toContain('undefined');
    await page.screenshot({ path: join(SCREENSHOTS, 'ticket.png'), fullPage: true });
    // A ticket nobody picked up: its breach and the escalations the ladder sent.
    await page.goto(`${app.http.url}/dashboard/ticket?id=2001`);
    const breached = await page.locator('#history').innerText();
    expect(breached).toContain('Timer: ack breach');
    expect(breached).toMatch(/Slack: escalation level \d+( \(repeat \d+\))? to [a-z ,]+/);
    await page.screenshot({ path: join(SCREENSHOTS, 'ticket-breached.png'), fullPage: true });
    await expect(page.locator('#clocks').innerText()).resolves.toContain('Acknowledge breached at');
    await page.close();
  });
});
