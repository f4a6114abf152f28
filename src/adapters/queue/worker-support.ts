import type { Worker } from 'bullmq';
import { ticketOf } from '../../app/log-fields.js';
import { failedForGood } from '../../app/job-catalogue.js';
import type { JobMetrics, Logger } from '../../app/ports.js';

/**
 * Logs failures: a warning per failed attempt; an error and the dead-letter counter when the job
 * has failed for good (it stays in its queue's failed set: `cxloop dead-letters` lists and replays it).
 */
export function logWorkerFailures(workers: readonly Worker[], logger: Logger, metrics: JobMetrics): void {
  for (const worker of workers) {
    worker.on('failed', (job, error) => {
      const dead = failedForGood(job, error);
      if (dead) metrics.deadLettered(worker.name);
      logger.log(dead ? 'error' : 'warn', dead ? 'job failed for good (dead letter; see cxloop dead-letters)' : 'job failed', {
        queue: worker.name,
        job: job?.name,
        jobId: job?.id,
        ...ticketOf(job?.data),
        attempt: job?.attemptsMade,
        error: error.message,
      });
    });
    worker.on('error', (error) => logger.log('warn', 'worker error', { queue: worker.name, error: error.message }));
  }
}

