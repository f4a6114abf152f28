import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHistoryEntry, decodeLoopState, encodeHistoryEntry, encodeLoopState } from '../../../src/adapters/redis/loop-codec.js';
import { parseTimerKey, timerKey } from '../../../src/app/run-loop.js';
import { loopPolicyFrom } from '../../../src/app/loop-policy.js';
import { historyEntryOf } from '../../../src/core/loop/loop-history.js';
import { TIMER_KINDS, type LoopState } from '../../../src/core/loop/loop-types.js';
import { openLoop, transition } from '../../../src/core/loop/transition.js';
import { sampleLoopEvents } from '../../support/loop-fixtures.js';
import { policyWithGroups } from '../../support/zendesk-fixtures.js';

const policy = loopPolicyFrom(policyWithGroups());
const T0 = Date.parse('2026-11-23T09:00:00Z');
const HOUR = 3_600_000;

const events = sampleLoopEvents(T0);

function accepted(result: ReturnType<typeof openLoop>): LoopState {
  if (!result.ok) throw new Error(result.reason);
  return result.state;
}

describe('compact wire forms of loops (Redis)', () => {
  it('decodes every state a sequence of events produces to the same state', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...events), { maxLength: 12 }), fc.array(fc.integer({ min: 0, max: 30 * HOUR }), { minLength: 12, maxLength: 12 }), (sequence, gaps) => {
        const opened = openLoop({ ticketId: 123_456_789, category: 'billing_issue', tier: 'high', zendeskStatus: 'new' }, T0, policy);
        if (!opened.ok) throw new Error(opened.reason);
        let state: LoopState = opened.state;
        let now = T0;
        sequence.forEach((event, index) => {
          now += gaps[index]!;
          const next = transition(state, event, now, policy);
          if (!next.ok) return;
          state = next.state;
          const entry = historyEntryOf(event, state, next.effects, now);
          expect(decodeHistoryEntry(encodeHistoryEntry(entry))).toEqual(entry);
        });
        expect(decodeLoopState(encodeLoopState(state), state.ticketId)).toEqual(state);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps a routed loop under 140 bytes (230 in format 2) and its opening entry under 90, and refuses a state format it does not know', () => {
    const opened = openLoop({ ticketId: 123_456_789, category: 'sentiment_experience', tier: 'critical', zendeskStatus: 'new' }, T0, policy);
    if (!opened.ok) throw new Error(opened.reason);
    expect(encodeLoopState(opened.state).length).toBeLessThan(140);
    expect(encodeHistoryEntry(historyEntryOf('opened', opened.state, opened.effects, T0)).length).toBeLessThan(90);
    expect(() => decodeLoopState('[4,1]', 1)).toThrow('unknown loop state format 4');
  });

  it('still reads formats 2 and 1 (every point in time after the opening, or absolute) and history entries as objects, as main stored them', () => {
    const acknowledged = transition(accepted(openLoop({ ticketId: 42, category: 'billing_issue', tier: 'high', zendeskStatus: 'open' }, T0, policy)), { type: 'acknowledge', user: 'U1' }, T0 + HOUR, policy);
    if (!acknowledged.ok) throw new Error(acknowledged.reason);
    const state = acknowledged.state;
    const after = (time: number | null) => (time === null ? null : time - state.openedAt);
    const clock = (sla: LoopState['ack']) => [sla.targetMs, sla.usedMs, after(sla.runningSince)];
    const format2 = [2, state.ticketId, state.version, state.stage, state.category, state.tier, state.team, state.owner, state.openedAt, state.zendeskStatus, clock(state.ack), clock(state.resolve), clock(state.update), after(state.lastUpdateAt), after(state.solvedAt), state.escalation.step, after(state.escalation.breachAt), state.updateStep, state.resolveBreached ? 1 : 0, after(state.snoozedUntil), TIMER_KINDS.map((kind) => after(state.timers[kind] ?? null)), state.reopens, state.csat];
    expect(decodeLoopState(JSON.stringify(format2), 42)).toEqual(state);
    expect(() => decodeLoopState(JSON.stringify(format2), 43)).toThrow('stored state belongs to ticket 42');
    const absolute = (value: unknown): unknown => (typeof value === 'number' ? value + state.openedAt : value);
    const absoluteClock = (value: unknown): unknown => (Array.isArray(value) ? [value[0], value[1], absolute(value[2])] : value);
    const format1 = format2.map((value, index) => {
      if (index === 0) return 1;
      if (index >= 10 && index <= 12) return absoluteClock(value);
      if ([13, 14, 16, 19].includes(index)) return absolute(value);
      if (index === 20) return (value as unknown[]).map(absolute);
      return value;
    });
    expect(decodeLoopState(JSON.stringify(format1), 42)).toEqual(state);
    const entry = historyEntryOf({ type: 'acknowledge', user: 'U1' }, state, [], T0 + HOUR);
    expect(decodeHistoryEntry(JSON.stringify({ a: entry.at, v: entry.version, e: entry.event, o: entry.actor, s: entry.stage, c: entry.category, t: entry.tier, m: entry.team }))).toEqual(entry);
    expect(decodeHistoryEntry(JSON.stringify({ a: T0, v: 3, e: 'timer:ack_breach', s: 'routed', c: 'billing_issue', t: 'high', m: 'billing', x: 1 }))).toEqual({ at: T0, version: 3, event: 'timer:ack_breach', stage: 'routed', category: 'billing_issue', tier: 'high', team: 'billing', escalation: 1 });
  });
});

describe('timer keys (the ids of timer jobs)', () => {
  it('read back as the ticket, kind and due time they name, within 64 bytes of job options', () => {
    for (const kind of TIMER_KINDS) {
      const timer = { kind, at: T0 + 72 * HOUR };
      const key = timerKey(987_654_321, timer);
      expect(parseTimerKey(key)).toEqual({ ticketId: 987_654_321, timer });
      expect(JSON.stringify({ jobId: key, delay: 259_200_000, attempts: 10 }).length).toBeLessThanOrEqual(64);
    }
    expect(timerKey(1, { kind: 'verify_end', at: 1.5 })).toBe('t-1-ve-2');
    expect(parseTimerKey('route-12')).toBeNull();
    expect(parseTimerKey('t-1-zz-2')).toBeNull();
  });
});
