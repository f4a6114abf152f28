import type { ZendeskPriority } from './ticket.js';

/**
 * What cxloop learns about a Zendesk ticket, independent of how it arrived (event-subscription
 * webhook, trigger webhook, or the incremental export read by reconciliation). The Zendesk
 * adapter parses its wire formats onto these types; nothing here knows about HTTP.
 */
/**
 * Every ticket status in Zendesk's ticket schemas. `archived`: closed long enough ago that Zendesk
 * archived it; `scrubbed`: deleted and then scrubbed, its content erased.
 * https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/
 */
export const ZENDESK_STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed', 'deleted', 'archived', 'scrubbed'] as const;
export type ZendeskStatus = (typeof ZENDESK_STATUSES)[number];

/** Statuses of a ticket that is done with for good: it is not routed when first seen, and its loop ends. */
export const FINAL_STATUSES: readonly ZendeskStatus[] = ['closed', 'deleted', 'archived', 'scrubbed'];

/** The ticket as it was at `updatedAt`: Zendesk sends a full snapshot with every ticket event. */
export interface TicketSnapshot {
  readonly id: number;
  readonly subject: string;
  readonly description: string;
  readonly status: ZendeskStatus | null;
  readonly priority: ZendeskPriority | null;
  readonly groupId: number | null;
  readonly assigneeId: number | null;
  readonly requesterId: number | null;
  readonly organizationId: number | null;
  readonly formId: number | null;
  readonly tags: readonly string[];
  readonly channel: string | null;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** Epoch milliseconds; Zendesk's updated_at has second resolution. */
  readonly updatedAt: number;
}

export type TicketEventKind =
  | 'created'
  | 'status_changed'
  | 'comment_added'
  | 'priority_changed'
  | 'group_changed'
  | 'assignee_changed'
  | 'tags_changed'
  /** Another ticket event type; its snapshot still counts. */
  | 'updated'
  /** Seen by reconciliation in Zendesk's incremental export, not by a webhook. */
  | 'observed';

export type SatisfactionScore = 'good' | 'bad' | 'offered' | 'unoffered';

interface EventBase {
  /** Deduplication key: the same delivery twice has the same key. */
  readonly key: string;
  readonly ticketId: number;
  /** Epoch milliseconds of the change in Zendesk. */
  readonly occurredAt: number;
}

export interface TicketChangeEvent extends EventBase {
  readonly kind: TicketEventKind;
  /** Zendesk user who made the change, when known; compared with cxloop's own API user. */
  readonly actorId: number | null;
  readonly snapshot: TicketSnapshot;
  readonly change?: { readonly current: unknown; readonly previous: unknown };
  readonly comment?: { readonly public: boolean; readonly authorId: number | null };
}

export interface SatisfactionEvent extends EventBase {
  readonly kind: 'satisfaction_rated';
  /**
   * null: the body carried a rating as display text cxloop could not read (an old trigger; Zendesk
   * renders the rating in the requester's language). The score is then read back from Zendesk.
   */
  readonly score: SatisfactionScore | null;
  readonly comment: string;
}

export type TicketEvent = TicketChangeEvent | SatisfactionEvent;

/** cxloop's tag for a category or tier; agents see these on every routed ticket. */
export function categoryTag(category: string): string {
  return `cxloop_${category}`;
}

export function tierTag(tier: string): string {
  return `cxloop_tier_${tier}`;
}
