import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedisKeys, deleteInstallKeys } from '../../../src/adapters/redis/redis-keys.js';
import { dayOf, RedisDashboardStore } from '../../../src/adapters/redis/redis-dashboard-store.js';
import { tallyOf } from '../../../src/core/loop/figure-tally.js';
import { readFigures } from '../../../src/app/dashboard/read-figures.js';
import { loopFigures } from '../../../src/core/loop/loop-figures.js';
import type { LoopHistoryEntry } from '../../../src/core/loop/loop-history.js';
import { summarizeLoop, undecidedUntil, type Reach } from '../../../src/core/loop/loop-summary.js';
import type { Stage } from '../../../src/core/loop/loop-types.js';
import type { OpenLoopRow } from '../../../src/core/loop/open-loop-row.js';
import { ZENDESK_TEST_SECRET } from '../../../src/adapters/zendesk/webhook-route.js';
import { parseEnv } from '../../../src/config/env-schema.js';
import { settle, startCxloop } from '../../../src/main.js';
import { recordedRedis } from '../../support/recorded-redis.js';
import { policyWithGroups, postSigned, REDIS_URL, silent, ticketEvent, uniquePrefix, waitFor } from '../../support/zendesk-fixtures.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-11-30T15:20:00Z');
const ALL = { teams: null, team: null, category: null, tier: null };

/** A small deterministic stream, so the loops are the same on every run. */
function stream(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Loops of every kind over six days: acknowledged fast or late or never, breached, solved, reopened, rated bad and followed up, reassigned, some still undecided at NOW. */
function histories(count: number): LoopHistoryEntry[][] {
  const next = stream(7);
  return Array.from({ length: count }, (_, index) => {
    const openedAt = NOW - 6 * DAY + Math.floor(next() * 6 * DAY);
    const teams = [['bug_report', 'engineering'], ['billing_issue', 'billing'], ['feature_request', 'product']] as const;
    const [category, team] = teams[index % 3]!;
    const tier = (['critical', 'high', 'normal'] as const)[Math.floor(next() * 3)]!;
    let version = 1;
    const entries: LoopHistoryEntry[] = [{ at: openedAt, version: version++, event: 'opened', stage: 'routed', category, tier, team }];
    const add = (after: number, event: string, stage: Stage, extra: Partial<LoopHistoryEntry> = {}): void => {
      const at = entries.at(-1)!.at + after;
      if (at <= NOW) entries.push({ ...entries.at(-1)!, at, version: version++, event, stage, ...extra });
    };
    if (next() < 0.4) add(2 * HOUR, 'timer:ack_breach', 'routed', { escalation: 1 });
    if (next() < 0.2) add(10 * 60_000, 'reassign', 'routed', { category: 'feature_request', team: 'product', actor: 'U0TEST001' });
    if (next() < 0.85) add(Math.floor(next() * 7 * HOUR), 'acknowledge', 'acknowledged', { actor: 'U0TEST001' });
    if (next() < 0.5) add(Math.floor(next() * 3 * HOUR), 'post_update', entries.at(-1)!.stage, { update: next() < 0.7 ? 'manual' : 'overdue' });
    if (next() < 0.3) add(HOUR, 'timer:resolve_breach', entries.at(-1)!.stage, { escalation: 2 });
    if (entries.at(-1)!.stage === 'acknowledged' && next() < 0.7) add(Math.floor(next() * 60 * HOUR), 'status:solved', 'acted');
    if (entries.at(-1)!.stage === 'acted' && next() < 0.3) add(Math.floor(next() * 30 * HOUR), next() < 0.5 ? 'csat:bad' : 'status:open', 'follow_up', { followUp: next() < 0.5 ? 'detractor' : 'reopened' });
    if (entries.at(-1)!.stage === 'follow_up' && next() < 0.6) add(Math.floor(next() * 60 * HOUR), 'acknowledge', 'acknowledged', { actor: 'U0TEST002' });
    return entries;
  });
}

describe('the dashboard read model in Redis: the figures from its tallies equal the report\'s from every history', () => {
  let redis: Redis;
  let prefix: string;
  let store: RedisDashboardStore;

  beforeEach(() => {
    redis = new Redis(REDIS_URL);
    prefix = uniquePrefix();
    store = new RedisDashboardStore(redis, createRedisKeys(prefix));
  });
  afterEach(async () => {
    await store.close();
    await deleteInstallKeys(redis, prefix);
    redis.disconnect();
  });

  /** Applies each loop's versions in a shuffled order: an older version arriving late changes nothing. */
  async function project(all: readonly LoopHistoryEntry[][]): Promise<void> {
    const next = stream(11);
    const steps = all.flatMap((history, index) => history.map((_, length) => ({ ticketId: 5000 + index, entries: history.slice(0, length + 1) })));
    for (let index = steps.length - 1; index > 0; index -= 1) {
      const other = Math.floor(next() * (index + 1));
      [steps[index], steps[other]] = [steps[other]!, steps[index]!];
    }
    for (const step of steps) {
      const summary = summarizeLoop(step.entries)!;
      await store.apply({ ticketId: step.ticketId, version: step.entries.at(-1)!.version, at: step.entries.at(-1)!.at, summary, row: null, effects: [] });
    }
  }

  it('gives the report\'s figures for windows that start and end within a day, whatever order the versions were applied in', async () => {
    const all = histories(120);
    await project(all);
    for (const since of [NOW - 7 * DAY, NOW - 3 * DAY - 5 * HOUR, NOW - 26 * HOUR, NOW - 3 * HOUR]) {
      const view = await readFigures(store, { since, until: NOW, now: NOW }, ALL);
      expect(view.figures, `since ${new Date(since).toISOString()}`).toEqual(loopFigures(all, { since, now: NOW }));
    }
    // A window that ends before now: the loops opened in it, as they stand now.
    const until = NOW - 2 * DAY - 7 * HOUR;
    const earlier = await readFigures(store, { since: NOW - 5 * DAY, until, now: NOW }, ALL);
    expect(earlier.figures).toEqual(loopFigures(all.filter((history) => history[0]!.at <= until), { since: NOW - 5 * DAY, now: NOW }));
    // Some loops' targets still wait on the clock: those are pending, not missed, in both.
    expect((await store.undecided(NOW)).length).toBeGreaterThan(0);
  });

  it('applies the contributions of many loops at once in a few script calls, to the same figures; one it cannot apply fails alone', async () => {
    const recorded = recordedRedis(redis);
    const grouped = new RedisDashboardStore(recorded.client, createRedisKeys(prefix));
    const all = histories(60);
    const steps = all.flatMap((history, index) => history.map((_, length) => ({ ticketId: 5000 + index, entries: history.slice(0, length + 1) })));
    // Ticket 4999's stored contribution is not JSON: the script fails on it, inside its group.
    const poisoned = summarizeLoop(all[0]!.slice(0, 1))!;
    await redis.hset(createRedisKeys(prefix).dashboardContributions(dayOf(poisoned.openedAt)), '4999', 'not json');
    const applied = await Promise.allSettled([
      grouped.apply({ ticketId: 4999, version: 2, at: poisoned.openedAt, summary: poisoned, row: null, effects: [] }),
      ...steps.map((step) => grouped.apply({ ticketId: step.ticketId, version: step.entries.at(-1)!.version, at: step.entries.at(-1)!.at, summary: summarizeLoop(step.entries)!, row: null, effects: [] })),
    ]);
    expect(applied[0]).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/^the dashboard projection failed: /) } });
    expect(applied.slice(1).map((result) => result.status === 'fulfilled' && result.value)).toEqual(steps.map(() => true));
    // Calls made at once go in groups of at most 64, one script call each.
    expect(recorded.scriptCalls()).toBe(Math.ceil(applied.length / 64));
    await redis.hdel(createRedisKeys(prefix).dashboardContributions(dayOf(poisoned.openedAt)), '4999');
    const view = await readFigures(grouped, { since: NOW - 7 * DAY, until: NOW, now: NOW }, ALL);
    expect(view.figures).toEqual(loopFigures(all, { since: NOW - 7 * DAY, now: NOW }));
    await grouped.close();
  });

  it('reads the contributions a version before this codec stored (JSON objects), and moves them on to the same figures', async () => {
    const all = histories(90);
    const keys = createRedisKeys(prefix);
    // Each loop's opening as main stored it: the object form, its summary in format 1, counted in the day's tally.
    for (const [index, history] of all.entries()) {
      const summary = summarizeLoop(history.slice(0, 1))!;
      const group = `${summary.category}|${summary.team}|${summary.tier}|`;
      const counters = Object.fromEntries(Object.entries(tallyOf(summary)).map(([field, count]) => [field.slice(group.length), count]));
      const reach = ({ deadline, reachedAt }: Reach) => [deadline - summary.openedAt, reachedAt === null ? null : reachedAt - summary.openedAt];
      const s = [1, summary.stage, reach(summary.acknowledgedWithin2h), reach(summary.acknowledgedWithin6h), reach(summary.closedWithin48h), summary.ackSla, summary.resolveSla, summary.firstUpdateSeconds, 0, 0, 0, 0, [], {}, 0, 0];
      const day = dayOf(summary.openedAt);
      await redis.hset(keys.dashboardContributions(day), String(5000 + index), JSON.stringify({ v: 1, o: summary.openedAt, g: group, c: counters, s }));
      for (const [counter, count] of Object.entries(counters)) await redis.hincrby(keys.dashboardDay(day), group + counter, count);
      await redis.zadd(keys.dashboardUndecided, undecidedUntil(summary)!, `${day}:${5000 + index}`);
    }
    const since = NOW - 7 * DAY;
    expect((await readFigures(store, { since, until: NOW, now: NOW }, ALL)).figures).toEqual(loopFigures(all.map((history) => history.slice(0, 1)), { since, now: NOW }));
    await project(all);
    expect((await readFigures(store, { since, until: NOW, now: NOW }, ALL)).figures).toEqual(loopFigures(all, { since, now: NOW }));
  });

  it('filters by team through the same tallies: a team\'s figures are those of its loops alone', async () => {
    const all = histories(90);
    await project(all);
    const since = NOW - 4 * DAY - 90 * 60_000;
    const view = await readFigures(store, { since, until: NOW, now: NOW }, { ...ALL, team: 'product' });
    expect(view.figures).toEqual(loopFigures(all.filter((history) => history.at(-1)!.team === 'product'), { since, now: NOW }));
    expect(view.byTeam.map((group) => group.key)).toEqual(['product']);
    const seen = await readFigures(store, { since, until: NOW, now: NOW }, { ...ALL, teams: ['billing'] });
    expect(seen.figures).toEqual(loopFigures(all.filter((history) => history.at(-1)!.team === 'billing'), { since, now: NOW }));
    // Routing accuracy: the reassigned loops are the corrections, counted under the category cxloop chose.
    const corrected = all.filter((history) => history.some((entry) => entry.event === 'reassign') && history[0]!.at >= NOW - 7 * DAY).length;
    const week = await readFigures(store, { since: NOW - 7 * DAY, until: NOW, now: NOW }, ALL);
    expect(week.routing.overall.of - week.routing.overall.count).toBe(corrected);
  });

  it('keeps the ticket page\'s effects log by the day the loop opened: the last 200 transitions\' effects, logs a version once, and still reads the per-ticket list written before', async () => {
    const keys = createRedisKeys(prefix);
    const opened = NOW - 3 * HOUR;
    const history = (versions: number): LoopHistoryEntry[] => Array.from({ length: versions }, (_, index) => ({ at: opened + index * 1000, version: index + 1, event: index === 0 ? 'opened' : 'post_update', stage: 'routed', category: 'bug_report', tier: 'normal', team: 'engineering' }));
    // Written by a process of the version before: one list per ticket.
    await redis.rpush(keys.dashboardEffects(77), JSON.stringify({ v: 0, at: opened - 1000, e: ['Zendesk: internal note'] }));
    for (let version = 1; version <= 205; version += 1) {
      const entries = history(version);
      await store.apply({ ticketId: 77, version, at: entries.at(-1)!.at, summary: summarizeLoop(entries)!, row: null, effects: [`Slack: status channel update ${version}`] });
    }
    // A version applied again (a projection retried) adds nothing.
    const entries = history(205);
    expect(await store.apply({ ticketId: 77, version: 205, at: entries.at(-1)!.at, summary: summarizeLoop(entries)!, row: null, effects: ['Slack: again'] })).toBe(false);
    const log = await store.effectsLog(77, opened);
    expect(log[0]).toEqual({ version: 0, at: opened - 1000, effects: ['Zendesk: internal note'] });
    expect(log.slice(1).map((entry) => entry.version)).toEqual(Array.from({ length: 200 }, (_, index) => index + 6));
    expect(log.at(-1)).toEqual({ version: 205, at: opened + 204_000, effects: ['Slack: status channel update 205'] });
    expect(await store.effectsLog(78, opened)).toEqual([]);
  });
});

describe('the open rows: each reader keeps them and re-reads only the rows that changed', () => {
  let redis: Redis;
  let prefix: string;
  let writer: RedisDashboardStore;
  let reader: RedisDashboardStore;
  /** The commands the reader's connection is asked for, by name. */
  let commands: string[];

  beforeEach(() => {
    redis = new Redis(REDIS_URL);
    prefix = uniquePrefix();
    writer = new RedisDashboardStore(redis, createRedisKeys(prefix));
    // Another process's store: its own connection, seen through a proxy that records each command.
    const recorded = recordedRedis(new Redis(REDIS_URL));
    commands = recorded.calls;
    reader = new RedisDashboardStore(recorded.client, createRedisKeys(prefix));
    commands.length = 0;
  });
  afterEach(async () => {
    await writer.close();
    await reader.close();
    await deleteInstallKeys(redis, prefix);
    redis.disconnect();
  });

  const summary = (ticketId: number, version: number) =>
    summarizeLoop([{ at: NOW - HOUR, version: 1, event: 'opened', stage: 'routed', category: 'bug_report', tier: 'normal', team: 'engineering' }, ...Array.from({ length: version - 1 }, (_, index) => ({ at: NOW - HOUR + (index + 1) * 60_000, version: index + 2, event: 'post_update', stage: 'acknowledged' as const, category: 'bug_report' as const, tier: 'normal' as const, team: 'engineering', update: 'manual' as const }))])!;
  const row = (ticketId: number, version: number): OpenLoopRow => ({ ticketId, version, stage: 'acknowledged', category: 'bug_report', team: 'engineering', tier: 'normal', owner: 'U0TEST001', openedAt: NOW - HOUR, due: { what: 'update', at: NOW + version * 60_000, breached: false }, breaches: [], escalationSteps: 0, snoozedUntil: null });
  const move = (ticketId: number, version: number, open = true) => writer.apply({ ticketId, version, at: NOW, summary: summary(ticketId, version), row: open ? row(ticketId, version) : null, effects: [] });
  const seen = async () => (await reader.openLoops()).map((each) => `${each.ticketId}@${each.version}`).sort();

  it('follows every change another process makes: a new row, a moved row, a closed loop', async () => {
    expect(await seen()).toEqual([]);
    await Promise.all([move(1, 1), move(2, 1), move(3, 1)]);
    expect(await seen()).toEqual(['1@1', '2@1', '3@1']);
    commands.length = 0;
    expect(await seen()).toEqual(['1@1', '2@1', '3@1']);
    // Nothing moved: one script call, no rows read.
    expect(commands).toEqual(['cxloopDashboardOpenSince']);
    await move(2, 2);
    await move(3, 2, false);
    expect(await seen()).toEqual(['1@1', '2@2']);
    // A version applied late changes nothing, and a row that is the same is no change.
    await move(2, 1);
    commands.length = 0;
    expect(await seen()).toEqual(['1@1', '2@2']);
    expect(commands).toEqual(['cxloopDashboardOpenSince']);
    // Five row changes in all (three new, one moved, one closed): the late version bumped nothing.
    expect(await redis.hget(`${prefix}:{dash}:open:log`, 'seq')).toBe('5');
    expect((await redis.lrange(`${prefix}:{dash}:open:changes`, 0, -1)).slice(-2)).toEqual(['4:2', '5:3']);
  });

  it('reads every row once when a request comes before the first read is done: it waits, then takes what changed since', async () => {
    await Promise.all([move(1, 1), move(2, 1)]);
    const [first, second] = await Promise.all([reader.openLoops(), reader.openLoops()]);
    expect(first.map((each) => each.ticketId).sort()).toEqual([1, 2]);
    expect(second.map((each) => each.ticketId).sort()).toEqual([1, 2]);
    expect(commands).toEqual(['multi', 'cxloopDashboardOpenSince']);
  });

  it('re-reads only the day tallies whose loops moved, and gives the same tallies as a store that reads them all', async () => {
    const days = [Math.floor(NOW / DAY) - 1, Math.floor(NOW / DAY)];
    const onDay = (ticketId: number, day: number, version: number) => {
      const opened = summarizeLoop([{ at: day * DAY + HOUR, version: 1, event: 'opened', stage: 'routed', category: 'bug_report', tier: 'normal', team: 'engineering' }, ...(version > 1 ? [{ at: day * DAY + 2 * HOUR, version: 2, event: 'acknowledge', stage: 'acknowledged' as const, category: 'bug_report' as const, tier: 'normal' as const, team: 'engineering', actor: 'U0TEST001' }] : [])])!;
      return writer.apply({ ticketId, version, at: day * DAY + 2 * HOUR, summary: opened, row: null, effects: [] });
    };
    await Promise.all([onDay(11, days[0]!, 1), onDay(12, days[0]!, 1), onDay(21, days[1]!, 1)]);
    const everything = () => new RedisDashboardStore(redis, createRedisKeys(prefix)).dayTallies(days);
    expect(await reader.dayTallies(days)).toEqual(await everything());
    commands.length = 0;
    expect(await reader.dayTallies(days)).toEqual(await everything());
    // Nothing moved: the versions only.
    expect(commands).toEqual(['hmget']);
    await onDay(12, days[0]!, 2);
    commands.length = 0;
    const [before, today] = await reader.dayTallies(days);
    expect([before, today]).toEqual(await everything());
    expect(before!['bug_report|engineering|normal|stage:acknowledged']).toBe(1);
    expect(commands).toEqual(['hmget', 'pipeline']);
  });

  it('reads every row again when it is too far behind, and after the keys were reset', async () => {
    await move(1, 1);
    expect(await seen()).toEqual(['1@1']);
    // More changes than a reader takes one by one (1,000): one full read.
    await Promise.all(Array.from({ length: 1_001 }, (_, index) => move(100 + index, 1)));
    commands.length = 0;
    expect(await seen()).toHaveLength(1_002);
    expect(commands).toEqual(['cxloopDashboardOpenSince', 'multi']);
    // The keys deleted and written again (a lower seq than the reader's): read again, not trusted.
    await deleteInstallKeys(redis, prefix);
    await move(7, 1);
    expect(await seen()).toEqual(['7@1']);
  });

  it('after an upgrade from the sorted set of changes: drops it, and starts the list at the seq it found, so a reader of that seq takes only what changed', async () => {
    // As the version before left them: seq 3, the changed set, nothing trimmed.
    await Promise.all([move(1, 1), move(2, 1)]);
    const keys = createRedisKeys(prefix);
    await redis.del(keys.dashboardOpenChanges);
    await redis.hdel(keys.dashboardOpenLog, 'listed');
    await redis.hset(keys.dashboardOpenLog, 'seq', 3, 'trimmed', 0);
    await redis.zadd(keys.dashboardOpenChangedSet, 1, '1', 3, '2');
    expect(await seen()).toEqual(['1@1', '2@1']);
    await move(2, 2);
    expect(await redis.exists(keys.dashboardOpenChangedSet)).toBe(0);
    expect(await redis.lrange(keys.dashboardOpenChanges, 0, -1)).toEqual(['4:2']);
    commands.length = 0;
    expect(await seen()).toEqual(['1@1', '2@2']);
    expect(commands).toEqual(['cxloopDashboardOpenSince']);
    await move(3, 1);
    commands.length = 0;
    expect(await seen()).toEqual(['1@1', '2@2', '3@1']);
    expect(commands).toEqual(['cxloopDashboardOpenSince']);
  });

  it('reads every row again when a change is missing from the list (a process of the version before bumped the seq alone)', async () => {
    await move(1, 1);
    expect(await seen()).toEqual(['1@1']);
    await redis.hincrby(`${prefix}:{dash}:open:log`, 'seq', 1);
    await move(2, 1);
    commands.length = 0;
    expect(await seen()).toEqual(['1@1', '2@1']);
    expect(commands).toEqual(['cxloopDashboardOpenSince', 'multi']);
  });

  it('keeps the last 5,000 changes: a reader behind the trimmed ones reads every row again, and gets them right', async () => {
    await move(1, 1);
    expect(await seen()).toEqual(['1@1']);
    await move(1, 2);
    for (let start = 0; start < 5_000; start += 500) await Promise.all(Array.from({ length: 500 }, (_, index) => move(10_000 + start + index, 1)));
    expect(await redis.llen(`${prefix}:{dash}:open:changes`)).toBe(5_000);
    expect(Number(await redis.hget(`${prefix}:{dash}:open:log`, 'listed'))).toBe(2);
    commands.length = 0;
    const rows = await seen();
    expect(commands).toEqual(['cxloopDashboardOpenSince', 'multi']);
    expect(rows).toHaveLength(5_001);
    expect(rows).toContain('1@2');
  }, 30_000);
});

describe('loops from before the dashboard (an upgrade)', () => {
  it('are projected once by the first web process that starts, to the same figures', async () => {
    const prefix = uniquePrefix();
    const redis = new Redis(REDIS_URL);
    const env = parseEnv({ REDIS_URL, PORT: '0', CXLOOP_REDIS_PREFIX: prefix, CXLOOP_DRY_RUN: 'true', CXLOOP_DRY_RUN_LOG: 'off' });
    if (!env.ok) throw new Error(JSON.stringify(env.problems));
    const clock = Date.parse('2026-11-23T09:00:00Z');
    const start = () => startCxloop({ env: env.env, policy: policyWithGroups(), logger: silent, host: '127.0.0.1', now: () => clock });
    try {
      let app = await start();
      for (const id of [3001, 3002, 3003]) {
        const body = ticketEvent('created', { id, subject: `Refund invoice ${id}`, description: 'I was charged twice, please refund the invoice.', status: 'new', created_at: new Date(clock).toISOString(), updated_at: new Date(clock).toISOString() });
        expect((await postSigned(app.http.url, body, { at: clock, secret: ZENDESK_TEST_SECRET })).status).toBe(200);
      }
      await settle(app, 15_000);
      const window = { since: clock - 7 * DAY, until: clock, now: clock };
      const before = await readFigures(app.dashboard, window, ALL);
      expect(before.figures.loops.opened).toBe(3);
      await app.stop();
      // The read model as an install without the dashboard has it: nothing.
      const keys = await redis.keys(`${prefix}:{dash}:*`);
      await redis.del(...keys, `${prefix}:dash:rebuilt`);
      app = await start();
      await waitFor(async () => (await redis.get(`${prefix}:dash:rebuilt`)) === 'done', 10_000, 'the rebuild');
      expect((await readFigures(app.dashboard, window, ALL)).figures).toEqual(before.figures);
      expect((await app.dashboard.openLoops()).map((row) => row.ticketId).sort()).toEqual([3001, 3002, 3003]);
      await app.stop();
    } finally {
      await deleteInstallKeys(redis, prefix);
      redis.disconnect();
    }
  }, 60_000);
});
