import { addTally, routingAccuracy, splitTally, type FigureTally, type Ratio, type RoutingAccuracy, type TallyGroup } from '../../core/loop/figure-tally.js';
import { figuresOf, type LoopFigures } from '../../core/loop/loop-figures.js';
import type { DashboardStore } from '../ports.js';
import type { DashboardScope } from './dashboard-scope.js';
import { readWindowTally } from './read-window.js';

const DAY_MS = 86_400_000;

export interface GroupFigures {
  readonly key: string;
  readonly figures: LoopFigures;
}

export interface FiguresView {
  readonly window: { readonly since: number; readonly until: number; readonly now: number };
  /** The `cxloop report` figures of the window, in scope. */
  readonly figures: LoopFigures;
  readonly byTeam: readonly GroupFigures[];
  readonly byCategory: readonly GroupFigures[];
  readonly byTier: readonly GroupFigures[];
  /** Week by week (7 UTC days each, the last ending on the window's last day), oldest first. */
  readonly weeks: readonly { readonly start: number; readonly figures: LoopFigures; readonly routing: Ratio }[];
  readonly routing: RoutingAccuracy;
}

/** The Figures page, from the read model's precomputed tallies (never from the histories). */
export async function readFigures(store: DashboardStore, window: { since: number; until: number; now: number }, scope: DashboardScope): Promise<FiguresView> {
  const { tally, undecided, days } = await readWindowTally(store, window, scope);
  const groupsOf = (dimension: keyof TallyGroup): GroupFigures[] =>
    [...splitTally(tally, dimension).entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, part]) => ({ key, figures: figuresOf(part, undecided.filter((summary) => summary[dimension] === key), window.now) }));
  const weeks: { start: number; figures: LoopFigures; routing: Ratio }[] = [];
  for (let end = days.length; end > 0; end -= 7) {
    const week = days.slice(Math.max(0, end - 7), end);
    const first = week[0];
    if (!first) break;
    const weekTally: FigureTally = {};
    for (const day of week) addTally(weekTally, day.tally);
    const from = first.day * DAY_MS;
    const to = ((week.at(-1)?.day ?? first.day) + 1) * DAY_MS;
    weeks.unshift({ start: from, figures: figuresOf(weekTally, undecided.filter((summary) => summary.openedAt >= from && summary.openedAt < to), window.now), routing: routingAccuracy(weekTally).overall });
  }
  return {
    window,
    figures: figuresOf(tally, undecided, window.now),
    byTeam: groupsOf('team'),
    byCategory: groupsOf('category'),
    byTier: groupsOf('tier'),
    weeks,
    routing: routingAccuracy(tally),
  };
}
