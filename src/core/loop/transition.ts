import type { CustomerUpdateKind } from '../customers/customer-texts.js';
import { wantsCustomerUpdate } from '../customers/customer-updates.js';
import { categoryLabel } from '../routing/describe-routing.js';
import type { RoutingAction } from '../routing/routing-actions.js';
import { dueAt, pauseClock, resumeClock, retargetClock, startClock } from '../sla/sla-clock.js';
import type { WorkingHours } from '../sla/working-hours.js';
import type { CategoryId, Tier } from '../taxonomy.js';
import type { ZendeskStatus } from '../ticket-event.js';
import { dueSteps, ladderSteps } from './escalation-ladder.js';
import { escalationReasons, noteTexts, statusTexts } from './loop-texts.js';
import type { Effect, LoopEvent, LoopPolicy, LoopState, Stage, TimerKind, Transition } from './loop-types.js';

const CALENDAR: WorkingHours = { timezone: 'UTC', clock: 'calendar', weekly: {}, holidays: [] };
const OPEN_STAGES: readonly Stage[] = ['routed', 'acknowledged', 'follow_up'];
const PAUSING: readonly (ZendeskStatus | null)[] = ['pending', 'hold'];
/** A reminder whose deadline is closer than this is not sent: the deadline's own message follows at once. */
const MIN_REMINDER_LEAD_MS = 60_000;

export interface OpenLoopInput {
  readonly ticketId: number;
  readonly category: CategoryId;
  readonly tier: Tier;
  readonly zendeskStatus: ZendeskStatus | null;
}

/** A new loop for a routed ticket: clocks start now, timers are scheduled. */
export function openLoop(input: OpenLoopInput, now: number, policy: LoopPolicy): Transition {
  const category = policy.categories[input.category];
  const tier = policy.tiers[input.tier];
  const base: LoopState = {
    ticketId: input.ticketId,
    version: 0,
    stage: 'routed',
    category: input.category,
    tier: input.tier,
    team: category.team,
    owner: null,
    openedAt: now,
    zendeskStatus: input.zendeskStatus,
    ack: startClock(category.acknowledge.breachMs, now),
    resolve: PAUSING.includes(input.zendeskStatus) ? { targetMs: tier.resolveMs, usedMs: 0, runningSince: null } : startClock(tier.resolveMs, now),
    update: startClock(tier.update.breachMs, now),
    lastUpdateAt: null,
    solvedAt: null,
    escalation: { step: 0, breachAt: null },
    updateStep: 0,
    resolveBreached: false,
    snoozedUntil: null,
    timers: {},
    reopens: 0,
    csat: null,
  };
  const extra = category.onRouting.flatMap((action) => ON_OPENING[action](input));
  return finish({ ...base, version: -1 }, base, now, policy, extra, statusTexts.routed(category.team));
}

/**
 * What each on_routing action adds to the effects of the loop's opening. The first three are done
 * by the routing write itself (app/run-routing-actions.ts) and add nothing here.
 */
const ON_OPENING: Readonly<Record<RoutingAction, (input: OpenLoopInput) => readonly Effect[]>> = {
  attach_requester_context: () => [],
  tag_for_pm_review: () => [],
  suggest_article: () => [],
  ping_incident_channel: (input) => [{ type: 'incident', text: `${categoryLabel(input.category)} on ticket ${input.ticketId}, tier ${input.tier}` }],
  flag_live_status: () => [{ type: 'live_status', live: true }],
  start_csat_followup: () => [{ type: 'csat_follow_up', reason: 'feedback' }],
};

/**
 * Is the ticket on the status channel's summary of live incidents? While its loop is open and its
 * category (as it is now) lists flag_live_status: solving or closing takes it off, a reopen or a
 * reassignment into such a category puts it (back) on.
 */
export function isLive(state: LoopState, policy: LoopPolicy): boolean {
  return OPEN_STAGES.includes(state.stage) && policy.categories[state.category].onRouting.includes('flag_live_status');
}

/**
 * The loop's state machine: the next state and the effects to run, or a rejection with a reason
 * (an event that does not apply to this stage, a stale timer, bad input). Pure: time comes in as
 * `now`, effects are data, and timers are derived from the resulting state, so no stage that has
 * ended keeps a timer.
 */
export function transition(state: LoopState, event: LoopEvent, now: number, policy: LoopPolicy): Transition {
  const hours = hoursOf(state.team, policy);
  const open = OPEN_STAGES.includes(state.stage);
  switch (event.type) {
    case 'acknowledge':
    case 'take':
    case 'assigned':
    case 'agent_comment': {
      const owner = 'user' in event ? event.user : `zd:${event.agentId}`;
      if (state.stage === 'routed' || state.stage === 'follow_up') {
        const next: LoopState = {
          ...state,
          stage: 'acknowledged',
          owner,
          ack: pauseClock(state.ack, now, hours),
          escalation: { step: 0, breachAt: null },
          snoozedUntil: null,
          update: startClock(state.update.targetMs, now),
          updateStep: 0,
        };
        const note: Effect[] = 'user' in event ? [{ type: 'zendesk_note', text: noteTexts.acknowledged(event.user) }] : [];
        // A follow-up's requester has heard from the team already; the first acknowledgement is news.
        const customer = state.stage === 'routed' ? customerUpdate(next, 'acknowledged', resolveEta(next, policy), policy) : [];
        return finish(state, next, now, policy, [...note, ...customer], statusTexts.acknowledged(owner, state.stage === 'follow_up'));
      }
      if (state.stage === 'acknowledged') {
        if (event.type === 'take') return finish(state, { ...state, owner: event.user }, now, policy, [{ type: 'zendesk_note', text: noteTexts.taken(event.user) }], statusTexts.taken(event.user));
        if (event.type === 'agent_comment' && event.public) return recordUpdate(state, now, policy, null, statusTexts.agentReplied(owner));
        if (event.type === 'acknowledge') return reject('already acknowledged');
        return { ok: true, state: bump(state), effects: [] };
      }
      return reject(`no acknowledgement in stage ${state.stage}`);
    }
    case 'post_update':
      if (!open) return reject(`no status updates in stage ${state.stage}`);
      if (event.text.trim() === '') return reject('an update needs text');
      return recordUpdate(state, now, policy, event.etaAt ?? null, event.text.trim(), event.user);
    case 'snooze': {
      if (!open) return reject(`nothing to snooze in stage ${state.stage}`);
      if (event.durationMs < policy.minSnoozeMs || event.durationMs > policy.maxSnoozeMs) {
        return reject(`snooze must be between ${policy.minSnoozeMs / 60_000} min and ${policy.maxSnoozeMs / 60_000} min`);
      }
      const until = now + event.durationMs;
      return finish(state, { ...state, snoozedUntil: until }, now, policy, [{ type: 'zendesk_note', text: noteTexts.snoozed(event.user, until) }], null);
    }
    case 'reassign':
    case 'recategorised': {
      if (!open) return reject(`cannot change the category in stage ${state.stage}`);
      if (event.category === state.category) return reject(`already ${event.category}`);
      const category = policy.categories[event.category];
      const teamChanged = category.team !== state.team;
      // A new owner team starts acknowledging afresh; the same team keeps its clock, retargeted.
      const next: LoopState = teamChanged
        ? { ...state, category: event.category, team: category.team, stage: 'routed', owner: null, ack: startClock(category.acknowledge.breachMs, now), escalation: { step: 0, breachAt: null }, snoozedUntil: null }
        : { ...state, category: event.category, ack: retargetClock(state.ack, category.acknowledge.breachMs) };
      const note: Effect[] = event.type === 'reassign' ? [{ type: 'zendesk_note', text: noteTexts.reassigned(event.user, event.category, category.team) }] : [];
      return finish(state, next, now, policy, note, statusTexts.moved(event.category, category.team, teamChanged));
    }
    case 'reprioritised': {
      if (!open) return reject(`cannot change the tier in stage ${state.stage}`);
      if (event.tier === state.tier) return reject(`already ${event.tier}`);
      const tier = policy.tiers[event.tier];
      const next = { ...state, tier: event.tier, resolve: retargetClock(state.resolve, tier.resolveMs), update: retargetClock(state.update, tier.update.breachMs), resolveBreached: false };
      return finish(state, next, now, policy, [], statusTexts.tierChanged(event.tier));
    }
    case 'status_changed':
      return statusChanged(state, event.status, now, policy);
    case 'csat':
      if (event.score === 'good') {
        if (state.stage === 'acted') return finish(state, { ...state, stage: 'verified', csat: 'good' }, now, policy, [{ type: 'thank_customer' }], statusTexts.verifiedByRating());
        return finish(state, { ...state, csat: 'good' }, now, policy, [], null);
      }
      if (state.stage === 'acted' || state.stage === 'verified') return followUp(state, now, policy, 'detractor', { csat: 'bad' });
      return finish(state, { ...state, csat: 'bad' }, now, policy, [{ type: 'csat_follow_up', reason: 'detractor' }], null);
    case 'timer':
      return timerFired(state, event.kind, event.dueAt, now, policy);
  }
}

function statusChanged(state: LoopState, status: ZendeskStatus, now: number, policy: LoopPolicy): Transition {
  const hours = hoursOf(state.team, policy);
  if (status === state.zendeskStatus) return reject(`already ${status}`);
  const withStatus = { ...state, zendeskStatus: status };
  // Archived: closed a long time ago; it ends a loop exactly as closed does.
  const closing = status === 'closed' || status === 'archived';
  if (status === 'solved' || (closing && OPEN_STAGES.includes(state.stage))) {
    if (!OPEN_STAGES.includes(state.stage)) return finish(state, withStatus, now, policy, [], null);
    const next: LoopState = { ...withStatus, stage: closing ? 'closed' : 'acted', solvedAt: now, resolve: pauseClock(state.resolve, now, hours), ack: pauseClock(state.ack, now, hours) };
    const customer = closing ? [] : customerUpdate(next, 'solved', null, policy);
    return finish(state, next, now, policy, customer, closing ? statusTexts.closedUnsolved(status) : statusTexts.solved());
  }
  if (closing) {
    // An archived ticket whose loop has already ended: nothing to say again.
    if (status === 'archived' && state.stage === 'closed') return finish(state, withStatus, now, policy, [], null);
    // Closed tickets cannot be reopened: an unreopened solve is verified.
    const stage: Stage = state.stage === 'acted' ? 'verified' : 'closed';
    return finish(state, { ...withStatus, stage }, now, policy, [], stage === 'verified' ? statusTexts.verifiedByClosing(status) : statusTexts.closed(status));
  }
  if (status === 'deleted') return finish(state, { ...withStatus, stage: 'closed' }, now, policy, [], statusTexts.deleted());
  // Scrubbed: deleted and its content erased in Zendesk; cxloop drops the ticket's brief (handle-ticket-event.ts).
  if (status === 'scrubbed') return finish(state, { ...withStatus, stage: 'closed' }, now, policy, [], statusTexts.scrubbed());
  if (PAUSING.includes(status)) return finish(state, { ...withStatus, resolve: pauseClock(state.resolve, now, hours) }, now, policy, [], null);
  // new / open
  if (state.stage === 'acted' || state.stage === 'verified') return followUp(state, now, policy, 'reopened', { zendeskStatus: status });
  return finish(state, { ...withStatus, resolve: resumeClock(state.resolve, now) }, now, policy, [], null);
}

/** A reopen or a detractor: back to the original owner with the follow-up SLA. */
function followUp(state: LoopState, now: number, policy: LoopPolicy, reason: 'detractor' | 'reopened', changes: Partial<LoopState>): Transition {
  const next: LoopState = {
    ...state,
    ...changes,
    stage: 'follow_up',
    ack: startClock(policy.followUpMs, now),
    resolve: resumeClock(state.resolve, now),
    escalation: { step: 0, breachAt: null },
    snoozedUntil: null,
    solvedAt: null,
    reopens: state.reopens + (reason === 'reopened' ? 1 : 0),
  };
  const due = dueAt(next.ack, hoursOf(state.team, policy));
  return finish(state, next, now, policy, [{ type: 'csat_follow_up', reason, ...(due === null ? {} : { dueAt: due }) }], statusTexts.followUp(reason, state.owner, state.team, policy.followUpMs));
}

function recordUpdate(state: LoopState, now: number, policy: LoopPolicy, etaAt: number | null, text: string, user?: string): Transition {
  const next: LoopState = { ...state, lastUpdateAt: now, update: startClock(state.update.targetMs, now), updateStep: 0 };
  const effects: Effect[] = [{ type: 'publish_status', stage: state.stage, text, etaAt: etaAt ?? resolveEta(state, policy), automatic: false }];
  if (user) effects.push({ type: 'zendesk_note', text: noteTexts.statusUpdate(user, text) });
  return finish(state, next, now, policy, effects, null);
}

function timerFired(state: LoopState, kind: TimerKind, firedFor: number, now: number, policy: LoopPolicy): Transition {
  if (state.timers[kind] !== firedFor) return reject(`stale ${kind} timer`);
  const team = policy.teams[state.team];
  const ladder = team?.ladder ?? [];
  const followUp = state.stage === 'follow_up';
  switch (kind) {
    case 'ack_remind': {
      const due = state.timers.ack_breach ?? now;
      // No time left (a snooze or an outage kept the reminder past its deadline): the breach speaks for it.
      const remind: Effect[] = due - now >= MIN_REMINDER_LEAD_MS ? [{ type: 'remind_owner', about: followUp ? 'follow_up' : 'acknowledge', dueAt: due }] : [];
      return finish(state, { ...state, escalation: { ...state.escalation, step: 1 } }, now, policy, remind, null);
    }
    case 'ack_breach':
      return finish(state, { ...state, escalation: { step: 2, breachAt: firedFor } }, now, policy, [], statusTexts.ackBreached(followUp, state.ack.targetMs, state.team, ladder[0]));
    case 'escalate': {
      const due = state.escalation.breachAt === null ? null : dueSteps(ladderSteps(team, state.escalation.breachAt), state.escalation.step - 2, now);
      if (!due) return reject('no escalation level left');
      const reason = followUp ? escalationReasons.followUp(state.csat === 'bad') : escalationReasons.acknowledge();
      const effects: Effect[] = [
        { type: 'escalate', level: due.step.level, round: due.step.round, notify: due.step.notify, reason, about: followUp ? 'follow_up' : 'acknowledge', dueAt: state.escalation.breachAt ?? firedFor },
      ];
      return finish(state, { ...state, escalation: { ...state.escalation, step: 2 + due.next } }, now, policy, effects, null);
    }
    case 'update_remind': {
      const due = state.timers.update_breach ?? now;
      const remind: Effect[] = due - now >= MIN_REMINDER_LEAD_MS ? [{ type: 'remind_owner', about: 'update', dueAt: due }] : [];
      return finish(state, { ...state, updateStep: 1 }, now, policy, remind, null);
    }
    case 'update_breach': {
      const eta = resolveEta(state, policy);
      const effects: Effect[] = [
        { type: 'publish_status', stage: state.stage, text: statusTexts.updateOverdue(state.update.targetMs), etaAt: eta, automatic: true },
        ...customerUpdate(state, 'revised_eta', eta, policy),
        ...(ladder[0] ? [{ type: 'escalate' as const, level: 1, round: 0, notify: ladder[0].notify, reason: escalationReasons.update(), about: 'update' as const, dueAt: firedFor }] : []),
      ];
      return finish(state, { ...state, updateStep: 2 }, now, policy, effects, null);
    }
    case 'resolve_breach': {
      const top = ladder.at(-1);
      const reason = escalationReasons.resolve(state.tier, state.resolve.targetMs);
      const effects: Effect[] = top ? [{ type: 'escalate', level: ladder.length, round: 0, notify: top.notify, reason, about: 'resolve', dueAt: firedFor }] : [];
      return finish(state, { ...state, resolveBreached: true }, now, policy, effects, null);
    }
    case 'verify_end':
      return finish(state, { ...state, stage: 'verified' }, now, policy, [], statusTexts.verifiedByWindow(policy.verifyWindowMs));
  }
}

/** The timers a state should have, each at its due time (snooze postpones owner-facing ones). */
export function desiredTimers(state: LoopState, policy: LoopPolicy): Partial<Record<TimerKind, number>> {
  const hours = hoursOf(state.team, policy);
  const timers: Partial<Record<TimerKind, number>> = {};
  const later = (at: number | null) => (at === null ? null : Math.max(at, state.snoozedUntil ?? at));
  const set = (kind: TimerKind, at: number | null) => {
    if (at !== null) timers[kind] = at;
  };
  if (state.stage === 'routed' || state.stage === 'follow_up') {
    const target = state.ack.targetMs;
    const remindMs = state.stage === 'follow_up' ? target / 2 : Math.min(policy.categories[state.category].acknowledge.remindMs, target);
    if (state.escalation.step < 1 && remindMs < target) set('ack_remind', later(dueAt(state.ack, hours, remindMs)));
    if (state.escalation.step < 2) set('ack_breach', later(dueAt(state.ack, hours)));
    else set('escalate', later(nextEscalationAt(state, policy)));
  }
  if (state.stage === 'acknowledged') {
    const remindMs = policy.tiers[state.tier].update.remindMs;
    if (state.updateStep < 1 && remindMs < state.update.targetMs) set('update_remind', later(dueAt(state.update, hours, remindMs)));
    if (state.updateStep < 2) set('update_breach', later(dueAt(state.update, hours)));
  }
  if (OPEN_STAGES.includes(state.stage) && !state.resolveBreached) set('resolve_breach', dueAt(state.resolve, hours));
  if (state.stage === 'acted' && state.solvedAt !== null) set('verify_end', state.solvedAt + policy.verifyWindowMs);
  return timers;
}

function nextEscalationAt(state: LoopState, policy: LoopPolicy): number | null {
  if (state.escalation.breachAt === null) return null;
  return ladderSteps(policy.teams[state.team], state.escalation.breachAt)[state.escalation.step - 2]?.at ?? null;
}

/** Commits a transition: version +1, timers reconciled with the new state, a status update if the stage or owner changed. */
function finish(before: LoopState, after: LoopState, _now: number, policy: LoopPolicy, effects: readonly Effect[], statusText: string | null): Transition {
  const timers = desiredTimers(after, policy);
  const timerEffects: Effect[] = [];
  for (const kind of Object.keys(before.timers) as TimerKind[]) {
    if (timers[kind] === undefined) timerEffects.push({ type: 'cancel', timer: kind });
  }
  for (const [kind, at] of Object.entries(timers) as [TimerKind, number][]) {
    if (before.timers[kind] !== at) timerEffects.push({ type: 'schedule', timer: kind, at });
  }
  const state: LoopState = { ...after, version: before.version + 1, timers };
  const status: Effect[] = statusText === null ? [] : [{ type: 'publish_status', stage: state.stage, text: statusText, etaAt: resolveEta(state, policy), automatic: true }];
  // The opening's own live_status comes from ON_OPENING; later transitions report a change of it.
  const live = isLive(state, policy);
  const liveChange: Effect[] = before.version >= 0 && isLive(before, policy) !== live ? [{ type: 'live_status', live }] : [];
  return { ok: true, state, effects: [...effects, ...status, ...liveChange, ...timerEffects] };
}

/** The public comment of `kind`, when the policy opts the ticket (its tier and category) in. */
function customerUpdate(state: LoopState, kind: CustomerUpdateKind, etaAt: number | null, policy: LoopPolicy): Effect[] {
  return wantsCustomerUpdate(state, kind, policy.customerUpdates) ? [{ type: 'customer_update', kind, etaAt }] : [];
}

function bump(state: LoopState): LoopState {
  return { ...state, version: state.version + 1 };
}

/** Revised ETA: when the resolve clock will reach its target, or null while paused or done. */
function resolveEta(state: LoopState, policy: LoopPolicy): number | null {
  return OPEN_STAGES.includes(state.stage) ? dueAt(state.resolve, hoursOf(state.team, policy)) : null;
}

function hoursOf(team: string, policy: LoopPolicy): WorkingHours {
  return policy.teams[team]?.hours ?? CALENDAR;
}

function reject(reason: string): Transition {
  return { ok: false, reason };
}

