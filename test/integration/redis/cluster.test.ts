import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRedis, mastersOf, type RedisClient } from '../../../src/adapters/redis/redis-connection.js';
import { createRedisKeys, deleteInstallKeys, type RedisKeyLayout } from '../../../src/adapters/redis/redis-keys.js';
import { QUEUE_NAMES } from '../../../src/app/job-catalogue.js';
import { timerKey } from '../../../src/app/run-loop.js';
import { checkRedis } from '../../../src/cli/commands/doctor/check-redis.js';
import type { Policy } from '../../../src/config/policy-schema.js';
import { settle as settleQueues, type Cxloop } from '../../../src/main.js';
import { startRedisCluster, type RedisCluster } from '../../support/redis-cluster.js';
import { blockAction, nockSlackApi, postSlack, type SlackCall } from '../../support/slack-fixtures.js';
import {
  groupOf,
  liveEnv,
  nockZendeskReads,
  nockZendeskWrites,
  policyWithGroups,
  postSigned,
  REDIS_URL,
  SELF_ID,
  startLive,
  ticketEvent,
  uniquePrefix,
  waitFor,
  ZENDESK_URL,
  type RecordedPut,
} from '../../support/zendesk-fixtures.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The same paths on one Redis and on a real 3-master Redis Cluster (started here, on loopback):
 * a signed webhook through the real server to the routing write, a backlog through update_many,
 * an agent's correction, the loop's timers and escalation, an acknowledgement from Slack, and the
 * Slack outbox, with Zendesk and Slack faked at their HTTP boundary. Both deployments must send
 * exactly the same requests.
 */
describe.each<RedisKeyLayout>(['single', 'cluster'])('cxloop on %s Redis (real server, BullMQ, injected clock; Zendesk and Slack faked with nock)', (layout) => {
  let cluster: RedisCluster | undefined;
  let redis: RedisClient;
  let prefix: string;
  let app: Cxloop | undefined;
  let clock: number;
  let puts: RecordedPut[];
  let calls: SlackCall[];
  const redisEnv = (): Record<string, string> => (cluster ? { REDIS_CLUSTER_NODES: cluster.nodes } : {});
  const keys = () => createRedisKeys(prefix, layout);

  /** An admin may act on every loop: the Slack fake lists no channel members. */
  function policy(): Policy {
    const base = policyWithGroups();
    base.slack.admins = ['U0ADMIN01'];
    return base;
  }

  beforeAll(async () => {
    if (layout === 'cluster') cluster = await startRedisCluster(3);
    redis = createRedis({ REDIS_URL, REDIS_SENTINELS: undefined, REDIS_SENTINEL_NAME: undefined, ...redisEnv() });
  }, 30_000);
  afterAll(async () => {
    redis?.disconnect();
    await cluster?.remove();
  });
  beforeEach(async () => {
    prefix = uniquePrefix();
    clock = Date.parse('2026-11-23T09:00:00Z');
    puts = [];
    calls = [];
    nockZendeskReads();
    nockZendeskWrites(puts);
    nockSlackApi(calls);
    app = await startLive(prefix, { now: () => clock, policy: policy(), extraEnv: redisEnv(), slack: { sender: { intervalMs: 10 } } });
  });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    nock.cleanAll();
    nock.enableNetConnect();
    await deleteInstallKeys(redis, prefix);
  });

  const settle = () => settleQueues(app!, 15_000);
  const posts = () => calls.filter((call) => call.method === 'chat.postMessage');

  async function openTicket(id: number, detail: Partial<Parameters<typeof ticketEvent>[1]> = {}): Promise<void> {
    const response = await postSigned(app!.http.url, ticketEvent('created', { id, status: 'new', created_at: iso(clock - 5 * MINUTE), updated_at: iso(clock - 5 * MINUTE), ...detail }), { at: clock });
    expect(await response.json()).toEqual({ status: 'accepted' });
    await settle();
  }

  it('routes a signed webhook with one Update Ticket call and posts the card and the status through the Slack outbox', async () => {
    await openTicket(101, { tags: ['web_widget'] });
    expect(puts).toEqual([
      {
        path: '/api/v2/tickets/101.json',
        body: {
          ticket: {
            group_id: groupOf('billing_issue'),
            tags: ['web_widget', 'cxloop_billing_issue', 'cxloop_tier_normal'],
            comment: { body: expect.stringContaining('Billing issue (billing_issue)'), public: false },
            safe_update: true,
            updated_stamp: iso(clock - 5 * MINUTE),
          },
        },
      },
    ]);
    await waitFor(() => posts().length === 2, 5_000, 'the card and the status message');
    expect(posts().map((call) => call.args.channel).sort()).toEqual(['#cx-billing', '#cx-status']);
    const card = posts().find((call) => call.args.channel === '#cx-billing')!;
    expect(card.args.text).toContain('#101');
    expect(card.args.blocks).toContain('"action_id":"cx_ack"');
    expect(await app!.pendingWork()).toBe(0);
  });

  it('writes a backlog through one update_many call, each ticket with its own changes', async () => {
    const batches: RecordedPut[] = [];
    nock(ZENDESK_URL)
      .put('/api/v2/tickets/update_many.json')
      .reply(200, (path, body) => {
        batches.push({ path, body: body as RecordedPut['body'] });
        return { job_status: { id: 'job-1', status: 'queued', url: `${ZENDESK_URL}/api/v2/job_statuses/job-1.json` } };
      });
    const ids = [201, 202, 203, 204, 205, 206];
    nock(ZENDESK_URL)
      .get('/api/v2/job_statuses/job-1.json')
      .reply(200, { job_status: { id: 'job-1', status: 'completed', results: ids.map((id) => ({ id, action: 'update', success: true, status: 'Updated' })) } });
    await app!.queues.backlog.pause();
    for (const id of ids) {
      const subject = id % 2 === 0 ? 'Charged twice for my subscription' : 'App crashes when I upload a photo';
      await postSigned(app!.http.url, ticketEvent('created', { id, subject, description: '', created_at: iso(clock - 5 * MINUTE) }), { at: clock });
    }
    await waitFor(async () => (await app!.queues.backlog.waiting()).count === ids.length, 15_000, 'the backlog');
    await app!.queues.backlog.resume();
    await settle();
    expect(puts).toEqual([]);
    expect(batches).toHaveLength(1);
    const tickets = batches[0]!.body.tickets!;
    expect(tickets.map((ticket) => ticket.id).sort()).toEqual(ids);
    for (const ticket of tickets) {
      const category = (ticket.id as number) % 2 === 0 ? 'billing_issue' : 'bug_report';
      expect(ticket).toEqual({
        id: ticket.id,
        group_id: groupOf(category),
        tags: ['web_widget', `cxloop_${category}`, 'cxloop_tier_normal'],
        comment: { body: expect.stringContaining(category), public: false },
        safe_update: true,
        updated_stamp: iso(clock - 5 * MINUTE),
      });
    }
    // The job's results mark every ticket routed, over the updated_at the batch was written on
    // (one script for the batch on one server, one per ticket's slot on a cluster).
    for (const id of ids) expect(await redis.hmget(keys().ticket(id), 'rs', 'wv')).toEqual(['routed', String(clock - 5 * MINUTE)]);
  });

  it("records an agent's correction once, in the corrections stream, and never reverts it", async () => {
    await openTicket(301);
    const created = iso(clock - 5 * MINUTE);
    await postSigned(app!.http.url, ticketEvent('tags_changed', { id: 301, actor_id: SELF_ID, tags: ['cxloop_billing_issue', 'cxloop_tier_normal'], group_id: groupOf('billing_issue'), created_at: created, updated_at: iso(clock - 4 * MINUTE) }), { at: clock });
    await postSigned(app!.http.url, ticketEvent('tags_changed', { id: 301, actor_id: 555, tags: ['cxloop_bug_report', 'cxloop_tier_normal'], group_id: groupOf('billing_issue'), created_at: created, updated_at: iso(clock - 3 * MINUTE) }), { at: clock });
    await settle();
    const corrections = await redis.xrange(keys().corrections, '-', '+');
    expect(corrections.map(([, fields]) => fields.slice(0, 10))).toEqual([['ticket', '301', 'field', 'category', 'from', 'billing_issue', 'to', 'bug_report', 'actor', '555']]);
    expect(await redis.exists(keys().pendingCorrection(301))).toBe(0);
    expect(puts.map((put) => put.path)).toEqual(['/api/v2/tickets/301.json']);
  });

  it('fires the loop timers on the clock, escalates through Slack, and stops on an Acknowledge press', async () => {
    await openTicket(401);
    const openedAt = clock;
    expect((await app!.queues.loopTimers.scheduled()).map((timer) => timer.key)).toEqual([timerKey(401, { kind: 'ack_breach', at: openedAt + 2 * HOUR })]);
    await waitFor(() => posts().length === 2, 5_000, 'the card and the status message');

    const card = posts().find((call) => call.args.channel === '#cx-billing')!;
    const status = posts().find((call) => call.args.channel === '#cx-status')!;

    clock += 2 * HOUR;
    await settle();
    await waitFor(() => posts().length === 4, 5_000, 'the escalation');
    // Two channels, each paced on its own: in either order.
    const escalations = posts().slice(2).map(({ args }) => ({ channel: args.channel, text: args.text, thread_ts: args.thread_ts }));
    expect(escalations.sort((a, b) => String(a.channel).localeCompare(String(b.channel)))).toEqual([
      { channel: 'CCXBILLING', text: '#401 is not acknowledged (due Mon 23 Nov 11:00 UTC). Escalated to the billing team. No user group configured for team billing.', thread_ts: card.ts },
      { channel: 'CCXSTATUS', text: '#401: No one has picked this up within 2 h; escalating to the billing team.', thread_ts: status.ts },
    ]);
    expect((await app!.loops.get(401))!.state).toMatchObject({ stage: 'routed', timers: { escalate: clock + 30 * MINUTE, resolve_breach: openedAt + 72 * HOUR } });

    const pressed = await postSlack(app!.http.url, blockAction({ user: 'U0ADMIN01', channel: 'CCXBILLING', actionId: 'cx_ack', ticketId: 401 }), { nowMs: clock });
    expect(pressed.status).toBe(200);
    await waitFor(async () => (await app!.loops.get(401))?.state.stage === 'acknowledged', 5_000, 'acknowledged');
    await settle();
    expect((await app!.loops.get(401))!.state).toMatchObject({ stage: 'acknowledged', owner: 'U0ADMIN01', escalation: { step: 0, breachAt: null } });
    expect((await app!.queues.loopTimers.scheduled()).map((timer) => timer.key)).toEqual([timerKey(401, { kind: 'update_breach', at: clock + 24 * HOUR })]);
    expect(puts.map((put) => put.path)).toEqual(['/api/v2/tickets/401.json', '/api/v2/tickets/401.json']);
    expect(puts[1]!.body).toEqual({ ticket: { comment: { body: 'Acknowledged in Slack by U0ADMIN01.', public: false } } });
    await waitFor(() => calls.some((call) => call.method === 'chat.update' && call.args.channel === 'CCXBILLING'), 5_000, 'the card edited in place');
    expect((await app!.loops.history(401)).map((entry) => entry.event)).toEqual(['opened', 'timer:ack_breach', 'timer:escalate', 'acknowledge']);
    expect(await app!.loops.openedBetween(openedAt - 1, openedAt + 1)).toEqual([401]);
  });

  it('doctor reads every master, and finds the running workers on their queue', async () => {
    const findings = await checkRedis(liveEnv(prefix, redisEnv()));
    const server = layout === 'cluster' ? `Redis Cluster of the seed nodes ${cluster!.nodes.split(',').join(', ')}, 3 masters: ${'master 127\\.0\\.0\\.1:\\d+, Redis [\\d.]+, \\S+.*'.repeat(3)}` : `${REDIS_URL}, Redis [\\d.]+`;
    expect(findings.redis.detail).toMatch(new RegExp(`^${server}`));
    expect(findings.workers).toEqual({ name: 'workers', status: 'ok', detail: expect.stringMatching(new RegExp(`worker connections? on zendesk-events \\(prefix ${keys().queuePrefix(QUEUE_NAMES.events).replace(/[{}]/g, '\\$&')}\\)$`)) });
    expect(findings.deadLetters).toEqual({ name: 'dead-letters', status: 'ok', detail: 'none: no job or Slack message failed for good' });
    expect(findings.model).toEqual({ name: 'model', status: 'ok', detail: 'no learned model stored: the rules decide alone (cxloop train learns your tickets)' });
  });

  it("spreads the tickets' keys over every master (of a cluster) and deletes an install's keys on all of them", async () => {
    for (const id of [501, 502, 503, 504, 505, 506, 507, 508]) await openTicket(id);
    const counts: number[] = [];
    for (const master of mastersOf(redis)) {
      const [, found] = await master.scan('0', 'MATCH', `${prefix}:*`, 'COUNT', 10_000);
      counts.push(found.length);
    }
    expect(counts).toHaveLength(layout === 'cluster' ? 3 : 1);
    for (const count of counts) expect(count).toBeGreaterThan(0);
    await app!.stop();
    app = undefined;
    await deleteInstallKeys(redis, prefix);
    for (const master of mastersOf(redis)) expect((await master.scan('0', 'MATCH', `${prefix}:*`, 'COUNT', 10_000))[1]).toEqual([]);
  });
});
