import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeOpenRow, decodeSummary, encodeOpenRow, encodeSummary } from '../../../src/adapters/redis/dashboard-codec.js';
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

const events = sampleLoopEvents(T0);
/** In a sequence: fire the loop's earliest pending timer (breaches, escalations, the verify window). */
const FIRE = 'fire' as const;

/** The stored contribution's own fields beside the summary: opening time and group. */
const group = (summary: LoopSummary) => `${summary.category}|${summary.team}|${summary.tier}|`;

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

  it('keeps a routed loop\'s summary and row small, and still reads the JSON objects stored before', () => {
    const opened = openLoop({ ticketId: 123_456_789, category: 'sentiment_experience', tier: 'critical', zendeskStatus: 'new' }, T0, policy);
    if (!opened.ok) throw new Error(opened.reason);
    const summary = summarizeLoop([historyEntryOf('opened', opened.state, opened.effects, T0)])!;
    const row = openLoopRow(opened.state)!;
    // As objects: about 600 and 330 bytes.
    expect(JSON.stringify(encodeSummary(summary)).length).toBeLessThan(120);
    expect(encodeOpenRow(row).length).toBeLessThan(150);
    expect(decodeSummary(summary, 0, '')).toEqual(summary);
    expect(decodeOpenRow(String(row.ticketId), JSON.stringify(row))).toEqual(row);
    expect(() => decodeOpenRow('1', '[2]')).toThrow('dashboard row of unknown format 2');
  });
});
