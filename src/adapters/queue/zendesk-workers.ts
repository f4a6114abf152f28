import { DelayedError, Queue, RateLimitError, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { addLoopNote } from '../../app/add-loop-note.js';
import { handleTicketEvent, type TicketEventDeps } from '../../app/handle-ticket-event.js';
import type { EventInbox, JobMetrics, Logger, LoopTimerSchedule, PeopleDirectory, RouteBacklog, RoutingMetrics, UpdateBudget } from '../../app/ports.js';
import { pollSurveyResponses, type SurveyPollDeps } from '../../app/poll-survey-responses.js';
import { sendCustomerUpdate, type CustomerUpdateDeps } from '../../app/send-customer-update.js';
import { reconcileTickets, type ReconcileDeps } from '../../app/reconcile-tickets.js';
import { rebaseConflicts, settleRouteBatch, writeRoute, type RouteWriterDeps } from '../../app/write-routes.js';
import { isZendeskError, ZendeskApiError } from '../../app/zendesk-api-error.js';
import { BullmqEventInbox } from './bullmq-event-inbox.js';
import { BullmqEffectQueue, BullmqLoopTimers } from './bullmq-loop-queues.js';
import { BullmqRouteQueue } from './bullmq-route-queue.js';
import { BUDGET_RECHECK_MS, RouteBacklogWriter, SETTLE_GIVE_UP_MS, SETTLE_POLL_MS } from './route-backlog-writer.js';
import { logWorkerFailures } from './worker-support.js';
import {
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
 * The routes worker's BullMQ limiter never binds (the budget paces the calls, in every sliding
 * window); it is configured only because queue.rateLimit() pauses a queue through it.
 */
const LIMITER_NEVER_BINDS = 1_000_000;
/** Conflicted batch entries are re-read and batched again this many times before going alone. */
const MAX_BATCH_ROUNDS = 2;
/** Entries kept in each queue's BullMQ event stream (approximate trim). */
const EVENT_STREAM_MAX = 500;

export interface ZendeskQueuesOptions {
  /** Producer connection: fails fast (enableOfflineQueue false) so a webhook gets 503, not a hang. */
  readonly producer: Redis | Cluster;
  /** BullMQ's prefix of each queue (a hash tag per queue on a Redis Cluster). */
  readonly prefix: (queue: string) => string;
  /** The loop timers (in Redis, claimed in batches by each worker's LoopTimerPoller). */
  readonly timers: LoopTimerSchedule;
  /** The routing writes waiting for Zendesk (in Redis, claimed atomically by the workers' writers). */
  readonly backlog: RouteBacklog;
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
  readonly backlog: RouteBacklog;
  readonly routeQueue: BullmqRouteQueue;
  readonly loopTimers: LoopTimerSchedule;
  /** The cxloop-timers queue: older releases' timer jobs, and firings handed over for retries. */
  readonly timerJobs: BullmqLoopTimers;
  readonly effectQueue: BullmqEffectQueue;

  constructor(private readonly options: ZendeskQueuesOptions) {
    // Nobody reads BullMQ's event streams (no QueueEvents): keep them short, not the default 10,000 per queue.
    const queueOptions = (queue: string) => ({ connection: options.producer, prefix: options.prefix(queue), streams: { events: { maxLen: EVENT_STREAM_MAX } } });
    this.events = new Queue<EventJob>(QUEUE_NAMES.events, queueOptions(QUEUE_NAMES.events));
    this.routes = new Queue<RouteJob | NoteJob | CustomerUpdateJob>(QUEUE_NAMES.routes, queueOptions(QUEUE_NAMES.routes));
    this.batches = new Queue<BatchJob>(QUEUE_NAMES.batches, queueOptions(QUEUE_NAMES.batches));
    this.maintenance = new Queue(QUEUE_NAMES.maintenance, queueOptions(QUEUE_NAMES.maintenance));
    this.timers = new Queue<TimerJob>(QUEUE_NAMES.timers, queueOptions(QUEUE_NAMES.timers));
    this.effects = new Queue<EffectJob>(QUEUE_NAMES.effects, queueOptions(QUEUE_NAMES.effects));
    this.inbox = new BullmqEventInbox(this.events);
    this.backlog = options.backlog;
    this.routeQueue = new BullmqRouteQueue(this.routes as Queue<RouteJob>);
    this.loopTimers = options.timers;
    this.timerJobs = new BullmqLoopTimers(this.timers, options.producer);
    this.effectQueue = new BullmqEffectQueue(this.effects, this.routes);
  }

  async close(): Promise<void> {
    await Promise.all([this.events, this.routes, this.batches, this.maintenance, this.timers, this.effects].map((queue) => queue.close()));
  }

  get prefix(): (queue: string) => string {
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
 * Starts the workers that turn events into routed tickets: events -> classify and plan, the write
 * into the routing backlog; the backlog writer -> one Update Ticket per ticket, or update_many
 * when a backlog waits, each call paid from the account's Update Ticket budget (shared in Redis; a
 * batch is one call); routes -> notes and writes retried alone; batches -> per-ticket results;
 * maintenance -> reconciliation, then the survey responses, every `reconcile.everyMs`.
 */
export async function startZendeskWorkers(options: ZendeskWorkersOptions): Promise<ZendeskWorkers> {
  const { queues, logger, metrics } = options;
  const base = (queue: string) => ({ connection: options.connection, prefix: queues.prefix(queue) });
  const eventDeps: TicketEventDeps = { ...options.events, routes: queues.backlog };

  const events = new Worker<EventJob>(
    QUEUE_NAMES.events,
    async (job) => {
      const data = parseJob('event', job);
      metrics.event(await handleTicketEvent(data.event, data.receivedAt, eventDeps));
    },
    { ...base(QUEUE_NAMES.events), concurrency: options.eventConcurrency ?? 8 },
  );

  // Notes, public comments, and routing writes retried on their own (the backlog writer below sends the rest).
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
        await routeAlone(parseJob('route', job), job as Job<RouteJob>);
      } catch (error) {
        await translateZendeskError(error, job, queues.routes);
      }
    },
    { ...base(QUEUE_NAMES.routes), concurrency: 1, limiter: { max: LIMITER_NEVER_BINDS, duration: 60_000 } },
  );

  async function routeAlone(data: RouteJob, job: Job<RouteJob>): Promise<void> {
    if (data.refused !== undefined) {
      // Refused for good in the backlog: a dead letter at once, without the marker, so a replay sends it.
      const { refused, ...rest } = data;
      await job.updateData(rest);
      throw new ZendeskApiError('REJECTED', refused);
    }
    const outcome = await writeRoute(data.plan, options.writer, {
      ...(data.current ? { lastRead: data.current } : {}),
      // An earlier attempt (here or in the backlog), or a worker that died mid-call (a stalled job),
      // may have sent the write: read the ticket before sending it again. (A start the rate limit
      // turned back sent nothing.)
      reread: data.reread === true || job.attemptsMade > 0 || job.stalledCounter > 0,
      onReread: (current) => job.updateData({ ...data, current }),
    });
    if (outcome === 'written') metrics.routed('single', 1);
  }

  const writer = new RouteBacklogWriter({
    backlog: queues.backlog,
    budget: options.budget,
    writer: options.writer,
    batches: queues.batches,
    singles: queues.routeQueue,
    batchThreshold: options.batchThreshold,
    metrics,
    logger,
  });

  const batches = new Worker<BatchJob>(
    QUEUE_NAMES.batches,
    async (job, token) => {
      const data = parseJob('settle', job);
      const settled = await settleRouteBatch(data.zendeskJobId, data.entries, options.writer);
      const ids = data.entries.map((entry) => entry.plan.ticketId);
      if (!settled.finished) {
        if (Date.now() - job.timestamp > SETTLE_GIVE_UP_MS) {
          logger.log('warn', 'update_many job never finished; writing its tickets one by one', { zendeskJobId: data.zendeskJobId });
          await Promise.all(data.entries.map((entry) => queues.routeQueue.retry({ plan: entry.plan }, { reread: true })));
          if (data.claim !== undefined) await queues.backlog.finish(ids, data.claim);
          return;
        }
        await job.moveToDelayed(Date.now() + SETTLE_POLL_MS, token);
        throw new DelayedError();
      }
      metrics.routed('batch', settled.routed);
      // Conflicts are re-read in bulk and batched again; after MAX_BATCH_ROUNDS they go one by one.
      const alone = settled.retry.filter((entry) => (entry.round ?? 0) >= MAX_BATCH_ROUNDS);
      await Promise.all(alone.map((entry) => queues.routeQueue.retry({ plan: entry.plan })));
      const again = settled.retry.filter((entry) => (entry.round ?? 0) < MAX_BATCH_ROUNDS);
      const rebased = again.length > 0 ? await rebaseConflicts(again, options.writer) : [];
      if (data.claim === undefined) {
        // A batch of an older release: its writes are not in the backlog; they go on alone.
        await Promise.all(rebased.map((entry) => queues.routeQueue.retry(entry)));
        return;
      }
      // The claim taken when the batch was sent still holds these writes: back in line, or done.
      await queues.backlog.release(rebased, data.claim, 0);
      const back = new Set(rebased.map((entry) => entry.plan.ticketId));
      await queues.backlog.finish(ids.filter((id) => !back.has(id)), data.claim);
    },
    { ...base(QUEUE_NAMES.batches), concurrency: 4 },
  );

  const maintenance = new Worker(
    QUEUE_NAMES.maintenance,
    async (job) => {
      parseJob('reconcile', job);
      await reconcileTickets({ ...options.reconcile, inbox: queues.inbox });
      await pollSurveyResponses({ ...options.surveys, inbox: queues.inbox });
    },
    { ...base(QUEUE_NAMES.maintenance), concurrency: 1 },
  );
  const workers = [events, routes, batches, maintenance];
  writer.start();
  try {
    await queues.maintenance.upsertJobScheduler(
      'zendesk-reconcile',
      { every: options.reconcile.everyMs },
      { name: 'reconcile', opts: JOB_OPTIONS.maintenance },
    );
  } catch (error) {
    // A start that fails here leaves no worker connected.
    await Promise.all([writer.stop(), ...workers.map((worker) => worker.close())]);
    throw error;
  }
  logWorkerFailures(workers, logger, options.jobs);
  return {
    workers,
    async close() {
      await Promise.all([writer.stop(), ...workers.map((worker) => worker.close())]);
    },
  };
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
