import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZENDESK_TEST_SECRET } from '../../../src/adapters/zendesk/webhook-route.js';
import { parseEnv } from '../../../src/config/env-schema.js';
import { settle, startCxloop, type Cxloop } from '../../../src/main.js';
import { launchChromium } from '../../support/chromium.js';
import { startFakeSlackOidc, type FakeSlackOidc } from '../../support/fake-slack-oidc.js';
import { dropPrefix, policyWithGroups, postSigned, REDIS_URL, silent, ticketEvent, uniquePrefix } from '../../support/zendesk-fixtures.js';

/** Beside the other dashboard pages' screenshots (gitignored). */
const SCREENSHOTS = join(process.cwd(), 'test-output', 'screenshots');
const ENGINEER = 'U0ENGIN01';
const APP = { clientId: '111.222', clientSecret: 'client-secret' };
const TEAM = 'T0INSTALL';
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A port nobody listens on now: CXLOOP_PUBLIC_URL (the OIDC redirect URL) must name cxloop's port before it starts. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Sign in with Slack in a real browser (Debian's chromium through playwright-core): a real cxloop
 * (dry run) whose SLACK_API_URL names a loopback fake of Slack's OIDC endpoints, so the browser
 * follows cxloop's redirect to the fake's authorize page, comes back to the callback with a code,
 * and cxloop exchanges it and checks the id_token as it would Slack's.
 */
describe('Sign in with Slack in chromium (real server, Redis, fake Slack OIDC over HTTP)', () => {
  let prefix: string;
  let app: Cxloop;
  let slack: FakeSlackOidc;
  let browser: Browser;
  let base: string;
  const clock = Date.parse('2026-11-23T08:00:00Z');

  beforeAll(async () => {
    prefix = uniquePrefix();
    mkdirSync(SCREENSHOTS, { recursive: true });
    slack = await startFakeSlackOidc(APP, () => clock);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env = parseEnv({
      REDIS_URL,
      PORT: String(port),
      CXLOOP_REDIS_PREFIX: prefix,
      CXLOOP_DRY_RUN: 'true',
      CXLOOP_DRY_RUN_LOG: 'off',
      CXLOOP_PUBLIC_URL: base,
      SLACK_API_URL: `${slack.url}api/`,
      SLACK_CLIENT_ID: APP.clientId,
      SLACK_CLIENT_SECRET: APP.clientSecret,
      SLACK_TEAM_ID: TEAM,
    });
    if (!env.ok) throw new Error(JSON.stringify(env.problems));
    const policy = policyWithGroups();
    policy.teams.engineering = { ...policy.teams.engineering!, members: [ENGINEER] };
    app = await startCxloop({ env: env.env, policy, logger: silent, host: '127.0.0.1', now: () => clock, dryRunPeople: { slack: { [ENGINEER]: 'Eve Engineer' }, zendesk: {} } });
    expect(app.http.url).toBe(base);
    // One engineering ticket and one billing ticket: the engineer sees the first only.
    for (const [id, subject, description] of [
      [3001, 'App crashes on login', 'The app crashes every time I log in since the update. Error 500.'],
      [3002, 'Charged twice for my subscription', 'My card was charged twice this month, please refund the duplicate invoice.'],
    ] as const) {
      const event = ticketEvent('created', { id, created_at: iso(clock), updated_at: iso(clock), subject, description, status: 'new', priority: 'normal' });
      expect((await postSigned(base, event, { at: clock, secret: ZENDESK_TEST_SECRET })).status).toBe(200);
    }
    await settle(app, 15_000);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await slack?.close();
    await dropPrefix(prefix);
  });

  it('signs a member of the installed workspace in from the sign-in page, and shows their name and their team only', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const first = await page.goto(`${base}/dashboard`);
    expect(first?.status()).toBe(401);
    const button = page.getByRole('link', { name: 'Sign in with Slack' });
    await expect(button.isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'sign-in-with-slack.png'), fullPage: true });

    slack.signInAs({ user: ENGINEER, team: TEAM, name: 'Eve Engineer' });
    slack.requests.length = 0;
    await button.click();
    await page.waitForURL(`${base}/dashboard`);
    await expect(page.locator('header .who').innerText()).resolves.toBe('Eve Engineer · engineering');
    const open = await page.locator('#open').innerText();
    expect(open).toContain('#3001');
    expect(open).not.toContain('#3002');

    // What the browser and cxloop sent Slack: authorize for the installed team, then the code exchange.
    const [authorize, token, keys] = slack.requests;
    expect(authorize).toMatchObject({ method: 'GET', path: '/openid/connect/authorize' });
    expect(authorize!.query).toEqual({
      response_type: 'code',
      scope: 'openid profile email',
      client_id: APP.clientId,
      state: expect.stringMatching(/^[0-9a-z]+\.[\w-]+\.[\w-]+$/),
      nonce: expect.stringMatching(/^[\w-]{20,}$/),
      redirect_uri: `${base}/dashboard/oidc/callback`,
      team: TEAM,
    });
    expect(token).toMatchObject({ method: 'POST', path: '/api/openid.connect.token' });
    expect(token!.form).toEqual({ client_id: APP.clientId, client_secret: APP.clientSecret, code: expect.stringMatching(/^[0-9a-f]{24}$/), grant_type: 'authorization_code', redirect_uri: `${base}/dashboard/oidc/callback` });
    expect(keys).toMatchObject({ method: 'GET', path: '/openid/connect/keys' });
    expect(slack.requests).toHaveLength(3);
    // The nonce cookie is spent; the session is the only cookie left.
    expect((await page.context().cookies()).map((cookie) => cookie.name)).toEqual(['cxloop_session']);
    await page.close();
  });

  it('refuses an account of another workspace with a page that says what to do, by keyboard, and makes no session', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${base}/dashboard`);
    slack.signInAs({ user: 'U0STRANGER', team: 'T0OTHER', name: 'Stranger' });
    // Keyboard only: Tab from the top of the page to the button, Enter.
    const focused = () => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } | null } }).document.activeElement?.textContent);
    for (let tab = 0; tab < 5 && (await focused()) !== 'Sign in with Slack'; tab += 1) await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('Sign in with Slack');
    const [refused] = await Promise.all([page.waitForResponse((response) => response.url().startsWith(`${base}/dashboard/oidc/callback`)), page.keyboard.press('Enter')]);
    expect(refused.status()).toBe(401);
    await expect(page.locator('h1').innerText()).resolves.toBe('Sign in with Slack did not work');
    const text = await page.locator('main').innerText();
    expect(text).toContain('That Slack account is in another workspace: sign in with your account of the workspace cxloop is installed in.');
    expect(text).toContain('/cxloop dashboard');
    await page.screenshot({ path: join(SCREENSHOTS, 'sign-in-with-slack-refused.png'), fullPage: true });
    expect((await page.context().cookies()).map((cookie) => cookie.name)).not.toContain('cxloop_session');
    const again = await page.goto(`${base}/dashboard`);
    expect(again?.status()).toBe(401);
    await page.close();
  });
});
