import type { TicketUpdate } from '../../core/routing/route-plan.js';

/**
 * The exact Zendesk REST requests cxloop sends, built in one place so the live client and the
 * dry-run recorder send and show the same thing.
 * https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#update-ticket
 * https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#update-many-tickets
 */
export interface ZendeskRequest {
  readonly method: 'GET' | 'PUT';
  /** Path below /api/v2, without .json. */
  readonly path: readonly (string | number)[];
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** Zendesk writes updated_at to the second ("2026-11-20T10:00:00Z"); safe_update compares against it. */
export function zendeskTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * One ticket's changes. `tags` replaces every tag on Update Ticket, so it is the merged list;
 * `comment.public: false` makes the note internal; safe_update + updated_stamp make Zendesk answer
 * 409 instead of overwriting a change made since cxloop read the ticket.
 */
export function ticketChanges(update: TicketUpdate): Record<string, unknown> {
  return {
    ...(update.groupId !== undefined ? { group_id: update.groupId } : {}),
    ...(update.priority !== undefined ? { priority: update.priority } : {}),
    tags: [...update.tags],
    comment: { body: update.internalNote, public: false },
    safe_update: true,
    updated_stamp: zendeskTimestamp(update.updatedStamp),
  };
}

export const zendeskRequests = {
  currentUser: (): ZendeskRequest => ({ method: 'GET', path: ['users', 'me'] }),
  showTicket: (ticketId: number): ZendeskRequest => ({ method: 'GET', path: ['tickets', ticketId] }),
  /** https://developer.zendesk.com/api-reference/ticketing/users/users/#show-user */
  showUser: (userId: number): ZendeskRequest => ({ method: 'GET', path: ['users', userId] }),
  /** https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#show-multiple-tickets (up to 100 ids) */
  showTickets: (ticketIds: readonly number[]): ZendeskRequest => ({ method: 'GET', path: ['tickets', 'show_many'], query: { ids: ticketIds.join(',') } }),
  updateTicket: (update: TicketUpdate): ZendeskRequest => ({
    method: 'PUT',
    path: ['tickets', update.ticketId],
    body: { ticket: ticketChanges(update) },
  }),
  /** Each ticket with its own changes: the `tickets` array form, not `?ids=` (which applies one change to all). */
  updateMany: (updates: readonly TicketUpdate[]): ZendeskRequest => ({
    method: 'PUT',
    path: ['tickets', 'update_many'],
    body: { tickets: updates.map((update) => ({ id: update.ticketId, ...ticketChanges(update) })) },
  }),
  /** A private comment only: no safe_update, since a note changes nothing another writer could lose. */
  addInternalNote: (ticketId: number, body: string): ZendeskRequest => ({
    method: 'PUT',
    path: ['tickets', ticketId],
    body: { ticket: { comment: { body, public: false } } },
  }),
  /** A public comment: the requester hears of it through Zendesk's notification triggers. */
  addPublicComment: (ticketId: number, body: string): ZendeskRequest => ({
    method: 'PUT',
    path: ['tickets', ticketId],
    body: { ticket: { comment: { body, public: true } } },
  }),
  /** https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#show-ticket with the users sideload (the requester's locale and time zone) */
  showTicketWithUsers: (ticketId: number): ZendeskRequest => ({ method: 'GET', path: ['tickets', ticketId], query: { include: 'users' } }),
  /** https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/#list-comments, newest first */
  latestComments: (ticketId: number, perPage: number): ZendeskRequest => ({
    method: 'GET',
    path: ['tickets', ticketId, 'comments'],
    query: { sort_order: 'desc', per_page: String(perPage) },
  }),
  showJobStatus: (jobId: string): ZendeskRequest => ({ method: 'GET', path: ['job_statuses', jobId] }),
  /** https://developer.zendesk.com/api-reference/ticketing/users/users/#show-user with the organizations sideload */
  showRequester: (userId: number): ZendeskRequest => ({ method: 'GET', path: ['users', userId], query: { include: 'organizations' } }),
  /** https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#list-tickets (requested by the user), newest first */
  requestedTickets: (userId: number, perPage: number): ZendeskRequest => ({
    method: 'GET',
    path: ['users', userId, 'tickets', 'requested'],
    query: { sort_by: 'created_at', sort_order: 'desc', per_page: String(perPage) },
  }),
  /** https://developer.zendesk.com/api-reference/help_center/help-center-api/search/#search-articles (no locale: the Help Center's default) */
  searchArticles: (query: string, locale: string | null, perPage: number): ZendeskRequest => ({
    method: 'GET',
    path: ['help_center', 'articles', 'search'],
    query: { query, ...(locale === null ? {} : { locale }), per_page: String(perPage) },
  }),
  /** https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-ticket-event-export (time-based only) */
  exportTicketEvents: (startTime: number): ZendeskRequest => ({
    method: 'GET',
    path: ['incremental', 'ticket_events'],
    query: { start_time: String(Math.floor(startTime / 1000)) },
  }),
  /** https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-ticket-export-cursor-based */
  exportTickets: (from: { cursor: string } | { startTime: number }): ZendeskRequest => ({
    method: 'GET',
    path: ['incremental', 'tickets', 'cursor'],
    query: 'cursor' in from ? { cursor: from.cursor } : { start_time: String(Math.floor(from.startTime / 1000)) },
  }),
  /**
   * The same export for training: the requesters sideloaded (`include=users`, for their locale)
   * and deleted tickets left out (`exclude_deleted=true`); both are sent with every page, since a
   * cursor carries neither.
   */
  exportTrainingTickets: (from: { cursor: string } | { startTime: number }): ZendeskRequest => ({
    method: 'GET',
    path: ['incremental', 'tickets', 'cursor'],
    query: { ...('cursor' in from ? { cursor: from.cursor } : { start_time: String(Math.floor(from.startTime / 1000)) }), include: 'users', exclude_deleted: 'true' },
  }),
};

export function requestUrl(endpoint: string, request: ZendeskRequest): string {
  const path = request.path.map((part) => encodeURIComponent(String(part))).join('/');
  const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : '';
  return `${endpoint}/${path}.json${query}`;
}
