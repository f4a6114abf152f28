import { Redis } from 'ioredis';
import nock from 'nock';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readCorrections } from '../../../src/adapters/redis/redis-corrections.js';
import { createRedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { correctionRows } from '../../../src/core/learn/correction-rows.js';
import { signZafToken } from '../../../src/adapters/zendesk-app/verify-zaf-token.js';
import { generateZendeskAppSecrets, zendeskAppFiles } from '../../../src/adapters/zendesk/zendesk-app-package.js';
import { settle, type Cxloop } from '../../../src/main.js';
import { launchChromium, screenshotPath } from '../../support/chromium.js';
import { nockSlackApi, type SlackCall } from '../../support/slack-fixtures.js';
import { nockZendeskReads, nockZendeskWrites, postSigned, REDIS_URL, startLive, tearDown, ticketEvent, uniquePrefix, waitFor, ZENDESK_URL, type RecordedPut } from '../../support/zendesk-fixtures.js';

/**
 * The cxloop Zendesk app against the real server, Redis and workers (Zendesk and Slack faked with
 * nock): its API refuses unsigned and badly signed requests, shows the loop, records a category
 * correction as an agent's, posts a status update; and the sidebar page itself, in chromium, with
 * a stand-in for the ZAF client whose request() signs as Zendesk's proxy does.
 */
const APP_SECRET = 'zaf-app-secret-0123456789abcdef';
const AGENT = { id: 7001, name: 'Ana Lima' };
const TICKET = 6101;
const T0 = Date.parse('2026-11-23T09:00:00Z');
const MINUTE = 60_000;

describe('the cxloop Zendesk app', () => {
  let prefix: string;
  let app: Cxloop;
  let clock: number;
  let puts: RecordedPut[];
  let slackCalls: SlackCall[];
  let redis: Redis;
  const token = (claims: Record<string, unknown> = {}, secret = APP_SECRET) =>
    signZafToken({ iss: 'acme', sub: String(AGENT.id), name: AGENT.name, exp: Math.floor(clock / 1000) + 300, jti: String(Math.random()), ...claims }, secret);
  const api = (path: string, init: RequestInit & { bearer?: string } = {}) =>
    fetch(`${app.http.url}${path}`, { ...init, headers: { 'content-type': 'application/json', ...(init.bearer === undefined ? {} : { authorization: `Bearer ${init.bearer}` }), ...(init.headers as Record<string, string> | undefined) } });

  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });
  afterAll(() => redis.disconnect());
  beforeEach(async () => {
    prefix = uniquePrefix();
    clock = T0;
    puts = [];
    slackCalls = [];
    nockZendeskReads();
    // The ticket as the category correction reads it before writing its tags and group.
    nock(ZENDESK_URL)
      .persist()
      .get(`/api/v2/tickets/${TICKET}.json`)
      .reply(200, () => ({ ticket: { id: TICKET, subject: 'App crashes when I upload a photo', description: '...', status: 'open', priority: 'normal', group_id: 1001, requester_id: 501, tags: ['web_widget', 'cxloop_bug_report', 'cxloop_tier_normal'], created_at: iso(T0 - MINUTE), updated_at: iso(T0 + 10 * MINUTE) } }));
    // Show User: how cxloop names the agent who owns the loop.
    nock(ZENDESK_URL).persist().get(`/api/v2/users/${AGENT.id}.json`).reply(200, { user: { id: AGENT.id, name: AGENT.name } });
    nockZendeskWrites(puts);
    nockSlackApi(slackCalls);
    app = await startLive(prefix, { now: () => clock, extraEnv: { ZENDESK_APP_SECRET: APP_SECRET }, slack: { sender: { intervalMs: 5 } } });
    // A bug report, routed and acknowledged in Zendesk by Ana.
    const detail = { id: TICKET, subject: 'App crashes when I upload a photo', description: 'Since the last update the app closes every time I pick a photo.', status: 'new', priority: 'normal', created_at: iso(T0 - MINUTE), updated_at: iso(T0 - MINUTE) };
    expect((await postSigned(app.http.url, ticketEvent('created', detail), { at: clock })).status).toBe(200);
    await waitFor(() => puts.find((put) => put.body.ticket?.tags), 10_000, 'the routing write');
    clock = T0 + 10 * MINUTE;
    const assigned = { ...detail, status: 'open', assignee_id: AGENT.id, actor_id: AGENT.id, group_id: 1001, tags: ['web_widget', 'cxloop_bug_report', 'cxloop_tier_normal'], updated_at: iso(clock) };
    expect((await postSigned(app.http.url, ticketEvent('agent_assignment_changed', assigned), { at: clock })).status).toBe(200);
    await settle(app, 20_000);
    expect((await app.loops.get(TICKET))?.state.stage).toBe('acknowledged');
  });
  afterEach(async () => {
    await tearDown(app, prefix);
  });

  describe('its API, behind ZAF signed requests', () => {
    it.each([
      ['no token', undefined],
      ['a token signed with another secret', 'wrong'],
      ['an expired token', 'expired'],
      ['a token of another account', 'account'],
    ])('answers 401 to %s, saying nothing more', async (_name, kind) => {
      const bearer = kind === undefined ? undefined : kind === 'wrong' ? token({}, 'another-secret') : kind === 'expired' ? token({ exp: Math.floor(clock / 1000) - 120 }) : token({ iss: 'evilcorp' });
      const response = await api(`/zendesk-app/api/loop?ticket=${TICKET}`, { ...(bearer === undefined ? {} : { bearer }) });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'unauthorized' });
    });

    it('shows the loop: stage, owner by name, clocks, why routed', async () => {
      const response = await api(`/zendesk-app/api/loop?ticket=${TICKET}`, { bearer: token() });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const loop = (await response.json()) as Record<string, unknown>;
      expect(loop).toMatchObject({
        ticket: TICKET,
        stage: 'acknowledged',
        stage_label: 'Being worked on',
        open: true,
        team: 'engineering',
        category: 'bug_report',
        tier: 'normal',
        why: expect.stringContaining('Bug report'),
        clocks: [
          { name: 'Acknowledge', due_at: null, state: 'met' },
          { name: 'Next status update', due_at: iso(clock + 24 * 60 * MINUTE), state: 'running' },
          { name: 'Resolve', due_at: iso(T0 + 72 * 60 * MINUTE), state: 'running' },
        ],
      });
      expect(loop.owner).toBe('Ana Lima');
    });

    it('records a category correction as the agent correction, moves the loop, and writes tag and group', async () => {
      const response = await api('/zendesk-app/api/category', { method: 'POST', bearer: token(), body: JSON.stringify({ ticket: TICKET, category: 'billing_issue' }) });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ticket: TICKET, category: 'billing_issue', changed: true, zendesk: 'written' });
      await settle(app, 20_000);
      const loop = (await app.loops.get(TICKET))!.state;
      expect({ category: loop.category, team: loop.team, stage: loop.stage }).toEqual({ category: 'billing_issue', team: 'billing', stage: 'routed' });
      const corrections = await redis.xrange(createRedisKeys(prefix).corrections, '-', '+');
      expect(corrections.map(([, fields]) => fields.slice(0, 10))).toEqual([['ticket', String(TICKET), 'field', 'category', 'from', 'bug_report', 'to', 'billing_issue', 'actor', String(AGENT.id)]]);
      // With the ticket's text as cxloop keeps it for the card (no Zendesk read for it), so `cxloop train` learns from it.
      const fields = corrections[0]![1];
      const field = (name: string): string | undefined => fields[fields.indexOf(name) + 1];
      expect(field('subject')).toBe('App crashes when I upload a photo');
      expect(field('body')).toBe('Since the last update the app closes every time I pick a photo.');
      const found = correctionRows(await readCorrections(redis, createRedisKeys(prefix)), new Map());
      expect(found.rows).toEqual([{ id: String(TICKET), subject: 'App crashes when I upload a photo', body: 'Since the last update the app closes every time I pick a photo.', category: 'billing_issue' }]);
      expect(found.skipped.withoutText).toBe(0);
      const write = puts.find((put) => (put.body.ticket?.comment as { body?: string } | undefined)?.body?.startsWith('Category corrected'));
      expect(write?.body.ticket).toEqual({
        group_id: 1002,
        tags: ['web_widget', 'cxloop_tier_normal', 'cxloop_billing_issue'],
        comment: { body: 'Category corrected in the cxloop app by Ana Lima: Bug report -> Billing issue.', public: false },
        safe_update: true,
        updated_stamp: '2026-11-23T09:10:00Z',
      });
    });

    it('posts a status update as the agent, noted on the ticket', async () => {
      const response = await api('/zendesk-app/api/update', { method: 'POST', bearer: token(), body: JSON.stringify({ ticket: TICKET, text: 'Fix deployed to staging, rolling out at 14:00.', eta_hours: 5 }) });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ticket: TICKET, posted: true });
      await settle(app, 20_000);
      expect((await app.loops.get(TICKET))!.state.lastUpdateAt).toBe(clock);
      const note = await waitFor(() => puts.find((put) => (put.body.ticket?.comment as { body?: string } | undefined)?.body?.startsWith('Status update posted')), 10_000, 'the note');
      expect(note.body.ticket!.comment).toEqual({ body: 'Status update posted in the cxloop app in Zendesk by Ana Lima: Fix deployed to staging, rolling out at 14:00.', public: false });
    });

    it('refuses bad input with a 400 that says what to send', async () => {
      const response = await api('/zendesk-app/api/category', { method: 'POST', bearer: token(), body: JSON.stringify({ ticket: TICKET, category: 'bugs' }) });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toContain('one of bug_report, billing_issue');
    });
  });

  describe('the sidebar in Debian chromium, with a stand-in ZAF client', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    /** The app's built files at https://zendesk-app.test/, and a ZAF client whose request() goes through a signing proxy, as Zendesk's does. */
    async function openSidebar(ready = '[data-test="stage"]'): Promise<{ page: Page; sent: Record<string, unknown>[] }> {
      const files = zendeskAppFiles({ publicUrl: app.http.url, version: '1.0.0', authorEmail: 'cxloop@example.test', secrets: generateZendeskAppSecrets(), withRequirements: true });
      const context = await browser.newContext({ viewport: { width: 320, height: 900 } });
      const page = await context.newPage();
      const sent: Record<string, unknown>[] = [];
      await page.exposeFunction('zafProxy', async (options: { url: string; type: string; data?: string; secure?: boolean; headers: Record<string, string>; jwt: { algorithm: string; secret_key: string; expiry: number; claims: Record<string, unknown> } }) => {
        sent.push(options);
        // What Zendesk's proxy does for a secure request: fill in the secure setting, sign, send.
        if (!options.secure || options.jwt.secret_key !== '{{setting.shared_secret}}' || options.headers.Authorization !== 'Bearer {{jwt.token}}') return { status: 400, body: '{"error":"not a signed request"}' };
        const jwt = signZafToken({ ...options.jwt.claims, exp: Math.floor(clock / 1000) + options.jwt.expiry }, APP_SECRET);
        const response = await fetch(options.url, { method: options.type, headers: { Authorization: `Bearer ${jwt}`, 'Content-Type': 'application/json' }, ...(options.data === undefined ? {} : { body: options.data }) });
        return { status: response.status, body: await response.text() };
      });
      await page.route('https://static.zdassets.com/**', (route) =>
        route.fulfill({
          contentType: 'application/javascript',
          body: `window.__invoked = [];
window.ZAFClient = { init: function () { return {
  context: function () { return Promise.resolve({ account: { subdomain: 'acme' }, location: 'ticket_sidebar' }); },
  get: function () { return Promise.resolve({ 'ticket.id': ${TICKET}, currentUser: { id: ${AGENT.id}, name: ${JSON.stringify(AGENT.name)} } }); },
  invoke: function (name, value) { window.__invoked.push([name, value]); return Promise.resolve({}); },
  on: function () {},
  request: function (options) { return window.zafProxy(options).then(function (answer) { return answer.status < 300 ? JSON.parse(answer.body) : Promise.reject({ status: answer.status, responseText: answer.body }); }); }
}; } };`,
        }),
      );
      await page.route('https://zendesk-app.test/**', (route) => {
        const path = new URL(route.request().url()).pathname.slice(1);
        const file = files.get(path);
        return file ? route.fulfill({ body: file, contentType: path.endsWith('.js') ? 'application/javascript' : path.endsWith('.css') ? 'text/css' : 'text/html' }) : route.fulfill({ status: 404 });
      });
      await page.goto('https://zendesk-app.test/assets/iframe.html');
      await page.locator(ready).waitFor();
      return { page, sent };
    }

    it('shows the loop, corrects the category and posts an update through signed requests; screenshot saved', async () => {
      const { page, sent } = await openSidebar();
      expect(await page.locator('[data-test="stage"]').innerText()).toBe('Being worked on');
      expect(await page.locator('[data-test="owner"]').innerText()).toBe('Ana Lima');
      expect(await page.locator('ul.clocks li').allInnerTexts()).toEqual([expect.stringMatching(/^Acknowledge\s+met$/), expect.stringMatching(/^Next status update · .+\s+running$/), expect.stringMatching(/^Resolve · .+\s+running$/)]);
      expect(await page.locator('[data-test="why"]').innerText()).toContain('Bug report');
      expect(await page.locator('#category').inputValue()).toBe('bug_report');
      await page.screenshot({ path: screenshotPath('zendesk-sidebar'), fullPage: true });
      // The page never held the secret: every request names the secure setting for the proxy to fill in.
      expect(sent.every((options) => JSON.stringify(options).includes('{{setting.shared_secret}}') && !JSON.stringify(options).includes(APP_SECRET))).toBe(true);
      expect((sent[0]!.jwt as { claims: Record<string, unknown> }).claims).toMatchObject({ iss: 'acme', sub: '7001', name: 'Ana Lima' });

      await page.fill('#update-text', 'Fix deployed to staging.');
      await page.fill('#update-eta', '5');
      await page.click('#post');
      await page.locator('section[aria-label="Post a status update"] .note').waitFor();
      expect(await page.locator('section[aria-label="Post a status update"] .note').innerText()).toBe('Posted to the status channel and noted on the ticket.');

      await page.selectOption('#category', 'performance_issue');
      await page.click('#correct');
      const confirmation = page.locator('section[aria-label="Correct the category"] .note');
      await confirmation.waitFor();
      expect(await confirmation.innerText()).toBe('Recorded as your correction.');
      // Same team (engineering): the loop stays acknowledged, its category changed.
      expect({ category: (await app.loops.get(TICKET))!.state.category, stage: (await app.loops.get(TICKET))!.state.stage }).toEqual({ category: 'performance_issue', stage: 'acknowledged' });
      expect(await page.locator('#category').inputValue()).toBe('performance_issue');
      expect(await page.locator('.muted').first().innerText()).toBe('Performance issue · normal tier');
      expect(await page.evaluate("window.__invoked.some(([name]) => name === 'resize')")).toBe(true);
      await page.context().close();
    });

    it('says plainly when cxloop has no loop for the ticket', async () => {
      await redis.del(createRedisKeys(prefix).loop(TICKET));
      const { page } = await openSidebar('[data-test="empty"]');
      expect(await page.locator('[data-test="empty"]').innerText()).toBe('cxloop has no loop for this ticket (not routed by cxloop, or its loop ended long ago)');
      await page.context().close();
    });
  });
});

function iso(at: number): string {
  return new Date(at).toISOString();
}
