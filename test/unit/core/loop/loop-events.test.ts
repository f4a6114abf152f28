import { describe, expect, it } from 'vitest';
import { loopEventsOf, tierOfPriority } from '../../../../src/core/loop/loop-events.js';
import type { TicketChangeEvent, TicketSnapshot } from '../../../../src/core/ticket-event.js';

const SELF = 9001;
const REQUESTER = 501;
const snapshot: TicketSnapshot = {
  id: 7,
  subject: 's',
  description: 'd',
  status: 'open',
  priority: 'normal',
  groupId: 1002,
  assigneeId: null,
  requesterId: REQUESTER,
  organizationId: null,
  formId: null,
  tags: [],
  channel: 'web',
  createdAt: 0,
  updatedAt: 1,
};
const loop = { zendeskStatus: 'open' as const, tier: 'normal' as const };
const context = { newest: true, selfId: SELF, override: null };

function event(kind: TicketChangeEvent['kind'], changes: Partial<TicketSnapshot> = {}, extra: Partial<TicketChangeEvent> = {}): TicketChangeEvent {
  return { key: 'k', kind, ticketId: 7, occurredAt: 1, actorId: 700, snapshot: { ...snapshot, ...changes }, ...extra };
}

describe('loopEventsOf: what a Zendesk event means to the loop', () => {
  it.each([
    ['an assignment to an agent', event('assignee_changed', { assigneeId: 700 }), [{ type: 'assigned', agentId: 700 }]],
    ['an unassignment', event('assignee_changed', { assigneeId: null }), []],
    ['a public agent reply', event('comment_added', {}, { comment: { public: true, authorId: 700 } }), [{ type: 'agent_comment', agentId: 700, public: true }]],
    ['a private agent note', event('comment_added', {}, { comment: { public: false, authorId: 700 } }), [{ type: 'agent_comment', agentId: 700, public: false }]],
    ['a reply from the requester', event('comment_added', {}, { actorId: REQUESTER, comment: { public: true, authorId: REQUESTER } }), []],
    ['a status change', event('status_changed', { status: 'pending' }), [{ type: 'status_changed', status: 'pending' }]],
    ['a snapshot with the same status', event('updated'), []],
    ['a raised priority', event('priority_changed', { priority: 'urgent' }), [{ type: 'reprioritised', tier: 'critical' }]],
    ['a priority giving the same tier', event('priority_changed', { priority: 'low' }), []],
    ['a reply that also solves', event('comment_added', { status: 'solved' }, { comment: { public: true, authorId: 700 } }), [
      { type: 'agent_comment', agentId: 700, public: true },
      { type: 'status_changed', status: 'solved' },
    ]],
  ] as const)('%s', (_name, input, expected) => {
    expect(loopEventsOf(input, loop, context)).toEqual(expected);
  });

  it('turns an agent changing the cxloop category into a recategorisation', () => {
    const override = { field: 'category' as const, from: 'billing_issue' as const, to: 'bug_report' as const };
    expect(loopEventsOf(event('tags_changed'), loop, { ...context, override })).toEqual([{ type: 'recategorised', category: 'bug_report' }]);
    // A removed tag (no new category) or a group change leaves the category alone.
    expect(loopEventsOf(event('tags_changed'), loop, { ...context, override: { ...override, to: null } })).toEqual([]);
    expect(loopEventsOf(event('group_changed'), loop, { ...context, override: { field: 'group', from: 1002, to: 1003 } })).toEqual([]);
  });

  it("ignores cxloop's own writes, and takes only facts from an older delivery", () => {
    expect(loopEventsOf(event('priority_changed', { priority: 'high' }, { actorId: SELF }), loop, context)).toEqual([]);
    const late = event('comment_added', { status: 'pending' }, { comment: { public: true, authorId: 700 } });
    expect(loopEventsOf(late, loop, { ...context, newest: false })).toEqual([{ type: 'agent_comment', agentId: 700, public: true }]);
  });

  it('maps Zendesk priorities onto tiers', () => {
    expect(['urgent', 'high', 'normal', 'low'].map((priority) => tierOfPriority(priority as 'urgent'))).toEqual(['critical', 'high', 'normal', 'normal']);
  });
});
