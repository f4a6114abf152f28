import { describe, expect, it } from 'vitest';
import { loopPolicyFrom } from '../../../../src/app/loop-policy.js';
import { describeMinutes } from '../../../../src/core/duration.js';
import type { Effect, LoopEvent, LoopPolicy, LoopState } from '../../../../src/core/loop/loop-types.js';
import { namePeople, peopleIn, personName, personRef, splitPersonRefs } from '../../../../src/core/loop/person-ref.js';
import { openLoop, transition } from '../../../../src/core/loop/transition.js';
import { defaultPolicy } from '../../../support/default-classifier.js';
import { accepted, fireTimer } from '../../../support/loop-fixtures.js';

const policy = loopPolicyFrom(defaultPolicy);
const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 10, 23, 9, 0);

const open = (category: 'billing_issue' | 'feature_request' = 'billing_issue', with_: LoopPolicy = policy) =>
  accepted(openLoop({ ticketId: 42, category, tier: 'normal', zendeskStatus: 'new' }, T0, with_)).state;
const apply = (state: LoopState, ...events: LoopEvent[]) => events.reduce((current, event) => accepted(transition(current, event, T0 + HOUR, policy)).state, state);
const statusTexts = (effects: readonly Effect[]) => effects.flatMap((effect) => (effect.type === 'publish_status' ? [effect.text] : []));
const notes = (effects: readonly Effect[]) => effects.flatMap((effect) => (effect.type === 'zendesk_note' ? [effect.text] : []));

const ACK: LoopEvent = { type: 'acknowledge', user: 'U0E2EMEM1' };
const SOLVED: LoopEvent = { type: 'status_changed', status: 'solved' };

describe('status channel texts: plain sentences, people as references, no internal words', () => {
  const acknowledged = () => apply(open(), ACK);
  const acted = () => apply(open(), ACK, SOLVED);
  it.each([
    { name: 'routed', effects: () => accepted(openLoop({ ticketId: 42, category: 'billing_issue', tier: 'normal', zendeskStatus: 'new' }, T0, policy)).effects, text: 'Received and passed to the billing team.' },
    { name: 'acknowledged in Slack', effects: () => accepted(transition(open(), ACK, T0, policy)).effects, text: 'Picked up by <@U0E2EMEM1>.' },
    { name: 'assigned in Zendesk', effects: () => accepted(transition(open(), { type: 'assigned', agentId: 4242 }, T0, policy)).effects, text: 'Picked up by <@zd:4242>.' },
    { name: 'taken over', effects: () => accepted(transition(acknowledged(), { type: 'take', user: 'U0OTHER01' }, T0 + HOUR, policy)).effects, text: 'Now handled by <@U0OTHER01>.' },
    { name: 'agent replied', effects: () => accepted(transition(acknowledged(), { type: 'agent_comment', agentId: 4242, public: true }, T0 + HOUR, policy)).effects, text: '<@zd:4242> replied to the customer.' },
    { name: 'solved', effects: () => accepted(transition(acknowledged(), SOLVED, T0 + HOUR, policy)).effects, text: 'Solved; checking with the customer that the problem is gone.' },
    { name: 'rated good', effects: () => accepted(transition(acted(), { type: 'csat', score: 'good' }, T0 + 2 * HOUR, policy)).effects, text: 'Verified: the customer rated the help good.' },
    { name: 'verify window over', effects: () => fireTimer(acted(), 'verify_end', policy).effects, text: 'Verified: the customer has not come back within 3 days of the solve.' },
    { name: 'closed after the solve', effects: () => accepted(transition(acted(), { type: 'status_changed', status: 'closed' }, T0 + 2 * HOUR, policy)).effects, text: 'Verified: closed in Zendesk and not reopened.' },
    { name: 'closed unsolved', effects: () => accepted(transition(acknowledged(), { type: 'status_changed', status: 'closed' }, T0 + 2 * HOUR, policy)).effects, text: 'Closed in Zendesk without being solved.' },
    { name: 'deleted', effects: () => accepted(transition(acknowledged(), { type: 'status_changed', status: 'deleted' }, T0 + 2 * HOUR, policy)).effects, text: 'The ticket was deleted in Zendesk.' },
    { name: 'reassigned to another team', effects: () => accepted(transition(open(), { type: 'reassign', user: 'U0E2EMEM1', category: 'bug_report' }, T0, policy)).effects, text: 'Moved to the engineering team as bug report.' },
    { name: 'priority changed', effects: () => accepted(transition(open(), { type: 'reprioritised', tier: 'high' }, T0, policy)).effects, text: 'Priority changed to high.' },
    // billing_issue: acknowledge within 2 h; the first level of the shipped ladder alerts the team.
    { name: 'nobody acknowledged', effects: () => fireTimer(open(), 'ack_breach', policy).effects, text: 'No one has picked this up within 2 h; escalating to the billing team.' },
    { name: 'bad rating', effects: () => accepted(transition(acted(), { type: 'csat', score: 'bad' }, T0 + 2 * HOUR, policy)).effects, text: 'The customer is not satisfied with the answer; <@U0E2EMEM1> will follow up within 48 h.' },
    { name: 'reopened', effects: () => accepted(transition(acted(), { type: 'status_changed', status: 'open' }, T0 + 2 * HOUR, policy)).effects, text: 'The customer reopened the ticket; <@U0E2EMEM1> will follow up within 48 h.' },
    { name: 'status update overdue (normal tier: every 24 h)', effects: () => fireTimer(acknowledged(), 'update_breach', policy).effects, text: 'Still being worked on; no new update from the team in the last 24 h.' },
  ])('$name: "$text"', ({ effects, text }) => {
    const texts = statusTexts(effects());
    expect(texts).toEqual([text]);
    expect(text).not.toMatch(/SLA|automatic|detractor|follow_up|billing_issue|zd:\d+(?![\d>])/);
  });

  it('the follow-up states the policy SLA, whatever it is', () => {
    const quick = { ...policy, followUpMs: 6 * HOUR };
    const solved = [ACK, SOLVED].reduce((state, event) => accepted(transition(state, event, T0 + HOUR, quick)).state, open('billing_issue', quick));
    const { effects, state } = accepted(transition(solved, { type: 'csat', score: 'bad' }, T0 + 2 * HOUR, quick));
    expect(statusTexts(effects)).toEqual(['The customer is not satisfied with the answer; <@U0E2EMEM1> will follow up within 6 h.']);
    expect(effects).toContainEqual({ type: 'csat_follow_up', reason: 'detractor', dueAt: T0 + 8 * HOUR });
    expect(state.timers.ack_breach).toBe(T0 + 8 * HOUR);
  });

  it('a follow-up nobody picks up says the follow-up is overdue, not that it was never acknowledged', () => {
    const followUp = accepted(transition(apply(open(), ACK, SOLVED), { type: 'csat', score: 'bad' }, T0 + 2 * HOUR, policy)).state;
    const reminded = fireTimer(followUp, 'ack_remind', policy);
    expect(reminded.effects).toContainEqual({ type: 'remind_owner', about: 'follow_up', dueAt: T0 + 50 * HOUR });
    const breached = fireTimer(reminded.state, 'ack_breach', policy);
    expect(statusTexts(breached.effects)).toEqual(['No one has followed up with the customer within 48 h; escalating to the billing team.']);
    const escalated = fireTimer(breached.state, 'escalate', policy);
    expect(escalated.effects).toContainEqual({
      type: 'escalate',
      level: 1,
      round: 0,
      notify: ['team_channel', 'usergroup'],
      reason: "not followed up after the customer's bad rating",
      about: 'follow_up',
      dueAt: T0 + 50 * HOUR,
    });
  });

  it('acknowledging a follow-up says who is following up', () => {
    const followUp = accepted(transition(apply(open(), ACK, SOLVED), { type: 'status_changed', status: 'open' }, T0 + 2 * HOUR, policy)).state;
    expect(statusTexts(accepted(transition(followUp, { type: 'agent_comment', agentId: 4242, public: true }, T0 + 3 * HOUR, policy)).effects)).toEqual([
      '<@zd:4242> is following up with the customer.',
    ]);
  });
});

describe('Zendesk notes name people by reference', () => {
  it.each([
    { name: 'acknowledge', event: ACK, state: () => open(), note: 'Acknowledged in Slack by <@U0E2EMEM1>.' },
    { name: 'take', event: { type: 'take', user: 'U0OTHER01' } as LoopEvent, state: () => apply(open(), ACK), note: 'Taken in Slack by <@U0OTHER01>.' },
    { name: 'snooze', event: { type: 'snooze', user: 'U0E2EMEM1', durationMs: 2 * HOUR } as LoopEvent, state: () => open(), note: 'Reminders snoozed in Slack by <@U0E2EMEM1> until 2026-11-23 12:00 UTC.' },
    { name: 'reassign', event: { type: 'reassign', user: 'U0E2EMEM1', category: 'bug_report' } as LoopEvent, state: () => open(), note: 'Reassigned in Slack by <@U0E2EMEM1> to Bug report (team engineering).' },
    { name: 'post update', event: { type: 'post_update', user: 'U0E2EMEM1', text: 'Refund issued' } as LoopEvent, state: () => open(), note: 'Status update posted in Slack by <@U0E2EMEM1>: Refund issued' },
  ])('$name', ({ event, state, note }) => {
    expect(notes(accepted(transition(state(), event, T0 + HOUR, policy)).effects)).toEqual([note]);
  });
});

describe('reminders never say "now" while time is left, and are not sent once it is gone', () => {
  it('a reminder that fires with time left names the deadline', () => {
    const reminded = fireTimer(open('feature_request'), 'ack_remind', policy);
    expect(reminded.effects).toContainEqual({ type: 'remind_owner', about: 'acknowledge', dueAt: T0 + 5 * 24 * HOUR });
  });

  it('a reminder kept past its deadline (a snooze, an outage) is dropped: the breach speaks for it', () => {
    const state = open('feature_request');
    const late = accepted(transition(state, { type: 'timer', kind: 'ack_remind', dueAt: state.timers.ack_remind! }, T0 + 5 * 24 * HOUR, policy));
    expect(late.effects.filter((effect) => effect.type === 'remind_owner')).toEqual([]);
    expect(late.state.timers.ack_breach).toBe(T0 + 5 * 24 * HOUR);
  });
});

describe('person references', () => {
  it.each([
    { person: 'U0E2EMEM1', ref: '<@U0E2EMEM1>', fallback: 'U0E2EMEM1' },
    { person: 'W012A3CDE', ref: '<@W012A3CDE>', fallback: 'W012A3CDE' },
    { person: 'zd:4242', ref: '<@zd:4242>', fallback: 'Zendesk agent 4242' },
    { person: 'not an id', ref: 'not an id', fallback: 'not an id' },
  ])('$person', ({ person, ref, fallback }) => {
    expect(personRef(person)).toBe(ref);
    expect(personName(person, {})).toBe(fallback);
    expect(personName(person, { [person]: '  Ana Lima ' })).toBe('Ana Lima');
  });

  it('finds, splits and names the references in a text, and nothing else', () => {
    const text = 'Picked up by <@U0E2EMEM1>; <@zd:4242> and <@U0E2EMEM1> again, <@S0GROUP> and <!channel> stay text.';
    expect(peopleIn(text)).toEqual(['U0E2EMEM1', 'zd:4242']);
    expect(splitPersonRefs('a <@U0E2EMEM1> b')).toEqual([{ text: 'a ' }, { person: 'U0E2EMEM1' }, { text: ' b' }]);
    expect(namePeople(text, { U0E2EMEM1: 'Ana' })).toBe('Picked up by Ana; Zendesk agent 4242 and Ana again, <@S0GROUP> and <!channel> stay text.');
  });

  it('looks up at most ten people for one text', () => {
    const many = Array.from({ length: 15 }, (_, index) => `<@zd:${index + 1}>`).join(' ');
    expect(peopleIn(many)).toHaveLength(10);
  });
});

describe('durations in sentences', () => {
  it.each([
    [30, '30 min'],
    [60, '1 h'],
    [90, '1 h 30 min'],
    [24 * 60, '24 h'],
    [48 * 60, '48 h'],
    [50 * 60, '50 h'],
    [72 * 60, '3 days'],
    [5 * 24 * 60, '5 days'],
    [0, '0 min'],
  ])('%i min -> %s', (minutes, text) => {
    expect(describeMinutes(minutes)).toBe(text);
  });
});
