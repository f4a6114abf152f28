import { RECATEGORISE_WINDOW_MS, routingAccuracy, type RoutingAccuracy } from '../core/learning/routing-accuracy.js';
import { readRoutingHistory, type RoutingHistoryDeps } from './read-routing-history.js';

/** /metrics shows routing accuracy over the routings of the 30 days before the last 7 (those 7 are still pending). */
export const METRICS_ACCURACY_DAYS = 30;

/** Routing accuracy of the tickets routed between 37 and 7 days before `now` (the /metrics figure). */
export async function measureRoutingAccuracy(deps: RoutingHistoryDeps, now: number): Promise<RoutingAccuracy> {
  const window = { since: now - RECATEGORISE_WINDOW_MS - METRICS_ACCURACY_DAYS * 86_400_000, now };
  const history = await readRoutingHistory(deps, { since: window.since, until: now - RECATEGORISE_WINDOW_MS });
  return routingAccuracy(history.routings, history.corrections, window);
}
