import type { Policy } from '../config/policy-schema.js';
import type { Decision } from '../core/classify/classifier.js';
import { describeRouting } from '../core/routing/describe-routing.js';
import { ticketFieldsOf, type RoutePlan } from '../core/routing/route-plan.js';
import type { Ticket } from '../core/ticket.js';
import type { TicketSnapshot } from '../core/ticket-event.js';

/** The classifier's view of a Zendesk ticket snapshot. */
export function ticketFromSnapshot(snapshot: TicketSnapshot): Ticket {
  return {
    id: String(snapshot.id),
    subject: snapshot.subject,
    description: snapshot.description,
    tags: snapshot.tags,
    ...(snapshot.channel !== null ? { channel: snapshot.channel } : {}),
    ...(snapshot.formId !== null ? { formId: String(snapshot.formId) } : {}),
    ...(snapshot.organizationId !== null ? { organization: String(snapshot.organizationId) } : {}),
    ...(snapshot.priority !== null ? { priority: snapshot.priority } : {}),
  };
}

/** What the category's on_routing actions add to the write: tags, and lines for the note. */
export interface RouteAdditions {
  readonly tags: readonly string[];
  readonly noteLines: readonly string[];
}

/** Turns a classification into the write that routes the ticket: owner group, tier priority, tags, note. */
export function planRoute(snapshot: TicketSnapshot, decision: Decision, policy: Policy, receivedAt: number, additions: RouteAdditions = { tags: [], noteLines: [] }): RoutePlan {
  const category = policy.categories[decision.category];
  const tier = policy.tiers[decision.tier];
  return {
    ticketId: snapshot.id,
    category: decision.category,
    tier: decision.tier,
    confidence: decision.confidence,
    groupId: category.zendesk_group_id,
    priority: tier.zendesk_priority,
    note: describeRouting({
      decision,
      team: category.team,
      priority: tier.zendesk_priority,
      openedAt: snapshot.createdAt,
      acknowledgeWithinMinutes: category.acknowledge.breach,
      resolveWithinMinutes: tier.resolve,
      extras: additions.noteLines,
    }),
    ...(additions.tags.length > 0 ? { actionTags: additions.tags } : {}),
    receivedAt,
    base: ticketFieldsOf(snapshot),
  };
}
