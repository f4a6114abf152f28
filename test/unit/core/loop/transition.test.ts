import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loopPolicyFrom } from '../../../../src/app/loop-policy.js';
import type { Effect, LoopEvent, LoopPolicy, LoopState, Stage, TimerKind } from '../../../../src/core/loop/loop-types.js';
import { desiredTimers, isLive, openLoop, transition } from '../../../../src/core/loop/transition.js';
import { ROUTING_ACTIONS, type RoutingAction } from '../../../../src/core/routing/routing-actions.js';
import { CATEGORY_IDS, type CategoryId, type Tier } from '../../../../src/core/taxonomy.js';
import { ZENDESK_STATUSES } from '../../../../src/core/ticket-event.js';
import { defaultPolicy } from '../../../support/default-classifier.js';
import { accepted, fireTimer } from '../../../support/loop-fixtures.js';

const policy = loopPolicyFrom(defaultPolicy);

/** The default policy with some categories' on_routing replaced. */
function loopPolicyWith(onRouting: Partial<Record<CategoryId, RoutingAction[]>>) {
  const changed = structuredClone(defaultPolicy);
  for (const [id, actions] of Object.entries(onRouting) as [CategoryId, RoutingAction[]][]) changed.categories[id].on_routing = actions;
  return loopPolicyFrom(changed);
}
const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 10, 23, 9, 0);

function open(category: CategoryId = 'billing_issue', tier: Tier = 'normal', now = T0): LoopState {
  return accepted(openLoop({ ticketId: 42, category, tier, zendeskStatus: 'new' }, now, policy)).state;
}

function apply(state: LoopState, ...events: LoopEvent[]): LoopState {
  return events.reduce((current, event) => accepted(transition(current, event, T0 + HOUR, policy)).state, state);
}

/** Fires a pending timer at its due time. */
const fire = (state: LoopState, kind: TimerKind) => fireTimer(state, kind, policy);

const IN_STAGE: Record<Stage, () => LoopState> = {
  routed: () => open(),
  acknowledged: () => apply(open(), { type: 'acknowledge', user: 'U1' }),
  acted: () => apply(open(), { type: 'acknowledge', user: 'U1' }, { type: 'status_changed', status: 'solved' }),
  verified: () => apply(open(), { type: 'acknowledge', user: 'U1' }, { type: 'status_changed', status: 'solved' }, { type: 'csat', score: 'good' }),
  follow_up: () => apply(open(), { type: 'acknowledge', user: 'U1' }, { type: 'status_changed', status: 'solved' }, { type: 'status_changed', status: 'open' }),
  closed: () => apply(open(), { type: 'status_changed', status: 'closed' }),
};

const EVENTS: Record<string, LoopEvent> = {
  acknowledge: { type: 'acknowledge', user: 'U1' },
  take: { type: 'take', user: 'U2' },
  assigned: { type: 'assigned', agentId: 7 },
  'public reply': { type: 'agent_comment', agentId: 7, public: true },
  solved: { type: 'status_changed', status: 'solved' },
  'reopened (open)': { type: 'status_changed', status: 'open' },
  'closed (Zendesk)': { type: 'status_changed', status: 'closed' },
  archived: { type: 'status_changed', status: 'archived' },
  scrubbed: { type: 'status_changed', status: 'scrubbed' },
  'csat good': { type: 'csat', score: 'good' },
  'csat bad': { type: 'csat', score: 'bad' },
  'snooze 1h': { type: 'snooze', user: 'U1', durationMs: HOUR },
  'post update': { type: 'post_update', user: 'U1', text: 'Refund issued, waiting for the bank' },
  'recategorised (other team)': { type: 'recategorised', category: 'bug_report' },
  'tier high': { type: 'reprioritised', tier: 'high' },
  'stale timer': { type: 'timer', kind: 'ack_breach', dueAt: 1 },
};

// Resulting stage per event and stage; 'x' = rejected as a value.
const EXPECTED: Record<string, Record<Stage, Stage | 'x'>> = {
  acknowledge: { routed: 'acknowledged', acknowledged: 'x', acted: 'x', verified: 'x', follow_up: 'acknowledged', closed: 'x' },
  take: { routed: 'acknowledged', acknowledged: 'acknowledged', acted: 'x', verified: 'x', follow_up: 'acknowledged', closed: 'x' },
  assigned: { routed: 'acknowledged', acknowledged: 'acknowledged', acted: 'x', verified: 'x', follow_up: 'acknowledged', closed: 'x' },
  'public reply': { routed: 'acknowledged', acknowledged: 'acknowledged', acted: 'x', verified: 'x', follow_up: 'acknowledged', closed: 'x' },
  solved: { routed: 'acted', acknowledged: 'acted', acted: 'x', verified: 'x', follow_up: 'acted', closed: 'closed' },
  'reopened (open)': { routed: 'routed', acknowledged: 'acknowledged', acted: 'follow_up', verified: 'follow_up', follow_up: 'x', closed: 'closed' },
  'closed (Zendesk)': { routed: 'closed', acknowledged: 'closed', acted: 'verified', verified: 'closed', follow_up: 'closed', closed: 'x' },
  archived: { routed: 'closed', acknowledged: 'closed', acted: 'verified', verified: 'closed', follow_up: 'closed', closed: 'closed' },
  scrubbed: { routed: 'closed', acknowledged: 'closed', acted: 'closed', verified: 'closed', follow_up: 'closed', closed: 'closed' },
  'csat good': { routed: 'routed', acknowledged: 'acknowledged', acted: 'verified', verified: 'verified', follow_up: 'follow_up', closed: 'closed' },
  'csat bad': { routed: 'routed', acknowledged: 'acknowledged', acted: 'follow_up', verified: 'follow_up', follow_up: 'follow_up', closed: 'closed' },
  'snooze 1h': { routed: 'routed', acknowledged: 'acknowledged', acted: 'x', verified: 'x', follow_up: 'follow_up', closed: 'x' },
  'post update': { routed: 'routed', acknowledged: 'acknowledged', acted: 'x', verified: 'x', follow_up: 'follow_up', closed: 'x' },
  'recategorised (other team)': { routed: 'routed', acknowledged: 'routed', acted: 'x', verified: 'x', follow_up: 'routed', closed: 'x' },
  'tier high': { routed: 'routed', acknowledged: 'acknowledged', acted: 'x', verified: 'x', follow_up: 'follow_up', closed: 'x' },
  'stale timer': { routed: 'x', acknowledged: 'x', acted: 'x', verified: 'x', follow_up: 'x', closed: 'x' },
};

describe('transition: every event in every stage', () => {
  const cases = Object.entries(EXPECTED).flatMap(([event, byStage]) => (Object.entries(byStage) as [Stage, Stage | 'x'][]).map(([stage, expected]) => ({ event, stage, expected })));
  it.each(cases)('$event in $stage -> $expected', ({ event, stage, expected }) => {
    const before = IN_STAGE[stage]();
    expect(before.stage).toBe(stage);
    const result = transition(before, EVENTS[event]!, T0 + 2 * HOUR, policy);
    if (expected === 'x') {
      expect(result).toEqual({ ok: false, reason: expect.any(String) });
      return;
    }
    const { state } = accepted(result);
    expect(state.stage).toBe(expected);
    expect(state.version).toBe(before.version + 1);
    expect(state.timers).toEqual(desiredTimers(state, policy));
  });
});

describe('archived and scrubbed tickets', () => {
  const statusUpdates = (effects: readonly Effect[]) => effects.filter((effect) => effect.type === 'publish_status').map((effect) => (effect as { text: string }).text);

  it('archived ends an open loop as closed does, saying so, and leaves no timer', () => {
    const { state, effects } = accepted(transition(IN_STAGE.acknowledged(), EVENTS.archived!, T0 + 2 * HOUR, policy));
    expect(state).toMatchObject({ stage: 'closed', zendeskStatus: 'archived', timers: {} });
    expect(statusUpdates(effects)).toEqual(['Archived in Zendesk without being solved.']);
  });

  it('archived after the loop was closed only records the status: no second status update', () => {
    const { state, effects } = accepted(transition(IN_STAGE.closed(), EVENTS.archived!, T0 + 2 * HOUR, policy));
    expect(state).toMatchObject({ stage: 'closed', zendeskStatus: 'archived' });
    expect(effects).toEqual([]);
  });

  it('archived verifies a solved ticket that was never reopened, as closed does', () => {
    expect(statusUpdates(accepted(transition(IN_STAGE.acted(), EVENTS.archived!, T0 + 2 * HOUR, policy)).effects)).toEqual(['Verified: archived in Zendesk and not reopened.']);
  });

  it('scrubbed ends the loop from any stage, a solved one included, and publishes a status update even when already closed (the card loses its text)', () => {
    for (const stage of ['routed', 'acted', 'closed'] as const) {
      const { state, effects } = accepted(transition(IN_STAGE[stage](), EVENTS.scrubbed!, T0 + 2 * HOUR, policy));
      expect(state).toMatchObject({ stage: 'closed', zendeskStatus: 'scrubbed', timers: {} });
      expect(statusUpdates(effects)).toEqual(['The ticket was deleted in Zendesk and its text erased; cxloop no longer keeps it.']);
    }
  });
});

describe('acknowledge ladder', () => {
  it('reminds, breaches, climbs the team ladder with its repeats, and stops when acknowledged', () => {
    // feature_request: remind 2d, breach 5d; product team ladder: 0m usergroup, 30m lead; repeat 2 every 1h.
    let state = open('feature_request');
    expect(state.timers).toMatchObject({ ack_remind: T0 + 2 * 24 * HOUR, ack_breach: T0 + 5 * 24 * HOUR });
    let step = fire(state, 'ack_remind');
    expect(step.effects).toContainEqual({ type: 'remind_owner', about: 'acknowledge', dueAt: T0 + 5 * 24 * HOUR });
    state = fire(step.state, 'ack_breach').state;
    const breach = T0 + 5 * 24 * HOUR;
    const levels: { level: number; round: number; at: number }[] = [];
    while (state.timers.escalate !== undefined) {
      const at = state.timers.escalate;
      step = fire(state, 'escalate');
      const escalation = step.effects.find((effect) => effect.type === 'escalate');
      if (escalation?.type === 'escalate') levels.push({ level: escalation.level, round: escalation.round, at });
      state = step.state;
    }
    expect(levels).toEqual([
      { level: 1, round: 0, at: breach },
      { level: 2, round: 0, at: breach + 30 * MIN },
      { level: 1, round: 1, at: breach + HOUR },
      { level: 2, round: 1, at: breach + HOUR + 30 * MIN },
      { level: 1, round: 2, at: breach + 2 * HOUR },
      { level: 2, round: 2, at: breach + 2 * HOUR + 30 * MIN },
    ]);
    const acknowledged = accepted(transition(open('feature_request'), { type: 'acknowledge', user: 'U9' }, T0 + HOUR, policy));
    expect(acknowledged.effects).toEqual(expect.arrayContaining([{ type: 'cancel', timer: 'ack_remind' }, { type: 'cancel', timer: 'ack_breach' }]));
    expect(acknowledged.state.timers.ack_breach).toBeUndefined();
  });

  const escalations = (effects: readonly Effect[]) => effects.flatMap((effect) => (effect.type === 'escalate' ? [{ level: effect.level, round: effect.round, notify: effect.notify }] : []));

  it('announces the ladder in the order it falls due, one message per step, even when a repeat comes before the next level', () => {
    // Level 1 at the breach, level 2 two hours after it, the whole ladder repeated twice every hour:
    // level 1's first repeat (1 h) is due before level 2 (2 h); at 2 h level 2 and level 1's second repeat fall due together.
    const slow: LoopPolicy = {
      ...policy,
      teams: { ...policy.teams, billing: { ...policy.teams.billing!, ladder: [{ afterBreachMs: 0, notify: ['team_channel', 'usergroup'] }, { afterBreachMs: 2 * HOUR, notify: ['lead'] }], repeat: 2, repeatEveryMs: HOUR } },
    };
    let state = accepted(openLoop({ ticketId: 42, category: 'billing_issue', tier: 'normal', zendeskStatus: 'new' }, T0, slow)).state;
    state = fireTimer(state, 'ack_breach', slow).state;
    const breach = T0 + 2 * HOUR;
    const announced: { level: number; round: number; notify: readonly string[]; at: number }[] = [];
    while (state.timers.escalate !== undefined) {
      const at = state.timers.escalate;
      const step = fireTimer(state, 'escalate', slow);
      expect(escalations(step.effects)).toHaveLength(1);
      announced.push({ ...escalations(step.effects)[0]!, at });
      state = step.state;
    }
    expect(announced).toEqual([
      { level: 1, round: 0, notify: ['team_channel', 'usergroup'], at: breach },
      { level: 1, round: 1, notify: ['team_channel', 'usergroup'], at: breach + HOUR },
      { level: 2, round: 0, notify: ['team_channel', 'usergroup', 'lead'], at: breach + 2 * HOUR },
      { level: 2, round: 1, notify: ['lead'], at: breach + 3 * HOUR },
      { level: 2, round: 2, notify: ['lead'], at: breach + 4 * HOUR },
    ]);
  });

  it('folds the steps that came due while it could not run (a snooze, an outage) into one announcement of the highest', () => {
    // Shipped ladder: level 1 at the breach, level 2 30 min after, repeated every hour.
    const breached = fire(fire(open('feature_request'), 'ack_remind').state, 'ack_breach').state;
    const breach = breached.escalation.breachAt!;
    const first = fire(breached, 'escalate');
    expect(escalations(first.effects)).toEqual([{ level: 1, round: 0, notify: ['team_channel', 'usergroup'] }]);
    // The next wake-up runs 1 h 10 min after the breach: level 2 (30 min) and level 1's repeat (1 h) are both overdue.
    const late = accepted(transition(first.state, { type: 'timer', kind: 'escalate', dueAt: first.state.timers.escalate! }, breach + HOUR + 10 * MIN, policy));
    expect(escalations(late.effects)).toEqual([{ level: 2, round: 0, notify: ['team_channel', 'usergroup', 'lead', 'escalation_channel'] }]);
    expect(late.state.timers.escalate).toBe(breach + HOUR + 30 * MIN);
  });

  it('a timer for a stage that moved on does nothing', () => {
    const routed = open('feature_request');
    const acknowledged = apply(routed, { type: 'acknowledge', user: 'U1' });
    expect(transition(acknowledged, { type: 'timer', kind: 'ack_breach', dueAt: routed.timers.ack_breach! }, T0 + 6 * 24 * HOUR, policy)).toEqual({
      ok: false,
      reason: 'stale ack_breach timer',
    });
  });

  it('bounds snooze and postpones reminders', () => {
    const state = open('feature_request');
    expect(transition(state, { type: 'snooze', user: 'U1', durationMs: 10 * MIN }, T0, policy).ok).toBe(false);
    expect(transition(state, { type: 'snooze', user: 'U1', durationMs: 25 * HOUR }, T0, policy).ok).toBe(false);
    const breached = fire(fire(state, 'ack_remind').state, 'ack_breach').state;
    const now = breached.timers.escalate!;
    const snoozed = accepted(transition(breached, { type: 'snooze', user: 'U1', durationMs: 2 * HOUR }, now, policy)).state;
    expect(snoozed.timers.escalate).toBe(now + 2 * HOUR);
  });
});

describe('status cadence, resolve clock and verification', () => {
  it('reminds before an update is due, publishes an automatic update with a revised ETA at breach, and restarts on an update', () => {
    let state = apply(open('billing_issue', 'high'), { type: 'acknowledge', user: 'U1' });
    const ackAt = T0 + HOUR;
    expect(state.timers).toMatchObject({ update_remind: ackAt + 2 * HOUR, update_breach: ackAt + 4 * HOUR });
    let step = fire(state, 'update_remind');
    expect(step.effects).toContainEqual({ type: 'remind_owner', about: 'update', dueAt: ackAt + 4 * HOUR });
    step = fire(step.state, 'update_breach');
    expect(step.effects).toContainEqual({ type: 'publish_status', stage: 'acknowledged', text: expect.any(String), etaAt: T0 + 48 * HOUR, automatic: true });
    expect(step.effects).toContainEqual({ type: 'escalate', level: 1, round: 0, notify: ['team_channel', 'usergroup'], reason: 'waiting for a status update', about: 'update', dueAt: ackAt + 4 * HOUR });
    state = accepted(transition(step.state, { type: 'post_update', user: 'U1', text: 'Fix deploying', etaAt: T0 + 10 * HOUR }, ackAt + 5 * HOUR, policy)).state;
    expect(state.timers).toMatchObject({ update_remind: ackAt + 7 * HOUR, update_breach: ackAt + 9 * HOUR });
  });

  it('pauses the resolve clock while pending and keeps time used when the tier changes', () => {
    let state = open('billing_issue', 'normal'); // resolve 72h
    expect(state.timers.resolve_breach).toBe(T0 + 72 * HOUR);
    state = accepted(transition(state, { type: 'status_changed', status: 'pending' }, T0 + 10 * HOUR, policy)).state;
    expect(state.timers.resolve_breach).toBeUndefined();
    state = accepted(transition(state, { type: 'status_changed', status: 'open' }, T0 + 30 * HOUR, policy)).state;
    expect(state.timers.resolve_breach).toBe(T0 + 30 * HOUR + 62 * HOUR);
    state = accepted(transition(state, { type: 'reprioritised', tier: 'high' }, T0 + 31 * HOUR, policy)).state; // resolve 48h, 10h used
    expect(state.timers.resolve_breach).toBe(T0 + 30 * HOUR + 38 * HOUR);
  });

  it('verifies after the window without a reopen, and leaves no timer behind', () => {
    const acted = IN_STAGE.acted();
    expect(Object.keys(acted.timers)).toEqual(['verify_end']);
    const verified = fire(acted, 'verify_end');
    expect(verified.state.stage).toBe('verified');
    expect(verified.state.timers).toEqual({});
    expect(verified.effects).toContainEqual({ type: 'cancel', timer: 'verify_end' });
  });

  it('a detractor rating opens a follow-up for the original owner with the 48 h SLA', () => {
    const step = accepted(transition(IN_STAGE.acted(), { type: 'csat', score: 'bad' }, T0 + 5 * HOUR, policy));
    expect(step.state).toMatchObject({ stage: 'follow_up', owner: 'U1', csat: 'bad' });
    expect(step.effects).toContainEqual({ type: 'csat_follow_up', reason: 'detractor', dueAt: T0 + 5 * HOUR + 48 * HOUR });
    expect(step.state.timers.ack_breach).toBe(T0 + 5 * HOUR + 48 * HOUR);
  });

  it('performance issues ping the incident channel; feedback starts the CSAT follow-up', () => {
    expect(accepted(openLoop({ ticketId: 1, category: 'performance_issue', tier: 'critical', zendeskStatus: 'new' }, T0, policy)).effects).toContainEqual({
      type: 'incident',
      text: 'Performance issue on ticket 1, tier critical',
    });
    expect(accepted(openLoop({ ticketId: 2, category: 'sentiment_experience', tier: 'normal', zendeskStatus: 'new' }, T0, policy)).effects).toContainEqual({
      type: 'csat_follow_up',
      reason: 'feedback',
    });
  });

  it('the opening carries out exactly the loop actions the category lists in on_routing', () => {
    const openingEffects: Record<RoutingAction, unknown[]> = {
      attach_requester_context: [],
      tag_for_pm_review: [],
      suggest_article: [],
      ping_incident_channel: [{ type: 'incident', text: 'Billing issue on ticket 7, tier high' }],
      flag_live_status: [{ type: 'live_status', live: true }],
      start_csat_followup: [{ type: 'csat_follow_up', reason: 'feedback' }],
    };
    for (const action of ROUTING_ACTIONS) {
      const given = loopPolicyWith({ billing_issue: [action] });
      const effects = accepted(openLoop({ ticketId: 7, category: 'billing_issue', tier: 'high', zendeskStatus: 'new' }, T0, given)).effects;
      expect(effects.filter((effect) => ['incident', 'live_status', 'csat_follow_up'].includes(effect.type)), action).toEqual(openingEffects[action]);
    }
  });

  it('a category without the loop actions never pings or follows up, whatever its id', () => {
    const none = loopPolicyWith(Object.fromEntries(CATEGORY_IDS.map((id) => [id, []])));
    for (const category of CATEGORY_IDS) {
      const effects = accepted(openLoop({ ticketId: 8, category, tier: 'critical', zendeskStatus: 'new' }, T0, none)).effects;
      expect(effects.map((effect) => effect.type).filter((type) => type !== 'publish_status' && type !== 'schedule'), category).toEqual([]);
    }
  });

  it('every stage change publishes a status update', () => {
    const step = accepted(transition(open(), { type: 'acknowledge', user: 'U1' }, T0, policy));
    expect(step.effects).toContainEqual(expect.objectContaining({ type: 'publish_status', stage: 'acknowledged', automatic: true }));
  });
});

describe('live status (flag_live_status)', () => {
  const liveOf = (effects: readonly { type: string }[]) => effects.filter((effect) => effect.type === 'live_status');
  const performance = () => accepted(openLoop({ ticketId: 9, category: 'performance_issue', tier: 'critical', zendeskStatus: 'new' }, T0, policy));

  it('a performance issue goes live when routed, stays live while worked on, and leaves when solved', () => {
    const opened = performance();
    expect(liveOf(opened.effects)).toEqual([{ type: 'live_status', live: true }]);
    expect(isLive(opened.state, policy)).toBe(true);
    const acknowledged = accepted(transition(opened.state, { type: 'acknowledge', user: 'U1' }, T0 + MIN, policy));
    expect(liveOf(acknowledged.effects)).toEqual([]);
    const solved = accepted(transition(acknowledged.state, { type: 'status_changed', status: 'solved' }, T0 + HOUR, policy));
    expect(liveOf(solved.effects)).toEqual([{ type: 'live_status', live: false }]);
    const reopened = accepted(transition(solved.state, { type: 'status_changed', status: 'open' }, T0 + 2 * HOUR, policy));
    expect(reopened.state.stage).toBe('follow_up');
    expect(liveOf(reopened.effects)).toEqual([{ type: 'live_status', live: true }]);
    const verified = accepted(transition(solved.state, { type: 'csat', score: 'good' }, T0 + 2 * HOUR, policy));
    expect(liveOf(verified.effects)).toEqual([]);
  });

  it.each([
    ['closed in Zendesk', { type: 'status_changed', status: 'closed' }],
    ['deleted', { type: 'status_changed', status: 'deleted' }],
    ['reassigned to a category without it', { type: 'reassign', user: 'U1', category: 'bug_report' }],
    ['recategorised by an agent', { type: 'recategorised', category: 'billing_issue' }],
  ] as [string, LoopEvent][])('leaves the summary when %s', (_what, event) => {
    const step = accepted(transition(performance().state, event, T0 + MIN, policy));
    expect(liveOf(step.effects)).toEqual([{ type: 'live_status', live: false }]);
  });

  it('joins the summary when reassigned into a category that flags it, and never for one that does not', () => {
    const bug = open('bug_report');
    expect(liveOf(accepted(transition(bug, { type: 'reassign', user: 'U1', category: 'performance_issue' }, T0 + MIN, policy)).effects)).toEqual([{ type: 'live_status', live: true }]);
    expect(liveOf(accepted(transition(bug, { type: 'reassign', user: 'U1', category: 'billing_issue' }, T0 + MIN, policy)).effects)).toEqual([]);
    expect(liveOf(accepted(openLoop({ ticketId: 10, category: 'performance_issue', tier: 'high', zendeskStatus: 'new' }, T0, loopPolicyWith({ performance_issue: ['ping_incident_channel'] }))).effects)).toEqual([]);
  });
});

describe('transition properties', () => {
  const userEvents: fc.Arbitrary<LoopEvent>[] = Object.values(EVENTS).map((event) => fc.constant(event));
  const statuses = fc.constantFrom(...ZENDESK_STATUSES).map((status) => ({ type: 'status_changed', status }) as LoopEvent);
  const step = fc.record({ event: fc.oneof(...userEvents, statuses, fc.constant(null)), advance: fc.integer({ min: 0, max: 12 * HOUR }), timer: fc.nat(6) });

  it('no sequence loses the ticket, leaves a timer for a finished stage, or moves a clock backwards', () => {
    fc.assert(
      fc.property(fc.constantFrom<CategoryId>('bug_report', 'billing_issue', 'feature_request', 'performance_issue'), fc.constantFrom<Tier>('critical', 'high', 'normal'), fc.array(step, { maxLength: 40 }), (category, tier, steps) => {
        let now = T0;
        let state = open(category, tier, now);
        for (const { event, advance, timer } of steps) {
          now += advance;
          // null = let the earliest pending timer fire (or a chosen one), at its due time.
          const pending = Object.entries(state.timers).sort((a, b) => a[1] - b[1]) as [TimerKind, number][];
          const chosen = pending[timer % Math.max(1, pending.length)];
          const next: LoopEvent | null = event ?? (chosen ? { type: 'timer', kind: chosen[0], dueAt: chosen[1] } : null);
          if (next === null) continue;
          if (next.type === 'timer') now = Math.max(now, next.dueAt);
          const result = transition(state, next, now, policy);
          if (!result.ok) continue;
          expect(result.state.version).toBe(state.version + 1);
          expect(result.state.resolve.usedMs).toBeGreaterThanOrEqual(state.resolve.usedMs);
          expect(result.state.ticketId).toBe(state.ticketId);
          state = result.state;
          expect(state.timers).toEqual(desiredTimers(state, policy));
          if (state.stage === 'verified' || state.stage === 'closed') expect(state.timers).toEqual({});
          if (state.stage === 'acted') expect(Object.keys(state.timers)).toEqual(['verify_end']);
          for (const effect of result.effects) if (effect.type === 'schedule') expect(state.timers[effect.timer]).toBe(effect.at);
          // No ticket is lost: an open loop whose resolve clock runs always has a wake-up coming.
          if (['routed', 'acknowledged', 'follow_up'].includes(state.stage) && state.resolve.runningSince !== null && !state.resolveBreached) {
            expect(state.timers.resolve_breach).toEqual(expect.any(Number));
          }
          // And every timer's due time is a number: no NaN can park a loop forever.
          for (const at of Object.values(state.timers)) expect(Number.isFinite(at)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});
