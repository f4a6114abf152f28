import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedisKeys, deleteInstallKeys, type RedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { RedisLoopStore } from '../../../src/adapters/redis/redis-loop-store.js';
import { loopPolicyFrom } from '../../../src/app/loop-policy.js';
import { historyEntryOf } from '../../../src/core/loop/loop-history.js';
import { TIMER_KINDS, type LoopState } from '../../../src/core/loop/loop-types.js';
import { openLoop, transition } from '../../../src/core/loop/transition.js';
import { policyWithGroups, REDIS_URL, uniquePrefix } from '../../support/zendesk-fixtures.js';

const policy = loopPolicyFrom(policyWithGroups());
const T0 = Date.parse('2026-11-23T09:00:00Z');
const HOUR = 3_600_000;

/** A state in format 2, as main wrote it: every point in time after the opening, the ticket id in it. */
function format2(state: LoopState): string {
  const after = (time: number | null) => (time === null ? null : time - state.openedAt);
  const clock = (sla: LoopState['ack']) => [sla.targetMs, sla.usedMs, after(sla.runningSince)];
  return JSON.stringify([2, state.ticketId, state.version, state.stage, state.category, state.tier, state.team, state.owner, state.openedAt, state.zendeskStatus, clock(state.ack), clock(state.resolve), clock(state.update), after(state.lastUpdateAt), after(state.solvedAt), state.escalation.step, after(state.escalation.breachAt), state.updateStep, state.resolveBreached ? 1 : 0, after(state.snoozedUntil), TIMER_KINDS.map((kind) => after(state.timers[kind] ?? null)), state.reopens, state.csat]);
}

describe('a loop stored by the version before (state format 2, history entries as objects)', () => {
  let redis: Redis;
  let prefix: string;
  let keys: RedisKeys;

  beforeEach(() => {
    redis = new Redis(REDIS_URL);
    prefix = uniquePrefix();
    keys = createRedisKeys(prefix);
  });
  afterEach(async () => {
    await deleteInstallKeys(redis, prefix);
    redis.disconnect();
  });

  it('is read, moves on, and its history reads as one with the entries written since', async () => {
    const opened = openLoop({ ticketId: 4242, category: 'billing_issue', tier: 'high', zendeskStatus: 'new' }, T0, policy);
    if (!opened.ok) throw new Error(opened.reason);
    const entry = historyEntryOf('opened', opened.state, opened.effects, T0);
    await redis.set(keys.loop(4242), `0:open-4242\n${format2(opened.state)}`);
    await redis.rpush(keys.loopHistory(4242), JSON.stringify({ a: entry.at, v: entry.version, e: entry.event, s: entry.stage, c: entry.category, t: entry.tier, m: entry.team }));
    const store = new RedisLoopStore(redis, keys, 0);
    expect(await store.get(4242)).toEqual({ state: opened.state, eventKeys: ['open-4242'] });
    // The history as a list, as releases before the history string kept it.
    expect(await store.history(4242)).toEqual([entry]);
    expect(await store.histories([4242, 4243])).toEqual([[entry], []]);

    const acknowledged = transition(opened.state, { type: 'acknowledge', user: 'U1' }, T0 + HOUR, policy);
    if (!acknowledged.ok) throw new Error(acknowledged.reason);
    const next = historyEntryOf({ type: 'acknowledge', user: 'U1' }, acknowledged.state, acknowledged.effects, T0 + HOUR);
    expect(await store.commit({ state: acknowledged.state, entry: next, eventKey: 'slack-1', eventKeys: ['slack-1', 'zen-1'], effects: [] })).toEqual({ committed: true, leftover: [], history: [entry, next] });
    expect(await store.get(4242)).toEqual({ state: acknowledged.state, eventKeys: ['slack-1', 'zen-1'] });
    // The commit made the list a string, an entry per line, with the list's time to live.
    expect(await redis.type(keys.loopHistory(4242))).toBe('string');
    expect(await redis.ttl(keys.loopHistory(4242))).toBeGreaterThan(89 * 86_400);
    expect(await store.history(4242)).toEqual([entry, next]);
    expect(await store.histories([4242])).toEqual([[entry, next]]);
  });

  it('keeps a history to its most entries, dropping the oldest, and answers each commit with the history as it left it', async () => {
    const store = new RedisLoopStore(redis, keys, 0, 3);
    const opened = openLoop({ ticketId: 77, category: 'bug_report', tier: 'normal', zendeskStatus: 'new' }, T0, policy);
    if (!opened.ok) throw new Error(opened.reason);
    let state = opened.state;
    const entries = [historyEntryOf('opened', state, opened.effects, T0)];
    expect(await store.commit({ state, entry: entries[0]!, eventKey: 'open-77', eventKeys: ['open-77'], effects: [] })).toEqual({ committed: true, leftover: [], history: entries });
    for (let step = 1; step <= 4; step += 1) {
      state = { ...state, version: state.version + 1 };
      const entry = { ...entries[0]!, at: T0 + step * HOUR, version: state.version, event: 'post_update' };
      entries.push(entry);
      const committed = await store.commit({ state, entry, eventKey: `update-${step}`, eventKeys: [`update-${step}`], effects: [] });
      expect(committed).toEqual({ committed: true, leftover: [], history: entries.slice(-3) });
    }
    expect((await store.history(77)).map((entry) => entry.version)).toEqual([2, 3, 4]);
    // A stale commit changes nothing and answers without a history.
    expect(await store.commit({ state: { ...state, version: 2 }, entry: entries[2]!, eventKey: 'late', eventKeys: ['late'], effects: [] })).toEqual({ committed: false });
    expect((await store.history(77)).map((entry) => entry.version)).toEqual([2, 3, 4]);
  });
});
