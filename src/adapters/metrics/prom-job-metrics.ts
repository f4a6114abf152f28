import { Counter, type Registry } from 'prom-client';
import type { JobMetrics } from '../../app/ports.js';

/** JobMetrics on prom-client, registered in the /metrics registry. */
export function createPromJobMetrics(registry: Registry): JobMetrics {
  const dead = new Counter({
    name: 'cxloop_jobs_dead_lettered_total',
    help: 'Jobs that failed for good and wait on the dead-letter list (cxloop dead-letters), by queue',
    labelNames: ['queue'],
    registers: [registry],
  });
  return { deadLettered: (queue) => dead.inc({ queue }) };
}
