import { z } from 'zod';
import type { TrainingExportPage } from '../../app/ports.js';
import type { TrainingTicket } from '../../core/learning/training-label.js';
import { ZENDESK_STATUSES } from '../../core/ticket-event.js';
import { isoDate, lowerEnum, nullableId, text, zendeskId } from './parse-webhook.js';

/**
 * A page of the cursor-based incremental ticket export with the users sideload, as training reads
 * it: https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-ticket-export-cursor-based
 * (response: tickets, after_cursor, after_url, before_cursor, before_url, end_of_stream; `include=users`
 * adds `users`, https://developer.zendesk.com/documentation/ticketing/using-the-zendesk-api/side_loading/).
 * `description` is the ticket's first comment; `custom_fields` is [{id, value}], the value a
 * string, number, boolean, list (multi-select) or null.
 */
const ticketSchema = z.looseObject({
  id: zendeskId,
  subject: text(1_000),
  description: text(64_000),
  status: lowerEnum(ZENDESK_STATUSES),
  group_id: nullableId,
  requester_id: nullableId,
  tags: z.array(z.string().max(200)).max(1_000).nullish().transform((value) => value ?? []),
  custom_fields: z
    .array(z.looseObject({ id: zendeskId, value: z.unknown() }))
    .max(2_000)
    .nullish()
    .transform((value) => value ?? []),
  updated_at: isoDate,
  /** Seconds; when the ticket last changed in any way (what the export is ordered by). */
  generated_timestamp: z.number().nonnegative().optional(),
});

const userSchema = z.looseObject({ id: zendeskId, locale: z.string().max(40).nullish() });

const pageSchema = z.looseObject({
  tickets: z.array(z.unknown()).nullish(),
  users: z.array(z.unknown()).nullish(),
  after_cursor: z.string().min(1).nullish(),
  end_of_stream: z.boolean().nullish(),
});

export function parseTrainingExportPage(body: unknown): { ok: true; page: TrainingExportPage } | { ok: false; reason: string } {
  const parsed = pageSchema.safeParse(body);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues[0]?.message ?? 'not an export page' };
  const locales = new Map<number, string>();
  for (const user of parsed.data.users ?? []) {
    const read = userSchema.safeParse(user);
    if (read.success && read.data.locale) locales.set(read.data.id, read.data.locale);
  }
  const tickets: TrainingTicket[] = [];
  let unreadable = 0;
  for (const raw of parsed.data.tickets ?? []) {
    const read = ticketSchema.safeParse(raw);
    if (!read.success) {
      unreadable += 1;
      continue;
    }
    const ticket = read.data;
    tickets.push({
      id: ticket.id,
      subject: ticket.subject,
      description: ticket.description,
      status: ticket.status,
      groupId: ticket.group_id,
      tags: ticket.tags,
      customFields: ticket.custom_fields.map((field) => ({ id: field.id, value: field.value })),
      requesterLocale: ticket.requester_id === null ? null : (locales.get(ticket.requester_id) ?? null),
      exportedAt: ticket.generated_timestamp !== undefined ? ticket.generated_timestamp * 1000 : ticket.updated_at,
    });
  }
  // No cursor means nothing more to read, whatever end_of_stream says.
  const afterCursor = parsed.data.after_cursor ?? null;
  return { ok: true, page: { tickets, unreadable, afterCursor, endOfStream: parsed.data.end_of_stream ?? afterCursor === null } };
}
