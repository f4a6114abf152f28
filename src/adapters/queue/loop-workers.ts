import { Worker, type ConnectionOptions } from 'bullmq';
import type { JobMetrics, Logger, LoopMetrics, Notifier } from '../../app/ports.js';
import { fireLoopTimer, type LoopDeps } from '../../app/run-loop.js';
import type { Effect } from '../../core/loop/loop-types.js';
import { parseJob, QUEUE_NAMES, TIMER_WORKER_OPTIONS, type EffectJob, type TimerJob } from '../../app/job-catalogue.js';
import { logWorkerFailures } from './worker-support.js';

const TIMER_RETRY_BASE_MS = 500;
const TIMER_RETRY_MAX_MS = 15_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface LoopWorkersOptions {
  readonly connection: ConnectionOptions;
  /** BullMQ's prefix of each queue (a hash tag per queue on a Redis Cluster). */
  readonly prefix: (queue: string) => string;
  readonly loop: LoopDeps;
  readonly notifier: Notifier;
  readonly metrics: LoopMetrics;
  readonly jobs: JobMetrics;
  readonly logger: Logger;
  readonly concurrency?: number;
}

/** Timer and effect jobs each worker runs at once, unless told otherwise. */
export const DEFAULT_LOOP_CONCURRENCY = 8;

/** Timer wake-ups become loop events; effects go to the notifier (Slack), one job each. */
export function startLoopWorkers(options: LoopWorkersOptions): Worker[] {
  const base = (queue: string) => ({ connection: options.connection, prefix: options.prefix(queue), concurrency: options.concurrency ?? DEFAULT_LOOP_CONCURRENCY });
  const timers = new Worker<TimerJob>(
    QUEUE_NAMES.timers,
    async (job) => {
      const data = parseJob('timer', job);
      try {
        await fireLoopTimer(data.t, { kind: data.k, at: data.a }, options.loop);
      } catch (error) {
        // The job has no backoff option (see JOB_OPTIONS.timers): wait here before BullMQ retries it.
        if (job.attemptsMade + 1 < (job.opts.attempts ?? 1)) await sleep(Math.min(TIMER_RETRY_MAX_MS, TIMER_RETRY_BASE_MS * 2 ** job.attemptsMade));
        throw error;
      }
    },
    { ...base(QUEUE_NAMES.timers), ...TIMER_WORKER_OPTIONS },
  );
  const effects = new Worker<EffectJob>(
    QUEUE_NAMES.effects,
    async (job) => {
      const data = parseJob('effect', job);
      await options.notifier.notify(data.ticketId, data.effect as Effect);
      options.metrics.effect(data.effect.type);
    },
    base(QUEUE_NAMES.effects),
  );
  logWorkerFailures([timers, effects], options.logger, options.jobs);
  return [timers, effects];
}
