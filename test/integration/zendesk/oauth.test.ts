import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonLogger } from '../../../src/adapters/log/json-logger.js';
import type { Cxloop } from '../../../src/main.js';
import {
  dropPrefix,
  OAUTH_CLIENT_ID,
  OAUTH_CLIENT_SECRET,
  postSigned,
  SELF_ID,
  startLive,
  ticketEvent,
  uniquePrefix,
  waitFor,
  waitForIdle,
  ZENDESK_URL,
} from '../../support/zendesk-fixtures.js';

/**
 * Zendesk OAuth through the real server, Redis and workers: the client-credentials grant and the
 * API both faked at Zendesk's HTTP boundary. The fake issues tokens that expire on cxloop's
 * (injected) clock and refuses an expired or revoked one with 401, as Zendesk does.
 */
interface Issued {
  readonly token: string;
  readonly expiresAt: number;
}

describe('Zendesk OAuth (client credentials) in cxloop serve', () => {
  let prefix: string;
  let clock: number;
  let lifetimeS: number;
  let issued: Issued[];
  let grants: Record<string, unknown>[];
  let revoked: Set<string>;
  let refuseAll: boolean;
  let puts: { ticket: number; authorization: string; refused: boolean }[];
  let logs: string[];
  const apps: Cxloop[] = [];
  const now = () => clock;

  /** The token a request carries, or why Zendesk would refuse it. */
  function verdict(authorization: string | undefined): 'ok' | 'refused' {
    const token = authorization?.replace(/^Bearer /, '') ?? '';
    const known = issued.find((entry) => entry.token === token);
    return known && !refuseAll && !revoked.has(token) && clock < known.expiresAt ? 'ok' : 'refused';
  }

  beforeEach(() => {
    prefix = uniquePrefix();
    clock = Date.parse('2026-11-23T09:00:00Z');
    lifetimeS = 60;
    issued = [];
    grants = [];
    revoked = new Set();
    refuseAll = false;
    puts = [];
    logs = [];
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    nock(ZENDESK_URL)
      .persist()
      .post('/oauth/tokens')
      .reply(200, (_uri, body) => {
        grants.push(body as Record<string, unknown>);
        const token = `zd-access-${grants.length}-${'x'.repeat(20)}`;
        issued.push({ token, expiresAt: clock + lifetimeS * 1_000 });
        return { access_token: token, token_type: 'bearer', scope: (body as { scope: string }).scope, expires_in: lifetimeS };
      });
    nock(ZENDESK_URL)
      .persist()
      .get('/api/v2/users/me.json')
      .reply(function () {
        return verdict(this.req.headers.authorization as string | undefined) === 'ok' ? [200, { user: { id: SELF_ID } }] : [401, { error: "Couldn't authenticate you" }];
      });
    nock(ZENDESK_URL).persist().get('/api/v2/incremental/tickets/cursor.json').query(true).reply(200, { tickets: [], after_cursor: null, end_of_stream: true });
    nock(ZENDESK_URL).persist().get('/api/v2/incremental/ticket_events.json').query(true).reply(200, { ticket_events: [], count: 0, end_of_stream: true, end_time: null });
    nock(ZENDESK_URL)
      .persist()
      .put(/\/api\/v2\/tickets\/\d+\.json/)
      .reply(function (uri) {
        const authorization = this.req.headers.authorization as string;
        const refused = verdict(authorization) === 'refused';
        puts.push({ ticket: Number(/(\d+)\.json/.exec(uri)?.[1]), authorization, refused });
        return refused ? [401, { error: "Couldn't authenticate you" }] : [200, { ticket: {} }];
      });
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
    nock.cleanAll();
    nock.enableNetConnect();
    await dropPrefix(prefix);
  });

  async function start(role: 'all' | 'web' | 'worker' = 'all'): Promise<Cxloop> {
    const logger = new JsonLogger('debug', (line) => void logs.push(line));
    // One ticket at a time (no update_many), so every routing write is one PUT with its own header.
    const app = await startLive(prefix, { now, role, logger, batchThreshold: 1_000 });
    apps.push(app);
    return app;
  }

  async function burst(app: Cxloop, ids: readonly number[]): Promise<void> {
    for (const id of ids) {
      const response = await postSigned(app.http.url, ticketEvent('created', { id, created_at: new Date(clock - 60_000).toISOString() }), { at: clock });
      expect(response.status).toBe(200);
    }
    await waitFor(() => ids.every((id) => puts.some((put) => put.ticket === id && !put.refused)), 15_000, `the routing writes of ${ids[0]}..${ids.at(-1)}`);
  }

  const range = (from: number, count: number) => Array.from({ length: count }, (_, index) => from + index);

  it('asks for one token with the serve scopes, and renews it before it expires, across a burst', async () => {
    const app = await start();
    expect(grants).toEqual([
      { grant_type: 'client_credentials', client_id: OAUTH_CLIENT_ID, client_secret: OAUTH_CLIENT_SECRET, scope: 'tickets:read tickets:write users:read organizations:read hc:read' },
    ]);
    await burst(app, range(1_001, 10));
    // Past 3/4 of the 60 s lifetime: the next calls still use the valid token while one renewal runs.
    clock += 50_000;
    await burst(app, range(2_001, 10));
    await waitFor(() => grants.length === 2, 10_000, 'the renewal');
    // Past the first token's expiry: everything now goes out with the second.
    clock += 20_000;
    await burst(app, range(3_001, 10));
    await waitForIdle(app);
    expect(grants).toHaveLength(2);
    expect(puts.filter((put) => put.refused)).toEqual([]);
    expect(puts).toHaveLength(30);
    expect(new Set(puts.filter((put) => put.ticket >= 3_001).map((put) => put.authorization))).toEqual(new Set([`Bearer ${issued[1]!.token}`]));
  });

  it('works for lifetimes of a few seconds too', async () => {
    lifetimeS = 4;
    const app = await start();
    for (let round = 0; round < 4; round += 1) {
      await burst(app, range(10_000 + round * 10, 5));
      clock += 3_500; // 7/8 of a lifetime per round: every round renews
    }
    await waitForIdle(app);
    expect(puts.filter((put) => put.refused)).toEqual([]);
    expect(grants.length).toBeGreaterThanOrEqual(4);
    expect(grants.length).toBeLessThanOrEqual(5);
  });

  it('two worker processes share one token and one renewal', async () => {
    const web = await start('web');
    const one = await start('worker');
    const two = await start('worker');
    // The first process to ask got the token; the others read it from Redis.
    expect(grants).toHaveLength(1);
    await burst(web, range(4_001, 20));
    clock += 50_000;
    await burst(web, range(5_001, 20));
    clock += 20_000;
    await burst(web, range(6_001, 20));
    await Promise.all([web, one, two].map((app) => waitForIdle(app)));
    // However many processes were due at once, the install renewed once.
    expect(grants).toHaveLength(2);
    expect(puts.filter((put) => put.refused)).toEqual([]);
    expect(puts).toHaveLength(60);
  });

  it('a token refused with 401 is renewed once and the call sent once more; never a loop', async () => {
    const app = await start();
    revoked.add(issued[0]!.token); // an admin revoked it in Admin Center
    await burst(app, [7_001]);
    expect(puts.map((put) => put.authorization)).toEqual([`Bearer ${issued[0]!.token}`, `Bearer ${issued[1]!.token}`]);
    expect(grants).toHaveLength(2);

    // A Zendesk that refuses every token: two tries, then the write fails for good (a dead letter).
    refuseAll = true;
    puts.length = 0;
    await postSigned(app.http.url, ticketEvent('created', { id: 7_002, created_at: new Date(clock - 60_000).toISOString() }), { at: clock });
    await waitFor(async () => (await app.queues.routes.getFailedCount()) === 1, 15_000, 'the refused write to fail for good');
    expect(puts).toHaveLength(2);
    expect(grants).toHaveLength(3);
  });

  it('never logs the client secret nor any token', async () => {
    const app = await start();
    revoked.add(issued[0]!.token);
    await burst(app, range(8_001, 3));
    expect(logs.length).toBeGreaterThan(0);
    const all = logs.join('');
    expect(all).not.toContain(OAUTH_CLIENT_SECRET);
    expect(all).not.toContain('zd-access-');
  });

  it('refuses to start, in one line naming ZENDESK_OAUTH_CLIENT_SECRET, when Zendesk refuses the client', async () => {
    nock.removeInterceptor({ hostname: 'acme.zendesk.test', proto: 'https', method: 'POST', path: '/oauth/tokens' });
    nock(ZENDESK_URL).post('/oauth/tokens').reply(401, { error: 'invalid_client', error_description: 'Client authentication failed.' });
    await expect(start()).rejects.toThrow(/^Zendesk refused cxloop's OAuth client \(invalid_client\) \(HTTP 401\): check ZENDESK_OAUTH_CLIENT_SECRET/);
  });
});
