import { randomTestPort } from '../../support/test-ports.js';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { RedisTicketStore } from '../../../src/adapters/redis/redis-ticket-store.js';
import type { Cxloop } from '../../../src/main.js';
import {
  dropPrefix,
  groupOf,
  postSigned,
  REDIS_URL,
  SELF_ID,
  startLive,
  ticketEvent,
  uniquePrefix,
  waitFor,
  waitForIdle,
  ZENDESK_URL,
  nockZendeskReads,
  nockZendeskToken,
} from '../../support/zendesk-fixtures.js';

interface Put {
  path: string;
  body: { ticket?: Record<string, unknown>; tickets?: Record<string, unknown>[] };
  at: number;
}

/** Records every PUT so tests assert the exact bodies cxloop sends. */
function recordPuts(scope: nock.Scope, path: RegExp, puts: Put[], reply: (put: Put, index: number) => [number, unknown, Record<string, string>?]): nock.Scope {
  return scope
    .put(path)
    .times(1_000)
    .reply(function (uri, body) {
      const put = { path: uri, body: body as Put['body'], at: Date.now() };
      puts.push(put);
      return reply(put, puts.length - 1);
    });
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('routing Zendesk tickets (real server, Redis, BullMQ; Zendesk faked with nock)', () => {
  let prefix: string;
  let app: Cxloop | undefined;
  let redis: Redis;
  let store: RedisTicketStore;
  let zendesk: nock.Scope;

  beforeEach(() => {
    prefix = uniquePrefix();
    redis = new Redis(REDIS_URL);
    store = new RedisTicketStore(redis, createRedisKeys(prefix));
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    zendesk = nock(ZENDESK_URL);
    nockZendeskToken();
    nock(ZENDESK_URL).persist().get('/api/v2/users/me.json').reply(200, { user: { id: SELF_ID } });
  });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    nock.cleanAll();
    nock.enableNetConnect();
    redis.disconnect();
    await dropPrefix(prefix);
  });

  function noMissedTickets(): void {
    nock(ZENDESK_URL).persist().get('/api/v2/incremental/tickets/cursor.json').query(true).reply(200, { tickets: [], after_cursor: null, end_of_stream: true });
    nock(ZENDESK_URL).persist().get('/api/v2/incremental/ticket_events.json').query(true).reply(200, { ticket_events: [], count: 0, end_of_stream: true, end_time: null });
  }

  it('never moves a ticket backwards when events arrive out of order, and routes it once', async () => {
    noMissedTickets();
    const puts: Put[] = [];
    recordPuts(zendesk, /\/api\/v2\/tickets\/\d+\.json/, puts, () => [200, { ticket: {} }]);
    app = await startLive(prefix);
    const created = minutesAgo(10);
    const opened = minutesAgo(5);
    await postSigned(app.http.url, ticketEvent('status_changed', { id: 201, status: 'open', created_at: created, updated_at: opened }));
    await postSigned(app.http.url, ticketEvent('created', { id: 201, status: 'new', created_at: created, updated_at: created }));
    await waitFor(async () => (await store.get(201))?.routing?.status === 'routed', 10_000, 'routing');
    await app.queues.events.drain();
    await waitFor(async () => (await app!.queues.events.getActiveCount()) === 0 && (await app!.queues.events.getWaitingCount()) === 0);
    const record = await store.get(201);
    expect(record?.status).toBe('open');
    expect(record?.updatedAt).toBe(Date.parse(opened));
    expect(puts).toHaveLength(1);
    expect(puts[0]!.body.ticket?.updated_stamp).toBe(opened);
  });

  it('ignores events caused by its own write and records an agent correction without reverting it', async () => {
    noMissedTickets();
    const puts: Put[] = [];
    recordPuts(zendesk, /\/api\/v2\/tickets\/\d+\.json/, puts, () => [200, { ticket: {} }]);
    app = await startLive(prefix);
    const created = minutesAgo(10);
    await postSigned(app.http.url, ticketEvent('created', { id: 301, created_at: created }));
    await waitFor(async () => (await store.get(301))?.routing?.status === 'routed', 10_000, 'routing');
    const routedTags = ['web_widget', 'cxloop_billing_issue', 'cxloop_tier_normal'];
    // The tags_changed and group change Zendesk sends for cxloop's own write.
    await postSigned(app.http.url, ticketEvent('tags_changed', { id: 301, actor_id: SELF_ID, tags: routedTags, group_id: groupOf('billing_issue'), created_at: created, updated_at: minutesAgo(9) }));
    await waitFor(async () => (await app!.queues.events.count()) === 0);
    expect((await store.get(301))?.overridden).toBe(false);
    // An agent moves it to engineering's bug queue.
    await postSigned(
      app.http.url,
      ticketEvent('tags_changed', { id: 301, actor_id: 555, tags: ['web_widget', 'cxloop_bug_report', 'cxloop_tier_normal'], group_id: groupOf('billing_issue'), created_at: created, updated_at: minutesAgo(8) }),
    );
    await waitFor(async () => (await store.get(301))?.overridden, 10_000, 'the override');
    const corrections = await redis.xrange(`${prefix}:corrections`, '-', '+');
    expect(corrections).toHaveLength(1);
    // With the ticket's text: the correction is a labelled row for the next `cxloop train`.
    expect(corrections[0]![1]).toEqual([
      'ticket', '301', 'field', 'category', 'from', 'billing_issue', 'to', 'bug_report', 'actor', '555', 'at', expect.any(String),
      'subject', 'Charged twice for my subscription', 'body', 'I was charged twice this month, please refund the duplicate payment.',
    ]);
    // Later changes by anyone never bring cxloop back.
    await postSigned(app.http.url, ticketEvent('group_assignment_changed', { id: 301, actor_id: 556, tags: ['web_widget', 'cxloop_bug_report'], group_id: 77, created_at: created, updated_at: minutesAgo(7) }));
    await waitForIdle(app);
    expect(puts).toHaveLength(1);
  });

  it('drops a routing write an agent pre-empted by assigning a group first', async () => {
    noMissedTickets();
    const puts: Put[] = [];
    recordPuts(zendesk, /\/api\/v2\/tickets\/\d+\.json/, puts, () => [200, { ticket: {} }]);
    app = await startLive(prefix);
    await app.queues.backlog.pause();
    const created = minutesAgo(10);
    await postSigned(app.http.url, ticketEvent('created', { id: 302, created_at: created }));
    await waitFor(async () => (await app!.queues.backlog.waiting()).count === 1, 10_000, 'the routing job');
    await postSigned(app.http.url, ticketEvent('group_assignment_changed', { id: 302, actor_id: 555, group_id: 4242, created_at: created, updated_at: minutesAgo(9) }));
    await waitFor(async () => (await store.get(302))?.overridden, 10_000, 'the override');
    // The override is recorded first, then its pending write is taken out of the backlog.
    await waitFor(async () => (await app!.queues.backlog.waiting()).count === 0, 10_000, 'the pending write dropped');
    await app.queues.backlog.resume();
    await waitForIdle(app);
    expect(puts).toHaveLength(0);
    const corrections = await redis.xrange(`${prefix}:corrections`, '-', '+');
    expect(corrections[0]![1].slice(0, 10)).toEqual(['ticket', '302', 'field', 'group', 'from', String(groupOf('billing_issue')), 'to', '4242', 'actor', '555']);
  });

  it('on 409 re-reads the ticket and re-applies, keeping the tag an agent added meanwhile', async () => {
    noMissedTickets();
    const created = minutesAgo(10);
    const agentTouched = minutesAgo(1);
    const puts: Put[] = [];
    recordPuts(zendesk, /\/api\/v2\/tickets\/401\.json/, puts, (_put, index) =>
      index === 0 ? [409, { error: 'UpdateConflict', description: 'Safe Update prevented the update' }] : [200, { ticket: {} }],
    );
    zendesk.get('/api/v2/tickets/401.json').reply(200, {
      ticket: { id: 401, subject: 'Charged twice', description: 'refund please', status: 'open', priority: 'normal', group_id: null, tags: ['web_widget', 'vip'], created_at: created, updated_at: agentTouched },
    });
    app = await startLive(prefix);
    await postSigned(app.http.url, ticketEvent('created', { id: 401, created_at: created }));
    await waitFor(() => puts.length === 2, 10_000, 'the second write');
    expect(puts[0]!.body.ticket).toMatchObject({ updated_stamp: created, tags: ['web_widget', 'cxloop_billing_issue', 'cxloop_tier_normal'] });
    expect(puts[1]!.body.ticket).toMatchObject({
      group_id: groupOf('billing_issue'),
      updated_stamp: agentTouched,
      tags: ['web_widget', 'vip', 'cxloop_billing_issue', 'cxloop_tier_normal'],
      safe_update: true,
    });
    await waitFor(async () => (await store.get(401))?.routing?.status === 'routed', 5_000, 'routed');
  });

  it("after a 409 does not write again over an agent's change that reached cxloop while the ticket was re-read", async () => {
    noMissedTickets();
    const created = minutesAgo(10);
    const agentTouched = minutesAgo(1);
    const puts: Put[] = [];
    recordPuts(zendesk, /\/api\/v2\/tickets\/404\.json/, puts, () => [409, { error: 'UpdateConflict', description: 'Safe Update prevented the update' }]);
    // The conflict was an agent moving the ticket to a group of their own; its webhook is handled while the re-read is answered.
    zendesk.get('/api/v2/tickets/404.json').reply(200, (_uri, _body, callback) => {
      void (async () => {
        await postSigned(app!.http.url, ticketEvent('group_assignment_changed', { id: 404, actor_id: 555, group_id: 4242, created_at: created, updated_at: agentTouched }));
        await waitFor(async () => (await store.get(404))?.overridden, 10_000, 'the override');
        callback(null, { ticket: { id: 404, subject: 'Charged twice', description: 'refund please', status: 'open', priority: 'normal', group_id: 4242, tags: ['web_widget'], created_at: created, updated_at: agentTouched } });
      })();
    });
    app = await startLive(prefix);
    await postSigned(app.http.url, ticketEvent('created', { id: 404, created_at: created }));
    await waitFor(async () => (await store.get(404))?.overridden, 10_000, 'the override');
    await waitForIdle(app);
    expect(puts).toHaveLength(1);
    expect(await store.get(404)).toMatchObject({ overridden: true });
  });

  it('waits out a 429 for its Retry-After before writing again', async () => {
    noMissedTickets();
    const puts: Put[] = [];
    recordPuts(zendesk, /\/api\/v2\/tickets\/402\.json/, puts, (_put, index) =>
      index === 0 ? [429, { error: 'APIRateLimitExceeded' }, { 'retry-after': '1' }] : [200, { ticket: {} }],
    );
    app = await startLive(prefix);
    await postSigned(app.http.url, ticketEvent('created', { id: 402, created_at: minutesAgo(10) }));
    await waitFor(() => puts.length === 2, 10_000, 'the retried write');
    expect(puts[1]!.at - puts[0]!.at).toBeGreaterThanOrEqual(900);
    expect(puts[1]!.body).toEqual(puts[0]!.body);
    await waitFor(async () => (await store.get(402))?.routing?.status === 'routed', 5_000, 'routed');
  });

  it('retries a 5xx with backoff until the write lands', async () => {
    noMissedTickets();
    const puts: Put[] = [];
    recordPuts(zendesk, /\/api\/v2\/tickets\/403\.json/, puts, (_put, index) => (index === 0 ? [502, 'Bad Gateway'] : [200, { ticket: {} }]));
    const created = minutesAgo(10);
    // The retry reads the ticket first (a 5xx may have landed all the same): it has not.
    let reads = 0;
    zendesk.get('/api/v2/tickets/403.json').reply(200, () => {
      reads += 1;
      return { ticket: { id: 403, subject: 'Charged twice', description: 'refund please', status: 'new', priority: 'normal', group_id: null, tags: ['web_widget'], created_at: created, updated_at: created } };
    });
    app = await startLive(prefix);
    await postSigned(app.http.url, ticketEvent('created', { id: 403, created_at: created }));
    await waitFor(async () => (await store.get(403))?.routing?.status === 'routed', 15_000, 'routed after the retry');
    expect(puts).toHaveLength(2);
    expect(puts[1]!.at - puts[0]!.at).toBeGreaterThanOrEqual(1_500);
    expect(reads).toBe(1);
    expect(puts[1]!.body).toEqual(puts[0]!.body);
  });

  it('routes a backlog through update_many, each ticket with its own changes, and re-reads a conflicted ticket before writing it again', async () => {
    noMissedTickets();
    const created = minutesAgo(10);
    const subjects = ['Charged twice for my subscription', 'App crashes when I upload a photo', 'Please add dark mode', 'How do I invite my team?'];
    const ids = Array.from({ length: 30 }, (_, index) => 500 + index);
    const batches: Put[] = [];
    recordPuts(zendesk, /\/api\/v2\/tickets\/update_many\.json/, batches, () => [200, { job_status: { id: 'job-abc', status: 'queued', url: `${ZENDESK_URL}/api/v2/job_statuses/job-abc.json` } }]);
    zendesk.get('/api/v2/job_statuses/job-abc.json').reply(200, { job_status: { id: 'job-abc', status: 'working', results: null } });
    zendesk.get('/api/v2/job_statuses/job-abc.json').reply(200, {
      job_status: {
        id: 'job-abc',
        status: 'completed',
        results: ids.map((id) => (id === 507 ? { id, success: false, error: 'UpdateConflict', details: 'Safe Update prevented the update' } : { id, action: 'update', success: true, status: 'Updated' })),
      },
    });
    const rereadAt = minutesAgo(1);
    zendesk
      .get('/api/v2/tickets/show_many.json')
      .query({ ids: '507' })
      .reply(200, { tickets: [{ id: 507, subject: 'x', description: '', status: 'open', priority: 'normal', group_id: null, tags: ['web_widget', 'vip'], created_at: created, updated_at: rereadAt }] });
    const singles: Put[] = [];
    recordPuts(zendesk, /\/api\/v2\/tickets\/\d+\.json/, singles, () => [200, { ticket: {} }]);
    app = await startLive(prefix);
    await app.queues.backlog.pause();
    for (const id of ids) {
      await postSigned(app.http.url, ticketEvent('created', { id, subject: subjects[id % subjects.length]!, description: '', created_at: created }));
    }
    await waitFor(async () => (await app!.queues.backlog.waiting()).count === ids.length, 15_000, 'the backlog');
    await app.queues.backlog.resume();
    await waitFor(async () => (await store.get(507))?.routing?.status === 'routed', 15_000, 'the conflicted ticket');
    expect(batches).toHaveLength(1);
    const tickets = batches[0]!.body.tickets!;
    expect(tickets.map((ticket) => ticket.id).sort()).toEqual(ids);
    const byId = new Map(tickets.map((ticket) => [ticket.id as number, ticket]));
    expect(byId.get(500)).toEqual({
      id: 500,
      group_id: groupOf('billing_issue'),
      tags: ['web_widget', 'cxloop_billing_issue', 'cxloop_tier_normal'],
      comment: { body: expect.stringContaining('billing_issue'), public: false },
      safe_update: true,
      updated_stamp: created,
    });
    expect(byId.get(501)).toMatchObject({ group_id: groupOf('bug_report'), tags: ['web_widget', 'cxloop_bug_report', 'cxloop_tier_normal'] });
    expect(byId.get(502)).toMatchObject({ group_id: groupOf('feature_request') });
    // The conflicted ticket was re-read in bulk (show_many, no update budget) and written with the fresh stamp, keeping the new tag.
    expect(singles.map((put) => put.path)).toEqual(['/api/v2/tickets/507.json']);
    expect(singles[0]!.body.ticket).toMatchObject({ updated_stamp: rereadAt, tags: ['web_widget', 'vip', 'cxloop_onboarding_help', 'cxloop_tier_normal'] });
    for (const id of ids) expect((await store.get(id))?.routing?.status).toBe('routed');
  });

  it('reconciliation routes a ticket whose webhook never came and saves the export cursor', async () => {
    const created = minutesAgo(20);
    nock(ZENDESK_URL)
      .get('/api/v2/incremental/tickets/cursor.json')
      .query((query) => typeof query.start_time === 'string')
      .reply(200, {
        tickets: [
          { id: 601, subject: 'Refund not received', description: 'I was charged twice', status: 'new', priority: null, group_id: null, tags: [], via: { channel: 'email' }, created_at: created, updated_at: created },
          { id: 602, subject: 'Old solved one', description: 'thanks', status: 'solved', priority: 'low', group_id: 9, tags: [], created_at: created, updated_at: created },
        ],
        after_cursor: 'cursor-1',
        end_of_stream: true,
      });
    nock(ZENDESK_URL).persist().get('/api/v2/incremental/tickets/cursor.json').query({ cursor: 'cursor-1' }).reply(200, { tickets: [], after_cursor: 'cursor-1', end_of_stream: true });
    const puts: Put[] = [];
    recordPuts(zendesk, /\/api\/v2\/tickets\/\d+\.json/, puts, () => [200, { ticket: {} }]);
    app = await startLive(prefix);
    await waitFor(async () => (await store.get(601))?.routing?.status === 'routed', 10_000, 'the missed ticket routed');
    expect(puts.map((put) => put.path)).toEqual(['/api/v2/tickets/601.json']);
    expect(puts[0]!.body.ticket).toMatchObject({ group_id: groupOf('billing_issue'), tags: ['cxloop_billing_issue', 'cxloop_tier_normal'] });
    expect(await redis.get(`${prefix}:zendesk:export-cursor`)).toBe('cursor-1');
    expect((await store.get(602))?.routing).toBeNull();
  });
});

describe('Redis unavailable at ingest', () => {
  let server: ChildProcess | undefined;
  const port = randomTestPort();
  const url = `redis://127.0.0.1:${port}`;

  async function startRedis(): Promise<void> {
    if (spawnSync('redis-server', ['--version']).error) throw new Error('redis-server is not installed: this test starts and kills its own (apt-get install redis-server)');
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    await waitFor(async () => probe.connect().then(() => true, () => false), 10_000, 'redis-server');
    probe.disconnect();
  }

  afterEach(() => {
    server?.kill('SIGKILL');
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('answers 503 with Retry-After so Zendesk retries, and accepts the retry once Redis is back', async () => {
    await startRedis();
    nockZendeskReads();
    const written = new Promise<unknown>((resolve) => {
      nock(ZENDESK_URL)
        .put('/api/v2/tickets/701.json')
        .reply(200, (_uri, body) => {
          resolve(body);
          return { ticket: {} };
        });
    });
    const app = await startLive(uniquePrefix(), { extraEnv: { REDIS_URL: url } });
    try {
      server!.kill('SIGKILL');
      await new Promise((resolve) => server!.once('exit', resolve));
      const body = ticketEvent('created', { id: 701, created_at: minutesAgo(1) });
      const refused = await postSigned(app.http.url, body);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('10');
      await startRedis();
      const retried = await waitFor(async () => {
        const response = await postSigned(app.http.url, body);
        return response.status === 200 ? response : undefined;
      }, 15_000, 'Redis to come back');
      expect(await retried.json()).toEqual({ status: 'accepted' });
      expect(await written).toMatchObject({ ticket: { tags: ['web_widget', 'cxloop_billing_issue', 'cxloop_tier_normal'] } });
    } finally {
      await app.stop();
    }
  });
});
