import type { CategoryId, Tier } from '../taxonomy.js';
import type { ZendeskPriority } from '../ticket.js';
import { categoryTag, tierTag, type TicketSnapshot } from '../ticket-event.js';

/**
 * A routing decision waiting to be written to Zendesk: everything the writer needs, so the write
 * can happen in another process, after a restart, or batched with other tickets.
 */
export interface RoutePlan {
  readonly ticketId: number;
  readonly category: CategoryId;
  readonly tier: Tier;
  readonly confidence: number;
  /** The owner team's Zendesk group; null while the policy has no zendesk_group_id for it. */
  readonly groupId: number | null;
  readonly priority: ZendeskPriority;
  /** Internal note explaining the decision. */
  readonly note: string;
  /** Tags the category's on_routing adds (tag_for_pm_review), besides cxloop's category and tier tags. */
  readonly actionTags?: readonly string[];
  /** When cxloop received the webhook (epoch ms): routing latency is measured from here. */
  readonly receivedAt: number;
  /** The ticket as classified; a later change by someone else is theirs to keep. */
  readonly base: TicketFields;
}

export interface TicketFields {
  readonly tags: readonly string[];
  readonly groupId: number | null;
  readonly priority: ZendeskPriority | null;
  readonly updatedAt: number;
}

/** The fields a routing write is computed from, as a snapshot has them. */
export function ticketFieldsOf(snapshot: TicketSnapshot): TicketFields {
  return { tags: snapshot.tags, groupId: snapshot.groupId, priority: snapshot.priority, updatedAt: snapshot.updatedAt };
}

/** One ticket's changes, independent of the Zendesk wire format. */
export interface TicketUpdate {
  readonly ticketId: number;
  readonly groupId?: number;
  readonly priority?: ZendeskPriority;
  /** The complete tag list: Zendesk's Update Ticket replaces all tags with it. */
  readonly tags: readonly string[];
  readonly internalNote: string;
  /** The updated_at the changes were computed from (safe_update): Zendesk answers 409 if it moved. */
  readonly updatedStamp: number;
}

const PRIORITY_RANK: Readonly<Record<ZendeskPriority, number>> = { urgent: 0, high: 1, normal: 2, low: 3 };

/**
 * The update that applies `plan` to the ticket as it is now (`current`), never undoing anyone:
 * existing tags are kept (tags replace on Update Ticket), a group or priority that changed since
 * the ticket was classified is someone's decision and stays, and priority is only ever raised.
 */
export function planTicketUpdate(plan: RoutePlan, current: TicketFields): TicketUpdate {
  const tags = [...current.tags];
  for (const tag of [categoryTag(plan.category), tierTag(plan.tier), ...(plan.actionTags ?? [])]) {
    if (!tags.includes(tag)) tags.push(tag);
  }
  const groupUntouched = current.groupId === plan.base.groupId;
  const priorityUntouched = current.priority === plan.base.priority;
  const raisesPriority = current.priority === null || PRIORITY_RANK[plan.priority] < PRIORITY_RANK[current.priority];
  return {
    ticketId: plan.ticketId,
    ...(plan.groupId !== null && groupUntouched && current.groupId !== plan.groupId ? { groupId: plan.groupId } : {}),
    ...(priorityUntouched && raisesPriority ? { priority: plan.priority } : {}),
    tags,
    internalNote: plan.note,
    updatedStamp: current.updatedAt,
  };
}
