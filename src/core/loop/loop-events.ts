import type { Override } from '../routing/detect-override.js';
import type { Tier } from '../taxonomy.js';
import type { TicketChangeEvent } from '../ticket-event.js';
import type { ZendeskPriority } from '../ticket.js';
import type { LoopEvent, LoopState } from './loop-types.js';

export interface ZendeskEventContext {
  /** The event's snapshot is the newest cxloop has seen (not an older delivery arriving late). */
  readonly newest: boolean;
  /** The Zendesk user cxloop writes as: its own changes move no loop. */
  readonly selfId: number | null;
  /** An agent's correction of the routing this event carried, if any. */
  readonly override: Override | null;
}

/**
 * The loop events one Zendesk ticket event means, in the order they happened within it: who took
 * the ticket, what they said, then what they changed. Snapshot fields (status, priority) only
 * count from the newest snapshot, so an older delivery never moves the loop back; a comment or
 * an assignment is a fact whenever it arrives.
 */
export function loopEventsOf(event: TicketChangeEvent, loop: Pick<LoopState, 'zendeskStatus' | 'tier'>, context: ZendeskEventContext): LoopEvent[] {
  if (context.selfId !== null && event.actorId === context.selfId) return [];
  const { snapshot } = event;
  const events: LoopEvent[] = [];
  if (event.kind === 'assignee_changed' && snapshot.assigneeId !== null && snapshot.assigneeId !== context.selfId) {
    events.push({ type: 'assigned', agentId: snapshot.assigneeId });
  }
  const author = event.comment?.authorId ?? null;
  if (event.kind === 'comment_added' && event.comment && author !== null && author !== snapshot.requesterId && author !== context.selfId) {
    events.push({ type: 'agent_comment', agentId: author, public: event.comment.public });
  }
  if (context.newest) {
    if (context.override?.field === 'category' && context.override.to !== null) events.push({ type: 'recategorised', category: context.override.to });
    const tier = snapshot.priority === null ? null : tierOfPriority(snapshot.priority);
    if (event.kind === 'priority_changed' && tier !== null && tier !== loop.tier) events.push({ type: 'reprioritised', tier });
    if (snapshot.status !== null && snapshot.status !== loop.zendeskStatus) events.push({ type: 'status_changed', status: snapshot.status });
  }
  return events;
}

/** The tier an agent means by setting a Zendesk priority. */
export function tierOfPriority(priority: ZendeskPriority): Tier {
  if (priority === 'urgent') return 'critical';
  if (priority === 'high') return 'high';
  return 'normal';
}
