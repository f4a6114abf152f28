import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import { ticketOf } from '../../app/log-fields.js';
import type { Logger } from '../../app/ports.js';

interface PayloadSchema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

/** A job's payload checked against its catalogue schema; a bad payload fails for good, it would never parse. */
export function parseJob<T>(schema: PayloadSchema<T>, job: Job): T {
  const parsed = schema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`job ${job.name} has an invalid payload: ${parsed.error.message}`.slice(0, 500));
  return parsed.data;
}

/** Logs failures: a warning per failed attempt, an error when the job has no attempt left. */
export function logWorkerFailures(workers: readonly Worker[], logger: Logger): void {
  for (const worker of workers) {
    worker.on('failed', (job, error) =>
      logger.log(job && job.attemptsMade >= (job.opts.attempts ?? 1) ? 'error' : 'warn', 'job failed', {
        queue: worker.name,
        job: job?.name,
        jobId: job?.id,
        ...ticketOf(job?.data),
        attempt: job?.attemptsMade,
        error: error.message,
      }),
    );
    worker.on('error', (error) => logger.log('warn', 'worker error', { queue: worker.name, error: error.message }));
  }
}

