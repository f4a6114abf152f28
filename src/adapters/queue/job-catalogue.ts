import { z } from 'zod';
import type { RouteEntry } from '../../app/write-routes.js';
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
  receivedAt: z.number(),
  base: fieldsSchema,
});

const entryFields = { plan: planSchema, current: fieldsSchema.optional(), round: z.number().int().nonnegative().optional() };

export const eventJobSchema = z.object({ v: z.literal(1), event: eventSchema, receivedAt: z.number() });
/** `single`: write alone even in a backlog (a retry after update_many failed for this ticket). */
export const routeJobSchema = z.object({ v: z.literal(1), ...entryFields, single: z.boolean().optional() });
export const batchJobSchema = z.object({ v: z.literal(1), zendeskJobId: z.string(), entries: z.array(z.object(entryFields)) });

export type EventJob = { v: 1; event: TicketEvent; receivedAt: number };
export type RouteJob = RouteEntry & { v: 1; single?: boolean };
export type BatchJob = { v: 1; zendeskJobId: string; entries: RouteEntry[] };

/** Deduplication window of webhook deliveries (Zendesk retries for minutes; 24 h is generous). */
export const DEDUPE_TTL_MS = 24 * 3_600_000;

const keepFailed = { age: 7 * 86_400 };

export const JOB_OPTIONS = {
  events: { attempts: 10, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: true, removeOnFail: keepFailed },
  routes: { attempts: 12, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: true, removeOnFail: keepFailed },
  batches: { attempts: 12, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: true, removeOnFail: keepFailed },
} as const;

/** BullMQ job ids may not contain ':' nor be all digits. */
export function routeJobId(ticketId: number): string {
  return `route-${ticketId}`;
}
