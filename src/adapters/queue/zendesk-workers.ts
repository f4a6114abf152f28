import { DelayedError, Queue, RateLimitError, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { addLoopNote } from '../../app/add-loop-note.js';
import { handleTicketEvent, type TicketEventDeps } from '../../app/handle-ticket-event.js';
import { ZENDESK_BULK_LIMIT as BATCH_MAX, type EventInbox, type JobMetrics, type Logger, type PeopleDirectory, type RoutingMetrics, type UpdateBudget } from '../../app/ports.js';
import { pollSurveyResponses, type SurveyPollDeps } from '../../app/poll-survey-responses.js';
import { sendCustomerUpdate, type CustomerUpdateDeps } from '../../app/send-customer-update.js';
import { reconcileTickets, type ReconcileDeps } from '../../app/reconcile-tickets.js';
import { rebaseConflicts, sendRouteBatch, settleRouteBatch, writeRoute, type RouteEntry, type RouteWriterDeps } from '../../app/write-routes.js';
import { isZendeskError, ZendeskApiError } from '../../app/zendesk-api-error.js';
import type { RoutePlan } from '../../core/routing/route-plan.js';
import { BullmqEventInbox } from './bullmq-event-inbox.js';
import { BullmqEffectQueue, BullmqLoopTimers } from './bullmq-loop-queues.js';
import { BullmqRouteQueue } from './bullmq-route-queue.js';
import { logWorkerFailures } from './worker-support.js';
import {
  JOB_CATALOGUE,
  JOB_OPTIONS,
  parseJob,
  QUEUE_NAMES,
  type BatchJob,
  type CustomerUpdateJob,
  type EffectJob,
  type EventJob,
  type NoteJob,
  type RouteJob,
  type TimerJob,
} from '../../app/job-catalogue.js';

/**
 * Give up on a job Zendesk rate-limited after it was started this many times (a rate-limited run
 * is not an attempt). Starts include the waits for the Update Ticket budget: about one a second
 * while the job is at the head of a queue whose budget is spent.
 */
const MAX_RATE_LIMITED_STARTS = 1_000;
/**
 * A routing job the budget cannot pay for yet goes back to the head of the queue, and the queue
 * (every worker process) pauses until a call is free, at most this long before the budget is asked
 * again. The budget, not the pause, is what holds the limit.
 */
const BUDGET_RECHECK_MS = 1_000;
/**
 * The routes worker's BullMQ limiter never binds (the budget paces the calls, in every sliding
 * window); it is configured only because queue.rateLimit() pauses a queue through it.
 */
const LIMITER_NEVER_BINDS = 1_000_000;
const SETTLE_POLL_MS = 1_000;
/** Zendesk allows 30 update_many jobs queued or running per account; stay below. */
const MAX_OPEN_ZENDESK_JOBS = 25;
/**
 * In a burst, webhooks keep arriving while a batch is built: waiting up to this long for a full
 * batch (checked every BATCH_LINGER_POLL_MS) fills calls with up to 100 tickets instead of
 * spending the Update Ticket budget on small ones. Only paid when a backlog already exists.
 */
const BATCH_LINGER_MS = 1_000;
const BATCH_LINGER_POLL_MS = 100;
/** Conflicted batch entries are re-read and batched again this many times before going alone. */
const MAX_BATCH_ROUNDS = 2;
const SETTLE_GIVE_UP_MS = 15 * 60_000;
/** Entries kept in each queue's BullMQ event stream (approximate trim). */
const EVENT_STREAM_MAX = 500;

export interface ZendeskQueuesOptions {
  /** Producer connection: fails fast (enableOfflineQueue false) so a webhook gets 503, not a hang. */
  readonly producer: Redis;
  readonly prefix: string;
  /** cxloop's clock: timer delays are due times minus now. */
  readonly now: () => number;
}

/** The producer side: queues the HTTP handlers and use-cases write to. */
export class ZendeskQueues {
  readonly events: Queue<EventJob>;
  readonly routes: Queue<RouteJob | NoteJob | CustomerUpdateJob>;
  readonly batches: Queue<BatchJob>;
  readonly maintenance: Queue;
  readonly timers: Queue<TimerJob>;
  readonly effects: Queue<EffectJob>;
  readonly inbox: EventInbox;
  readonly routeQueue: BullmqRouteQueue;
  readonly loopTimers: BullmqLoopTimers;
  readonly effectQueue: BullmqEffectQueue;

  constructor(private readonly options: ZendeskQueuesOptions) {
    // Nobody reads BullMQ's event streams (no QueueEvents): keep them short, not the default 10,000 per queue.
    const queueOptions = { connection: options.producer, prefix: options.prefix, streams: { events: { maxLen: EVENT_STREAM_MAX } } };
    this.events = new Queue<EventJob>(QUEUE_NAMES.events, queueOptions);
    this.routes = new Queue<RouteJob | NoteJob | CustomerUpdateJob>(QUEUE_NAMES.routes, queueOptions);
    this.batches = new Queue<BatchJob>(QUEUE_NAMES.batches, queueOptions);
    this.maintenance = new Queue(QUEUE_NAMES.maintenance, queueOptions);
    this.timers = new Queue<TimerJob>(QUEUE_NAMES.timers, queueOptions);
    this.effects = new Queue<EffectJob>(QUEUE_NAMES.effects, queueOptions);
    this.inbox = new BullmqEventInbox(this.events);
    this.routeQueue = new BullmqRouteQueue(this.routes as Queue<RouteJob>);
    this.loopTimers = new BullmqLoopTimers(this.timers, options.producer, options.now);
    this.effectQueue = new BullmqEffectQueue(this.effects, this.routes);
  }

  async close(): Promise<void> {
    await Promise.all([this.events, this.routes, this.batches, this.maintenance, this.timers, this.effects].map((queue) => queue.close()));
  }

  get prefix(): string {
    return this.options.prefix;
  }
}

export interface ZendeskWorkersOptions {
  readonly queues: ZendeskQueues;
  readonly connection: ConnectionOptions;
  readonly events: Omit<TicketEventDeps, 'routes'>;
  readonly writer: RouteWriterDeps;
  /** Names for the people the loop's internal notes mention. */
  readonly people: PeopleDirectory;
  /** Public comments to requesters (customer_update jobs). */
  readonly customers: CustomerUpdateDeps;
  readonly reconcile: Omit<ReconcileDeps, 'inbox'> & { readonly everyMs: number };
  /** Survey responses (Zendesk's current CSAT), read on the reconciliation's schedule. */
  readonly surveys: Omit<SurveyPollDeps, 'inbox'>;
  /** The Update Ticket budget `writer.zendesk` spends (asked before a routing job starts work). */
  readonly budget: UpdateBudget;
  /** Batch through update_many once this many routing writes wait (this one included). */
  readonly batchThreshold: number;
  readonly metrics: RoutingMetrics;
  readonly jobs: JobMetrics;
  readonly logger: Logger;
  readonly eventConcurrency?: number;
}

export interface ZendeskWorkers {
  readonly workers: readonly Worker[];
  close(): Promise<void>;
}

/**
 * Starts the workers that turn events into routed tickets: events -> classify and plan; routes ->
 * one Update Ticket per ticket, or update_many when a backlog waits, each call paid from the
 * account's Update Ticket budget (shared in Redis; a batch is one call); batches -> per-ticket results;
 * maintenance -> reconciliation, then the survey responses, every `reconcile.everyMs`.
 */
export async function startZendeskWorkers(options: ZendeskWorkersOptions): Promise<ZendeskWorkers> {
  const { queues, logger, metrics } = options;
  const base = { connection: options.connection, prefix: queues.prefix };
  const eventDeps: TicketEventDeps = { ...options.events, routes: queues.routeQueue };

  const events = new Worker<EventJob>(
    QUEUE_NAMES.events,
    async (job) => {
      const data = parseJob('event', job);
      metrics.event(await handleTicketEvent(data.event, data.receivedAt, eventDeps));
    },
    { ...base, concurrency: options.eventConcurrency ?? 8 },
  );

  const routes = new Worker<RouteJob | NoteJob | CustomerUpdateJob>(
    QUEUE_NAMES.routes,
    async (job, token) => {
      try {
        const wait = await options.budget.wait();
        if (wait > 0) throw new ZendeskApiError('BUDGET_SPENT', 'Update Ticket budget spent', { retryAfterMs: wait });
        if (job.name === 'note') {
          const note = parseJob('note', job);
          await addLoopNote(note.ticketId, note.body, { zendesk: options.writer.zendesk, people: options.people });
          return;
        }
        if (job.name === 'customer_update') {
          const outcome = await sendCustomerUpdate(parseJob('customer_update', job), options.customers);
          // Too soon after the ticket's last comment: the job waits (in BullMQ's clock) for the cadence.
          if (!outcome.sent && outcome.reason === 'cadence') {
            await job.moveToDelayed(Date.now() + Math.max(0, outcome.until - options.customers.now()), token);
            throw new DelayedError();
          }
          return;
        }
        await routeOne(parseJob('route', job), job as Job<RouteJob>);
      } catch (error) {
        await translateZendeskError(error, job, queues.routes);
      }
    },
    { ...base, concurrency: 1, limiter: { max: LIMITER_NEVER_BINDS, duration: 60_000 } },
  );

  async function routeOne(data: RouteJob, job: Job<RouteJob>): Promise<void> {
    let others = data.single ? [] : await takeBacklog(job);
    if (others.length + 1 < options.batchThreshold) {
      const outcome = await writeRoute(data.plan, options.writer, {
        ...(data.current ? { lastRead: data.current } : {}),
        // A failed attempt, or a worker that died mid-call (a stalled job), may have sent the write:
        // read the ticket before sending it again. (A start the rate limit turned back sent nothing.)
        reread: job.attemptsMade > 0 || job.stalledCounter > 0,
        onReread: (current) => job.updateData({ ...data, current }),
      });
      if (outcome === 'written') metrics.routed('single', 1);
      return;
    }
    if (others.length < BATCH_MAX - 1) {
      const until = Date.now() + BATCH_LINGER_MS;
      while (Date.now() < until && (await queues.routes.getWaitingCount()) < BATCH_MAX - 1) {
        await new Promise((resolve) => setTimeout(resolve, BATCH_LINGER_POLL_MS));
      }
      others = await takeBacklog(job);
    }
    const open = await queues.batches.getJobCountByTypes('active', 'waiting', 'delayed');
    if (open >= MAX_OPEN_ZENDESK_JOBS) {
      throw new ZendeskApiError('RATE_LIMITED', `${open} update_many jobs still open in Zendesk`, { retryAfterMs: SETTLE_POLL_MS });
    }
    const entries: RouteEntry[] = [entryOf(data), ...others.map((other) => other.entry)];
    const sent = await sendRouteBatch(entries, options.writer);
    if (sent !== null) {
      await queues.batches.add('settle', { v: 1, zendeskJobId: sent.jobId, entries: sent.sent }, { ...JOB_OPTIONS.batches, delay: SETTLE_POLL_MS });
    }
    // Only now: until the batch job is stored, the waiting jobs are what keeps these tickets.
    await Promise.all(others.map((other) => queues.routes.remove(other.id)));
    logger.log('info', 'routing backlog sent as one update_many call', { tickets: entries.length, zendeskJobId: sent?.jobId });
  }

  /** Up to 99 other routing jobs waiting, oldest first, that may share this call. */
  async function takeBacklog(job: Job<RouteJob>): Promise<{ id: string; entry: RouteEntry }[]> {
    const waiting = await queues.routes.getJobs(['wait'], 0, BATCH_MAX * 2, true);
    const taken: { id: string; entry: RouteEntry }[] = [];
    for (const candidate of waiting) {
      if (taken.length >= BATCH_MAX - 1) break;
      if (candidate.id === undefined || candidate.id === job.id) continue;
      const parsed = JOB_CATALOGUE.route.schema.safeParse(candidate.data);
      if (parsed.success && !parsed.data.single && parsed.data.plan.ticketId !== (job.data as RouteJob).plan.ticketId) {
        taken.push({ id: candidate.id, entry: entryOf(parsed.data) });
      }
    }
    return taken;
  }

  const batches = new Worker<BatchJob>(
    QUEUE_NAMES.batches,
    async (job, token) => {
      const data = parseJob('settle', job);
      const settled = await settleRouteBatch(data.zendeskJobId, data.entries, options.writer);
      if (!settled.finished) {
        if (Date.now() - job.timestamp > SETTLE_GIVE_UP_MS) {
          logger.log('warn', 'update_many job never finished; writing its tickets one by one', { zendeskJobId: data.zendeskJobId });
          await requeueSingly(data.entries.map((entry) => entry.plan));
          return;
        }
        await job.moveToDelayed(Date.now() + SETTLE_POLL_MS, token);
        throw new DelayedError();
      }
      metrics.routed('batch', settled.routed);
      // Conflicts are re-read in bulk and batched again; after MAX_BATCH_ROUNDS they go one by one.
      const again = settled.retry.filter((entry) => (entry.round ?? 0) < MAX_BATCH_ROUNDS);
      await requeueSingly(settled.retry.filter((entry) => (entry.round ?? 0) >= MAX_BATCH_ROUNDS).map((entry) => entry.plan));
      if (again.length > 0) {
        for (const entry of await rebaseConflicts(again, options.writer)) await queues.routeQueue.retry(entry);
      }
    },
    { ...base, concurrency: 4 },
  );

  async function requeueSingly(plans: readonly RoutePlan[]): Promise<void> {
    await Promise.all(plans.map((plan) => queues.routeQueue.retry({ plan }, { single: true })));
  }

  const maintenance = new Worker(
    QUEUE_NAMES.maintenance,
    async (job) => {
      parseJob('reconcile', job);
      await reconcileTickets({ ...options.reconcile, inbox: queues.inbox });
      await pollSurveyResponses({ ...options.surveys, inbox: queues.inbox });
    },
    { ...base, concurrency: 1 },
  );
  const workers = [events, routes, batches, maintenance];
  try {
    await queues.maintenance.upsertJobScheduler(
      'zendesk-reconcile',
      { every: options.reconcile.everyMs },
      { name: 'reconcile', opts: JOB_OPTIONS.maintenance },
    );
  } catch (error) {
    // A start that fails here leaves no worker connected.
    await Promise.all(workers.map((worker) => worker.close()));
    throw error;
  }
  logWorkerFailures(workers, logger, options.jobs);
  return {
    workers,
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}

function entryOf(job: RouteJob): RouteEntry {
  return { plan: job.plan, ...(job.current ? { current: job.current } : {}), ...(job.round !== undefined ? { round: job.round } : {}) };
}

/**
 * Zendesk failures -> BullMQ outcomes: a spent budget puts the job back and pauses the queue until
 * a call is free; 429 pauses the whole queue for Retry-After; 4xx fails for good.
 */
async function translateZendeskError(error: unknown, job: Job, queue: Queue): Promise<never> {
  if (error instanceof DelayedError) throw error;
  if (isZendeskError(error, 'BUDGET_SPENT')) {
    await queue.rateLimit(Math.min(error.details.retryAfterMs ?? BUDGET_RECHECK_MS, BUDGET_RECHECK_MS));
    throw new RateLimitError();
  }
  if (isZendeskError(error, 'RATE_LIMITED')) {
    if (job.attemptsStarted > MAX_RATE_LIMITED_STARTS) throw new UnrecoverableError(`rate limited ${job.attemptsStarted} times: ${error.message}`);
    await queue.rateLimit(error.details.retryAfterMs ?? 60_000);
    throw new RateLimitError();
  }
  if (isZendeskError(error, 'REJECTED') || isZendeskError(error, 'NOT_FOUND')) throw new UnrecoverableError(error.message);
  throw error;
}
