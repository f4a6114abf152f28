import type { LoopHistoryEntry } from '../loop/loop-history.js';
import type { CategoryId } from '../taxonomy.js';

/**
 * A person's change of cxloop's routing, as cxloop records it: the training data of the next
 * model and what routing accuracy counts.
 * - `slack`: Reassign on a Slack card (the loop's history, event `reassign`). Zendesk only gets an
 *   internal note, so the ticket's tags and group still show cxloop's category.
 * - `zendesk_category`: an agent changed or removed the `cxloop_<category>` tag (the corrections
 *   stream, field `category`; `category` null when the tag was removed for none).
 * - `zendesk_group`: an agent moved the ticket to another group (the corrections stream, field `group`).
 */
export type RoutingCorrection =
  | { readonly via: 'slack'; readonly ticketId: number; readonly at: number; readonly category: CategoryId }
  | { readonly via: 'zendesk_category'; readonly ticketId: number; readonly at: number; readonly category: CategoryId | null }
  | { readonly via: 'zendesk_group'; readonly ticketId: number; readonly at: number; readonly groupId: number | null };

/** A routing decision: the loop opened for the ticket, with the category cxloop chose. */
export interface RoutedTicket {
  readonly ticketId: number;
  readonly at: number;
  readonly category: CategoryId;
}

/**
 * The routing and the Slack reassignments in loops' histories (`histories[i]` is the history of
 * `ticketIds[i]`). A history that does not start with its `opened` entry gives no routing.
 */
export function routingsOfHistories(ticketIds: readonly number[], histories: readonly (readonly LoopHistoryEntry[])[]): { routings: RoutedTicket[]; reassignments: RoutingCorrection[] } {
  const routings: RoutedTicket[] = [];
  const reassignments: RoutingCorrection[] = [];
  histories.forEach((history, index) => {
    const ticketId = ticketIds[index];
    const [first] = history;
    if (ticketId === undefined || first?.event !== 'opened') return;
    routings.push({ ticketId, at: first.at, category: first.category });
    for (const entry of history) {
      // The entry holds the state after the transition: its category is where the ticket was moved.
      if (entry.event === 'reassign') reassignments.push({ via: 'slack', ticketId, at: entry.at, category: entry.category });
    }
  });
  return { routings, reassignments };
}

/** Each ticket's latest correction (by time; on a tie the one listed last). */
export function latestCorrections(corrections: readonly RoutingCorrection[]): Map<number, RoutingCorrection> {
  const latest = new Map<number, RoutingCorrection>();
  for (const correction of corrections) {
    const known = latest.get(correction.ticketId);
    if (known === undefined || correction.at >= known.at) latest.set(correction.ticketId, correction);
  }
  return latest;
}
