import { describe, expect, it } from 'vitest';
import { addTally, firstUpdateBand, routingAccuracy, tallyLoops, tallyOf } from '../../../../src/core/loop/figure-tally.js';
import { loopFigures } from '../../../../src/core/loop/loop-figures.js';
import type { LoopHistoryEntry } from '../../../../src/core/loop/loop-history.js';
import { summarizeLoop } from '../../../../src/core/loop/loop-summary.js';

const MIN = 60_000;
const T0 = Date.parse('2026-11-23T09:00:00Z');
const base = { category: 'bug_report', team: 'engineering', tier: 'high' } as const;
const opened = (at: number): LoopHistoryEntry => ({ at, version: 1, event: 'opened', stage: 'routed', ...base });

describe('firstUpdateBand: time to first update in bands, named by their lower bound in minutes', () => {
  it.each([
    [59, 0],
    [9 * 60 + 59, 9],
    [10 * 60, 10],
    [47 * 60 + 30, 45],
    [60 * 60, 60],
    [100 * 60, 90],
    [239 * 60, 225],
    [5 * 3600 + 59 * 60, 300],
    [47 * 3600 + 59 * 60, 47 * 60],
    [61 * 3600, 60 * 60],
  ])('%i s -> %i min', (seconds, band) => expect(firstUpdateBand(seconds)).toBe(band));

  it('reports the median as its band\'s lower bound', () => {
    const history = (minutes: number): LoopHistoryEntry[] => [opened(T0), { ...opened(T0 + minutes * MIN), version: 2, event: 'post_update', stage: 'routed', update: 'manual' }];
    const figures = loopFigures([47, 52, 58].map(history), { since: T0, now: T0 + 3 * 60 * MIN });
    expect(figures.timeToFirstUpdate).toEqual({ count: 3, medianMs: 50 * MIN, p90Ms: 55 * MIN });
  });
});

describe('tallies: a loop taken out and put back leaves the totals of the others', () => {
  it('subtracting a loop\'s old contribution and adding its new one equals tallying the loops as they are now', () => {
    const before = summarizeLoop([opened(T0)])!;
    const after = summarizeLoop([opened(T0), { ...opened(T0 + 30 * MIN), version: 2, event: 'reassign', stage: 'acknowledged', category: 'feature_request', team: 'product', actor: 'U0TEST001' }])!;
    const other = summarizeLoop([opened(T0 + MIN)])!;
    const moved = addTally(addTally(tallyLoops([before, other]), tallyOf(before), -1), tallyOf(after));
    expect(moved).toEqual(tallyLoops([after, other]));
    // The reassignment is a correction of the category cxloop chose (bug_report), counted where the loop ended.
    expect(routingAccuracy(moved)).toEqual({
      overall: { count: 1, of: 2, share: 0.5 },
      byCategory: [{ category: 'bug_report', kept: { count: 1, of: 2, share: 0.5 }, corrections: 1 }],
    });
  });
});
