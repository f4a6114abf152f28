import { z } from 'zod';
import { ZENDESK_PRIORITIES } from '../../core/ticket.js';
import { SATISFACTION_SCORES, ZENDESK_STATUSES, type SatisfactionScore, type TicketEvent, type TicketEventKind, type TicketSnapshot } from '../../core/ticket-event.js';
import { normaliseChannel } from '../../core/zendesk-channels.js';

/**
 * Wire schemas of what Zendesk POSTs to /webhooks/zendesk, mapped onto cxloop's TicketEvent.
 *
 * 1. Event-subscription webhooks (fixed payload):
 *    https://developer.zendesk.com/api-reference/webhooks/event-types/webhook-event-types/
 *    https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events/
 *    Ids arrive as strings and status/priority in UPPER case; both are normalised here.
 *    `via.channel` is mapped onto the REST API's names (zendesk-channels.ts), and an
 *    organization_id of 0 means none.
 * 2. cxloop's own trigger webhooks for CSAT ratings (there is no CSAT event type); their bodies
 *    are the templates cxloop installs, one trigger per score, so the score is a literal cxloop wrote:
 *    {"cxloop_trigger":"satisfaction","ticket_id":"{{ticket.id}}","updated_at":"{{ticket.updated_at_with_timestamp}}",
 *     "score":"good","comment":"{{satisfaction.current_comment}}"}
 *    Bodies of the trigger cxloop installed before carry `"rating":"{{satisfaction.current_rating}}"`
 *    instead: display text in the requester's language. An English one is read here; any other
 *    gives a score of null, which the event worker reads back from Zendesk (handle-ticket-event.ts).
 */

const MAX_ID = Number.MAX_SAFE_INTEGER;
export const zendeskId = z.union([
  z.number().int().min(0).max(MAX_ID),
  z
    .string()
    .regex(/^\d{1,16}$/, 'must be a numeric id')
    .transform(Number)
    .refine((id) => id <= MAX_ID, 'must be a numeric id no larger than 9007199254740991'),
]);
export const nullableId = zendeskId.nullish().transform((value) => value ?? null);
/** The user a change is by; Zendesk itself (automations, archiving, scrubbing) is -1, read as unknown. */
const actorId = z.union([z.literal(-1), z.literal('-1')]).transform(() => null).or(nullableId);
/** Zendesk writes an organization_id of 0 ("0" in webhooks) for a ticket without one. */
const organizationId = nullableId.transform((value) => (value === 0 ? null : value));
export const isoDate = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'must be an ISO-8601 date').transform((text) => Date.parse(text));
export const lowerEnum = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.string().transform((text) => text.toLowerCase()).pipe(z.enum(values));
export const text = (max: number) => z.string().nullish().transform((value) => (value ?? '').slice(0, max));

const detailSchema = z.looseObject({
  id: zendeskId,
  subject: text(1_000),
  description: text(64_000),
  status: lowerEnum(ZENDESK_STATUSES).nullish().transform((value) => value ?? null),
  priority: lowerEnum(ZENDESK_PRIORITIES).nullish().transform((value) => value ?? null),
  group_id: nullableId,
  assignee_id: nullableId,
  requester_id: nullableId,
  organization_id: organizationId,
  form_id: nullableId,
  actor_id: actorId,
  tags: z.array(z.string().max(200)).max(1_000).nullish().transform((value) => value ?? []),
  via: z.looseObject({ channel: z.string().nullish() }).nullish(),
  created_at: isoDate,
  updated_at: isoDate,
});

const commentSchema = z.looseObject({
  is_public: z.boolean().optional(),
  author: z.looseObject({ id: nullableId }).nullish(),
});

const envelopeSchema = z.looseObject({
  type: z.string().startsWith('zen:event-type:', 'must be a zen:event-type:… type'),
  id: z.string().min(1).max(200),
  time: isoDate,
  detail: z.unknown(),
  event: z.looseObject({ current: z.unknown().optional(), previous: z.unknown().optional(), comment: commentSchema.optional() }).nullish(),
});

const satisfactionSchema = z
  .looseObject({
    cxloop_trigger: z.literal('satisfaction'),
    ticket_id: zendeskId,
    updated_at: z.string().min(1).max(100),
    /** Written by cxloop's per-score triggers. */
    score: z.enum(['good', 'bad']).optional(),
    /** The old trigger's {{satisfaction.current_rating}}: display text, localized. */
    rating: z.string().max(200).optional(),
    comment: z.string().max(64_000).nullish().transform((value) => value ?? ''),
  })
  .refine((body) => body.score !== undefined || body.rating !== undefined, { path: ['score'], message: 'must be "good" or "bad" (run `cxloop install zendesk` to update the trigger)' });

const KINDS: Readonly<Record<string, TicketEventKind>> = {
  'ticket.created': 'created',
  'ticket.status_changed': 'status_changed',
  'ticket.comment_added': 'comment_added',
  'ticket.priority_changed': 'priority_changed',
  'ticket.group_assignment_changed': 'group_changed',
  'ticket.agent_assignment_changed': 'assignee_changed',
  'ticket.tags_changed': 'tags_changed',
};

export type ParsedWebhook = { ok: true; event: TicketEvent } | { ok: true; ignored: string } | { ok: false; reason: string };

/** Parses a verified webhook body. Only the first schema problem is reported, as `path: message`. */
export function parseZendeskWebhook(body: unknown): ParsedWebhook {
  if (typeof body === 'object' && body !== null && 'cxloop_trigger' in body) return parseSatisfaction(body);
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return invalid(envelope.error);
  const type = envelope.data.type.slice('zen:event-type:'.length);
  if (!type.startsWith('ticket.')) return { ok: true, ignored: `not a ticket event (${type})` };
  const detail = detailSchema.safeParse(envelope.data.detail);
  if (!detail.success) return invalid(detail.error, 'detail');
  const comment = envelope.data.event?.comment;
  return {
    ok: true,
    event: {
      key: `evt:${envelope.data.id}`,
      kind: KINDS[type] ?? 'updated',
      ticketId: detail.data.id,
      occurredAt: envelope.data.time,
      actorId: detail.data.actor_id,
      snapshot: snapshotOf(detail.data),
      ...(envelope.data.event && 'current' in envelope.data.event
        ? // ticket.created carries event.current alone: a first value has no previous one (null, not a missing key that a queued job would lose).
          { change: { current: normaliseValue(envelope.data.event.current), previous: normaliseValue(envelope.data.event.previous ?? null) } }
        : {}),
      ...(comment ? { comment: { public: comment.is_public ?? true, authorId: comment.author?.id ?? null } } : {}),
    },
  };
}

type Detail = z.output<typeof detailSchema>;

function snapshotOf(detail: Detail): TicketSnapshot {
  return {
    id: detail.id,
    subject: detail.subject,
    description: detail.description,
    status: detail.status,
    priority: detail.priority,
    groupId: detail.group_id,
    assigneeId: detail.assignee_id,
    requesterId: detail.requester_id,
    organizationId: detail.organization_id,
    formId: detail.form_id,
    tags: detail.tags,
    channel: detail.via?.channel ? normaliseChannel(detail.via.channel) : null,
    createdAt: detail.created_at,
    updatedAt: detail.updated_at,
  };
}

/** Same mapping for a ticket object of the REST API (incremental export, GET ticket). */
export function snapshotFromRestTicket(ticket: unknown): { ok: true; snapshot: TicketSnapshot } | { ok: false; reason: string } {
  // The REST API names the form ticket_form_id; webhook payloads call it form_id.
  const restForm = typeof ticket === 'object' && ticket !== null && 'ticket_form_id' in ticket ? { form_id: ticket.ticket_form_id } : {};
  const parsed = detailSchema.safeParse(typeof ticket === 'object' && ticket !== null ? { ...restForm, ...ticket } : ticket);
  if (!parsed.success) return invalid(parsed.error, 'ticket');
  return { ok: true, snapshot: snapshotOf(parsed.data) };
}

/** Legacy satisfaction ratings' scores; `neutral` exists only for survey responses. */
const LEGACY_SCORES = SATISFACTION_SCORES.filter((score) => score !== 'neutral');

const restSatisfactionSchema = z.looseObject({
  satisfaction_rating: z.looseObject({ score: z.enum(['good', 'bad', 'offered', 'unoffered']) }).nullish(),
});

/**
 * A REST ticket's `satisfaction_rating.score` (good, bad, offered, unoffered): the rating without
 * display text. null when the ticket has none (plans without CSAT send null).
 */
export function satisfactionFromRestTicket(ticket: unknown): { ok: true; score: SatisfactionScore | null } | { ok: false; reason: string } {
  const parsed = restSatisfactionSchema.safeParse(ticket);
  if (!parsed.success) return invalid(parsed.error, 'ticket');
  return { ok: true, score: parsed.data.satisfaction_rating?.score ?? null };
}

function parseSatisfaction(body: object): ParsedWebhook {
  const parsed = satisfactionSchema.safeParse(body);
  if (!parsed.success) return invalid(parsed.error);
  const score = parsed.data.score ?? scoreOf(parsed.data.rating ?? '');
  const occurredAt = Date.parse(parsed.data.updated_at);
  if (Number.isNaN(occurredAt)) return { ok: false, reason: 'updated_at: must be a date (use {{ticket.updated_at_with_timestamp}})' };
  return {
    ok: true,
    event: {
      key: `csat:${parsed.data.ticket_id}:${parsed.data.updated_at}`,
      kind: 'satisfaction_rated',
      ticketId: parsed.data.ticket_id,
      occurredAt,
      score,
      comment: parsed.data.comment,
      source: 'legacy',
    },
  };
}

/**
 * The old trigger's {{satisfaction.current_rating}}: in English it renders as "Good, I'm satisfied"
 * or "bad"; in the requester's other languages ("Gut, ich bin zufrieden") it is null here.
 */
function scoreOf(rating: string): SatisfactionScore | null {
  const normalised = rating.trim().toLowerCase();
  for (const score of LEGACY_SCORES) {
    if (normalised.startsWith(score)) return score;
  }
  return null;
}

function normaliseValue(value: unknown): unknown {
  return typeof value === 'string' && /^[A-Z_]+$/.test(value) ? value.toLowerCase() : value;
}

function invalid(error: z.ZodError, prefix?: string): { ok: false; reason: string } {
  const issue = error.issues[0];
  const path = [prefix, ...(issue?.path ?? [])].filter((part) => part !== undefined).join('.');
  return { ok: false, reason: `${path || 'body'}: ${issue?.message ?? 'invalid'}` };
}
