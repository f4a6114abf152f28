import type { Worker } from 'bullmq';
import { reportJobFailure } from '../../app/job-catalogue.js';
import type { JobMetrics, Logger } from '../../app/ports.js';

/** Reports every failed attempt of these workers (reportJobFailure), and their connection errors. */
export function logWorkerFailures(workers: readonly Worker[], logger: Logger, metrics: JobMetrics): void {
  for (const worker of workers) {
    worker.on('failed', (job, error) => reportJobFailure(worker.name, job, error, { logger, metrics }));
    worker.on('error', (error) => logger.log('warn', 'worker error', { queue: worker.name, error: error.message }));
  }
}
