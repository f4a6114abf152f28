import { Counter, type Registry } from 'prom-client';
import type { CustomerMetrics } from '../../app/ports.js';

export function createPromCustomerMetrics(registry: Registry): CustomerMetrics {
  const updates = new Counter({
    name: 'cxloop_customer_updates_total',
    help: 'Public comments to requesters by outcome: sent, or why not (quiet, moved_on, duplicate, cadence, no_loop)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  return { update: (outcome) => updates.inc({ outcome }) };
}
