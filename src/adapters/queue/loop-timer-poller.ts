import { QUEUE_NAMES } from '../../app/job-catalogue.js';
import type { JobMetrics, Logger, LoopTimerSchedule, ScheduledTimer } from '../../app/ports.js';
import { fireLoopTimer, type LoopDeps } from '../../app/run-loop.js';
import { idlePause, PollingLoop } from '../../app/polling-loop.js';
import type { BullmqLoopTimers } from './bullmq-loop-queues.js';

/** Due timers claimed at once, and fired at once of those. */
export const TIMER_CLAIM_BATCH = 500;
export const TIMER_FIRE_CONCURRENCY = 32;
/** A claim is held this long unless renewed; the poller renews it every TIMER_LEASE_RENEW_MS while the batch runs. */
const TIMER_LEASE_MS = 30_000;
const TIMER_LEASE_RENEW_MS = 10_000;
/**
 * With nothing due, look again after this long at most: sooner when the next timer falls due
 * sooner, or when this process schedules one due before then (a timer another process schedules
 * is its own poller's). It looked every 100 ms: ten claims a second per idle process.
 */
const IDLE_MS = 1_000;
/** A firing that failed is fired again from the cxloop-timers queue after this long (then with BullMQ's retries). */
const RETRY_DELAY_MS = 1_000;
const FAILURE_PAUSE_MS = 1_000;

export interface LoopTimerPollerOptions {
  readonly timers: LoopTimerSchedule;
  /** The cxloop-timers queue, where a timer whose firing failed goes on with retries, back-off and dead letters. */
  readonly retries: Pick<BullmqLoopTimers, 'retry'>;
  readonly loop: LoopDeps;
  readonly jobs: JobMetrics;
  readonly logger: Logger;
  /**
   * true: fire what is due at `loop.now()`. false, on an injected clock that tests and the demo
   * move: fire only what was due when release() was last called, so a timer never races the
   * events sent after the clock moved.
   */
  readonly live: boolean;
  readonly batch?: number;
  readonly concurrency?: number;
  readonly leaseMs?: number;
  /** Longest wait while nothing is due (default IDLE_MS). */
  readonly idleMs?: number;
}

/**
 * One poller per worker process firing the loop timers: it claims up to a batch of due timers
 * at once (atomic, so however many processes poll, each timer is held by one), fires them with
 * bounded concurrency, and acknowledges the batch in one call once their transitions committed.
 * A poller that dies holding a claim loses nothing: the lease ends and the next claim takes the
 * timers again (a timer fired twice is refused as stale by its loop).
 */
export class LoopTimerPoller {
  private readonly loop: PollingLoop;
  private released = -Infinity;
  /** Live, while idle: when (cxloop's clock) the poller looks next; a timer scheduled before then wakes it. */
  private idleUntil = -Infinity;

  constructor(private readonly options: LoopTimerPollerOptions) {
    this.loop = new PollingLoop({
      step: () => this.step(),
      onError: (error) => options.logger.log('error', 'loop timer poller failed; trying again', { error: error.message }),
      failurePauseMs: FAILURE_PAUSE_MS,
    });
    options.timers.onScheduled((at) => {
      if (options.live && at < this.idleUntil) {
        this.idleUntil = -Infinity;
        this.loop.wake();
      }
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Stops after the batch in hand (fired and acknowledged). */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** On an injected clock: lets the timers due at `upTo` fire, now. */
  release(upTo: number): void {
    this.released = Math.max(this.released, upTo);
    this.loop.wake();
  }

  /** Timers due at this time (cxloop's clock) are fired: now, or on an injected clock the last release. */
  horizon(): number {
    return this.options.live ? this.options.loop.now() : this.released;
  }

  /** One claim and its firings; returns how long to wait before the next (0: go on at once). Exposed for tests that step it. */
  async step(): Promise<number> {
    const { timers, loop, live, logger, jobs } = this.options;
    const now = loop.now();
    const claim = await timers.claim(this.horizon(), this.options.batch ?? TIMER_CLAIM_BATCH, this.options.leaseMs ?? TIMER_LEASE_MS);
    if (claim.unreadable.length > 0) {
      // Not a timer key of this release: nothing can fire it. Dropped loudly, like a payload that never parses.
      claim.unreadable.forEach(() => jobs.deadLettered(QUEUE_NAMES.timers));
      logger.log('error', 'loop timers with unreadable keys dropped', { queue: QUEUE_NAMES.timers, keys: claim.unreadable.slice(0, 10).join(' ') });
      await timers.ack(claim.unreadable);
    }
    if (claim.timers.length > 0) {
      await this.fire(claim.timers);
      return 0;
    }
    // On an injected clock, release() wakes the poller; this pause only bounds a wait nobody ends.
    const pause = idlePause(live ? claim.nextDueAt : null, now, this.options.idleMs ?? IDLE_MS);
    this.idleUntil = now + pause;
    return pause;
  }

  private async fire(batch: readonly ScheduledTimer[]): Promise<void> {
    const { timers, retries, loop, logger } = this.options;
    const leaseMs = this.options.leaseMs ?? TIMER_LEASE_MS;
    const held = new Set(batch.map((claimed) => claimed.key));
    let renewing: Promise<unknown> = Promise.resolve();
    const renew = setInterval(() => {
      renewing = timers.extend([...held], leaseMs).catch((error: Error) => logger.log('warn', 'could not renew a loop timer claim', { error: error.message }));
    }, TIMER_LEASE_RENEW_MS);
    const done: string[] = [];
    try {
      await forEachConcurrently(batch, this.options.concurrency ?? TIMER_FIRE_CONCURRENCY, async (claimed) => {
        try {
          await fireLoopTimer(claimed.ticketId, claimed.timer, loop);
        } catch (error) {
          try {
            await retries.retry(claimed.ticketId, claimed.timer, RETRY_DELAY_MS);
            logger.log('warn', 'loop timer failed; retried from its queue', { queue: QUEUE_NAMES.timers, jobId: claimed.key, ticketId: claimed.ticketId, error: (error as Error).message });
          } catch (handOver) {
            // Left claimed and no longer renewed: the next claim after its lease takes it again.
            held.delete(claimed.key);
            logger.log('error', 'loop timer failed and could not be queued for a retry; it fires again when its claim ends', {
              jobId: claimed.key,
              ticketId: claimed.ticketId,
              error: (error as Error).message,
              queueError: (handOver as Error).message,
            });
            return;
          }
        }
        done.push(claimed.key);
      });
    } finally {
      clearInterval(renew);
      await renewing;
    }
    await timers.ack(done);
  }
}

/** Runs `work` over `items`, at most `concurrency` at once. */
async function forEachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let cursor = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (cursor < items.length) await work(items[cursor++]!);
    }),
  );
}
