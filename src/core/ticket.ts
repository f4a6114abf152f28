/**
 * cxloop's own view of a ticket: what the classifier and the loop need, independent of Zendesk's
 * wire format (the Zendesk adapter maps its payloads onto this).
 */
/** Zendesk's ticket priorities, most urgent first. */
export const ZENDESK_PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type ZendeskPriority = (typeof ZENDESK_PRIORITIES)[number];

export interface TicketComment {
  readonly body: string;
  /** Public reply (true) or internal note (false). */
  readonly public: boolean;
  /** Written by the requester (true) or an agent/cxloop (false). */
  readonly fromRequester: boolean;
}

export interface RequesterHistory {
  /** Tickets this requester opened in the recent window (e.g. 7 days), this one excluded. */
  readonly recentTicketCount?: number;
  readonly vip?: boolean;
}

export interface Ticket {
  readonly id?: string;
  readonly subject: string;
  readonly description: string;
  readonly comments?: readonly TicketComment[];
  /** Zendesk `via.channel`: email, web, api, chat, voice, ... */
  readonly channel?: string;
  readonly tags?: readonly string[];
  readonly formId?: string;
  readonly organization?: string;
  readonly requester?: RequesterHistory;
  readonly priority?: ZendeskPriority;
}
