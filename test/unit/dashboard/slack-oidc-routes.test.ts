import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DashboardAuth } from '../../../src/adapters/dashboard/dashboard-auth.js';
import type { DashboardSession } from '../../../src/app/ports.js';
import { SLACK_TEST_JWKS, slackIdToken } from '../../support/fake-slack-oidc.js';

const NOW = Date.UTC(2026, 10, 20, 10, 0, 0);
const SLACK = 'https://slack.oidc.test';
const sessions = new Map<string, DashboardSession>();
const auth = new DashboardAuth({
  sessions: {
    create: async (session) => {
      const id = `s${sessions.size + 1}`;
      sessions.set(id, session);
      return id;
    },
    get: async (id) => sessions.get(id) ?? null,
    destroy: async (id) => void sessions.delete(id),
    useLink: async () => true,
    linkSecret: async () => 'link-secret',
  },
  people: { namesOf: async () => ({ U0ALICE: 'Alice Ng' }) },
  viewerTeams: async () => ['billing'],
  sessionMs: 3_600_000,
  secureCookies: false,
  publicOrigin: null,
  oidc: { clientId: '111.222', clientSecret: 'client-secret', redirectUri: 'http://cx.test/dashboard/oidc/callback', teamId: 'T0INSTALL', slackUrl: SLACK },
  logger: { log: () => undefined },
  now: () => NOW,
});
let server: Server;
let base: string;

beforeAll(async () => {
  const routes = auth.routes();
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const route = routes.find((each) => each.method === request.method && each.path === path);
    if (path === '/dashboard') return void auth.require(request, response);
    if (route === undefined) return void response.writeHead(404).end();
    void route.handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  nock.enableNetConnect();
  await new Promise((resolve) => server.close(resolve));
});

/** GET /dashboard/login: Slack's authorize URL and the browser's nonce cookie. */
async function startLogin(): Promise<{ state: string; nonce: string; cookie: string }> {
  const response = await fetch(`${base}/dashboard/login`, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(`${SLACK}/openid/connect/authorize`);
  const cookie = response.headers.get('set-cookie')!;
  expect(cookie).toMatch(/^cxloop_oidc=[\w-]+; Path=\/dashboard; Max-Age=600; HttpOnly; SameSite=Lax$/);
  return { state: location.searchParams.get('state')!, nonce: location.searchParams.get('nonce')!, cookie: cookie.split(';')[0]! };
}

function fakeSlack(idToken: string): nock.Scope {
  return nock(SLACK)
    .post('/api/openid.connect.token', { client_id: '111.222', client_secret: 'client-secret', code: 'the-code', grant_type: 'authorization_code', redirect_uri: 'http://cx.test/dashboard/oidc/callback' })
    .reply(200, { ok: true, id_token: idToken })
    .get('/openid/connect/keys')
    .reply(200, SLACK_TEST_JWKS);
}

const callback = (state: string, cookie: string | null) =>
  fetch(`${base}/dashboard/oidc/callback?${new URLSearchParams({ code: 'the-code', state })}`, { redirect: 'manual', headers: cookie === null ? {} : { cookie } });

describe('Sign in with Slack routes', () => {
  it('shows the Sign in with Slack button on the sign-in page', async () => {
    const page = await fetch(`${base}/dashboard`);
    expect(page.status).toBe(401);
    const text = await page.text();
    expect(text).toContain('<a class="button" href="/dashboard/login">Sign in with Slack</a>');
    expect(text).toContain('<code>/cxloop dashboard</code>');
  });

  it('signs a member of the installed workspace in with the same session a link gives', async () => {
    const { state, nonce, cookie } = await startLogin();
    const slack = fakeSlack(slackIdToken(NOW, { nonce }));
    const response = await callback(state, cookie);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/dashboard');
    const id = /cxloop_session=(\w+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
    expect(sessions.get(id!)).toMatchObject({ user: 'U0ALICE', expiresAt: NOW + 3_600_000 });
    expect(response.headers.get('set-cookie')).toContain('cxloop_oidc=; Path=/dashboard; Max-Age=0');
    expect(slack.isDone()).toBe(true);
  });

  it('refuses another workspace, a nonce mismatch and an expired id_token, and makes no session', async () => {
    for (const [claims, says] of [
      [{ 'https://slack.com/team_id': 'T0OTHER' }, 'another workspace'],
      [{ nonce: 'not-this-sign-in' }, 'nonce'],
      [{ exp: Math.floor(NOW / 1000) - 3600 }, 'expired'],
    ] as const) {
      const before = sessions.size;
      const { state, nonce, cookie } = await startLogin();
      fakeSlack(slackIdToken(NOW, { nonce, ...claims }));
      const response = await callback(state, cookie);
      expect(response.status).toBe(401);
      expect(await response.text()).toContain(says);
      expect(sessions.size).toBe(before);
    }
  });

  it('refuses a bad state, or one from another browser, without asking Slack', async () => {
    const { state, cookie } = await startLogin();
    const tampered = await callback(`${state.slice(0, -2)}xx`, cookie);
    expect(tampered.status).toBe(401);
    const otherBrowser = await callback(state, null);
    expect(otherBrowser.status).toBe(401);
    expect(await otherBrowser.text()).toContain('not started from this browser');
    expect(nock.pendingMocks()).toEqual([]);
  });
});
