import { routingsOfHistories, type RoutedTicket, type RoutingCorrection } from '../core/learning/routing-corrections.js';
import type { LoopHistoryEntry } from '../core/loop/loop-history.js';
import type { Correction, CorrectionLog, LoopHistories } from './ports.js';

export interface RoutingHistoryDeps {
  readonly loops: LoopHistories;
  readonly corrections: CorrectionLog;
  /** Called after each batch of histories read, with how many of how many (long reads show progress). */
  readonly onProgress?: (read: number, of: number) => void;
}

/** Histories read per batch. */
const BATCH = 5_000;

export interface RoutingHistory {
  readonly ticketIds: readonly number[];
  readonly histories: readonly LoopHistoryEntry[][];
  readonly routings: readonly RoutedTicket[];
  /** Slack reassignments from the histories and agents' corrections from the corrections stream, oldest first. */
  readonly corrections: readonly RoutingCorrection[];
}

/**
 * What cxloop recorded of its routing since `since`: the loops opened in [since, until] (their
 * routing and Slack reassignments) and every correction recorded since `since`.
 */
export async function readRoutingHistory(deps: RoutingHistoryDeps, window: { readonly since: number; readonly until: number }): Promise<RoutingHistory> {
  const ticketIds = await deps.loops.openedBetween(window.since, window.until);
  const histories: LoopHistoryEntry[][] = [];
  for (let start = 0; start < ticketIds.length; start += BATCH) {
    histories.push(...(await deps.loops.histories(ticketIds.slice(start, start + BATCH))));
    deps.onProgress?.(histories.length, ticketIds.length);
  }
  const { routings, reassignments } = routingsOfHistories(ticketIds, histories);
  const recorded = (await deps.corrections.correctionsSince(window.since)).map(routingCorrectionOf);
  const corrections = [...reassignments, ...recorded].sort((a, b) => a.at - b.at);
  return { ticketIds, histories, routings, corrections };
}

function routingCorrectionOf(correction: Correction): RoutingCorrection {
  const { ticketId, at, override } = correction;
  return override.field === 'category' ? { via: 'zendesk_category', ticketId, at, category: override.to } : { via: 'zendesk_group', ticketId, at, groupId: override.to };
}
