import { addTally, routingAccuracy, selectTally, type FigureTally, type RoutingAccuracy, type TallyGroup } from '../../core/loop/figure-tally.js';
import { figuresOf, type LoopFigures } from '../../core/loop/loop-figures.js';
import type { LoopSummary } from '../../core/loop/loop-summary.js';
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
  readonly weeks: readonly { readonly start: number; readonly figures: LoopFigures }[];
  readonly routing: RoutingAccuracy;
}

/** The Figures page, from the read model's precomputed tallies (never from the histories). */
export async function readFigures(store: DashboardStore, window: { since: number; until: number; now: number }, scope: DashboardScope): Promise<FiguresView> {
  const { tally, undecided, days } = await readWindowTally(store, window, scope);
  const groupsOf = (dimension: keyof TallyGroup, values: readonly string[]): GroupFigures[] =>
    values.map((key) => ({ key, figures: figuresFor(tally, undecided, window.now, (group) => group[dimension] === key) }));
  const weeks: { start: number; figures: LoopFigures }[] = [];
  for (let end = days.length; end > 0; end -= 7) {
    const week = days.slice(Math.max(0, end - 7), end);
    const first = week[0];
    if (!first) break;
    const weekTally: FigureTally = {};
    for (const day of week) addTally(weekTally, day.tally);
    const from = first.day * DAY_MS;
    const to = ((week.at(-1)?.day ?? first.day) + 1) * DAY_MS;
    weeks.unshift({ start: from, figures: figuresOf(weekTally, undecided.filter((summary) => summary.openedAt >= from && summary.openedAt < to), window.now) });
  }
  return {
    window,
    figures: figuresOf(tally, undecided, window.now),
    byTeam: groupsOf('team', keysOf(tally, 'team')),
    byCategory: groupsOf('category', keysOf(tally, 'category')),
    byTier: groupsOf('tier', keysOf(tally, 'tier')),
    weeks,
    routing: routingAccuracy(tally),
  };
}

function figuresFor(tally: FigureTally, undecided: readonly LoopSummary[], now: number, keep: (group: TallyGroup) => boolean): LoopFigures {
  return figuresOf(selectTally(tally, keep), undecided.filter(keep), now);
}

/** The values of one dimension present in the tally, sorted. */
function keysOf(tally: FigureTally, dimension: keyof TallyGroup): string[] {
  const index = { category: 0, team: 1, tier: 2 }[dimension];
  return [...new Set(Object.keys(tally).map((field) => field.split('|')[index] ?? ''))].filter((key) => key !== '').sort();
}
