import { describe, expect, it } from 'vitest';
import { routingAccuracy } from '../../../../src/core/learning/routing-accuracy.js';
import { latestCorrections, routingsOfHistories, type RoutedTicket, type RoutingCorrection } from '../../../../src/core/learning/routing-corrections.js';
import type { LoopHistoryEntry } from '../../../../src/core/loop/loop-history.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-01T12:00:00Z');

const routed = (ticketId: number, daysAgo: number, category: RoutedTicket['category']): RoutedTicket => ({ ticketId, at: NOW - daysAgo * DAY, category });

describe('routingAccuracy', () => {
  it('counts the settled routings nobody re-categorised within 7 days, per category, by hand', () => {
    const routings = [
      routed(1, 20, 'bug_report'), // kept: never corrected
      routed(2, 20, 'bug_report'), // Slack reassign 2 days after routing: re-categorised
      routed(3, 20, 'bug_report'), // group moved 8 days after routing: too late, kept
      routed(4, 10, 'billing_issue'), // tag changed 6.9 days after: re-categorised
      routed(5, 10, 'billing_issue'), // kept
      routed(6, 7, 'billing_issue'), // exactly 7 days old, corrected exactly at 7 days: settled, re-categorised
      routed(7, 3, 'other'), // younger than 7 days, corrected: pending
      routed(8, 1, 'other'), // younger, not corrected: pending
      routed(9, 40, 'bug_report'), // before the window
    ];
    const corrections: RoutingCorrection[] = [
      { via: 'slack', ticketId: 2, at: NOW - 18 * DAY, category: 'billing_issue' },
      { via: 'slack', ticketId: 2, at: NOW - 17 * DAY, category: 'other' }, // a second change counts once
      { via: 'zendesk_group', ticketId: 3, at: NOW - 12 * DAY, groupId: 1002 },
      { via: 'zendesk_category', ticketId: 4, at: NOW - 10 * DAY + 6.9 * DAY, category: 'other' },
      { via: 'zendesk_category', ticketId: 6, at: NOW, category: null },
      { via: 'slack', ticketId: 7, at: NOW - 2 * DAY, category: 'bug_report' },
      { via: 'slack', ticketId: 9, at: NOW - 39 * DAY, category: 'other' },
      { via: 'slack', ticketId: 5, at: NOW + DAY, category: 'other' }, // after `now`: not seen yet
    ];
    const accuracy = routingAccuracy(routings, corrections, { since: NOW - 30 * DAY, now: NOW });
    // bug_report: 1 kept, 2 re-categorised, 3 kept -> 2/3. billing: 4 re-categorised, 5 kept, 6 re-categorised -> 1/3.
    expect(accuracy.byCategory).toEqual([
      { category: 'bug_report', kept: { count: 2, of: 3, share: 2 / 3 } },
      { category: 'billing_issue', kept: { count: 1, of: 3, share: 1 / 3 } },
      { category: 'other', kept: { count: 0, of: 0, share: null } },
    ]);
    expect(accuracy.overall).toEqual({ count: 3, of: 6, share: 0.5 });
    expect(accuracy.pending).toEqual({ routed: 2, recategorised: 1 });
  });

  it('has no figure without a settled routing', () => {
    const accuracy = routingAccuracy([routed(1, 2, 'other')], [], { since: NOW - 7 * DAY, now: NOW });
    expect(accuracy.overall).toEqual({ count: 0, of: 0, share: null });
    expect(accuracy.pending).toEqual({ routed: 1, recategorised: 0 });
  });
});

describe('routingsOfHistories and latestCorrections', () => {
  const entry = (at: number, event: string, category: LoopHistoryEntry['category']): LoopHistoryEntry => ({ at, version: 1, event, stage: 'routed', category, tier: 'normal', team: 't' });

  it('takes the routing from the opened entry and Slack reassignments with the category moved to', () => {
    const { routings, reassignments } = routingsOfHistories(
      [11, 12, 13],
      [
        [entry(100, 'opened', 'bug_report'), entry(200, 'reassign', 'billing_issue'), entry(300, 'acknowledge', 'billing_issue')],
        [entry(150, 'acknowledge', 'other')], // no opened entry: no routing
        [entry(400, 'opened', 'other'), entry(500, 'recategorised', 'bug_report')],
      ],
    );
    expect(routings).toEqual([
      { ticketId: 11, at: 100, category: 'bug_report' },
      { ticketId: 13, at: 400, category: 'other' },
    ]);
    expect(reassignments).toEqual([{ via: 'slack', ticketId: 11, at: 200, category: 'billing_issue' }]);
  });

  it("keeps each ticket's latest correction", () => {
    const latest = latestCorrections([
      { via: 'slack', ticketId: 1, at: 5, category: 'other' },
      { via: 'zendesk_group', ticketId: 1, at: 9, groupId: 7 },
      { via: 'slack', ticketId: 1, at: 7, category: 'bug_report' },
      { via: 'slack', ticketId: 2, at: 1, category: 'bug_report' },
    ]);
    expect(latest.get(1)).toEqual({ via: 'zendesk_group', ticketId: 1, at: 9, groupId: 7 });
    expect(latest.get(2)).toEqual({ via: 'slack', ticketId: 2, at: 1, category: 'bug_report' });
  });
});
