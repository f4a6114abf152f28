import { describe, expect, it } from 'vitest';
import { figureCharts, figureTables } from '../../../src/adapters/dashboard/figures-page.js';
import type { FiguresView } from '../../../src/app/dashboard/read-figures.js';
import { routingAccuracy } from '../../../src/core/loop/figure-tally.js';
import { figuresOf, type LoopFigures } from '../../../src/core/loop/loop-figures.js';
import { policyWithGroups } from '../../support/zendesk-fixtures.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 30, 12);
const ratio = (count: number, of: number) => ({ count, of, share: of === 0 ? null : count / of });
const empty = figuresOf({}, [], NOW);

/** A week's figures: `opened` loops, so many acknowledged within 2 h / 6 h and closed within 48 h. */
function week(start: number, opened: number, [a2, a6, c48]: [number, number, number], kept: number) {
  const figures: LoopFigures = { ...empty, loops: { ...empty.loops, opened }, acknowledgedWithin2h: ratio(a2, opened), acknowledgedWithin6h: ratio(a6, opened), closedWithin48h: ratio(c48, opened) };
  return { start, figures, routing: ratio(kept, opened) };
}

describe('the week-over-week table and chart', () => {
  const weeks = [week(NOW - 28 * DAY, 10, [5, 8, 9], 9), week(NOW - 21 * DAY, 0, [0, 0, 0], 0), week(NOW - 14 * DAY, 20, [12, 17, 19], 18), week(NOW - 7 * DAY, 16, [12, 13, 19 - 3], 16)];
  const view: FiguresView = { window: { since: NOW - 28 * DAY, until: NOW, now: NOW }, figures: empty, byTeam: [], byCategory: [], byTier: [], weeks, routing: routingAccuracy({}) };

  it('gives each week its change from the week before, in points, and its corrections; a week after one without loops has no change', () => {
    const table = figureTables(view, policyWithGroups()).find((each) => each.id === 'weeks')!;
    expect(table.head).toEqual(['Week of', 'Loops', 'Acknowledged within 2 h', 'count', 'change', 'Acknowledged within 6 h', 'count', 'change', 'Closed within 48 h', 'count', 'change', 'Corrections']);
    expect(table.rows).toEqual([
      ['2026-11-02', 10, '50.0 %', '5/10', '–', '80.0 %', '8/10', '–', '90.0 %', '9/10', '–', 1],
      ['2026-11-16', 20, '60.0 %', '12/20', '–', '85.0 %', '17/20', '–', '95.0 %', '19/20', '–', 2],
      ['2026-11-23', 16, '75.0 %', '12/16', '+15.0 pts', '81.3 %', '13/16', '−3.7 pts', '100.0 %', '16/16', '+5.0 pts', 0],
    ]);
  });

  it('plots routing accuracy week by week beside the targets', () => {
    const chart = figureCharts(view).find((each) => each.id === 'chart-weeks')!;
    expect(chart.series.map((series) => [series.label, series.data])).toEqual([
      ['Acknowledged within 2 h', [50, null, 60, 75]],
      ['Acknowledged within 6 h', [80, null, 85, 81.3]],
      ['Closed within 48 h', [90, null, 95, 100]],
      ['Routing accuracy (category kept)', [90, null, 90, 100]],
    ]);
  });
});
