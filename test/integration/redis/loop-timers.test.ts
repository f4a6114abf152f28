import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoopTimerPoller } from '../../../src/adapters/queue/loop-timer-poller.js';
import { createRedisKeys, type RedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { RedisLoopStore } from '../../../src/adapters/redis/redis-loop-store.js';
import { RedisLoopTimers } from '../../../src/adapters/redis/redis-loop-timers.js';
import { loopPolicyFrom } from '../../../src/app/loop-policy.js';
import { NO_JOB_METRICS, NO_LOOP_METRICS, type LoopMetrics, type LoopTimer, type PendingEffects } from '../../../src/app/ports.js';
import { nextTimer, openTicketLoop, timerKey, type LoopDeps } from '../../../src/app/run-loop.js';
import { recordedRedis } from '../../support/recorded-redis.js';
import { dropPrefix, policyWithGroups, REDIS_URL, silent, uniquePrefix, waitFor } from '../../support/zendesk-fixtures.js';

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const at = (ticketId: number, kind: LoopTimer['kind'], due: number) => ({ key: timerKey(ticketId, { kind, at: due }), ticketId, timer: { kind, at: due } });

/** The timer schedule on the real Redis: what schedule, claim, lease and ack leave there. */
describe('RedisLoopTimers', () => {
  let prefix: string;
  let keys: RedisKeys;
  const connections: Redis[] = [];
  const connect = () => {
    const redis = new Redis(REDIS_URL);
    connections.push(redis);
    return redis;
  };
  let timers: RedisLoopTimers;

  beforeEach(() => {
    prefix = uniquePrefix();
    keys = createRedisKeys(prefix);
    timers = new RedisLoopTimers(connect(), keys);
  });
  afterEach(async () => {
    await dropPrefix(prefix);
  });
  afterAll(() => {
    for (const redis of connections) redis.disconnect();
  });

  it('keeps one member per timer, earliest first: scheduling twice is a no-op, cancel removes it', async () => {
    await timers.schedule(7, { kind: 'ack_breach', at: T0 + 2_000 });
    await timers.schedule(8, { kind: 'ack_remind', at: T0 + 1_000 });
    await timers.schedule(7, { kind: 'ack_breach', at: T0 + 2_000 });
    expect(await timers.scheduled()).toEqual([at(8, 'ack_remind', T0 + 1_000), at(7, 'ack_breach', T0 + 2_000)]);
    await timers.cancel(8, { kind: 'ack_remind', at: T0 + 1_000 });
    await timers.cancel(9, { kind: 'ack_remind', at: T0 });
    expect(await timers.scheduled()).toEqual([at(7, 'ack_breach', T0 + 2_000)]);
    // Per loop: one small member of one set.
    expect(await connections[0]!.zrange(keys.timersDue, '0', '-1', 'WITHSCORES')).toEqual([timerKey(7, { kind: 'ack_breach', at: T0 + 2_000 }), String(T0 + 2_000)]);
  });

  it('claims only what is due, earliest first and at most a batch, leases it, and drops it once acknowledged', async () => {
    for (let ticketId = 1; ticketId <= 5; ticketId += 1) await timers.schedule(ticketId, { kind: 'ack_remind', at: T0 + ticketId * 1_000 });
    const first = await timers.claim(T0 + 3_000, 2, 30_000);
    expect(first).toEqual({ timers: [at(1, 'ack_remind', T0 + 1_000), at(2, 'ack_remind', T0 + 2_000)], unreadable: [], nextDueAt: T0 + 3_000 });
    const second = await timers.claim(T0 + 3_000, 10, 30_000);
    expect(second.timers).toEqual([at(3, 'ack_remind', T0 + 3_000)]);
    expect(second.nextDueAt).toBe(T0 + 4_000);
    // Held under a lease: nobody claims them again; still unfired until acknowledged.
    expect((await timers.claim(T0 + 3_000, 10, 30_000)).timers).toEqual([]);
    expect(await timers.unfired(T0 + 3_000)).toBe(3);
    expect(await timers.unfired(T0 + 10_000)).toBe(5);
    await timers.ack([...first.timers, ...second.timers].map((timer) => timer.key));
    expect(await timers.unfired(T0 + 3_000)).toBe(0);
    expect(await connections[0]!.zcard(keys.timersClaimed)).toBe(0);
    expect((await timers.scheduled()).map((timer) => timer.ticketId)).toEqual([4, 5]);
  });

  it('gives the timers of a claimer that died to the next claim, before newer ones, and keeps a renewed claim', async () => {
    for (let ticketId = 1; ticketId <= 4; ticketId += 1) await timers.schedule(ticketId, { kind: 'escalate', at: T0 + ticketId });
    // A claimer takes two and dies: its lease (0 ms here) has ended by the next claim.
    const dead = await timers.claim(T0 + 10, 2, 0);
    expect(dead.timers.map((timer) => timer.ticketId)).toEqual([1, 2]);
    const other = new RedisLoopTimers(connect(), keys);
    const next = await other.claim(T0 + 10, 3, 30_000);
    expect(next.timers.map((timer) => timer.ticketId)).toEqual([1, 2, 3]);
    // A claim renewed before its lease ends stays with its claimer.
    const renewed = await other.claim(T0 + 10, 1, 0);
    expect(renewed.timers.map((timer) => timer.ticketId)).toEqual([4]);
    expect(await other.extend([renewed.timers[0]!.key, 'not-claimed'], 30_000)).toBe(1);
    expect((await timers.claim(T0 + 10, 10, 30_000)).timers).toEqual([]);
    expect(await timers.unfired(T0 + 10)).toBe(4);
  });

  it('hands back members that are no timer key as unreadable, apart from the timers', async () => {
    await timers.schedule(5, { kind: 'verify_end', at: T0 });
    await connections[0]!.zadd(keys.timersDue, T0, 'written-by-something-else');
    const claim = await timers.claim(T0, 10, 30_000);
    expect(claim.timers).toEqual([at(5, 'verify_end', T0)]);
    expect(claim.unreadable).toEqual(['written-by-something-else']);
    expect(claim.nextDueAt).toBeNull();
  });

  it('never gives one timer to two claimers claiming at once', async () => {
    const count = 2_000;
    await Promise.all(Array.from({ length: count }, (_, index) => timers.schedule(100 + index, { kind: 'ack_remind', at: T0 + (index % 50) })));
    const claimers = Array.from({ length: 4 }, () => new RedisLoopTimers(connect(), keys));
    const taken = await Promise.all(
      claimers.map(async (claimer) => {
        const mine: string[] = [];
        for (;;) {
          const claim = await claimer.claim(T0 + 50, 37, 30_000);
          if (claim.timers.length === 0) return mine;
          mine.push(...claim.timers.map((timer) => timer.key));
        }
      }),
    );
    const all = taken.flat();
    expect(taken.every((mine) => mine.length > 0)).toBe(true);
    expect(all).toHaveLength(count);
    expect(new Set(all).size).toBe(count);
  });
});

/** Pollers firing real loops' timers (RedisLoopStore, the real transition), several at once, one dying. */
describe('LoopTimerPoller', () => {
  let prefix: string;
  let keys: RedisKeys;
  const connections: Redis[] = [];
  const pollers: LoopTimerPoller[] = [];
  const policy = loopPolicyFrom(policyWithGroups());
  let clock: number;
  let effects: PendingEffects[];
  let outcomes: string[];

  const connect = () => {
    const redis = new Redis(REDIS_URL);
    connections.push(redis);
    return redis;
  };
  const metrics: LoopMetrics = { ...NO_LOOP_METRICS, transition: (event, outcome) => void outcomes.push(`${event} ${outcome}`) };
  /** One process's view: its own connection, store and timer schedule. */
  const processDeps = (): LoopDeps & { timers: RedisLoopTimers; redis: Redis } => {
    const redis = connect();
    return {
      redis,
      store: new RedisLoopStore(redis, keys, 0),
      timers: new RedisLoopTimers(redis, keys),
      effects: { enqueue: async (pending) => void effects.push(pending) },
      policy,
      metrics,
      logger: silent,
      now: () => clock,
    };
  };
  const poller = (deps: LoopDeps & { timers: RedisLoopTimers }, options: { retries?: { retry: (ticketId: number, timer: LoopTimer) => Promise<void> }; batch?: number } = {}) => {
    const created = new LoopTimerPoller({ timers: deps.timers, retries: options.retries ?? { retry: async () => undefined }, loop: deps, jobs: NO_JOB_METRICS, logger: silent, live: false, ...(options.batch ? { batch: options.batch } : {}) });
    pollers.push(created);
    return created;
  };
  /** Opens `count` feature_request loops at T0; returns when their first timer (ack_remind) is due. */
  async function openLoops(deps: LoopDeps, first: number, count: number): Promise<number> {
    await Promise.all(Array.from({ length: count }, (_, index) => openTicketLoop({ ticketId: first + index, category: 'feature_request', tier: 'normal', zendeskStatus: 'new' }, deps)));
    const due = (await deps.store.get(first))!.state.timers.ack_remind;
    if (due === undefined) throw new Error('feature_request loops have no ack_remind timer in the test policy');
    return due;
  }
  /** The same process, its loop store failing to read the tickets `fails` names. */
  const failingReads = <D extends LoopDeps>(deps: D, fails: (ticketId: number) => boolean): D => ({
    ...deps,
    store: {
      get: (ticketId: number) => (fails(ticketId) ? Promise.reject(new Error('redis went away')) : deps.store.get(ticketId)),
      commit: (commit: Parameters<LoopDeps['store']['commit']>[0]) => deps.store.commit(commit),
      parkedEffects: (ticketId: number) => deps.store.parkedEffects(ticketId),
      clearOutbox: (ticketId: number, version: number) => deps.store.clearOutbox(ticketId, version),
      history: (ticketId: number) => deps.store.history(ticketId),
    },
  });
  const reminders = () => effects.flatMap((pending) => pending.effects.filter((effect) => effect.type === 'remind_owner').map(() => pending.ticketId));

  beforeEach(() => {
    prefix = uniquePrefix();
    keys = createRedisKeys(prefix);
    clock = T0;
    effects = [];
    outcomes = [];
  });
  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((running) => running.stop()));
    await dropPrefix(prefix);
  });
  afterAll(() => {
    for (const redis of connections) redis.disconnect();
  });

  it('on an injected clock fires nothing until released, then each due timer once, and schedules the next', async () => {
    const deps = processDeps();
    const due = await openLoops(deps, 500, 3);
    const running = poller(deps);
    running.start();
    clock = due;
    expect(await running.step()).toBeGreaterThan(0);
    expect(await deps.timers.unfired(running.horizon())).toBe(0);
    expect(reminders()).toEqual([]);
    running.release(clock);
    await waitFor(async () => (await deps.timers.unfired(clock)) === 0 && reminders().length === 3, 10_000, 'the three reminders');
    expect(reminders().sort()).toEqual([500, 501, 502]);
    expect(outcomes.filter((outcome) => outcome.startsWith('timer:'))).toEqual(['timer:ack_remind applied', 'timer:ack_remind applied', 'timer:ack_remind applied']);
    // The next timer of each loop waits in the schedule, and only that one.
    const next = nextTimer((await deps.store.get(500))!.state.timers)!;
    expect(next.at).toBeGreaterThan(due);
    expect((await deps.timers.scheduled()).map((timer) => timer.key).sort()).toEqual([500, 501, 502].map((id) => timerKey(id, next)).sort());
  });

  it('live and idle, waits for the first timer instead of polling, and wakes for one its process schedules sooner', async () => {
    const live = { ...processDeps(), now: () => Date.now() };
    const recorded = recordedRedis(live.redis);
    const timers = new RedisLoopTimers(recorded.client, keys);
    // An idle wait far longer than the test: only the wake-up can fire the timer in time.
    const running = new LoopTimerPoller({ timers, retries: { retry: async () => undefined }, loop: { ...live, timers }, jobs: NO_JOB_METRICS, logger: silent, live: true, idleMs: 600_000 });
    pollers.push(running);
    running.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(recorded.calls.filter((name) => name === 'cxloopTimerClaim')).toHaveLength(1); // one look, then a wait (at 100 ms polls: three)
    await openTicketLoop({ ticketId: 900, category: 'feature_request', tier: 'normal', zendeskStatus: 'new' }, { ...live, timers });
    const timer = { kind: 'ack_remind' as const, at: Date.now() + 200 };
    await timers.schedule(901, timer);
    await waitFor(async () => !(await timers.scheduled()).some((each) => each.key === timerKey(901, timer)) && (await timers.unfired(Date.now())) === 0, 5_000, 'the timer scheduled soon to fire');
    // A timer due later than the poller's wait wakes nobody: ticket 900's reminder is days away.
    expect((await timers.scheduled()).map((each) => each.ticketId)).toEqual([900]);
  });

  it('with two processes polling at once, fires every timer exactly once', async () => {
    const one = processDeps();
    const two = processDeps();
    const count = 400;
    const due = await openLoops(one, 1_000, count);
    clock = due;
    const pollersOf = [poller(one, { batch: 25 }), poller(two, { batch: 25 })];
    for (const running of pollersOf) {
      running.release(clock);
      running.start();
    }
    await waitFor(async () => (await one.timers.unfired(clock)) === 0 && reminders().length >= count, 30_000, 'every reminder');
    await Promise.all(pollersOf.map((running) => running.stop()));
    const fired = outcomes.filter((outcome) => outcome.startsWith('timer:'));
    expect(fired).toHaveLength(count);
    expect(new Set(fired)).toEqual(new Set(['timer:ack_remind applied']));
    expect(new Set(reminders()).size).toBe(count);
    expect(reminders()).toHaveLength(count);
  });

  it('fires again, once, the timers a process claimed before it died', async () => {
    const deps = processDeps();
    const due = await openLoops(deps, 2_000, 20);
    clock = due;
    // The dying process: its claim is taken (a lease of 0 ms, over by the next claim) and never fired nor acknowledged.
    expect((await new RedisLoopTimers(connect(), keys).claim(clock, 12, 0)).timers).toHaveLength(12);
    const survivor = poller(processDeps());
    survivor.release(clock);
    survivor.start();
    await waitFor(async () => (await deps.timers.unfired(clock)) === 0 && reminders().length === 20, 10_000, 'all 20 reminders');
    expect(new Set(reminders()).size).toBe(20);
    expect(outcomes.filter((outcome) => outcome === 'timer:ack_remind applied')).toHaveLength(20);
  });

  it('hands a firing that failed to the timers queue and acknowledges it; one it cannot hand over stays claimed', async () => {
    const deps = processDeps();
    const due = await openLoops(deps, 3_000, 2);
    clock = due;
    const failing = failingReads(deps, (ticketId) => ticketId === 3_000);
    const retried: string[] = [];
    const running = poller(failing, { retries: { retry: async (ticketId, timer) => void retried.push(timerKey(ticketId, timer)) } });
    running.release(clock);
    expect(await running.step()).toBe(0);
    expect(retried).toEqual([timerKey(3_000, { kind: 'ack_remind', at: due })]);
    expect(reminders()).toEqual([3_001]);
    expect(await deps.timers.unfired(clock)).toBe(0);

    clock = T0;
    await openLoops(deps, 3_100, 1);
    clock = due;
    const noQueue = poller(failingReads(deps, () => true), { retries: { retry: async () => Promise.reject(new Error('queue unreachable')) } });
    noQueue.release(clock);
    await noQueue.step();
    // Not acknowledged: claimed until its lease ends, then fired again.
    expect(await deps.timers.unfired(clock)).toBe(1);
    expect(await deps.redis.zcard(keys.timersClaimed)).toBe(1);
  });
});
