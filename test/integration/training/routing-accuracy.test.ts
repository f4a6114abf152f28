import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerRoutingAccuracyMetrics } from '../../../src/adapters/metrics/prom-routing-accuracy.js';
import { createRedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { RedisLoopStore } from '../../../src/adapters/redis/redis-loop-store.js';
import { RedisTicketStore } from '../../../src/adapters/redis/redis-ticket-store.js';
import { measureRoutingAccuracy } from '../../../src/app/measure-routing-accuracy.js';
import { applyLoopEvents, openTicketLoop, type LoopDeps } from '../../../src/app/run-loop.js';
import { runCli } from '../../../src/cli/main.js';
import type { CategoryId } from '../../../src/core/taxonomy.js';
import { fakeIo } from '../../support/fake-io.js';
import { dropPrefix, historyLoopDeps, REDIS_URL, uniquePrefix } from '../../support/zendesk-fixtures.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-01T12:00:00Z');

/**
 * Routing accuracy from what cxloop records in the real Redis (loops opened by the same use-case
 * the workers run, a Slack reassignment, agents' corrections in the corrections stream), in
 * `cxloop report` and on /metrics, against figures computed by hand.
 */
describe('routing accuracy (real Redis)', () => {
  const prefix = uniquePrefix();
  const redis = new Redis(REDIS_URL);
  const keys = createRedisKeys(prefix);
  const loops = new RedisLoopStore(redis, keys);
  const tickets = new RedisTicketStore(redis, keys);
  const env = { REDIS_URL, CXLOOP_REDIS_PREFIX: prefix };
  let clock = NOW;
  const deps: LoopDeps = historyLoopDeps(redis, prefix, () => clock);
  const open = async (ticketId: number, daysAgo: number, category: CategoryId) => {
    clock = NOW - daysAgo * DAY;
    await openTicketLoop({ ticketId, category, tier: 'normal', zendeskStatus: 'new' }, deps);
  };
  /** An agent moved the ticket to another group in Zendesk: recorded as cxloop's ticket worker records it. */
  const movedGroup = async (ticketId: number, daysAgo: number) => {
    await tickets.claimRouting(ticketId, { status: 'pending', category: 'billing_issue', tier: 'normal', groupId: 1002, baseGroupId: null }, `evt:${ticketId}`);
    await tickets.recordOverride({ ticketId, override: { field: 'group', from: 1002, to: 1005 }, actorId: 4242, at: NOW - daysAgo * DAY });
  };

  beforeAll(async () => {
    await open(1, 20, 'bug_report'); // kept
    await open(2, 20, 'bug_report'); // reassigned in Slack a day later: re-categorised
    clock = NOW - 19 * DAY;
    await applyLoopEvents(2, [{ type: 'reassign', user: 'U0ANA', category: 'billing_issue' }], 'reassign-2', deps);
    await open(3, 10, 'billing_issue'); // group moved a day later: re-categorised
    await movedGroup(3, 9);
    await open(4, 10, 'billing_issue'); // group moved 9 days later: after the 7 days, kept
    await movedGroup(4, 1);
    await open(5, 2, 'other'); // 2 days old: pending
    await open(6, 40, 'billing_issue'); // before both windows
  });
  afterAll(async () => {
    redis.disconnect();
    await dropPrefix(prefix);
  });

  it('cxloop report: 2 of the 4 settled routings kept, per category, the younger one pending', async () => {
    const io = fakeIo({ env });
    expect(await runCli(['report', '--since', '30d', '--until', new Date(NOW).toISOString(), '--json'], io)).toBe(0);
    const report = JSON.parse(io.out()) as { routingAccuracy: unknown };
    expect(report.routingAccuracy).toEqual({
      overall: { count: 2, of: 4, share: 0.5 },
      byCategory: [
        { category: 'bug_report', kept: { count: 1, of: 2, share: 0.5 } },
        { category: 'billing_issue', kept: { count: 1, of: 2, share: 0.5 } },
        { category: 'other', kept: { count: 0, of: 0, share: null } },
      ],
      pending: { routed: 1, recategorised: 0 },
    });
    const text = fakeIo({ env });
    expect(await runCli(['report', '--since', '30d', '--until', new Date(NOW).toISOString()], text)).toBe(0);
    expect(text.out()).toContain('Routing accuracy: routed tickets nobody re-categorised within 7 d');
    expect(text.out()).toMatch(/ {2}all\s+50\.0%\s+\(2\/4\)\n {2}category bug_report\s+50\.0%\s+\(1\/2\)\n {2}category billing_issue\s+50\.0%\s+\(1\/2\)\n {2}category other\s+-\s+\(0\/0\)\n/);
    expect(text.out()).toContain('not counted yet: 1 routed less than 7 d before the end of the window (0 of them already re-categorised)');
  });

  it('cxloop report over the last 7 days: no settled routing yet, and says how to see one', async () => {
    const io = fakeIo({ env });
    expect(await runCli(['report', '--since', '7d', '--until', new Date(NOW).toISOString()], io)).toBe(0);
    expect(io.out()).toMatch(/ {2}all\s+-\s+\(0\/0\)/);
    expect(io.out()).toContain('no routing in the window is 7 d old yet: a longer window (--since 30d) shows the figure');
  });

  it('/metrics: the routings of 37 to 7 days ago, computed again in the background once a refresh is due', async () => {
    const registry = new Registry();
    let now = NOW;
    let measured = 0;
    registerRoutingAccuracyMetrics(
      registry,
      () => {
        measured += 1;
        return measureRoutingAccuracy({ loops, corrections: tickets }, now);
      },
      { refreshMs: 300_000, now: () => now },
    );
    const text = await registry.metrics();
    expect(text).toContain('\ncxloop_routing_accuracy 0.5\n');
    expect(text).toContain('cxloop_routing_accuracy_by_category{category="bug_report"} 0.5');
    expect(text).toContain('cxloop_routing_accuracy_by_category{category="billing_issue"} 0.5');
    expect(text).not.toContain('cxloop_routing_accuracy_by_category{category="other"}');
    expect(text).toContain('cxloop_routing_accuracy_tickets{category="bug_report",outcome="kept"} 1');
    expect(text).toContain('cxloop_routing_accuracy_tickets{category="bug_report",outcome="recategorised"} 1');
    expect(text).toContain('cxloop_routing_accuracy_tickets{category="billing_issue",outcome="kept"} 1');
    expect(measured).toBe(1);
    // Ticket 1 is reassigned, 6 days after its routing; a scrape within the refresh still shows the figures computed before.
    clock = NOW - 14 * DAY;
    await applyLoopEvents(1, [{ type: 'reassign', user: 'U0ANA', category: 'other' }], 'reassign-1', deps);
    now = NOW + 60_000;
    expect(await registry.metrics()).toContain('\ncxloop_routing_accuracy 0.5\n');
    expect(measured).toBe(1);
    // Once the refresh is due, the scrape answers at once with the last figures and starts computing; a later scrape shows the new ones.
    now = NOW + 300_000;
    expect(await registry.metrics()).toContain('\ncxloop_routing_accuracy 0.5\n');
    await vi.waitFor(async () => expect(await registry.metrics()).toContain('\ncxloop_routing_accuracy 0.25\n'));
    expect(await registry.metrics()).toContain('cxloop_routing_accuracy_by_category{category="bug_report"} 0');
    expect(measured).toBe(2);
  });

  it('/metrics keeps the last figures while Redis cannot be read, and tries again at the next scrape', async () => {
    const registry = new Registry();
    let fail = false;
    let measured = 0;
    let now = NOW;
    registerRoutingAccuracyMetrics(
      registry,
      async () => {
        measured += 1;
        if (fail) throw new Error('Connection is closed.');
        return measureRoutingAccuracy({ loops, corrections: tickets }, NOW);
      },
      { refreshMs: 1_000, now: () => now },
    );
    const before = await registry.metrics();
    expect(before).toMatch(/\ncxloop_routing_accuracy 0\.\d+\n/);
    fail = true;
    now += 1_000;
    expect(await registry.metrics()).toBe(before);
    await vi.waitFor(() => expect(measured).toBe(2));
    // The failed computation is not kept: the next scrape tries again.
    fail = false;
    expect(await registry.metrics()).toBe(before);
    await vi.waitFor(() => expect(measured).toBe(3));
  });

  it('/metrics without any figure yet (Redis down from the start): NaN overall and no category series', async () => {
    const registry = new Registry();
    registerRoutingAccuracyMetrics(registry, async () => Promise.reject(new Error('Connection is closed.')), { refreshMs: 1_000, now: () => NOW });
    const text = await registry.metrics();
    // prom-client writes NaN as "Nan"; Prometheus reads either.
    expect(text).toMatch(/\ncxloop_routing_accuracy nan\n/i);
    expect(text).not.toContain('cxloop_routing_accuracy_by_category{');
  });
});
