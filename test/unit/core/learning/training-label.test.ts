import { describe, expect, it } from 'vitest';
import type { RoutingCorrection } from '../../../../src/core/learning/routing-corrections.js';
import { labelTicket, languageOfLocale, type LabelRules, type TicketLabel, type TrainingTicket } from '../../../../src/core/learning/training-label.js';

const rules: LabelRules = {
  // 1001 is bug_report's and performance_issue's group (engineering owns both); 1002 billing's.
  groups: new Map([
    [1001, ['bug_report', 'performance_issue']],
    [1002, ['billing_issue']],
    [1007, ['content_communication']],
  ]),
  tags: new Map([
    ['refund', 'billing_issue'],
    ['wishlist', 'feature_request'],
  ]),
  fields: new Map([[360001, new Map([['hardware', 'bug_report'], ['true', 'sentiment_experience']])]]),
};

function ticket(changes: Partial<TrainingTicket>): TrainingTicket {
  return { id: 1, subject: 'Subject', description: 'Body', status: 'solved', groupId: 1002, tags: [], customFields: [], requesterLocale: null, exportedAt: 0, ...changes };
}

const slack = (category: 'feature_request' | 'other'): RoutingCorrection => ({ via: 'slack', ticketId: 1, at: 10, category });

describe('labelTicket', () => {
  const cases: [string, Partial<TrainingTicket>, RoutingCorrection | null, TicketLabel][] = [
    ['the group a solved ticket ended in', {}, null, { ok: true, category: 'billing_issue', source: 'group' }],
    ['closed and archived count as done too', { status: 'archived' }, null, { ok: true, category: 'billing_issue', source: 'group' }],
    ['a cxloop tag wins over the group', { tags: ['cxloop_bug_report'] }, null, { ok: true, category: 'bug_report', source: 'tag' }],
    ['a cxloop tag wins over the mapping', { tags: ['cxloop_other', 'refund'] }, null, { ok: true, category: 'other', source: 'tag' }],
    ["the policy's tag mapping wins over the group", { tags: ['wishlist'] }, null, { ok: true, category: 'feature_request', source: 'mapping' }],
    ['a custom field value maps', { groupId: null, customFields: [{ id: 360001, value: 'hardware' }] }, null, { ok: true, category: 'bug_report', source: 'mapping' }],
    ['a checkbox field maps by "true"', { groupId: null, customFields: [{ id: 360001, value: true }] }, null, { ok: true, category: 'sentiment_experience', source: 'mapping' }],
    ['a multi-select field maps by any of its values', { groupId: null, customFields: [{ id: 360001, value: ['x', 'hardware'] }] }, null, { ok: true, category: 'bug_report', source: 'mapping' }],
    ['another field with the same value does not', { groupId: null, customFields: [{ id: 360002, value: 'hardware' }] }, null, { ok: false, reason: 'no_group' }],
    ['mappings naming two categories pass to the group', { tags: ['refund', 'wishlist'] }, null, { ok: true, category: 'billing_issue', source: 'group' }],
    ['two cxloop tags pass to the group', { tags: ['cxloop_bug_report', 'cxloop_other'] }, null, { ok: true, category: 'billing_issue', source: 'group' }],
    ['conflicting labels and nothing else', { tags: ['cxloop_bug_report', 'cxloop_other'], groupId: null }, null, { ok: false, reason: 'conflicting_labels' }],
    ['a group two categories share', { groupId: 1001 }, null, { ok: false, reason: 'shared_group' }],
    ["a group that is no category's", { groupId: 999 }, null, { ok: false, reason: 'unmapped_group' }],
    ['no group at all', { groupId: null }, null, { ok: false, reason: 'no_group' }],
    ['an open ticket', { status: 'open', tags: ['cxloop_bug_report'] }, null, { ok: false, reason: 'not_solved' }],
    ['a deleted ticket, even corrected', { status: 'deleted' }, slack('other'), { ok: false, reason: 'deleted' }],
    ['a scrubbed ticket', { status: 'scrubbed' }, null, { ok: false, reason: 'deleted' }],
    ['a Slack reassignment wins over the tag cxloop left', { tags: ['cxloop_bug_report'] }, slack('feature_request'), { ok: true, category: 'feature_request', source: 'correction' }],
    ['a corrected ticket counts before it is solved', { status: 'open' }, slack('other'), { ok: true, category: 'other', source: 'correction' }],
    [
      "an agent's group move wins over the group label, by the group's category",
      { tags: ['cxloop_billing_issue'] },
      { via: 'zendesk_group', ticketId: 1, at: 10, groupId: 1007 },
      { ok: true, category: 'content_communication', source: 'correction' },
    ],
    ['a move to a shared group names no category: the next source decides', { tags: ['cxloop_billing_issue'] }, { via: 'zendesk_group', ticketId: 1, at: 10, groupId: 1001 }, { ok: true, category: 'billing_issue', source: 'tag' }],
    [
      "an agent's tag change: the tag the ticket carries now (a later change of it)",
      { tags: ['cxloop_other'] },
      { via: 'zendesk_category', ticketId: 1, at: 10, category: 'feature_request' },
      { ok: true, category: 'other', source: 'correction' },
    ],
    [
      "an agent's tag change when the ticket has no cxloop tag left: the recorded one",
      {},
      { via: 'zendesk_category', ticketId: 1, at: 10, category: 'feature_request' },
      { ok: true, category: 'feature_request', source: 'correction' },
    ],
    ['a tag removed for none: the next source decides', { groupId: 1007 }, { via: 'zendesk_category', ticketId: 1, at: 10, category: null }, { ok: true, category: 'content_communication', source: 'group' }],
  ];
  it.each(cases)('%s', (_name, changes, correction, expected) => {
    expect(labelTicket(ticket(changes), rules, correction)).toEqual(expected);
  });
});

describe('languageOfLocale', () => {
  it.each([
    ['en-US', 'en'],
    ['pt-BR', 'pt'],
    ['de', 'de'],
    ['zh_TW', 'zh'],
    ['  FR-ca ', 'fr'],
    ['', ''],
    ['123', ''],
    [null, ''],
  ])('%s -> %s', (locale, language) => {
    expect(languageOfLocale(locale)).toBe(language);
  });
});
