import type { Queue } from 'bullmq';
import { JOB_OPTIONS, type BatchJob } from '../../app/job-catalogue.js';
import { ZENDESK_BULK_LIMIT as BATCH_MAX, type Logger, type RouteBacklog, type RouteEntry, type RoutingMetrics, type UpdateBudget } from '../../app/ports.js';
import { rebaseConflicts, sendRouteBatch, writeRoute, type RouteWriterDeps } from '../../app/write-routes.js';
import { isZendeskError } from '../../app/zendesk-api-error.js';
import { idlePause, PollingLoop } from '../../app/polling-loop.js';
import type { BullmqRouteQueue } from './bullmq-route-queue.js';

/** A claim is held this long unless renewed; its writer renews it every LEASE_RENEW_MS while it works. */
const LEASE_MS = 30_000;
const LEASE_RENEW_MS = 10_000;
/** Polls Zendesk for an update_many job's results this often, for at most SETTLE_GIVE_UP_MS. */
export const SETTLE_POLL_MS = 1_000;
export const SETTLE_GIVE_UP_MS = 15 * 60_000;
/** A batch handed to Zendesk keeps its writes claimed until its results are read (with a minute to spare). */
const SETTLE_LEASE_MS = SETTLE_GIVE_UP_MS + 60_000;
/** Zendesk allows 30 update_many jobs queued or running per account; stay below. */
const MAX_OPEN_ZENDESK_JOBS = 25;
/**
 * In a burst, webhooks keep arriving while a batch is built: letting the oldest waiting write wait
 * up to this long for a full batch (checked every BATCH_LINGER_POLL_MS) fills calls with up to 100
 * tickets instead of spending the Update Ticket budget on small ones. Only paid when a backlog
 * already exists.
 */
const BATCH_LINGER_MS = 1_000;
const BATCH_LINGER_POLL_MS = 100;
/**
 * After a batch is claimed, a burst is on for this long: writes then wait to fill a batch (up to
 * BATCH_LINGER_MS) even when fewer than the threshold wait, and the few left over after a burst go
 * as one call. Before, the writer that looked just after another took a full batch found a few
 * writes and sent them alone or as a small second batch: with 4 worker processes, 20 single
 * calls and a dozen small batches in a 5,000-ticket burst, which spent Zendesk's 100 calls a
 * minute and stalled the burst's last tickets for half a minute.
 */
const BURST_MS = 2_000;
/**
 * With nothing due, a writer waits until the first write will be (one put back for later, a claim
 * whose lease ends), at most this long, and looks BATCH_LINGER_POLL_MS after its process adds a
 * write: it looked every 100 ms, ten rounds of five Redis calls a second per idle process. Not at
 * once: a burst's first writes would each go out alone (a call of the Update Ticket budget per
 * ticket) before the backlog reached the batch threshold; measured, 4 worker processes woken at
 * once wrote 38 tickets singly and spent the budget (80 tickets/s instead of 367).
 */
const IDLE_MS = 1_000;
/**
 * A write the budget cannot pay for yet waits (a route job goes back to the head of its queue,
 * which pauses), at most this long before the budget is asked again. The budget, not the pause,
 * is what holds the limit.
 */
export const BUDGET_RECHECK_MS = 1_000;
/** An update_many that failed without an answer: its writes, re-read, are tried again after this. */
const BATCH_FAILED_RETRY_MS = 2_000;
const FAILURE_PAUSE_MS = 1_000;

export interface RouteBacklogWriterOptions {
  readonly backlog: RouteBacklog;
  /** The Update Ticket budget `writer.zendesk` spends: asked before claiming anything. */
  readonly budget: UpdateBudget;
  readonly writer: RouteWriterDeps;
  /** update_many jobs whose per-ticket results are read later. */
  readonly batches: Queue<BatchJob>;
  /** Writes that failed here go on alone, with BullMQ's retries, back-off and dead letters. */
  readonly singles: BullmqRouteQueue;
  /** Batch through update_many once this many routing writes wait. */
  readonly batchThreshold: number;
  readonly metrics: RoutingMetrics;
  readonly logger: Logger;
}

/**
 * One writer per worker process draining the routing backlog: while the budget has a call, it
 * claims one due write (or, once `batchThreshold` wait or while a burst is on, up to 100 for one
 * update_many call) and sends it. Claims are atomic, so however many processes run, each write is held by one writer;
 * a batch stays claimed until its results are read (the settle job finishes or releases it).
 */
export class RouteBacklogWriter {
  private readonly loop: PollingLoop;

  constructor(private readonly options: RouteBacklogWriterOptions) {
    this.loop = new PollingLoop({
      step: () => this.step(),
      onError: (error) => options.logger.log('error', 'routing backlog writer failed; trying again', { error: error.message }),
      failurePauseMs: FAILURE_PAUSE_MS,
    });
    options.backlog.onQueued(() => {
      if (this.looking !== null) return;
      this.looking = setTimeout(() => {
        this.looking = null;
        this.loop.wake();
      }, BATCH_LINGER_POLL_MS);
    });
  }

  /** The look BATCH_LINGER_POLL_MS after this process added a write, while it is pending. */
  private looking: ReturnType<typeof setTimeout> | null = null;

  start(): void {
    this.loop.start();
  }

  /** Stops after the write in hand (its claim finished or released). */
  stop(): Promise<void> {
    if (this.looking !== null) clearTimeout(this.looking);
    this.looking = null;
    return this.loop.stop();
  }

  /** One round; returns how long to wait before the next (0: go on at once). Exposed for tests that step it. */
  async step(): Promise<number> {
    const { backlog, budget, batches, batchThreshold } = this.options;
    const wait = await budget.wait();
    if (wait > 0) return Math.min(wait, BUDGET_RECHECK_MS);
    const { count, oldestDueAt, nextDueAt, burst } = await backlog.waiting();
    if (count === 0) return idlePause(nextDueAt, Date.now(), IDLE_MS);
    if (count < batchThreshold && !burst) return this.writeOne();
    // The linger runs from when the oldest write fell due, not from when this writer looked:
    // writers of several processes lingering each on their own would split one batch between them.
    if (count < BATCH_MAX && oldestDueAt !== null && Date.now() - oldestDueAt < BATCH_LINGER_MS) return BATCH_LINGER_POLL_MS;
    if ((await batches.getJobCountByTypes('active', 'waiting', 'delayed')) >= MAX_OPEN_ZENDESK_JOBS) return SETTLE_POLL_MS;
    return this.writeBatch();
  }

  private async writeOne(): Promise<number> {
    const { backlog, writer, metrics } = this.options;
    const claim = await backlog.claim(1, LEASE_MS, { notInBurst: true });
    const claimed = claim?.entries[0];
    // Taken by another writer since this one looked (or not due yet on Redis's clock), or a burst
    // began meanwhile: the next look lingers for a batch.
    if (!claim || !claimed) return BATCH_LINGER_POLL_MS;
    const { entry, stalled } = claimed;
    const ids = [entry.plan.ticketId];
    let current = entry.current;
    const held = this.renew(ids, claim.token);
    try {
      const outcome = await writeRoute(entry.plan, writer, {
        ...(entry.current ? { lastRead: entry.current } : {}),
        // Its last writer died holding it, maybe mid-call: read the ticket before sending it again.
        reread: stalled,
        onReread: async (fresh) => void (current = fresh),
      });
      await held.stop();
      await backlog.finish(ids, claim.token);
      if (outcome === 'written') metrics.routed('single', 1);
      return 0;
    } catch (error) {
      await held.stop();
      const again = { ...entry, ...(current ? { current } : {}) };
      const pause = budgetPause(error);
      if (pause !== null) {
        await backlog.release([again], claim.token, 0);
        return pause;
      }
      await this.handOn([again], claim.token, error);
      return 0;
    }
  }

  private async writeBatch(): Promise<number> {
    const { backlog, writer, batches, logger } = this.options;
    // Another process's writer may have taken the batch since this one looked: what is left waits
    // for more, unless its oldest has waited the linger already (the end of a burst: one call).
    const claim = await backlog.claim(BATCH_MAX, LEASE_MS, { lingeredMs: BATCH_LINGER_MS, markBurstMs: BURST_MS });
    if (!claim) return BATCH_LINGER_POLL_MS;
    // Writes whose last writer died holding them are re-read before they are sent again: alone.
    const stalled = claim.entries.filter((claimed) => claimed.stalled).map((claimed) => claimed.entry);
    if (stalled.length > 0) await this.handOn(stalled, claim.token, null);
    const entries = claim.entries.filter((claimed) => !claimed.stalled).map((claimed) => claimed.entry);
    const ids = entries.map((entry) => entry.plan.ticketId);
    if (entries.length === 0) return 0;
    const held = this.renew(ids, claim.token);
    try {
      const sent = await sendRouteBatch(entries, writer);
      await held.stop();
      const sentIds = new Set(sent?.sent.map((entry) => entry.plan.ticketId) ?? []);
      if (sent !== null) {
        // Until the batch's results are read, its writes stay claimed: no second write of these tickets can start.
        await backlog.extend([...sentIds], claim.token, SETTLE_LEASE_MS);
        await batches.add('settle', { v: 1, zendeskJobId: sent.jobId, entries: sent.sent, claim: claim.token }, { ...JOB_OPTIONS.batches, delay: SETTLE_POLL_MS });
      }
      await backlog.finish(ids.filter((id) => !sentIds.has(id)), claim.token);
      logger.log('info', 'routing backlog sent as one update_many call', { tickets: sentIds.size, zendeskJobId: sent?.jobId });
      return 0;
    } catch (error) {
      await held.stop();
      const pause = budgetPause(error);
      if (pause !== null) {
        await backlog.release(entries, claim.token, 0);
        return pause;
      }
      await this.retryFailedBatch(entries, claim.token, error as Error);
      return 0;
    }
  }

  /**
   * update_many failed without an answer (5xx, timeout): it may have landed. The tickets are read
   * back in bulk (reads cost no Update Ticket budget): those it routed are settled, the rest go
   * back in line on their fresh fields. If even the read fails, they go on alone, re-read first.
   */
  private async retryFailedBatch(entries: readonly RouteEntry[], token: string, error: Error): Promise<void> {
    const { backlog, writer, logger } = this.options;
    logger.log('warn', 'update_many failed; reading its tickets back before trying again', { tickets: entries.length, error: error.message });
    let rebased: RouteEntry[];
    try {
      rebased = await rebaseConflicts(entries, writer);
    } catch {
      await this.handOn(entries, token, error);
      return;
    }
    const again = new Set(rebased.map((entry) => entry.plan.ticketId));
    await backlog.release(rebased, token, BATCH_FAILED_RETRY_MS);
    await backlog.finish(entries.map((entry) => entry.plan.ticketId).filter((id) => !again.has(id)), token);
  }

  /**
   * Hands writes to the routes queue, then drops them from the backlog: BullMQ's retries, back-off
   * and dead letters take them from here, re-read first (an attempt may have landed); a write
   * Zendesk refused for good (4xx) becomes a dead letter there without being sent again.
   */
  private async handOn(entries: readonly RouteEntry[], token: string, error: unknown): Promise<void> {
    const { backlog, singles, logger } = this.options;
    const refused = isZendeskError(error, 'REJECTED') || isZendeskError(error, 'NOT_FOUND') ? error.message : undefined;
    if (error !== null) logger.log('warn', 'routing write failed; retrying it on its own', { tickets: entries.map((entry) => entry.plan.ticketId).slice(0, 20), error: (error as Error).message });
    // Queued before they leave the backlog: a crash in between repeats a write's claim, never loses it.
    await Promise.all(entries.map((entry) => singles.retry(entry, refused !== undefined ? { refused } : { reread: true, backOff: error !== null })));
    await backlog.finish(entries.map((entry) => entry.plan.ticketId), token);
  }

  /** Renews the claim every LEASE_RENEW_MS until stop() (which waits for a renewal under way). */
  private renew(ids: readonly number[], token: string): { stop(): Promise<void> } {
    let renewing: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      renewing = this.options.backlog.extend(ids, token, LEASE_MS).catch((error: Error) => this.options.logger.log('warn', 'could not renew a routing claim', { error: error.message }));
    }, LEASE_RENEW_MS);
    return {
      async stop() {
        clearInterval(timer);
        await renewing;
      },
    };
  }
}

/** How long to pause when the budget could not pay for a call (spent, or Zendesk's 429 holding every call); null for any other failure. */
function budgetPause(error: unknown): number | null {
  if (isZendeskError(error, 'BUDGET_SPENT')) return Math.min(error.details.retryAfterMs ?? BUDGET_RECHECK_MS, BUDGET_RECHECK_MS);
  if (isZendeskError(error, 'RATE_LIMITED')) return BUDGET_RECHECK_MS;
  return null;
}
