import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { RedisStatusLinks } from '../../../src/adapters/redis/redis-status-links.js';
import { ZENDESK_TEST_SECRET } from '../../../src/adapters/zendesk/webhook-route.js';
import { parseEnv } from '../../../src/config/env-schema.js';
import type { Policy } from '../../../src/config/policy-schema.js';
import { runCli } from '../../../src/cli/main.js';
import { settle, startCxloop, type Cxloop } from '../../../src/main.js';
import { fakeIo } from '../../support/fake-io.js';
import { launchChromium, screenshotPath } from '../../support/chromium.js';
import { dropPrefix, policyWithGroups, postSigned, REDIS_URL, silent, ticketEvent, uniquePrefix, type TicketDetail } from '../../support/zendesk-fixtures.js';

/**
 * GET /status/<token> against the real server, Redis and workers (a dry run: no Zendesk needed):
 * the HTTP contract (what it shows and never shows, cache headers, 304, one 404 for every bad
 * link, the per-client rate limit, the language), and the page in Debian's chromium.
 */
const T0 = Date.parse('2026-11-23T09:00:00Z');
const MINUTE = 60_000;
const SUBJECT = 'Checkout <b>fails</b> with ERR_42';
const DESCRIPTION = 'My email is jane.doe@example.com and my card ends 4242; the checkout page fails.';

describe('the status page of a ticket', () => {
  let prefix: string;
  let app: Cxloop | undefined;
  let redis: Redis;
  let links: RedisStatusLinks;
  let clock: number;

  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });
  afterAll(() => redis.disconnect());
  beforeEach(() => {
    prefix = uniquePrefix();
    clock = T0;
    links = new RedisStatusLinks(redis, createRedisKeys(prefix));
  });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await dropPrefix(prefix);
  });

  async function start(policy: Policy = policyWithGroups(), extraEnv: Record<string, string> = {}): Promise<Cxloop> {
    const env = parseEnv({ REDIS_URL, PORT: '0', CXLOOP_REDIS_PREFIX: prefix, CXLOOP_DRY_RUN_LOG: 'off', ...extraEnv });
    if (!env.ok) throw new Error(JSON.stringify(env.problems));
    app = await startCxloop({ env: env.env, policy, logger: silent, host: '127.0.0.1', now: () => clock });
    return app;
  }

  async function post(type: string, detail: TicketDetail): Promise<void> {
    const response = await postSigned(app!.http.url, ticketEvent(type, detail), { at: clock, secret: ZENDESK_TEST_SECRET });
    expect(response.status).toBe(200);
    await settle(app!, 20_000);
  }

  /** A bug report cxloop routes (dry run), and its status link in `language`. */
  async function routed(id: number, language = 'en', timeZone = 'Europe/Berlin'): Promise<string> {
    await post('created', { id, subject: SUBJECT, description: DESCRIPTION, status: 'new', priority: 'high', created_at: iso(clock - MINUTE), updated_at: iso(clock - MINUTE) });
    expect((await app!.loops.get(id))?.state.stage).toBe('routed');
    return links.issue(id, { language, timeZone });
  }

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${app!.http.url}${path}`, { headers });

  it('shows subject, stage, last update, next update by and ETA, and nothing else about the customer', async () => {
    await start();
    const token = await routed(5101);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const response = await get(`/status/${token}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache, private');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/);
    const html = await response.text();
    expect(html).toContain('<title>Request #5101</title>');
    // Customer text is escaped, never markup.
    expect(html).toContain('<p class="subject">Checkout &lt;b&gt;fails&lt;/b&gt; with ERR_42</p>');
    expect(html).toContain('Received: we are finding the right specialist');
    // Routed at 09:00 UTC; acknowledge due 1 h later; high tier resolves within 48 h (Berlin time).
    expect(html).toContain('<div><dt>Last update</dt><dd>Nov 23, 2026, 10:00 AM GMT+1</dd></div>');
    expect(html).toContain('<div><dt>Next update by</dt><dd>Nov 23, 2026, 11:00 AM GMT+1</dd></div>');
    expect(html).toContain('<div><dt>Expected resolution</dt><dd>Nov 25, 2026, 10:00 AM GMT+1</dd></div>');
    expect(html).not.toMatch(/jane|example\.com|4242|checkout page fails|engineering|bug_report|<script/i);
    // The acknowledge deadline passes: cxloop escalates internally, and the requester's page keeps its last update.
    clock = T0 + 61 * MINUTE;
    await settle(app!, 20_000);
    expect((await app!.loops.history(5101)).map((entry) => entry.event)).toContain('timer:ack_breach');
    const later = await (await get(`/status/${token}`)).text();
    expect(later).toContain('<div><dt>Last update</dt><dd>Nov 23, 2026, 10:00 AM GMT+1</dd></div>');
    expect(later).toContain('<div><dt>Next update by</dt><dd>not planned yet</dd></div>');
  });

  it('answers 304 to a browser that has the page unchanged, and a new page once the loop moves', async () => {
    await start();
    const token = await routed(5102);
    const first = await get(`/status/${token}`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const again = await get(`/status/${token}`, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('cache-control')).toBe('no-cache, private');
    expect(await again.text()).toBe('');
    clock = T0 + 10 * MINUTE;
    await post('agent_assignment_changed', { id: 5102, subject: SUBJECT, status: 'open', priority: 'high', assignee_id: 7001, actor_id: 7001, tags: ['web_widget', 'cxloop_bug_report', 'cxloop_tier_high'], group_id: 1001, updated_at: iso(clock) });
    const moved = await get(`/status/${token}`, { 'if-none-match': etag });
    expect(moved.status).toBe(200);
    expect(await moved.text()).toContain('A specialist is working on it');
  });

  it('a wrong, a malformed, a revoked and an expired link get the same 404', async () => {
    await start();
    const revoked = await routed(5103);
    await links.revoke(5103);
    const expired = await routed(5104);
    clock = T0 + 5 * MINUTE;
    await post('status_changed', { id: 5104, subject: SUBJECT, status: 'closed', priority: 'high', tags: ['web_widget', 'cxloop_bug_report', 'cxloop_tier_high'], group_id: 1001, updated_at: iso(clock) });
    expect((await app!.loops.get(5104))?.state.stage).toBe('closed');
    const stillOpen = await get(`/status/${expired}`);
    expect(stillOpen.status).toBe(200);
    // The shipped policy: a link stops working 7 days after its loop ended.
    clock = T0 + 5 * MINUTE + 7 * 24 * 60 * MINUTE + MINUTE;
    const answers = await Promise.all(
      [randomBytes(32).toString('base64url'), 'not-a-token', `${revoked}x`, revoked, expired].map(async (token) => {
        const response = await get(`/status/${token}`);
        const headers = Object.fromEntries([...response.headers.entries()].filter(([name]) => name !== 'date'));
        return { status: response.status, headers, body: await response.text() };
      }),
    );
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]!.status).toBe(404);
    expect(answers[0]!.body).toContain('This link is not valid, or it has expired.');
    expect(await links.open(expired)).toBeNull();
  });

  it('speaks the requester language, and the 404 page the browser language', async () => {
    await start();
    const token = await routed(5105, 'fr', 'Europe/Paris');
    const html = await (await get(`/status/${token}`, { 'accept-language': 'de' })).text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('Reçue : nous cherchons le bon spécialiste');
    expect(html).toContain('<dt>Résolution prévue</dt>');
    const missing = await get(`/status/${randomBytes(32).toString('base64url')}`, { 'accept-language': 'xx, de-CH;q=0.9, en;q=0.5' });
    expect(missing.headers.get('vary')).toBe('accept-language');
    expect(await missing.text()).toContain('Dieser Link ist ungültig oder abgelaufen.');
  });

  it('limits each client to requests_per_minute, then 429 with Retry-After until the next minute', async () => {
    const policy = policyWithGroups();
    await start({ ...policy, customers: { ...policy.customers, status_page: { ...policy.customers.status_page, requests_per_minute: 3 } } });
    const token = await routed(5106);
    clock = T0 + 30_000;
    const statuses: number[] = [];
    for (let view = 0; view < 4; view += 1) statuses.push((await get(`/status/${token}`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await get(`/status/${randomBytes(32).toString('base64url')}`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    clock = T0 + 60_000;
    expect((await get(`/status/${token}`)).status).toBe(200);
  });

  it('is off when customers.status_page.enabled is false', async () => {
    const policy = policyWithGroups();
    await start({ ...policy, customers: { ...policy.customers, status_page: { ...policy.customers.status_page, enabled: false } } });
    const token = await routed(5107);
    expect((await get(`/status/${token}`)).status).toBe(404);
  });

  describe('in Debian chromium (playwright-core), without JavaScript, on a phone', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('renders readable on a 390 px phone screen with scripts off, and its screenshot is saved', async () => {
      await start();
      const token = await routed(5108, 'pt', 'America/Sao_Paulo');
      clock = T0 + 10 * MINUTE;
      await post('agent_assignment_changed', { id: 5108, subject: SUBJECT, status: 'open', priority: 'high', assignee_id: 7001, actor_id: 7001, tags: ['web_widget', 'cxloop_bug_report', 'cxloop_tier_high'], group_id: 1001, updated_at: iso(clock) });
      const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'pt-BR' });
      try {
        const page = await context.newPage();
        const problems: string[] = [];
        page.on('console', (message) => problems.push(message.text()));
        const response = await page.goto(`${app!.http.url}/status/${token}`);
        expect(response?.status()).toBe(200);
        expect(await page.title()).toBe('Solicitação #5108');
        expect(await page.locator('.stage').innerText()).toBe('Um especialista está trabalhando nela');
        expect(await page.locator('dl dt').allInnerTexts()).toEqual(['Última atualização', 'Próxima notícia até', 'Resolução prevista']);
        // Nothing wider than the phone (no horizontal scrolling), and the inline style applied (CSP allowed it).
        expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
        expect(await page.evaluate("getComputedStyle(document.querySelector('.stage')).fontWeight")).toBe('600');
        expect(problems).toEqual([]);
        await page.screenshot({ path: screenshotPath('status-page-phone'), fullPage: true });
      } finally {
        await context.close();
      }
    });
  });
});

function iso(at: number): string {
  return new Date(at).toISOString();
}

describe('cxloop status-link revoke', () => {
  it('ends the link at once and says so; a second run says there is none', async () => {
    const prefix = uniquePrefix();
    const redis = new Redis(REDIS_URL);
    try {
      const links = new RedisStatusLinks(redis, createRedisKeys(prefix));
      const token = await links.issue(5201, { language: 'en', timeZone: 'UTC' });
      expect(await links.open(token)).toEqual({ ticketId: 5201, language: 'en', timeZone: 'UTC' });
      const io = fakeIo({ env: { REDIS_URL, CXLOOP_REDIS_PREFIX: prefix } });
      expect(await runCli(['status-link', 'revoke', '5201'], io)).toBe(0);
      expect(io.out()).toBe('#5201: its status link no longer opens\n');
      expect(await links.open(token)).toBeNull();
      const again = fakeIo({ env: { REDIS_URL, CXLOOP_REDIS_PREFIX: prefix } });
      expect(await runCli(['status-link', 'revoke', '5201'], again)).toBe(0);
      expect(again.out()).toContain('#5201 has no status link');
      expect(await runCli(['status-link', 'revoke', 'all'], fakeIo({ env: { REDIS_URL } }))).toBe(2);
    } finally {
      redis.disconnect();
      await dropPrefix(prefix);
    }
  });
});
