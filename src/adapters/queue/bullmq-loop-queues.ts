import type { JobsOptions, Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { EffectQueue, Logger, LoopMetrics, LoopTimer, Notifier, PendingEffects } from '../../app/ports.js';
import type { Effect } from '../../core/loop/loop-types.js';
import { parseTimerKey, timerKey } from '../../app/run-loop.js';
import { JOB_OPTIONS, QUEUE_NAMES, type CustomerUpdateJob, type EffectJob, type NoteJob, type RouteJob, type TimerJob } from '../../app/job-catalogue.js';

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

/** Delivers a loop's Slack effects in the process that committed them (see BullmqEffectQueue.deliverInline). */
export interface InlineDelivery {
  readonly notifier: Notifier;
  readonly metrics: Pick<LoopMetrics, 'effect'>;
  readonly logger: Logger;
}

/**
 * Effects of a committed transition. Slack effects are handed to the notifier at once, in the
 * process that committed them, once deliverInline() is given one: the notifier only queues them
 * in the Slack outbox (Redis), so a job of their own cost more (its add, its run, BullMQ's events:
 * three scripts and a dozen commands, a timer's reminder twice what its transition cost) than the
 * delivery itself. An effect the notifier fails on, or any without one, becomes a job of its own
 * (a retried effect never repeats the others), with BullMQ's retries and dead letters. Until the
 * effects are delivered or queued they stay parked in the loop's outbox, so a process that dies
 * in between leaves them for the next commit or the retried event, as before. Internal notes and
 * public comments join the routing writes' queue, so they spend the same Zendesk update budget.
 */
export class BullmqEffectQueue implements EffectQueue {
  private inline: InlineDelivery | null = null;

  constructor(
    private readonly effects: Queue<EffectJob>,
    private readonly routes: Queue<RouteJob | NoteJob | CustomerUpdateJob>,
  ) {}

  /** From now on, Slack effects go to this notifier directly (one that only writes to Redis). */
  deliverInline(delivery: InlineDelivery): void {
    this.inline = delivery;
  }

  async enqueue(pending: PendingEffects): Promise<void> {
    const { ticketId, version } = pending;
    const slack: { readonly effect: Effect; readonly index: number }[] = [];
    const writes: QueuedJob<NoteJob | CustomerUpdateJob>[] = [];
    for (const [index, effect] of pending.effects.entries()) {
      // The index in the transition's effects, whichever went inline: a job's id never changes.
      const jobId = `fx-${ticketId}-${version}-${index}`;
      if (effect.type === 'zendesk_note') writes.push({ name: 'note', data: { v: 1, ticketId, body: effect.text }, opts: { ...JOB_OPTIONS.routes, jobId: `note-${jobId}` } });
      else if (effect.type === 'customer_update') writes.push({ name: 'customer_update', data: { v: 1, ticketId, key: jobId, kind: effect.kind, etaAt: effect.etaAt }, opts: { ...JOB_OPTIONS.routes, jobId: `cu-${jobId}` } });
      else slack.push({ effect, index });
    }
    const errors = await this.deliver(ticketId, slack.map(({ effect }) => effect));
    const effects = slack.flatMap(({ effect, index }, at): QueuedJob<EffectJob>[] =>
      errors[at] === null ? [] : [{ name: effect.type, data: { v: 1, ticketId, version, effect }, opts: { ...JOB_OPTIONS.effects, jobId: `fx-${ticketId}-${version}-${index}` } }],
    );
    await Promise.all([addJobs(this.effects, effects), addJobs(this.routes, writes)]);
  }

  /** Hands the effects to the inline notifier (all at once when it can take them so): per effect, null when delivered. */
  private async deliver(ticketId: number, effects: readonly Effect[]): Promise<ReadonlyArray<Error | null>> {
    const { inline } = this;
    const notMine = new Error('no notifier in this process');
    if (inline === null || effects.length === 0) return effects.map(() => notMine);
    const { notifier } = inline;
    let errors: ReadonlyArray<Error | null>;
    if (notifier.notifyAll) errors = await notifier.notifyAll(ticketId, effects).catch((error: unknown) => effects.map(() => error as Error));
    else {
      const each: Array<Error | null> = [];
      for (const effect of effects) each.push(await notifier.notify(ticketId, effect).then(() => null, (error: unknown) => error as Error));
      errors = each;
    }
    for (const [at, effect] of effects.entries()) {
      const error = errors[at];
      if (error === null) inline.metrics.effect(effect.type);
      else inline.logger.log('warn', 'loop effect not delivered; queued for retries', { queue: QUEUE_NAMES.effects, ticketId, effect: effect.type, error: error?.message ?? 'no answer' });
    }
    return errors;
  }
}

interface QueuedJob<T> {
  readonly name: string;
  readonly data: T;
  readonly opts: JobsOptions & { jobId: string };
}

/**
 * One job with `add` (a single script call), several with `addBulk` (one MULTI), none without a
 * call at all: most transitions have one effect, and an empty addBulk still costs its set-up.
 */
async function addJobs<T>(queue: Queue<T>, jobs: readonly QueuedJob<T>[]): Promise<void> {
  if (jobs.length === 0) return;
  if (jobs.length === 1) {
    const [job] = jobs as [QueuedJob<T>];
    await (queue as Queue).add(job.name, job.data, job.opts);
    return;
  }
  await (queue as Queue).addBulk(jobs as QueuedJob<unknown>[]);
}

