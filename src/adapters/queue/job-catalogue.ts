import { z } from 'zod';
import type { RouteEntry } from '../../app/write-routes.js';
import { TIMER_KINDS, type Effect, type TimerKind } from '../../core/loop/loop-types.js';
import { CATEGORY_IDS, TIERS } from '../../core/taxonomy.js';
import { ZENDESK_STATUSES, type TicketEvent } from '../../core/ticket-event.js';

/**
 * Every queue cxloop uses, the payload schema of its jobs and their retry options. A payload is
 * parsed before a handler sees it. Evolving a payload: jobs outlive deploys (a retry can wait
 * minutes, a delayed job hours), so add optional fields, never rename or remove one in the same
 * release; a new shape gets a new `v` and the handler keeps reading the old one until no such
 * job can be left.
 */
export const QUEUE_NAMES = {
  /** Verified Zendesk events, one job per delivery (deduplicated). */
  events: 'zendesk-events',
  /** Routing writes, one per ticket; the worker's limiter is the Update Ticket budget. */
  routes: 'zendesk-routes',
  /** update_many jobs to read the per-ticket results of. */
  batches: 'zendesk-batches',
  /** Scheduled housekeeping: reconciliation against the incremental export. */
  maintenance: 'cxloop-maintenance',
  /** Loop timers: one delayed wake-up per open loop (its earliest timer). */
  timers: 'cxloop-timers',
  /** Loop effects meant for people (Slack), one job per effect. Zendesk notes go to `routes`. */
  effects: 'cxloop-effects',
} as const;

const id = z.number().int().nonnegative();
const nullableId = id.nullable();
const priority = z.enum(['urgent', 'high', 'normal', 'low']);

const snapshotSchema = z.object({
  id,
  subject: z.string(),
  description: z.string(),
  status: z.enum(ZENDESK_STATUSES).nullable(),
  priority: priority.nullable(),
  groupId: nullableId,
  assigneeId: nullableId,
  requesterId: nullableId,
  organizationId: nullableId,
  formId: nullableId,
  tags: z.array(z.string()),
  channel: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

const eventSchema = z.discriminatedUnion('kind', [
  z.object({
    key: z.string(),
    kind: z.literal('satisfaction_rated'),
    ticketId: id,
    occurredAt: z.number(),
    score: z.enum(['good', 'bad', 'offered', 'unoffered']),
    comment: z.string(),
  }),
  z.object({
    key: z.string(),
    kind: z.enum(['created', 'status_changed', 'comment_added', 'priority_changed', 'group_changed', 'assignee_changed', 'tags_changed', 'updated', 'observed']),
    ticketId: id,
    occurredAt: z.number(),
    actorId: nullableId,
    snapshot: snapshotSchema,
    change: z.object({ current: z.unknown(), previous: z.unknown() }).optional(),
    comment: z.object({ public: z.boolean(), authorId: nullableId }).optional(),
  }),
]);

const fieldsSchema = z.object({ tags: z.array(z.string()), groupId: nullableId, priority: priority.nullable(), updatedAt: z.number() });

const planSchema = z.object({
  ticketId: id,
  category: z.enum(CATEGORY_IDS),
  tier: z.enum(TIERS),
  confidence: z.number(),
  groupId: nullableId,
  priority,
  note: z.string(),
  actionTags: z.array(z.string()).optional(),
  receivedAt: z.number(),
  base: fieldsSchema,
});

const entryFields = { plan: planSchema, current: fieldsSchema.optional(), round: z.number().int().nonnegative().optional() };

export const eventJobSchema = z.object({ v: z.literal(1), event: eventSchema, receivedAt: z.number() });
/** `single`: write alone even in a backlog (a retry after update_many failed for this ticket). */
export const routeJobSchema = z.object({ v: z.literal(1), ...entryFields, single: z.boolean().optional() });
export const batchJobSchema = z.object({ v: z.literal(1), zendeskJobId: z.string(), entries: z.array(z.object(entryFields)) });

/** Short keys: a timer job's every field must stay within Redis's compact-hash value size (see timerKey). */
export const timerJobSchema = z.object({ v: z.literal(1), t: id, k: z.enum(TIMER_KINDS), a: z.number() });
/** An effect as the state machine produced it (checked there); only its type is checked here. */
export const effectJobSchema = z.object({ v: z.literal(1), ticketId: id, version: z.number().int(), effect: z.looseObject({ type: z.string() }) });
/** An internal note on the routes queue: it spends the same Update Ticket budget as routing writes. */
export const noteJobSchema = z.object({ v: z.literal(1), ticketId: id, body: z.string().min(1).max(65_000) });

export type EventJob = { v: 1; event: TicketEvent; receivedAt: number };
export type RouteJob = RouteEntry & { v: 1; single?: boolean };
export type BatchJob = { v: 1; zendeskJobId: string; entries: RouteEntry[] };

export type TimerJob = { v: 1; t: number; k: TimerKind; a: number };
export type EffectJob = { v: 1; ticketId: number; version: number; effect: Effect };
export type NoteJob = { v: 1; ticketId: number; body: string };

/** Deduplication window of webhook deliveries (Zendesk retries for minutes; 24 h is generous). */
export const DEDUPE_TTL_MS = 24 * 3_600_000;

const keepFailed = { age: 7 * 86_400 };

/** Timer jobs carry no removal options of their own (see JOB_OPTIONS.timers); their worker applies these. */
export const TIMER_WORKER_OPTIONS = { removeOnComplete: { count: 0 }, removeOnFail: keepFailed } as const;

export const JOB_OPTIONS = {
  events: { attempts: 10, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: true, removeOnFail: keepFailed },
  routes: { attempts: 12, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: true, removeOnFail: keepFailed },
  batches: { attempts: 12, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: true, removeOnFail: keepFailed },
  /** Only `attempts`: any other option would push the job out of Redis's compact encoding. Backoff and removal are the worker's. */
  timers: { attempts: 10 },
  effects: { attempts: 12, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: true, removeOnFail: keepFailed },
} as const;

/** BullMQ job ids may not contain ':' nor be all digits. */
export function routeJobId(ticketId: number): string {
  return `route-${ticketId}`;
}
