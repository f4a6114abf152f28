import { CATEGORY_IDS, type CategoryId } from '../taxonomy.js';
import type { FigureWindow, Ratio } from '../loop/loop-figures.js';
import type { RoutedTicket, RoutingCorrection } from './routing-corrections.js';

/** How long after its routing a ticket may be re-categorised for the routing to count as wrong. */
export const RECATEGORISE_WINDOW_MS = 7 * 86_400_000;

export interface AccuracyRow {
  readonly category: CategoryId;
  /** count: routings nobody re-categorised within 7 days; of: routings whose 7 days have passed. */
  readonly kept: Ratio;
}

/**
 * Routing accuracy (README, "Routing accuracy"): of the tickets routed in the window whose 7 days
 * have passed by `window.now`, the share nobody re-categorised within 7 days of the routing: no
 * Reassign in Slack, no agent's change of the cxloop category tag, no agent's move to another group.
 * Younger routings are pending, not counted either way (`pending.recategorised` of them already
 * were). Per category by the category cxloop routed to. Pure: the same records and window always
 * give the same figures.
 */
export interface RoutingAccuracy {
  readonly overall: Ratio;
  /** Categories with at least one routing in the window, in taxonomy order. */
  readonly byCategory: readonly AccuracyRow[];
  readonly pending: { readonly routed: number; readonly recategorised: number };
}

export function routingAccuracy(routings: readonly RoutedTicket[], corrections: readonly RoutingCorrection[], window: FigureWindow): RoutingAccuracy {
  const firstCorrection = new Map<number, number>();
  for (const correction of corrections) {
    if (correction.at > window.now) continue;
    const known = firstCorrection.get(correction.ticketId);
    if (known === undefined || correction.at < known) firstCorrection.set(correction.ticketId, correction.at);
  }
  const tally = new Map<CategoryId, { kept: number; settled: number }>();
  let pendingRouted = 0;
  let pendingRecategorised = 0;
  for (const routing of routings) {
    if (routing.at < window.since || routing.at > window.now) continue;
    const deadline = routing.at + RECATEGORISE_WINDOW_MS;
    const correctedAt = firstCorrection.get(routing.ticketId);
    const recategorised = correctedAt !== undefined && correctedAt <= deadline;
    const row = tally.get(routing.category) ?? { kept: 0, settled: 0 };
    tally.set(routing.category, row);
    if (deadline > window.now) {
      pendingRouted += 1;
      if (recategorised) pendingRecategorised += 1;
      continue;
    }
    row.settled += 1;
    if (!recategorised) row.kept += 1;
  }
  const byCategory = CATEGORY_IDS.flatMap((category) => {
    const row = tally.get(category);
    return row ? [{ category, kept: ratio(row.kept, row.settled) }] : [];
  });
  const kept = byCategory.reduce((sum, row) => sum + row.kept.count, 0);
  const settled = byCategory.reduce((sum, row) => sum + row.kept.of, 0);
  return { overall: ratio(kept, settled), byCategory, pending: { routed: pendingRouted, recategorised: pendingRecategorised } };
}

function ratio(count: number, of: number): Ratio {
  return { count, of, share: of === 0 ? null : count / of };
}
