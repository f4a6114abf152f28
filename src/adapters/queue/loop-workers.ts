import { Worker, type ConnectionOptions } from 'bullmq';
import type { JobMetrics, Logger, LoopMetrics, LoopTimerSchedule, Notifier } from '../../app/ports.js';
import { fireLoopTimer, type LoopDeps } from '../../app/run-loop.js';
import type { Effect } from '../../core/loop/loop-types.js';
import { parseJob, QUEUE_NAMES, TIMER_WORKER_OPTIONS, type EffectJob, type TimerJob } from '../../app/job-catalogue.js';
import type { BullmqLoopTimers } from './bullmq-loop-queues.js';
import { LoopTimerPoller } from './loop-timer-poller.js';
import { logWorkerFailures } from './worker-support.js';

const TIMER_RETRY_BASE_MS = 500;
const TIMER_RETRY_MAX_MS = 15_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface LoopWorkersOptions {
  readonly connection: ConnectionOptions;
  /** BullMQ's prefix of each queue (a hash tag per queue on a Redis Cluster). */
  readonly prefix: (queue: string) => string;
  readonly loop: LoopDeps;
  /** The timer schedule this process's poller claims due timers from. */
  readonly timers: LoopTimerSchedule;
  /** The cxloop-timers queue: older releases' timer jobs, and the poller's failed firings retried. */
  readonly timerJobs: BullmqLoopTimers;
  /** false on an injected clock: timers fire when released (LoopWorkers.poller.release), not as the clock reads. */
  readonly live: boolean;
  readonly notifier: Notifier;
  readonly metrics: LoopMetrics;
  readonly jobs: JobMetrics;
  readonly logger: Logger;
  readonly concurrency?: number;
}

/** Timer and effect jobs each worker runs at once, unless told otherwise. */
export const DEFAULT_LOOP_CONCURRENCY = 8;

export interface LoopWorkers {
  readonly workers: readonly Worker[];
  readonly poller: LoopTimerPoller;
  close(): Promise<void>;
}

/**
 * Timer wake-ups become loop events (the poller fires the timer schedule's due timers; the timers
 * worker the cxloop-timers queue's jobs); effects go to the notifier (Slack), one job each.
 */
export function startLoopWorkers(options: LoopWorkersOptions): LoopWorkers {
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
  const poller = new LoopTimerPoller({ timers: options.timers, retries: options.timerJobs, loop: options.loop, jobs: options.jobs, logger: options.logger, live: options.live });
  poller.start();
  return {
    workers: [timers, effects],
    poller,
    async close() {
      await poller.stop();
      await Promise.all([timers, effects].map((worker) => worker.close()));
    },
  };
}
