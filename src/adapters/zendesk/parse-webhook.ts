import { z } from 'zod';
import { ZENDESK_STATUSES, type SatisfactionScore, type TicketEvent, type TicketEventKind, type TicketSnapshot } from '../../core/ticket-event.js';

/**
 * Wire schemas of what Zendesk POSTs to /webhooks/zendesk, mapped onto cxloop's TicketEvent.
 *
 * 1. Event-subscription webhooks (fixed payload):
 *    https://developer.zendesk.com/api-reference/webhooks/event-types/webhook-event-types/
 *    https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events/
 *    Ids arrive as strings and status/priority in UPPER case; both are normalised here.
 * 2. cxloop's own trigger webhook for CSAT ratings (there is no CSAT event type); its body is the
 *    template cxloop installs, so its shape is ours:
 *    {"cxloop_trigger":"satisfaction","ticket_id":"{{ticket.id}}","updated_at":"{{ticket.updated_at_with_timestamp}}",
 *     "rating":"{{satisfaction.current_rating}}","comment":"{{satisfaction.current_comment}}"}
 */

const MAX_ID = Number.MAX_SAFE_INTEGER;
const zendeskId = z.union([
  z.number().int().min(0).max(MAX_ID),
  z
    .string()
    .regex(/^\d{1,16}$/, 'must be a numeric id')
    .transform(Number)
    .refine((id) => id <= MAX_ID, 'must be a numeric id no larger than 9007199254740991'),
]);
const nullableId = zendeskId.nullish().transform((value) => value ?? null);
const isoDate = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'must be an ISO-8601 date').transform((text) => Date.parse(text));
const lowerEnum = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.string().transform((text) => text.toLowerCase()).pipe(z.enum(values));
const text = (max: number) => z.string().nullish().transform((value) => (value ?? '').slice(0, max));

const detailSchema = z.looseObject({
  id: zendeskId,
  subject: text(1_000),
  description: text(64_000),
  status: lowerEnum(ZENDESK_STATUSES).nullish().transform((value) => value ?? null),
  priority: lowerEnum(['urgent', 'high', 'normal', 'low']).nullish().transform((value) => value ?? null),
  group_id: nullableId,
  assignee_id: nullableId,
  requester_id: nullableId,
  organization_id: nullableId,
  form_id: nullableId,
  actor_id: nullableId,
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

const satisfactionSchema = z.looseObject({
  cxloop_trigger: z.literal('satisfaction'),
  ticket_id: zendeskId,
  updated_at: z.string().min(1).max(100),
  rating: z.string().max(200),
  comment: z.string().max(64_000).nullish().transform((value) => value ?? ''),
});

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
        ? { change: { current: normaliseValue(envelope.data.event.current), previous: normaliseValue(envelope.data.event.previous) } }
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
    channel: detail.via?.channel ?? null,
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

function parseSatisfaction(body: object): ParsedWebhook {
  const parsed = satisfactionSchema.safeParse(body);
  if (!parsed.success) return invalid(parsed.error);
  const score = scoreOf(parsed.data.rating);
  if (score === null) return { ok: false, reason: `rating: unknown satisfaction rating "${parsed.data.rating.slice(0, 40)}"` };
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
    },
  };
}

/** {{satisfaction.current_rating}} renders as text such as "Good, I'm satisfied" or "bad". */
function scoreOf(rating: string): SatisfactionScore | null {
  const normalised = rating.trim().toLowerCase();
  for (const score of ['unoffered', 'offered', 'good', 'bad'] as const) {
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
