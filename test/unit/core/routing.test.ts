import { describe, expect, it } from 'vitest';
import type { Decision, Evidence } from '../../../src/core/classify/classifier.js';
import { categoryLabel, describeRouting, formatUtc, type RoutingNoteInput } from '../../../src/core/routing/describe-routing.js';
import { detectOverride, taggedCategory, type Override, type RoutingState } from '../../../src/core/routing/detect-override.js';
import { planTicketUpdate, type RoutePlan, type TicketFields } from '../../../src/core/routing/route-plan.js';
import type { TicketSnapshot } from '../../../src/core/ticket-event.js';
import { defaultClassifier } from '../../support/default-classifier.js';
import { billingPlan, PLAN_RECEIVED_AT } from '../../support/route-plans.js';

const BASE_UPDATED_AT = PLAN_RECEIVED_AT;
const NOW_UPDATED_AT = Date.UTC(2026, 10, 20, 10, 5, 0);

const plan = billingPlan;

function fields(overrides: Partial<TicketFields> = {}): TicketFields {
  return { tags: ['vip'], groupId: 1000, priority: 'normal', updatedAt: NOW_UPDATED_AT, ...overrides };
}

describe('planTicketUpdate', () => {
  it('applies the plan to an untouched ticket: tags appended, group set, priority raised, note, stamp', () => {
    expect(planTicketUpdate(plan(), fields())).toEqual({
      ticketId: 5,
      groupId: 1002,
      priority: 'high',
      tags: ['vip', 'cxloop_billing_issue', 'cxloop_tier_high'],
      internalNote: 'cxloop routed this ticket',
      updatedStamp: NOW_UPDATED_AT,
    });
  });

  it('keeps existing tags in order and adds cxloop tags only once', () => {
    const update = planTicketUpdate(plan(), fields({ tags: ['cxloop_tier_high', 'a', 'cxloop_billing_issue', 'b'] }));
    expect(update.tags).toEqual(['cxloop_tier_high', 'a', 'cxloop_billing_issue', 'b']);
    expect(planTicketUpdate(plan(), fields({ tags: ['z', 'cxloop_billing_issue'] })).tags).toEqual(['z', 'cxloop_billing_issue', 'cxloop_tier_high']);
  });

  it.each<[string, RoutePlan, TicketFields, number | undefined]>([
    ['group untouched since base -> set', plan(), fields({ groupId: 1000 }), 1002],
    ['base group null and still null -> set', plan({ base: { ...plan().base, groupId: null } }), fields({ groupId: null }), 1002],
    ['an agent moved the ticket -> their group stays', plan(), fields({ groupId: 1007 }), undefined],
    ['plan has no group configured -> omitted', plan({ groupId: null }), fields(), undefined],
  ])('groupId: %s', (_name, routePlan, current, groupId) => {
    const update = planTicketUpdate(routePlan, current);
    expect(update.groupId).toBe(groupId);
    expect('groupId' in update).toBe(groupId !== undefined);
  });

  it.each<[string, RoutePlan, TicketFields, string | undefined]>([
    ['raises normal -> high', plan(), fields(), 'high'],
    ['sets a priority on a ticket without one', plan({ base: { ...plan().base, priority: null } }), fields({ priority: null }), 'high'],
    ['never lowers urgent -> high', plan({ base: { ...plan().base, priority: 'urgent' } }), fields({ priority: 'urgent' }), undefined],
    ['same priority -> no change', plan({ base: { ...plan().base, priority: 'high' } }), fields({ priority: 'high' }), undefined],
    ['an agent changed it since base -> theirs stays', plan({ priority: 'urgent' }), fields({ priority: 'low' }), undefined],
  ])('priority: %s', (_name, routePlan, current, priority) => {
    const update = planTicketUpdate(routePlan, current);
    expect(update.priority).toBe(priority);
    expect('priority' in update).toBe(priority !== undefined);
  });

  it('stamps the update with the current updatedAt, not the base one', () => {
    expect(planTicketUpdate(plan(), fields({ updatedAt: 123_000 })).updatedStamp).toBe(123_000);
  });
});

function snapshot(overrides: Partial<TicketSnapshot> = {}): TicketSnapshot {
  return {
    id: 5,
    subject: 'Charged twice',
    description: 'please refund',
    status: 'open',
    priority: 'normal',
    groupId: 1000,
    assigneeId: null,
    requesterId: 300,
    organizationId: null,
    formId: null,
    tags: ['vip'],
    channel: 'web',
    createdAt: BASE_UPDATED_AT,
    updatedAt: NOW_UPDATED_AT,
    ...overrides,
  };
}

describe('taggedCategory', () => {
  it.each<[readonly string[], Parameters<typeof taggedCategory>[1], ReturnType<typeof taggedCategory>]>([
    [['vip'], undefined, null],
    [['cxloop_bug_report'], undefined, 'bug_report'],
    [['cxloop_bug_report'], 'bug_report', null],
    [['cxloop_bug_report', 'cxloop_other'], 'bug_report', 'other'],
    [['cxloop_tier_high', 'cxloop_unknown'], undefined, null],
  ])('%j except %s -> %s', (tags, except, expected) => {
    expect(taggedCategory(tags, except)).toBe(expected);
  });
});

describe('detectOverride', () => {
  const routed: RoutingState = { status: 'routed', category: 'billing_issue', groupId: 1002, baseGroupId: 1000 };
  const pending: RoutingState = { ...routed, status: 'pending' };
  const routedTags = ['vip', 'cxloop_billing_issue', 'cxloop_tier_high'];
  /** The updated_at cxloop wrote over. */
  const T = NOW_UPDATED_AT;

  const cases: Array<[string, RoutingState, TicketSnapshot, boolean, Override | null]> = [
    ['bySelf: never an override', routed, snapshot({ tags: ['vip'], groupId: 1007 }), true, null],
    ['routed, our tag and group in place', routed, snapshot({ tags: routedTags, groupId: 1002 }), false, null],
    ['routed, our tag removed', routed, snapshot({ tags: ['vip', 'cxloop_tier_high'], groupId: 1002 }), false, { field: 'category', from: 'billing_issue', to: null }],
    [
      'routed, our tag replaced by another category',
      routed,
      snapshot({ tags: ['vip', 'cxloop_bug_report', 'cxloop_tier_high'], groupId: 1002 }),
      false,
      { field: 'category', from: 'billing_issue', to: 'bug_report' },
    ],
    [
      'routed, another category tag added next to ours',
      routed,
      snapshot({ tags: [...routedTags, 'cxloop_feature_request'], groupId: 1002 }),
      false,
      { field: 'category', from: 'billing_issue', to: 'feature_request' },
    ],
    ['routed, group changed', routed, snapshot({ tags: routedTags, groupId: 1007 }), false, { field: 'group', from: 1002, to: 1007 }],
    ['routed, group cleared', routed, snapshot({ tags: routedTags, groupId: null }), false, { field: 'group', from: 1002, to: null }],
    ['routed without a group, any group is fine', { ...routed, groupId: null }, snapshot({ tags: routedTags, groupId: 1007 }), false, null],
    ['pending, nothing changed', pending, snapshot(), false, null],
    ['pending, our own write landed', pending, snapshot({ tags: routedTags, groupId: 1002 }), false, null],
    ['pending, group moved to a third group', pending, snapshot({ groupId: 1007 }), false, { field: 'group', from: 1002, to: 1007 }],
    ['pending, another category tag', pending, snapshot({ tags: ['vip', 'cxloop_bug_report'] }), false, { field: 'category', from: 'billing_issue', to: 'bug_report' }],
    // A snapshot at or before the version cxloop's write was made on predates the write (a late or repeated delivery).
    ['routed, a snapshot from before the write (no tag yet)', { ...routed, writtenOver: T }, snapshot({ tags: ['vip'], groupId: 1000, updatedAt: T }), false, null],
    ['routed, a snapshot from before the write, another category tag', { ...routed, writtenOver: T }, snapshot({ tags: ['vip', 'cxloop_bug_report'], updatedAt: T - 1_000 }), false, { field: 'category', from: 'billing_issue', to: 'bug_report' }],
    ['routed, a snapshot after the write without our tag', { ...routed, writtenOver: T }, snapshot({ tags: ['vip'], groupId: 1002, updatedAt: T + 1_000 }), false, { field: 'category', from: 'billing_issue', to: null }],
  ];

  it.each(cases)('%s', (_name, state, current, bySelf, expected) => {
    expect(detectOverride(state, current, bySelf)).toEqual(expected);
  });
});

describe('categoryLabel and formatUtc', () => {
  it.each([
    ['bug_report', 'Bug report'],
    ['sentiment_experience', 'Sentiment experience'],
    ['other', 'Other'],
  ] as const)('%s -> %s', (category, label) => {
    expect(categoryLabel(category)).toBe(label);
  });

  it('formats epoch ms as minutes in UTC', () => {
    expect(formatUtc(Date.UTC(2026, 10, 22, 16, 5, 59, 999))).toBe('2026-11-22 16:05 UTC');
  });
});

describe('describeRouting', () => {
  const OPENED_AT = Date.UTC(2026, 10, 22, 10, 0);
  const evidence = (value: string, forWhat: Evidence['for'], weight: number, part?: Evidence['part'], count = 1): Evidence => ({
    rule: 'term',
    for: forWhat,
    value,
    source: 'en',
    weight,
    count,
    ...(part ? { part } : {}),
  });

  function decision(overrides: Partial<Decision> = {}): Decision {
    return {
      category: 'bug_report',
      confidence: 0.8765,
      tier: 'critical',
      scores: {
        bug_report: 7,
        billing_issue: 1,
        feature_request: 0,
        onboarding_help: 0,
        performance_issue: 0,
        sentiment_experience: 0,
        content_communication: 0,
        other: 0,
      },
      bestGuess: 'bug_report',
      evidence: [
        evidence('error', 'bug_report', 3, 'body'),
        evidence('invoice', 'billing_issue', 5, 'body'),
        evidence('crash*', 'bug_report', 2, 'subject', 3),
        evidence('down', 'outage', 1),
      ],
      negated: [],
      tierReasons: ['outage wording: "down"', 'VIP requester'],
      summary: 'unused',
      ...overrides,
    };
  }

  const input = (overrides: Partial<RoutingNoteInput> = {}): RoutingNoteInput => ({
    decision: decision(),
    team: 'engineering',
    priority: 'urgent',
    openedAt: OPENED_AT,
    acknowledgeWithinMinutes: 30,
    resolveWithinMinutes: 1440,
    ...overrides,
  });

  it('explains team, category, confidence, signals, tier and due times', () => {
    expect(describeRouting(input()).split('\n')).toEqual([
      'cxloop routed this ticket to engineering: Bug report (bug_report).',
      // Signals for the category and tier signals only, strongest (weight x count) first: crash* 6, error 3, down 1.
      'Confidence 0.88. Signals: "crash*" (subject), "error" (body), "down".',
      'Tier critical, priority urgent: outage wording: "down"; VIP requester.',
      `Acknowledge within 30m (by ${formatUtc(OPENED_AT + 30 * 60_000)}); resolve within 1d (by ${formatUtc(OPENED_AT + 1440 * 60_000)}).`,
      'Wrong? Change the cxloop_ category tag or the group: cxloop records the correction and will not change it back.',
    ]);
    expect(describeRouting(input())).toContain('(by 2026-11-22 10:30 UTC); resolve within 1d (by 2026-11-23 10:00 UTC)');
  });

  it('says so when no signal matched, and leaves out empty tier reasons', () => {
    const note = describeRouting(input({ decision: decision({ category: 'other', confidence: 0, tier: 'normal', evidence: [], tierReasons: [] }), priority: 'normal' }));
    expect(note).toContain('Confidence 0.00. No rule matched with confidence: default path.');
    expect(note).toContain('\nTier normal, priority normal.\n');
  });

  it('lists at most 8 signals', () => {
    const many = Array.from({ length: 10 }, (_, index) => evidence(`term${index}`, 'bug_report', 10 - index));
    const note = describeRouting(input({ decision: decision({ evidence: many }) }));
    expect(note).toContain('"term7".');
    expect(note).not.toContain('"term8"');
  });

  it('lists the words that matched once each, with the parts they were found in, not the lexicon terms', () => {
    const real = defaultClassifier.classify({ subject: 'Exportar a Excel', description: 'Sería genial poder exportar los informes a Excel. ¿Podrían añadir esa opción?' });
    const note = describeRouting(input({ decision: real, team: 'product', priority: 'normal' }));
    expect(note).toContain('Signals: "sería genial" (body), "podrían añadir" (body), "exportar" (subject, body), "opción" (body).');
  });

  it('describes a real classifier decision', () => {
    const real = defaultClassifier.classify({ subject: 'Charged twice', description: 'please refund' });
    expect(real.category).toBe('billing_issue');
    const note = describeRouting(input({ decision: real, team: 'billing', priority: 'normal', acknowledgeWithinMinutes: 120, resolveWithinMinutes: 4320 }));
    expect(note).toContain('cxloop routed this ticket to billing: Billing issue (billing_issue).');
    expect(note).toContain(`Confidence ${real.confidence.toFixed(2)}. Signals: "charged" (subject), "refund" (body).`);
    expect(note).toContain(`Tier ${real.tier}, priority normal: ${real.tierReasons.join('; ')}.`);
    expect(note).toContain('Acknowledge within 2h (by 2026-11-22 12:00 UTC); resolve within 3d (by 2026-11-25 10:00 UTC).');
  });
});
