import { z } from 'zod';
import { EFFECT_TYPES, TIMER_KINDS } from '../core/loop/loop-types.js';
import type { RoutePlan } from '../core/routing/route-plan.js';
import { CATEGORY_IDS, TIERS } from '../core/taxonomy.js';
import { ticketEventSchema } from '../core/ticket-event.js';
import { ticketOf } from './log-fields.js';
import type { JobMetrics, Logger } from './ports.js';
import { ZENDESK_PRIORITIES } from '../core/ticket.js';
import { CUSTOMER_UPDATE_KINDS } from '../core/customers/customer-texts.js';

/**
 * The job catalogue: every queue cxloop uses, every kind of job on it, the payload schema of that
 * kind and its retry options, in one table. A payload is parsed (`parseJob`) before a handler
 * sees it, on every queue, Slack's included; one that does not parse fails for good and lands on
 * the dead-letter list (`cxloop dead-letters`).
 *
 * Evolving a payload: jobs outlive deploys (a retry can wait minutes, a delayed job hours), so add
 * optional fields, never rename or remove one in the same release; a new shape gets a new `v` and
 * the handler keeps reading the old one until no such job can be left. A schema is derived from
 * the same const lists as the types the producers use (core/ticket-event.ts, taxonomy.ts,
 * loop-types.ts), so a value the producer may write is always one the consumer accepts.
 */
export const QUEUE_NAMES = {
  /** Verified Zendesk events, one job per delivery (deduplicated). */
  events: 'zendesk-events',
  /** Internal notes, and routing writes retried on their own (the backlog in Redis holds the rest); paced by the Update Ticket budget. */
  routes: 'zendesk-routes',
  /** update_many jobs to read the per-ticket results of. */
  batches: 'zendesk-batches',
  /** Scheduled housekeeping: reconciliation against the incremental export. */
  maintenance: 'cxloop-maintenance',
  /**
   * Loop timers live in the timer schedule (a sorted set, RedisLoopTimers), not here. This queue
   * holds the delayed wake-ups older releases queued (one per loop, fired when due after an
   * upgrade) and firings that failed in a poller, retried here with back-off and dead letters.
   */
  timers: 'cxloop-timers',
  /** Loop effects meant for people (Slack), one job per effect. Zendesk notes go to `routes`. */
  effects: 'cxloop-effects',
  /** Acknowledged Slack requests (buttons, modals, commands) and the weekly digest. */
  slack: 'cxloop-slack',
} as const;
export type QueueId = keyof typeof QUEUE_NAMES;
export const QUEUE_IDS = Object.keys(QUEUE_NAMES) as QueueId[];

const id = z.number().int().nonnegative();
const nullableId = id.nullable();
const priority = z.enum(ZENDESK_PRIORITIES);

const fieldsSchema = z.object({ tags: z.array(z.string()).readonly(), groupId: nullableId, priority: priority.nullable(), updatedAt: z.number() });

const planSchema = z.object({
  ticketId: id,
  category: z.enum(CATEGORY_IDS),
  tier: z.enum(TIERS),
  confidence: z.number(),
  groupId: nullableId,
  priority,
  note: z.string(),
  actionTags: z.array(z.string()).readonly().optional(),
  receivedAt: z.number(),
  base: fieldsSchema,
});

const entryFields = { plan: planSchema, current: fieldsSchema.optional(), round: z.number().int().nonnegative().optional() };
/** A routing write as the backlog keeps it (RouteBacklog), and as batches and route jobs carry it. */
export const routeEntrySchema = z.object(entryFields);

const eventJobSchema = z.object({ v: z.literal(1), event: ticketEventSchema, receivedAt: z.number() });
/**
 * A routing write retried on its own (the backlog's writes that a batch could not settle, or whose
 * attempt failed): BullMQ's retries and dead letters. `reread`: an earlier attempt may have landed.
 * `refused`: Zendesk refused it for good in the backlog; the job fails with that reason without
 * sending it again (a dead letter), and drops the field first, so a replay sends it.
 * `single` is what older releases wrote (every route job is written on its own now).
 */
const routeJobSchema = z.object({ v: z.literal(1), ...entryFields, single: z.boolean().optional(), reread: z.boolean().optional(), refused: z.string().optional() });
/** An internal note on the routes queue: it spends the same Update Ticket budget as routing writes. */
const noteJobSchema = z.object({ v: z.literal(1), ticketId: id, body: z.string().min(1).max(65_000) });
/** A public comment to the requester, on the routes queue too (same budget); `key` names its effect, for the ledger. */
const customerUpdateJobSchema = z.object({ v: z.literal(1), ticketId: id, key: z.string().min(1).max(100), kind: z.enum(CUSTOMER_UPDATE_KINDS), etaAt: z.number().nullable() });
/** `claim`: the token of the backlog claim that holds these writes until they settle (absent in jobs of older releases). */
const batchJobSchema = z.object({ v: z.literal(1), zendeskJobId: z.string(), entries: z.array(routeEntrySchema), claim: z.string().optional() });
/** The scheduler's reconciliation tick carries nothing. */
const reconcileJobSchema = z.looseObject({});
/** Short keys: a timer job's every field must stay within Redis's compact-hash value size (see timerKey). */
const timerJobSchema = z.object({ v: z.literal(1), t: id, k: z.enum(TIMER_KINDS), a: z.number() });
/** An effect as the state machine produced it (its fields are checked there); its type is one the notifier handles. */
const effectJobSchema = z.object({ v: z.literal(1), ticketId: id, version: z.number().int(), effect: z.looseObject({ type: z.enum(EFFECT_TYPES) }) });

const slackUser = z.string().regex(/^[UW][A-Z0-9]+$/);
const slackTicketId = z.number().int().positive();
const slackSource = { user: slackUser, responseUrl: z.string().url().nullable(), channel: z.string().nullable(), key: z.string().min(1).max(200) };
/** One job per Slack interaction, its id derived from the interaction, so a retried request is done once. */
const slackJobSchema = z.discriminatedUnion('kind', [
  z.object({ v: z.literal(1), kind: z.literal('acknowledge'), ticketId: slackTicketId, ...slackSource }),
  z.object({ v: z.literal(1), kind: z.literal('take'), ticketId: slackTicketId, ...slackSource }),
  z.object({ v: z.literal(1), kind: z.literal('snooze'), ticketId: slackTicketId, minutes: z.number().int().positive(), ...slackSource }),
  z.object({ v: z.literal(1), kind: z.literal('reassign'), ticketId: slackTicketId, category: z.enum(CATEGORY_IDS), ...slackSource }),
  z.object({ v: z.literal(1), kind: z.literal('post_update'), ticketId: slackTicketId, text: z.string().min(1).max(3000), etaHours: z.number().positive().nullable(), ...slackSource }),
  z.object({ v: z.literal(1), kind: z.literal('status'), ticketId: slackTicketId, ...slackSource }),
  z.object({ v: z.literal(1), kind: z.literal('report'), days: z.number().int().positive(), ...slackSource }),
  z.object({ v: z.literal(1), kind: z.literal('home'), user: slackUser }),
  z.object({ v: z.literal(1), kind: z.literal('weekly_digest') }),
]);

interface JobSpec {
  readonly queue: QueueId;
  readonly schema: z.ZodType;
}

/**
 * Every kind of job, the queue it lives on and its payload. Job names on a queue: `events`
 * 'ticket-event'; `routes` 'route', 'note' or 'customer_update'; `batches` 'settle'; `maintenance` 'reconcile';
 * `timers` the timer kind; `effects` the effect type; `slack` the Slack job's kind.
 */
export const JOB_CATALOGUE = {
  event: { queue: 'events', schema: eventJobSchema },
  route: { queue: 'routes', schema: routeJobSchema },
  note: { queue: 'routes', schema: noteJobSchema },
  customer_update: { queue: 'routes', schema: customerUpdateJobSchema },
  settle: { queue: 'batches', schema: batchJobSchema },
  reconcile: { queue: 'maintenance', schema: reconcileJobSchema },
  timer: { queue: 'timers', schema: timerJobSchema },
  effect: { queue: 'effects', schema: effectJobSchema },
  slack: { queue: 'slack', schema: slackJobSchema },
} as const satisfies Record<string, JobSpec>;
export type JobKind = keyof typeof JOB_CATALOGUE;
export type JobPayload<K extends JobKind> = z.infer<(typeof JOB_CATALOGUE)[K]['schema']>;

export type EventJob = JobPayload<'event'>;
export type RouteJob = JobPayload<'route'>;
export type NoteJob = JobPayload<'note'>;
export type CustomerUpdateJob = JobPayload<'customer_update'>;
export type BatchJob = JobPayload<'settle'>;
export type TimerJob = JobPayload<'timer'>;
export type EffectJob = JobPayload<'effect'>;
export type SlackJob = JobPayload<'slack'>;
export type SlackJobKind = SlackJob['kind'];

// Compile-time check, both ways: a RoutePlan the planner builds is a payload the route worker accepts.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const planMatchesSchema: Same<z.infer<typeof planSchema>, RoutePlan> = true;
void planMatchesSchema;

/** Raised when a queued payload does not match its catalogue schema: retrying cannot help. */
export class JobPayloadError extends Error {
  readonly code = 'cxloop:job_payload';
  constructor(message: string) {
    super(message);
    // BullMQ fails a job for good, without further attempts, when the error's name is
    // 'UnrecoverableError' (bullmq/src/classes/job.ts, moveToFailed: `err.name == 'UnrecoverableError'`),
    // so the app layer needs no BullMQ import to say so.
    this.name = 'UnrecoverableError';
  }
}

/** The one parse-or-fail step of every worker: the payload of a job of `kind`, or JobPayloadError. */
export function parseJob<K extends JobKind>(kind: K, job: { readonly name: string; readonly id?: string | undefined; readonly data: unknown }): JobPayload<K> {
  const parsed = JOB_CATALOGUE[kind].schema.safeParse(job.data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.') || 'payload'}: ${issue.message}` : 'invalid';
    throw new JobPayloadError(`job ${job.name} (${job.id ?? 'no id'}) on ${QUEUE_NAMES[JOB_CATALOGUE[kind].queue]} does not match its schema: ${where}`.slice(0, 500));
  }
  return parsed.data as JobPayload<K>;
}

/** A failed job as a worker reports it (BullMQ's Job, seen only for what these need). */
interface FailedJob {
  readonly name: string;
  readonly id?: string | undefined;
  readonly data: unknown;
  readonly attemptsMade: number;
  readonly opts: { readonly attempts?: number | undefined };
}

/** Whether a failed attempt was the job's last: BullMQ moves it to its queue's failed set, the dead letters. */
export function failedForGood(job: Pick<FailedJob, 'attemptsMade' | 'opts'> | undefined, error: Error): boolean {
  if (job === undefined) return false;
  return error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
}

/**
 * What every worker does with a failed attempt, whatever its queue: a warning; or, when the job
 * has failed for good, an error and the dead-letter counter (it stays in its queue's failed set:
 * `cxloop dead-letters` lists and replays it).
 */
export function reportJobFailure(queue: string, job: FailedJob | undefined, error: Error, deps: { readonly logger: Logger; readonly metrics: JobMetrics }): void {
  const dead = failedForGood(job, error);
  if (dead) deps.metrics.deadLettered(queue);
  deps.logger.log(dead ? 'error' : 'warn', dead ? 'job failed for good (dead letter; see cxloop dead-letters)' : 'job failed', {
    queue,
    job: job?.name,
    jobId: job?.id,
    ...ticketOf(job?.data),
    attempt: job?.attemptsMade,
    error: error.message,
  });
}

/** Deduplication window of webhook deliveries (Zendesk retries for minutes; 24 h is generous). */
export const DEDUPE_TTL_MS = 24 * 3_600_000;

/** Jobs that failed for good (the dead letters) are kept this long for `cxloop dead-letters`. */
export const DEAD_LETTER_KEEP_S = 30 * 86_400;
const keepFailed = { age: DEAD_LETTER_KEEP_S };

/** Timer jobs carry no removal options of their own (see JOB_OPTIONS.timers); their worker applies these. */
export const TIMER_WORKER_OPTIONS = { removeOnComplete: { count: 0 }, removeOnFail: keepFailed } as const;

export const JOB_OPTIONS = {
  events: { attempts: 10, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: true, removeOnFail: keepFailed },
  routes: { attempts: 12, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: true, removeOnFail: keepFailed },
  batches: { attempts: 12, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: true, removeOnFail: keepFailed },
  maintenance: { removeOnComplete: true, removeOnFail: { count: 100 } },
  /** Only `attempts`: any other option would push the job out of Redis's compact encoding. Backoff and removal are the worker's. */
  timers: { attempts: 10 },
  effects: { attempts: 12, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: true, removeOnFail: keepFailed },
  slack: { attempts: 5, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: true, removeOnFail: keepFailed },
} as const satisfies Record<QueueId, object>;

/** BullMQ job ids may not contain ':' nor be all digits. */
export function routeJobId(ticketId: number): string {
  return `route-${ticketId}`;
}
