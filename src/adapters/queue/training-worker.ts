import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { JOB_OPTIONS, parseJob, QUEUE_NAMES } from '../../app/job-catalogue.js';
import type { JobMetrics, Logger } from '../../app/ports.js';
import { runScheduledTraining, type TrainCommand } from '../../app/scheduled-training.js';
import { logWorkerFailures } from './worker-support.js';

/** The job scheduler's id: one per install (its queue prefix), whatever the number of processes. */
export const TRAIN_SCHEDULER_ID = 'train-every';

export interface TrainingWorkerOptions {
  readonly connection: ConnectionOptions;
  /** BullMQ's prefix of each queue (a hash tag per queue on a Redis Cluster). */
  readonly prefix: (queue: string) => string;
  /** CXLOOP_TRAIN_EVERY in ms; null: no scheduled training (a scheduler left by an earlier setting is removed). */
  readonly everyMs: number | null;
  readonly train: TrainCommand;
  readonly logger: Logger;
  readonly jobs: JobMetrics;
}

export interface TrainingWorker {
  readonly queue: Queue;
  readonly worker: Worker;
  close(): Promise<void>;
}

/**
 * Every worker process listens on the training queue; the job scheduler (upserted by each, the
 * same id) puts one `train` job on it per interval, so one process trains per interval however
 * many run. BullMQ runs the first job when the scheduler is created and keeps its next run when
 * a restarting process upserts it again with the same interval.
 */
export async function startTrainingWorker(options: TrainingWorkerOptions): Promise<TrainingWorker> {
  const name = QUEUE_NAMES.training;
  const queue = new Queue(name, { connection: options.connection, prefix: options.prefix(name) });
  const worker = new Worker(
    name,
    async (job) => {
      parseJob('train', job);
      return runScheduledTraining(options.train, options.logger);
    },
    // The command runs in its own process (or awaits IO), so this one keeps renewing the lock.
    { connection: options.connection, prefix: options.prefix(name), concurrency: 1 },
  );
  logWorkerFailures([worker], options.logger, options.jobs);
  try {
    if (options.everyMs === null) await queue.removeJobScheduler(TRAIN_SCHEDULER_ID);
    else await queue.upsertJobScheduler(TRAIN_SCHEDULER_ID, { every: options.everyMs }, { name: 'train', data: { v: 1 }, opts: JOB_OPTIONS.training });
  } catch (error) {
    await Promise.all([worker.close(), queue.close()]);
    throw error;
  }
  return {
    queue,
    worker,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
