import type { TierRule } from '../classify/classifier-rules.js';

/**
 * attach_requester_context, the pure half: who the requester is (organisations, VIP) and what
 * they asked before, from two Zendesk reads, shaped for the routing note and the Slack card.
 */

/** The requester's organisations, from GET /users/{id}.json?include=organizations. */
export interface RequesterProfile {
  readonly organizations: readonly { readonly id: number; readonly name: string }[];
}

export interface RequestedTicket {
  readonly id: number;
  /** Customer text: untrusted. */
  readonly subject: string;
}

/** The requester's tickets, newest first, from GET /users/{id}/tickets/requested.json. */
export interface RequestedTickets {
  /** Every ticket they requested, as Zendesk counts them (this one included); null when not said. */
  readonly count: number | null;
  readonly tickets: readonly RequestedTicket[];
}

export interface RequesterContext {
  readonly organizations: readonly string[];
  /** Why the requester is a VIP (the policy's rule that says so), or null. */
  readonly vip: string | null;
  /** Tickets they opened before this one; null when Zendesk did not count them. */
  readonly earlier: number | null;
  /** The latest of those, newest first (subjects cut). */
  readonly recent: readonly RequestedTicket[];
}

/** Subjects of earlier tickets are cut to this for the note and the card. */
export const RECENT_SUBJECT_MAX = 60;

/**
 * VIP as the policy defines it: a requester whose organisation (the ticket's, or one they belong
 * to) is listed in a classifier tier rule that lifts tickets to high or critical. Those rules are
 * how a policy marks the organisations it serves first; nothing else in Zendesk says VIP.
 */
export function vipReason(organizations: readonly { readonly id: number; readonly name: string | null }[], tierRules: readonly TierRule[]): string | null {
  for (const rule of tierRules) {
    if (rule.tier === 'normal') continue;
    const member = organizations.find((organization) => rule.organizations.includes(String(organization.id)));
    if (member) return `organisation ${member.name ?? member.id} (${member.id}) is in the policy's ${rule.tier} tier rule`;
  }
  return null;
}

export interface RequesterInput {
  readonly ticketId: number;
  /** The ticket's own organisation, which may not be among the requester's (shared tickets). */
  readonly ticketOrganizationId: number | null;
  readonly profile: RequesterProfile;
  readonly requested: RequestedTickets;
  readonly tierRules: readonly TierRule[];
  /** How many earlier tickets to list. */
  readonly recentMax: number;
}

/** The context as the note and the card show it; this ticket never counts as an earlier one. */
export function summarizeRequester(input: RequesterInput): RequesterContext {
  const { profile, requested } = input;
  const organizations: { id: number; name: string | null }[] = [...profile.organizations];
  if (input.ticketOrganizationId !== null && !organizations.some((organization) => organization.id === input.ticketOrganizationId)) {
    organizations.push({ id: input.ticketOrganizationId, name: null });
  }
  const others = requested.tickets.filter((ticket) => ticket.id !== input.ticketId);
  return {
    organizations: profile.organizations.map((organization) => organization.name),
    vip: vipReason(organizations, input.tierRules),
    // Zendesk counts every ticket the requester has, this one included (it exists when its webhook comes).
    earlier: requested.count === null ? null : Math.max(0, requested.count - 1),
    recent: others.slice(0, input.recentMax).map((ticket) => ({ id: ticket.id, subject: cutText(ticket.subject, RECENT_SUBJECT_MAX) })),
  };
}

/** One line, at most `max` characters, ending in "…" when cut. */
export function cutText(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex -- line breaks and control characters fold to spaces
  const line = text.replace(/[\u0000-\u001f\u007f\u2028\u2029\s]+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}
