import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeContribution, decodeEffectsLine, decodeOpenRow, decodeSummary, encodeContribution, encodeEffectsLine, encodeOpenRow, encodeSummary } from '../../../src/adapters/redis/dashboard-codec.js';
import { loopPolicyFrom } from '../../../src/app/loop-policy.js';
import { historyEntryOf, type LoopHistoryEntry } from '../../../src/core/loop/loop-history.js';
import { summarizeLoop, type LoopSummary } from '../../../src/core/loop/loop-summary.js';
import { openLoopRow } from '../../../src/core/loop/open-loop-row.js';
import type { LoopEvent, LoopState, TimerKind } from '../../../src/core/loop/loop-types.js';
import { openLoop, transition } from '../../../src/core/loop/transition.js';
import { sampleLoopEvents } from '../../support/loop-fixtures.js';
import { policyWithGroups } from '../../support/zendesk-fixtures.js';

const policy = loopPolicyFrom(policyWithGroups());
const T0 = Date.parse('2026-11-23T09:00:00Z');
const HOUR = 3_600_000;
/** When T0's day began (the day a contribution's key names). */
const DAY_START = Date.parse('2026-11-23T00:00:00Z');

const events = sampleLoopEvents(T0);
/** In a sequence: fire the loop's earliest pending timer (breaches, escalations, the verify window). */
const FIRE = 'fire' as const;

/** The stored contribution's own fields beside the summary: opening time and group. */
const group = (summary: LoopSummary) => `${summary.category}|${summary.team}|${summary.tier}|`;

function accepted(result: ReturnType<typeof openLoop>): LoopState {
  if (!result.ok) throw new Error(result.reason);
  return result.state;
}

function earliestTimer(state: LoopState): LoopEvent | null {
  const [kind, dueAt] = (Object.entries(state.timers) as [TimerKind, number][]).sort((a, b) => a[1] - b[1])[0] ?? [];
  return kind === undefined || dueAt === undefined ? null : { type: 'timer', kind, dueAt };
}

describe('compact wire forms of the dashboard read model (Redis)', () => {
  it('decodes every summary and open row a sequence of events produces to the same values', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<LoopEvent | typeof FIRE>(...events, FIRE, FIRE), { maxLength: 12 }), fc.array(fc.integer({ min: 0, max: 30 * HOUR }), { minLength: 12, maxLength: 12 }), (sequence, gaps) => {
        const opened = openLoop({ ticketId: 123_456_789, category: 'billing_issue', tier: 'high', zendeskStatus: 'new' }, T0, policy);
        if (!opened.ok) throw new Error(opened.reason);
        let state: LoopState = opened.state;
        let now = T0;
        const entries: LoopHistoryEntry[] = [historyEntryOf('opened', state, opened.effects, now)];
        const check = () => {
          const summary = summarizeLoop(entries)!;
          expect(decodeSummary(JSON.parse(JSON.stringify(encodeSummary(summary))) as ReturnType<typeof encodeSummary>, summary.openedAt, group(summary))).toEqual(summary);
          const row = openLoopRow(state);
          if (row !== null) expect(decodeOpenRow(String(row.ticketId), encodeOpenRow(row))).toEqual(row);
        };
        check();
        sequence.forEach((step, index) => {
          now += gaps[index]!;
          const event = step === FIRE ? earliestTimer(state) : step;
          if (event === null) return;
          now = Math.max(now, event.type === 'timer' ? event.dueAt : now);
          const next = transition(state, event, now, policy);
          if (!next.ok) return;
          state = next.state;
          entries.push(historyEntryOf(event, state, next.effects, now));
          check();
        });
      }),
      { numRuns: 200 },
    );
  });

  it('keeps a routed loop\'s contribution, row and effects line small', () => {
    const opened = openLoop({ ticketId: 123_456_789, category: 'sentiment_experience', tier: 'critical', zendeskStatus: 'new' }, T0, policy);
    if (!opened.ok) throw new Error(opened.reason);
    const summary = summarizeLoop([historyEntryOf('opened', opened.state, opened.effects, T0)])!;
    const row = openLoopRow(opened.state)!;
    const counters = { loops: 1, 'stage:routed': 1, 'a2:open': 1, 'a6:open': 1, 'c48:open': 1, 'from:sentiment_experience': 1 };
    // As objects: about 600, 330 and 95 bytes.
    expect(JSON.stringify(encodeSummary(summary))).toBe('[2,"routed"]');
    expect(encodeContribution({ version: 0, openedAt: T0, group: group(summary), counters }, summary, DAY_START).length).toBeLessThan(150);
    expect(encodeOpenRow(row).length).toBeLessThan(120);
    expect(encodeEffectsLine({ version: 0, at: T0, effects: ['Slack: status channel update by cxloop with a revised ETA'] }, DAY_START)).toBe(`[0,${T0 - DAY_START},1]`);
    expect(() => decodeOpenRow('1', '[3]')).toThrow('dashboard row of unknown format 3');
    expect(() => decodeSummary([3, 'routed'] as unknown as ReturnType<typeof encodeSummary>, T0, group(summary))).toThrow('dashboard summary of unknown format 3');
  });

  it('reads contributions and effects lines back, counts of 1 or more, labels coded or written out', () => {
    const summary = summarizeLoop([historyEntryOf('opened', accepted(openLoop({ ticketId: 7, category: 'billing_issue', tier: 'high', zendeskStatus: 'new' }, T0, policy)), [], T0)])!;
    const counters = { loops: 1, manual: 3, 'esc:2': 2, 'from:billing_issue': 1 };
    const stored = encodeContribution({ version: 4, openedAt: T0, group: group(summary), counters }, summary, DAY_START);
    expect(decodeContribution(stored, DAY_START)).toEqual({ version: 4, openedAt: T0, group: group(summary), counters, summary });
    expect(decodeContribution(encodeContribution({ version: 5, openedAt: T0, group: group(summary), counters: {} }, null, DAY_START), DAY_START)).toEqual({ version: 5, openedAt: T0, group: group(summary), counters: {}, summary: null });
    expect(() => encodeContribution({ version: 0, openedAt: T0, group: '', counters: { 'a b': 1 } }, null, DAY_START)).toThrow('has a space');
    const line = { version: 3, at: T0 + HOUR, effects: ['Zendesk: internal note', 'Slack: escalation level 1 to team channel, user group'] };
    expect(decodeEffectsLine(encodeEffectsLine(line, DAY_START), DAY_START)).toEqual(line);
  });

  it('writes a summary whose targets are not the report\'s in format 1, and reads it back', () => {
    const summary = summarizeLoop([historyEntryOf('opened', accepted(openLoop({ ticketId: 7, category: 'billing_issue', tier: 'high', zendeskStatus: 'new' }, T0, policy)), [], T0)])!;
    const odd: LoopSummary = { ...summary, acknowledgedWithin2h: { deadline: T0 + HOUR, reachedAt: T0 + 30_000 } };
    const wire = encodeSummary(odd);
    expect(wire[0]).toBe(1);
    expect(decodeSummary(JSON.parse(JSON.stringify(wire)) as typeof wire, T0, group(odd))).toEqual(odd);
  });

  it('still reads what the codec stored before: objects, format 1 summaries and rows, object contributions and effects lines', () => {
    const acknowledged = transition(accepted(openLoop({ ticketId: 42, category: 'billing_issue', tier: 'high', zendeskStatus: 'open' }, T0, policy)), { type: 'acknowledge', user: 'U1' }, T0 + HOUR, policy);
    if (!acknowledged.ok) throw new Error(acknowledged.reason);
    const state = acknowledged.state;
    const summary = summarizeLoop([historyEntryOf('opened', state, [], T0), historyEntryOf({ type: 'acknowledge', user: 'U1' }, state, [], T0 + HOUR)])!;
    const row = openLoopRow(state)!;
    // Format 1 as main wrote it: every target [deadline, reachedAt] after the opening, outcomes as words; rows with absolute times.
    const reach = ({ deadline, reachedAt }: { deadline: number; reachedAt: number | null }) => [deadline - T0, reachedAt === null ? null : reachedAt - T0];
    const summaryV1 = [1, summary.stage, reach(summary.acknowledgedWithin2h), reach(summary.acknowledgedWithin6h), reach(summary.closedWithin48h), summary.ackSla, summary.resolveSla, summary.firstUpdateSeconds, summary.manualUpdates, summary.overdueUpdates, 0, 0, [], {}, 0, 0];
    const rowV1 = [1, row.version, row.stage, row.category, row.team, row.tier, row.owner, row.openedAt, row.due === null ? null : [row.due.what, row.due.at, row.due.breached ? 1 : 0], row.breaches, row.escalationSteps, row.snoozedUntil];
    expect(decodeSummary(summaryV1 as ReturnType<typeof encodeSummary>, T0, group(summary))).toEqual(summary);
    expect(decodeOpenRow('42', JSON.stringify(rowV1))).toEqual(row);
    expect(decodeSummary(summary, 0, '')).toEqual(summary);
    expect(decodeOpenRow(String(row.ticketId), JSON.stringify(row))).toEqual(row);
    const counters = { loops: 1, 'stage:acknowledged': 1 };
    for (const s of [summaryV1, summary]) {
      expect(decodeContribution(JSON.stringify({ v: 1, o: T0, g: group(summary), c: counters, s }), DAY_START)).toEqual({ version: 1, openedAt: T0, group: group(summary), counters, summary });
    }
    expect(decodeContribution(JSON.stringify({ v: 2, o: T0, g: group(summary), c: counters }), DAY_START).summary).toBeNull();
    expect(decodeEffectsLine(JSON.stringify({ v: 1, at: T0 + HOUR, e: ['Zendesk: internal note'] }), DAY_START)).toEqual({ version: 1, at: T0 + HOUR, effects: ['Zendesk: internal note'] });
  });
});
