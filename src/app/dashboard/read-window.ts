import { addTally, selectTally, type FigureTally } from '../../core/loop/figure-tally.js';
import type { LoopSummary } from '../../core/loop/loop-summary.js';
import type { DashboardStore } from '../ports.js';
import { inScope, unrestricted, type DashboardScope } from './dashboard-scope.js';

const DAY_MS = 86_400_000;

export interface WindowTally {
  /** The tally of the loops in scope opened in [since, until]. */
  readonly tally: FigureTally;
  /** Those of them whose verdicts still wait on the clock at `now`. */
  readonly undecided: readonly LoopSummary[];
  /** Each UTC day's tally in scope, from the day of `since` to the day of `until` (whole days: the weekly trend). */
  readonly days: readonly { readonly day: number; readonly tally: FigureTally }[];
}

/**
 * The tally of a window from the read model, exact to the millisecond: whole days from their
 * precomputed tallies, the day the window starts in (and the day it ends in, when it ends before
 * `now`) from that day's loop contributions, and the undecided loops from their own set. Reads
 * at most 2 days of contributions and one hash per day, whatever the number of loops.
 */
export async function readWindowTally(store: DashboardStore, window: { since: number; until: number; now: number }, scope: DashboardScope): Promise<WindowTally> {
  const first = Math.floor(window.since / DAY_MS);
  const last = Math.floor(Math.min(window.until, window.now) / DAY_MS);
  const dayNumbers = Array.from({ length: Math.max(0, last - first + 1) }, (_, index) => first + index);
  const dayTallies = await store.dayTallies(dayNumbers);
  const select = (tally: FigureTally): FigureTally => (unrestricted(scope) ? tally : selectTally(tally, (group) => inScope(scope, group)));
  const days = dayNumbers.map((day, index) => ({ day, tally: select(dayTallies[index] ?? {}) }));
  // A day is whole when the window covers it from its start to its end (or to now: no loop opens later).
  const whole = (day: number): boolean => window.since <= day * DAY_MS && (window.until >= window.now || window.until >= (day + 1) * DAY_MS - 1);
  const tally: FigureTally = {};
  for (const { day, tally: dayTally } of days) {
    if (whole(day)) {
      addTally(tally, dayTally);
      continue;
    }
    for (const contribution of await store.dayContributions(day)) {
      if (contribution.openedAt >= window.since && contribution.openedAt <= window.until) addTally(tally, select(contribution.tally));
    }
  }
  const undecided = (await store.undecided(window.now)).filter((summary) => summary.openedAt >= window.since && summary.openedAt <= window.until && inScope(scope, summary));
  return { tally, undecided, days };
}
