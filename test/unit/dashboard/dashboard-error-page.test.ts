import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboard } from '../../../src/adapters/dashboard/dashboard-routes.js';
import type { DashboardReadDeps } from '../../../src/app/dashboard/dashboard-deps.js';
import { policyWithGroups } from '../../support/zendesk-fixtures.js';

const NOW = Date.UTC(2026, 10, 30, 12);
const logged: { level: string; message: string; fields: Record<string, unknown> }[] = [];
let redisDown = true;
const unavailable = async (): Promise<never> => {
  throw new Error('Connection is closed.');
};

/** The read model fails as it does when Redis stops answering; the session store still works. */
const dashboard = createDashboard({
  read: {
    dashboard: { openLoops: async () => (redisDown ? unavailable() : []), dayTallies: unavailable, dayContributions: unavailable, undecided: unavailable },
    outbox: { backlog: async () => ({}) },
    people: { namesOf: async () => ({ U0ADMIN01: 'Ada Admin' }) },
    briefs: { get: async () => null },
  } as unknown as DashboardReadDeps,
  policy: policyWithGroups(),
  zendeskTicketUrl: () => null,
  sessions: {
    create: async () => 's1',
    get: async (id) => (id === 's1' ? { user: 'U0ADMIN01', csrf: 'c', expiresAt: NOW + 3_600_000 } : null),
    destroy: async () => undefined,
    useLink: async () => true,
    linkSecret: async () => 'link-secret',
  },
  people: { namesOf: async () => ({ U0ADMIN01: 'Ada Admin' }) },
  viewerTeams: async () => null,
  sessionMs: 3_600_000,
  secureCookies: false,
  publicOrigin: null,
  oidc: null,
  logger: { log: (level, message, fields = {}) => void logged.push({ level, message, fields }) },
  now: () => NOW,
});
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const route = dashboard.routes.find((each) => each.method === request.method && each.path === path);
    if (route === undefined) return void response.writeHead(404).end();
    void route.handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  dashboard.close();
  await new Promise((resolve) => server.close(resolve));
});

describe('a dashboard page whose data cannot be read', () => {
  it('answers an HTML page that says what to do, and logs the cause once', async () => {
    for (const path of ['/dashboard', '/dashboard/figures?days=30', '/dashboard/export.csv?table=open&from=/dashboard']) {
      logged.length = 0;
      const response = await fetch(`${base}${path}`, { headers: { cookie: 'cxloop_session=s1' } });
      expect(response.status, path).toBe(503);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const page = await response.text();
      expect(page).toContain('<h1>The dashboard could not load this page</h1>');
      expect(page).toContain('<code>npx cxloop doctor</code>');
      // The cause goes to the log, not to the page.
      expect(page).not.toContain('Connection is closed');
      expect(logged).toEqual([{ level: 'error', message: 'dashboard page failed', fields: { path: path.split('?')[0], error: 'Connection is closed.' } }]);
    }
  });

  it('serves the page again once the data can be read', async () => {
    redisDown = false;
    const response = await fetch(`${base}/dashboard`, { headers: { cookie: 'cxloop_session=s1' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('No open loops.');
  });
});
