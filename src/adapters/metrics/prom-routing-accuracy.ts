import { Gauge, type Registry } from 'prom-client';
import type { RoutingAccuracy } from '../../core/learning/routing-accuracy.js';

/**
 * Routing accuracy on /metrics, computed by `measure` (from the loops' histories and the
 * corrections in Redis, seconds for a busy install's month). Only the first scrape waits for it;
 * after that a scrape shows the last figures at once, and one older than `refreshMs` starts
 * computing them again in the background for the scrapes after it. A failed computation keeps the
 * last figures and is tried again at the next scrape. A category without settled routings has no
 * series; before any figure the overall one is NaN.
 */
export function registerRoutingAccuracyMetrics(registry: Registry, measure: () => Promise<RoutingAccuracy>, options: { readonly refreshMs: number; readonly now: () => number }): void {
  let last: { at: number; accuracy: RoutingAccuracy } | null = null;
  let computing: Promise<void> | null = null;
  const refresh = (): Promise<void> => {
    const at = options.now();
    computing ??= measure().then(
      (accuracy) => {
        last = { at, accuracy };
        computing = null;
      },
      () => {
        computing = null;
      },
    );
    return computing;
  };
  const current = async (): Promise<RoutingAccuracy | null> => {
    if (last === null) await refresh();
    else if (options.now() - last.at >= options.refreshMs) void refresh();
    return last?.accuracy ?? null;
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
