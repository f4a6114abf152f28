import { z } from 'zod';
import { ZENDESK_PRIORITIES } from './ticket.js';

/**
 * What cxloop learns about a Zendesk ticket, independent of how it arrived (event-subscription
 * webhook, trigger webhook, or the incremental export read by reconciliation). The Zendesk
 * adapter parses its wire formats onto these types; nothing here knows about HTTP.
 *
 * Each list below is the one source of its values: the zod schemas (which check every queued
 * event before a handler sees it) and the TypeScript types are derived from it, so a value added
 * here is accepted everywhere at once, and a switch over it that forgets the value fails `tsc`.
 *
 * Every ticket status in Zendesk's ticket schemas. `archived`: closed long enough ago that Zendesk
 * archived it; `scrubbed`: deleted and then scrubbed, its content erased.
 * https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/
 */
export const ZENDESK_STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed', 'deleted', 'archived', 'scrubbed'] as const;
export type ZendeskStatus = (typeof ZENDESK_STATUSES)[number];

/** Statuses of a ticket that is done with for good: it is not routed when first seen, and its loop ends. */
export const FINAL_STATUSES: readonly ZendeskStatus[] = ['closed', 'deleted', 'archived', 'scrubbed'];

/** Kinds of a ticket change; `updated` is another ticket event type, `observed` a ticket read by reconciliation. */
export const TICKET_CHANGE_KINDS = [
  'created',
  'status_changed',
  'comment_added',
  'priority_changed',
  'group_changed',
  'assignee_changed',
  'tags_changed',
  'updated',
  'observed',
] as const;
export type TicketEventKind = (typeof TICKET_CHANGE_KINDS)[number];

/**
 * What a rating means to the loop. good/bad/offered/unoffered are Zendesk's legacy scores; a
 * survey response's rating between the policy's bad and good thresholds is `neutral` (recorded,
 * not acted on).
 */
export const SATISFACTION_SCORES = ['good', 'bad', 'neutral', 'offered', 'unoffered'] as const;
export type SatisfactionScore = (typeof SATISFACTION_SCORES)[number];

/** Zendesk's two CSAT kinds: legacy good/bad satisfaction ratings, and the current survey responses (a rating scale). */
export const CSAT_SOURCES = ['legacy', 'survey'] as const;
export type CsatSource = (typeof CSAT_SOURCES)[number];

const id = z.number().int().nonnegative();
const nullableId = id.nullable();

/** The ticket as it was at `updatedAt`: Zendesk sends a full snapshot with every ticket event. */
export const ticketSnapshotSchema = z.object({
  id,
  subject: z.string(),
  description: z.string(),
  status: z.enum(ZENDESK_STATUSES).nullable(),
  priority: z.enum(ZENDESK_PRIORITIES).nullable(),
  groupId: nullableId,
  assigneeId: nullableId,
  requesterId: nullableId,
  organizationId: nullableId,
  formId: nullableId,
  tags: z.array(z.string()).readonly(),
  channel: z.string().nullable(),
  /** Epoch milliseconds. */
  createdAt: z.number(),
  /** Epoch milliseconds; Zendesk's updated_at has second resolution. */
  updatedAt: z.number(),
});
export type TicketSnapshot = Readonly<z.infer<typeof ticketSnapshotSchema>>;

const eventBase = {
  /** Deduplication key: the same delivery twice has the same key. */
  key: z.string().min(1),
  ticketId: id,
  /** Epoch milliseconds of the change in Zendesk. */
  occurredAt: z.number(),
};

export const ticketChangeEventSchema = z.object({
  ...eventBase,
  kind: z.enum(TICKET_CHANGE_KINDS),
  /** Zendesk user who made the change, when known; compared with cxloop's own API user. */
  actorId: nullableId,
  snapshot: ticketSnapshotSchema,
  /**
   * The changed field's value before and after, when the event says. Zendesk's `ticket.created`
   * carries `current` and no `previous`, so either may be missing.
   */
  change: z.object({ current: z.unknown().optional(), previous: z.unknown().optional() }).readonly().optional(),
  comment: z.object({ public: z.boolean(), authorId: nullableId }).readonly().optional(),
});
export type TicketChangeEvent = Readonly<z.infer<typeof ticketChangeEventSchema>>;

export const satisfactionEventSchema = z.object({
  ...eventBase,
  kind: z.literal('satisfaction_rated'),
  /**
   * null: the body carried a rating as display text cxloop could not read (an old trigger; Zendesk
   * renders the rating in the requester's language). The score is then read back from Zendesk.
   */
  score: z.enum(SATISFACTION_SCORES).nullable(),
  comment: z.string(),
  /** Which CSAT sent it; missing on events queued before survey responses were supported (legacy). */
  source: z.enum(CSAT_SOURCES).optional(),
  /**
   * A survey response's answer on its rating scale (e.g. 4 on 1..5), turned into a score with the
   * policy's `loop.csat_survey` thresholds when the event is handled; `scale` is the number of
   * points when the response says.
   */
  rating: z.object({ value: z.number().int().min(0).max(100), scale: z.number().int().min(2).max(100).nullable() }).readonly().optional(),
});
export type SatisfactionEvent = Readonly<z.infer<typeof satisfactionEventSchema>>;

/** Every event cxloop queues, whatever its source. */
export const ticketEventSchema = z.discriminatedUnion('kind', [satisfactionEventSchema, ticketChangeEventSchema]);
export type TicketEvent = TicketChangeEvent | SatisfactionEvent;

/** cxloop's tag for a category or tier; agents see these on every routed ticket. */
export function categoryTag(category: string): string {
  return `cxloop_${category}`;
}

export function tierTag(tier: string): string {
  return `cxloop_tier_${tier}`;
}
