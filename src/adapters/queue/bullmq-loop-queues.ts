import type { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { EffectQueue, LoopTimer, PendingEffects } from '../../app/ports.js';
import { parseTimerKey, timerKey } from '../../app/run-loop.js';
import { JOB_OPTIONS, type CustomerUpdateJob, type EffectJob, type NoteJob, type RouteJob, type TimerJob } from '../../app/job-catalogue.js';
import type { Effect } from '../../core/loop/loop-types.js';

/**
 * The cxloop-timers queue. Loop timers live in the timer schedule (RedisLoopTimers, claimed by
 * each worker's LoopTimerPoller); this queue holds what is left of BullMQ's way of keeping them:
 * the delayed jobs older releases wrote (one per loop, fired by the timers worker when due, so an
 * upgrade loses none), and timers whose firing failed in a poller, handed over here for BullMQ's
 * retries with back-off and, once those are used up, the dead letters.
 */
export class BullmqLoopTimers {
  constructor(
    readonly queue: Queue<TimerJob>,
    private readonly redis: Redis | Cluster,
  ) {}

  /** Fires `timer` again from the queue after `delayMs`; the job id is its key, so handing it over twice queues it once. */
  async retry(ticketId: number, timer: LoopTimer, delayMs: number): Promise<void> {
    await this.queue.add(timer.kind, { v: 1, t: ticketId, k: timer.kind, a: timer.at }, { ...JOB_OPTIONS.timers, jobId: timerKey(ticketId, timer), delay: Math.max(0, delayMs) });
  }

  /**
   * Moves every delayed timer job due at `now` (cxloop's clock) to the front of the queue. Live,
   * BullMQ releases them itself on time; tests and the scenario run on an injected clock and call
   * this after moving it. Returns how many were released.
   */
  async releaseDue(now: number): Promise<number> {
    // Job ids carry the due time, so the delayed set's ids are enough to pick the due ones.
    const ids = await this.redis.zrange(this.queue.keys.delayed!, '0', '-1');
    let released = 0;
    for (const id of ids) {
      const parsed = parseTimerKey(id);
      if (parsed === null || parsed.timer.at > now) continue;
      const job = await this.queue.getJob(id);
      // It may have fired or been removed meanwhile; then there is nothing to release.
      if (job && (await job.promote().then(() => true, () => false))) released += 1;
    }
    return released;
  }
}

/**
 * Effects of a committed transition, one job per effect (a retried effect never repeats the others).
 * Internal notes and public comments join the routing writes' queue, so they spend the same Zendesk
 * update budget.
 */
export class BullmqEffectQueue implements EffectQueue {
  constructor(
    private readonly effects: Queue<EffectJob>,
    private readonly routes: Queue<RouteJob | NoteJob | CustomerUpdateJob>,
  ) {}

  async enqueue(pending: PendingEffects): Promise<void> {
    const { ticketId, version } = pending;
    const jobs = pending.effects.map((effect, index) => ({ effect, jobId: `fx-${ticketId}-${version}-${index}` }));
    await this.effects.addBulk(
      jobs
        .filter(({ effect }) => !TO_ZENDESK.has(effect.type))
        .map(({ effect, jobId }) => ({ name: effect.type, data: { v: 1 as const, ticketId, version, effect }, opts: { ...JOB_OPTIONS.effects, jobId } })),
    );
    await this.routes.addBulk(
      jobs.flatMap(({ effect, jobId }): { name: string; data: NoteJob | CustomerUpdateJob; opts: typeof JOB_OPTIONS.routes & { jobId: string } }[] =>
        effect.type === 'zendesk_note'
          ? [{ name: 'note', data: { v: 1 as const, ticketId, body: effect.text }, opts: { ...JOB_OPTIONS.routes, jobId: `note-${jobId}` } }]
          : effect.type === 'customer_update'
            ? [{ name: 'customer_update', data: { v: 1 as const, ticketId, key: jobId, kind: effect.kind, etaAt: effect.etaAt }, opts: { ...JOB_OPTIONS.routes, jobId: `cu-${jobId}` } }]
            : [],
      ),
    );
  }
}

/** Effects carried out by a Zendesk write (the routes queue) rather than the effects queue. */
const TO_ZENDESK: ReadonlySet<Effect['type']> = new Set(['zendesk_note', 'customer_update']);
