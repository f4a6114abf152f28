import { Counter, Histogram, type Registry } from 'prom-client';
import type { RoutingMetrics } from '../../app/ports.js';

/** RoutingMetrics on prom-client, registered in the /metrics registry. */
export function createPromRoutingMetrics(registry: Registry): RoutingMetrics {
  const webhooks = new Counter({ name: 'cxloop_zendesk_webhooks_total', help: 'Zendesk webhook requests by outcome', labelNames: ['outcome'], registers: [registry] });
  const events = new Counter({ name: 'cxloop_zendesk_events_total', help: 'Zendesk events handled by outcome', labelNames: ['outcome'], registers: [registry] });
  const routed = new Counter({ name: 'cxloop_tickets_routed_total', help: 'Tickets routed in Zendesk, by write path', labelNames: ['path'], registers: [registry] });
  const latency = new Histogram({
    name: 'cxloop_routing_latency_seconds',
    help: 'Zendesk webhook received to routing write sent',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  return {
    webhook: (outcome) => webhooks.inc({ outcome }),
    event: (outcome) => events.inc({ outcome }),
    routed: (path, tickets) => routed.inc({ path }, tickets),
    routingLatency: (seconds) => latency.observe(seconds),
  };
}
