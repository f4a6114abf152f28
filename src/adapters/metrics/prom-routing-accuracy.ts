import { Gauge, type Registry } from 'prom-client';
import type { RoutingAccuracy } from '../../core/learning/routing-accuracy.js';

/**
 * Routing accuracy on /metrics, computed by `measure` (from the loops' histories and the
 * corrections in Redis) when scraped, at most once per `refreshMs`: every scrape in between shows
 * the last figure, and so does a scrape while Redis cannot be read. A category without settled
 * routings has no series.
 */
export function registerRoutingAccuracyMetrics(registry: Registry, measure: () => Promise<RoutingAccuracy>, options: { readonly refreshMs: number; readonly now: () => number }): void {
  let cached: { at: number; accuracy: Promise<RoutingAccuracy | null> } | null = null;
  let lastGood: RoutingAccuracy | null = null;
  /** The figures, or the last good ones when Redis cannot be read now (the rest of /metrics must not fail with it). */
  const current = (): Promise<RoutingAccuracy | null> => {
    const now = options.now();
    if (cached === null || now - cached.at >= options.refreshMs) {
      const entry = {
        at: now,
        accuracy: measure().then(
          (accuracy) => (lastGood = accuracy),
          () => {
            // Tried again at the next scrape, not kept for refreshMs.
            if (cached === entry) cached = null;
            return lastGood;
          },
        ),
      };
      cached = entry;
    }
    return cached.accuracy;
  };
  new Gauge({
    name: 'cxloop_routing_accuracy',
    help: 'Share of tickets routed 7 to 37 days ago that nobody re-categorised within 7 days (Slack reassign, cxloop tag or group changed in Zendesk); NaN without any',
    registers: [registry],
    async collect() {
      this.set((await current())?.overall.share ?? Number.NaN);
    },
  });
  new Gauge({
    name: 'cxloop_routing_accuracy_by_category',
    help: 'cxloop_routing_accuracy per category cxloop routed to',
    labelNames: ['category'],
    registers: [registry],
    async collect() {
      const accuracy = await current();
      this.reset();
      for (const row of accuracy?.byCategory ?? []) if (row.kept.share !== null) this.set({ category: row.category }, row.kept.share);
    },
  });
  new Gauge({
    name: 'cxloop_routing_accuracy_tickets',
    help: 'Tickets routed 7 to 37 days ago, by the category cxloop routed to and whether anyone re-categorised them within 7 days',
    labelNames: ['category', 'outcome'],
    registers: [registry],
    async collect() {
      const accuracy = await current();
      this.reset();
      for (const row of accuracy?.byCategory ?? []) {
        this.set({ category: row.category, outcome: 'kept' }, row.kept.count);
        this.set({ category: row.category, outcome: 'recategorised' }, row.kept.of - row.kept.count);
      }
    },
  });
}
