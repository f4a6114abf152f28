import type { ZendeskRequest } from './zendesk-requests.js';

/** Tickets listed one per line for an update_many; the rest are counted. */
const MAX_TICKET_LINES = 8;
/** Lines of an internal note shown; the full body is in the JSON-lines record. */
const MAX_NOTE_LINES = 4;
/** A public reply to the requester is shown whole (cxloop's are a few lines, ending with the status link). */
const MAX_REPLY_LINES = 12;

interface TicketChanges {
  id?: number;
  group_id?: number | null;
  priority?: string | null;
  tags?: string[];
  comment?: { body: string; public?: boolean };
}

/** "PUT /api/v2/tickets/101.json", as the request line reads. */
export function requestLine(request: ZendeskRequest): string {
  const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : '';
  return `${request.method} /api/v2/${request.path.join('/')}.json${query}`;
}

/**
 * A Zendesk write in a few lines for people: which ticket, what changes (group, priority, tags)
 * and the internal note. Reads have no summary beyond their request line.
 */
export function describeRequest(request: ZendeskRequest): string[] {
  const body = request.body as { ticket?: TicketChanges; tickets?: TicketChanges[] } | undefined;
  if (body?.ticket) return describeChanges(Number(request.path[1]), body.ticket, true);
  if (body?.tickets) {
    const shown = body.tickets.slice(0, MAX_TICKET_LINES).flatMap((ticket) => describeChanges(ticket.id ?? 0, ticket, false));
    const more = body.tickets.length - MAX_TICKET_LINES;
    return [`${body.tickets.length} tickets, each with its own changes:`, ...shown, ...(more > 0 ? [`... and ${more} more`] : [])];
  }
  return [];
}

function describeChanges(ticketId: number, changes: TicketChanges, withNote: boolean): string[] {
  const parts = [
    changes.group_id !== undefined ? `group ${changes.group_id ?? 'none'}` : null,
    changes.priority !== undefined ? `priority ${changes.priority ?? 'none'}` : null,
    changes.tags ? `tags ${changes.tags.join(' ')}` : null,
  ].filter((part): part is string => part !== null);
  const lines = parts.length > 0 ? [`#${ticketId} -> ${parts.join(' · ')}`] : [];
  if (changes.comment) {
    const kind = changes.comment.public === false ? 'internal note' : 'public reply';
    const note = changes.comment.body.split('\n').filter((line) => line.trim() !== '');
    const shown = withNote ? note.slice(0, changes.comment.public === false ? MAX_NOTE_LINES : MAX_REPLY_LINES) : note.slice(0, 1);
    lines.push(`#${ticketId} ${kind}: ${shown[0] ?? ''}`, ...shown.slice(1).map((line) => `  ${line}`));
    if (note.length > shown.length) lines.push(`  (${note.length - shown.length} more line${note.length - shown.length === 1 ? '' : 's'})`);
  }
  return lines;
}
