import type { KnownBlock, View } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  digest,
  escalationReply,
  followUpReply,
  home,
  incidentMessage,
  liveSummary,
  reminderReply,
  slackRenderers,
  statusParent,
  statusReply,
  ticketBlockId,
  ticketCard,
  ticketIdFromBlockId,
  updateModal,
} from '../../../src/adapters/slack/slack-blocks.js';
import { formatRatio } from '../../../src/adapters/slack/slack-blocks-home.js';
import { formatDue, formatRelative, peopleText } from '../../../src/adapters/slack/slack-blocks-parts.js';
import { ordinal } from '../../../src/adapters/slack/slack-blocks-thread.js';
import { ACTIONS, UPDATE_MODAL, type CardView, type EscalationTargets, type SlackMessage } from '../../../src/adapters/slack/slack-views.js';
import { loopPolicyFrom } from '../../../src/app/loop-policy.js';
import type { TicketBrief } from '../../../src/app/ports.js';
import { loopFigures } from '../../../src/core/loop/loop-figures.js';
import type { Effect, LoopEvent, LoopState, Stage, TimerKind } from '../../../src/core/loop/loop-types.js';
import { openLoop, transition } from '../../../src/core/loop/transition.js';
import { CATEGORY_IDS, type CategoryId, type Tier } from '../../../src/core/taxonomy.js';
import { defaultPolicy } from '../../support/default-classifier.js';
import { accepted, effectOf, fireTimer } from '../../support/loop-fixtures.js';

const policy = loopPolicyFrom(defaultPolicy);
const MIN = 60_000;
const HOUR = 60 * MIN;
/** Monday 23 November 2026, 09:00 UTC. */
const T0 = Date.UTC(2026, 10, 23, 9, 0);
const URL_42 = 'https://acme.zendesk.com/agent/tickets/42';

function open(ticketId = 42, category: CategoryId = 'billing_issue', tier: Tier = 'normal'): LoopState {
  return accepted(openLoop({ ticketId, category, tier, zendeskStatus: 'new' }, T0, policy)).state;
}

function apply(state: LoopState, ...events: LoopEvent[]): LoopState {
  return events.reduce((current, event) => accepted(transition(current, event, T0 + HOUR, policy)).state, state);
}

/** Fires a pending timer at its due time. */
const fire = (state: LoopState, kind: TimerKind) => fireTimer(state, kind, policy);

const ACK = { type: 'acknowledge', user: 'U0123ABCD' } as const;
const IN_STAGE: Record<Stage, () => LoopState> = {
  routed: () => open(),
  acknowledged: () => apply(open(), ACK),
  acted: () => apply(open(), ACK, { type: 'status_changed', status: 'solved' }),
  verified: () => apply(open(), ACK, { type: 'status_changed', status: 'solved' }, { type: 'csat', score: 'good' }),
  follow_up: () => apply(open(), ACK, { type: 'status_changed', status: 'solved' }, { type: 'status_changed', status: 'open' }),
  closed: () => apply(open(), { type: 'status_changed', status: 'closed' }),
};

function brief(ticketId: number, text = 'Refund not received'): TicketBrief {
  return { ticketId, subject: text, excerpt: text, why: text };
}

function view(loop: LoopState, overrides: Partial<CardView> = {}): CardView {
  return {
    loop,
    brief: brief(loop.ticketId),
    zendeskUrl: `https://acme.zendesk.com/agent/tickets/${loop.ticketId}`,
    timeZone: 'Europe/Berlin',
    now: T0 + HOUR,
    snoozeMinutes: [30, 60, 120, 1440],
    names: {},
    ...overrides,
  };
}

/** Every string under a `text` key (text objects, headers, labels), recursively. */
function texts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(texts);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => (key === 'text' && typeof value === 'string' ? [value] : texts(value)));
}

function blocksOf(rendered: SlackMessage | View): readonly KnownBlock[] {
  return rendered.blocks as readonly KnownBlock[];
}

/** Block Kit's limits (https://docs.slack.dev/reference/block-kit/blocks, and the undocumented total of bolt-js issues #2509 and #2867), checked on everything a test renders. */
function expectWithinLimits(rendered: SlackMessage | View, maxBlocks: number): void {
  const blocks = blocksOf(rendered);
  expect(blocks.length).toBeGreaterThan(0);
  expect(blocks.length).toBeLessThanOrEqual(maxBlocks);
  for (const block of blocks) {
    if (block.block_id !== undefined) expect(block.block_id.length).toBeLessThanOrEqual(255);
    if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(150);
    if (block.type === 'section') {
      if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
      expect(block.fields?.length ?? 0).toBeLessThanOrEqual(10);
      for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2000);
    }
    if (block.type === 'context') expect(block.elements.length).toBeLessThanOrEqual(10);
    if (block.type === 'actions') {
      expect(block.elements.length).toBeLessThanOrEqual(25);
      for (const element of block.elements) {
        if (element.type === 'button') expect(element.text.text.length).toBeLessThanOrEqual(75);
        if (element.type === 'static_select') {
          expect(element.options?.length ?? 0).toBeLessThanOrEqual(100);
          for (const option of element.options ?? []) expect(option.text.text.length).toBeLessThanOrEqual(75);
        }
      }
    }
  }
  for (const text of texts(blocks)) {
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  }
}

function allText(rendered: SlackMessage | View): string {
  return 'text' in rendered ? `${rendered.text}\n${JSON.stringify(rendered.blocks)}` : JSON.stringify(rendered);
}

function actionsBlock(message: SlackMessage) {
  return message.blocks.find((block) => block.type === 'actions');
}

const TARGETS: EscalationTargets = { usergroupId: 'S0ONCALL', leadUserId: 'U0LEAD' };

/** Every renderer, fed the same customer text wherever customer text can go. */
function renderEverything(text: string): { name: string; rendered: SlackMessage | View; maxBlocks: number }[] {
  const routed = open();
  // People's names are their own text too: the owner and a Zendesk agent named with the same words.
  const names = { U0123ABCD: text, 'zd:7': text };
  const card = view(apply(routed, ACK), { brief: brief(42, text), names });
  const escalated = fire(fire(routed, 'ack_breach').state, 'escalate');
  const reminded = fire(apply(open(42, 'billing_issue', 'high'), { type: 'assigned', agentId: 7 }), 'update_remind');
  const followUp = accepted(transition(apply(open(), ACK, { type: 'status_changed', status: 'solved' }), { type: 'csat', score: 'bad' }, T0 + 2 * HOUR, policy));
  const status: Extract<Effect, { type: 'publish_status' }> = { type: 'publish_status', stage: 'acknowledged', text: `${text} <@U0123ABCD> <@zd:7>`, etaAt: T0 + 5 * HOUR, automatic: false };
  return [
    { name: 'ticketCard', rendered: ticketCard(card), maxBlocks: 50 },
    { name: 'statusParent', rendered: statusParent(card), maxBlocks: 50 },
    { name: 'statusReply', rendered: statusReply(card, status), maxBlocks: 50 },
    { name: 'escalationReply', rendered: escalationReply(view(escalated.state, { brief: brief(42, text) }), effectOf(escalated.effects, 'escalate'), TARGETS), maxBlocks: 50 },
    { name: 'reminderReply', rendered: reminderReply(view(reminded.state, { brief: brief(42, text), names }), effectOf(reminded.effects, 'remind_owner')), maxBlocks: 50 },
    { name: 'followUpReply', rendered: followUpReply(view(followUp.state, { brief: brief(42, text), names }), effectOf(followUp.effects, 'csat_follow_up')), maxBlocks: 50 },
    { name: 'incidentMessage', rendered: incidentMessage(card, { type: 'incident', text }), maxBlocks: 50 },
    { name: 'digest', rendered: digest(text, [{ line: '<https://acme.zendesk.com/agent/tickets/42|#42> acknowledged' }]), maxBlocks: 50 },
    { name: 'updateModal', rendered: updateModal(card), maxBlocks: 100 },
    { name: 'home', rendered: home({ userId: 'U0VIEWER', teams: ['billing'], open: [card], breachedTicketIds: [], week: loopFigures([], { since: T0 - 7 * 24 * HOUR, now: T0 }), now: T0 + HOUR }), maxBlocks: 100 },
  ];
}

const HOSTILE = [
  '<!channel> pay now',
  '<!here>',
  '<@U999> hi',
  '<https://evil.example|Zendesk login>',
  '&lt;!channel&gt; already escaped',
  'line1\nline2 *bold* fake',
  '<!subteam^S0EVIL> wake up',
  `${'a'.repeat(148)}😀${'b'.repeat(9_850)}`,
  `${'😀'.repeat(5_000)}`,
  `${'<!channel>'.repeat(1_000)}`,
];
const FORBIDDEN = ['<!channel>', '<!here>', '<@U999>', '<https://evil', '<!subteam^S0EVIL>'];

describe('customer text in every renderer', () => {
  const cases = HOSTILE.flatMap((text) => renderEverything(text).map(({ name, rendered, maxBlocks }) => ({ name, text, rendered, maxBlocks, label: text.slice(0, 40) })));

  it.each(cases)('$name with $label: no control sequence survives, limits hold', ({ rendered, maxBlocks }) => {
    const all = allText(rendered);
    for (const token of FORBIDDEN) expect(all).not.toContain(token);
    expectWithinLimits(rendered, maxBlocks);
  });

  it.each(renderEverything('line1\nline2 *bold* fake'))('$name folds customer line breaks', ({ rendered }) => {
    expect(allText(rendered)).not.toMatch(/line1\s*\n\s*line2/);
  });

  it.each(renderEverything('&lt;!channel&gt; already escaped'))('$name does not un-escape already-escaped text', ({ rendered }) => {
    const all = allText(rendered);
    expect(all).not.toContain('&lt;!channel&gt; already');
    if (all.includes('already escaped')) expect(all).toContain('&amp;lt;!channel&amp;gt; already escaped');
  });

  it('cuts the header to 150 characters without splitting the emoji at the cut', () => {
    const card = ticketCard(view(open(), { brief: brief(42, `${'a'.repeat(140)}😀😀😀${'b'.repeat(9_000)}`) }));
    const header = card.blocks[0];
    if (header?.type !== 'header') throw new Error('card starts with a header');
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    expect(header.text.text.startsWith(`#42 ${'a'.repeat(140)}`)).toBe(true);
    expect(header.text.text.endsWith('…')).toBe(true);
  });

  it('escapes an owner id that is not a Slack user id instead of mentioning it', () => {
    const loop = apply(open(), { type: 'acknowledge', user: '<!channel>' });
    const card = ticketCard(view(loop));
    expect(allText(card)).not.toContain('<!channel>');
    expect(allText(card)).toContain('&lt;!channel&gt;');
  });

  it('links Zendesk only through an https URL that cannot break out of the link', () => {
    const loop = open();
    for (const zendeskUrl of ['http://acme.zendesk.com/agent/tickets/42', 'https://evil.example|#42>', 'javascript:alert(1)', null]) {
      const card = ticketCard(view(loop, { zendeskUrl }));
      expect(JSON.stringify(card)).not.toContain(ACTIONS.openTicket);
      expect(JSON.stringify(card)).not.toContain('evil');
      expect(statusParent(view(loop, { zendeskUrl })).blocks[0]).toMatchObject({ text: { text: expect.stringMatching(/^\*#42\*/) } });
    }
    expect(JSON.stringify(statusParent(view(loop, { zendeskUrl: URL_42 })))).toContain(`<${URL_42}|#42>`);
  });
});

describe('mentions', () => {
  const breached = fire(open(), 'ack_breach').state;
  const level1 = fire(breached, 'escalate');
  const level2 = fire(level1.state, 'escalate');

  it('reads the real ladder: level 1 notifies the user group, level 2 the lead', () => {
    expect(effectOf(level1.effects, 'escalate')).toMatchObject({ level: 1, notify: ['team_channel', 'usergroup'] });
    expect(effectOf(level2.effects, 'escalate')).toMatchObject({ level: 2, notify: ['lead', 'escalation_channel'] });
  });

  const escalate = (notify: Extract<Effect, { type: 'escalate' }>['notify']): Extract<Effect, { type: 'escalate' }> => ({
    type: 'escalate',
    level: 1,
    round: 0,
    notify,
    reason: 'not acknowledged',
    about: 'acknowledge',
    dueAt: T0 + 2 * HOUR,
  });
  it.each([
    { name: 'level 1 (usergroup)', effect: effectOf(level1.effects, 'escalate'), targets: TARGETS, mentions: ['<!subteam^S0ONCALL>'], to: 'Escalated to <!subteam^S0ONCALL>.', gap: null },
    { name: 'level 2 (lead)', effect: effectOf(level2.effects, 'escalate'), targets: TARGETS, mentions: ['<@U0LEAD>'], to: 'Escalated to <@U0LEAD>.', gap: null },
    { name: 'both', effect: escalate(['usergroup', 'lead']), targets: TARGETS, mentions: ['<!subteam^S0ONCALL>', '<@U0LEAD>'], to: 'Escalated to <!subteam^S0ONCALL> and <@U0LEAD>.', gap: null },
    { name: 'team channel only', effect: escalate(['team_channel', 'escalation_channel']), targets: TARGETS, mentions: [], to: 'Escalated to the billing team.', gap: null },
    { name: 'no user group configured', effect: escalate(['usergroup']), targets: { usergroupId: null, leadUserId: 'U0LEAD' }, mentions: [], to: 'Escalated to the billing team.', gap: 'No user group configured for team billing.' },
    { name: 'no lead configured', effect: escalate(['lead']), targets: { usergroupId: 'S0ONCALL', leadUserId: null }, mentions: [], to: 'Escalated to the billing team.', gap: 'No lead configured for team billing.' },
    { name: 'invalid user group id', effect: escalate(['usergroup']), targets: { usergroupId: 'S1> <!channel', leadUserId: null }, mentions: [], to: 'Escalated to the billing team.', gap: 'not a Slack user group id' },
    { name: 'user id given as user group', effect: escalate(['usergroup']), targets: { usergroupId: 'U0LEAD', leadUserId: null }, mentions: [], to: 'Escalated to the billing team.', gap: 'not a Slack user group id' },
    { name: 'invalid lead id', effect: escalate(['lead']), targets: { usergroupId: null, leadUserId: 'u0lead' }, mentions: [], to: 'Escalated to the billing team.', gap: 'not a Slack user id' },
  ])('$name', ({ effect, targets, mentions, to, gap }) => {
    const reply = escalationReply(view(level1.state), effect, targets);
    const all = allText(reply);
    expect(reply.text).toContain(to);
    expect(JSON.stringify(reply.blocks)).toContain(to);
    const found = [...all.matchAll(/<(?:!subteam\^|@)[A-Za-z0-9]+>/g)].map((match) => match[0]);
    expect([...new Set(found)].sort()).toEqual([...mentions].sort());
    // Notifications are built from `text`: every mention must be there too.
    for (const mention of mentions) expect(reply.text).toContain(mention);
    expect(all).not.toContain('<!channel');
    if (gap === null) expect(reply.blocks.some((block) => block.type === 'context')).toBe(false);
    else {
      expect(reply.text).toContain(gap);
      expect(JSON.stringify(reply.blocks)).toContain(gap);
    }
    expectWithinLimits(reply, 50);
  });

  it.each([
    // Tier high: remind about a status update after 2 h, breach after 4 h (acknowledged 10:00 UTC, reminded 12:00 UTC).
    { name: 'Slack owner', loop: () => apply(open(42, 'billing_issue', 'high'), ACK), names: {}, text: '<@U0123ABCD> Reminder: the next status update on #42 is due Mon 23 Nov 15:00 Europe/Berlin (in 2h).' },
    { name: 'Zendesk agent owner, name looked up', loop: () => apply(open(42, 'billing_issue', 'high'), { type: 'assigned', agentId: 7 }), names: { 'zd:7': 'Ben Keller' }, text: 'Reminder for Ben Keller: the next status update on #42 is due Mon 23 Nov 15:00 Europe/Berlin (in 2h).' },
    { name: 'Zendesk agent owner, lookup failed', loop: () => apply(open(42, 'billing_issue', 'high'), { type: 'assigned', agentId: 7 }), names: {}, text: 'Reminder for Zendesk agent 7: the next status update on #42 is due Mon 23 Nov 15:00 Europe/Berlin (in 2h).' },
  ])('a status reminder mentions the owner only when they are a Slack user, else names them: $name', ({ loop, names, text }) => {
    const reminded = fire(loop(), 'update_remind');
    const reply = reminderReply(view(reminded.state, { now: T0 + 3 * HOUR, names: names as Record<string, string> }), effectOf(reminded.effects, 'remind_owner'));
    expect(reply.text).toBe(text);
    expect(JSON.stringify(reply.blocks)).toContain(text);
    expect([...allText(reply).matchAll(/<@[^>]*>/g)].map((match) => match[0])).toEqual(text.startsWith('<@') ? ['<@U0123ABCD>', '<@U0123ABCD>'] : []);
  });

  it('an acknowledge reminder with nobody owning it mentions nobody', () => {
    // feature_request: remind after 2 days, breach after 5.
    const reminded = fire(open(42, 'feature_request'), 'ack_remind');
    expect(reminded.state.owner).toBeNull();
    const reply = reminderReply(view(reminded.state, { now: T0 + 48 * HOUR }), effectOf(reminded.effects, 'remind_owner'));
    expect(reply.text).toBe('Reminder: #42 needs acknowledging by Sat 28 Nov 10:00 Europe/Berlin (in 3d).');
    expect(allText(reply)).not.toMatch(/<[@!]/);
  });

  it('a follow-up reminder asks for the follow-up with the customer, not an acknowledgement', () => {
    const followUp = accepted(transition(IN_STAGE.acted(), { type: 'csat', score: 'bad' }, T0 + 2 * HOUR, policy)).state;
    const reminded = fire(followUp, 'ack_remind');
    const reply = reminderReply(view(reminded.state, { now: T0 + 26 * HOUR }), effectOf(reminded.effects, 'remind_owner'));
    expect(reply.text).toBe('<@U0123ABCD> Reminder: follow up with the customer on #42 by Wed 25 Nov 12:00 Europe/Berlin (in 1d).');
  });

  it('renders owners on the card as a mention, a Zendesk agent by name (the id when the lookup failed), or nobody', () => {
    const field = (loop: LoopState, names = {}) => JSON.stringify(ticketCard(view(loop, { names })).blocks[1]);
    expect(field(apply(open(), ACK))).toContain('<@U0123ABCD>');
    expect(field(apply(open(), ACK), { U0123ABCD: 'Ana Lima' })).toContain('<@U0123ABCD>');
    expect(field(apply(open(), { type: 'assigned', agentId: 7 }), { 'zd:7': 'Ben Keller' })).toContain('*Owner*\\nBen Keller');
    expect(field(apply(open(), { type: 'assigned', agentId: 7 }))).toContain('Zendesk agent 7');
    expect(field(open())).toContain('nobody yet');
  });

  it('no card, status or incident message mentions anyone but the owner', () => {
    const loop = apply(open(), ACK);
    for (const message of [ticketCard(view(loop)), statusParent(view(loop)), incidentMessage(view(loop), { type: 'incident', text: 'Performance issue' })]) {
      const found = [...allText(message).matchAll(/<[@!][^>]*>/g)].map((match) => match[0]);
      expect(found.every((mention) => mention === '<@U0123ABCD>')).toBe(true);
    }
  });
});

describe('what an escalation, a reminder and a follow-up say', () => {
  type Escalate = Extract<Effect, { type: 'escalate' }>;
  const due = T0 + 2 * HOUR; // Mon 23 Nov 12:00 Europe/Berlin
  const at = (offset: number) => view(open(), { now: due + offset });
  const effect = (fields: Partial<Escalate>): Escalate => ({ type: 'escalate', level: 1, round: 0, notify: ['team_channel', 'usergroup'], reason: 'not acknowledged', about: 'acknowledge', dueAt: due, ...fields });
  it.each([
    { name: 'first time', effect: effect({}), offset: 10 * MIN, text: '#42 is not acknowledged (due Mon 23 Nov 12:00 Europe/Berlin, overdue by 10m). Escalated to <!subteam^S0ONCALL>.' },
    { name: 'at the deadline', effect: effect({}), offset: 0, text: '#42 is not acknowledged (due Mon 23 Nov 12:00 Europe/Berlin). Escalated to <!subteam^S0ONCALL>.' },
    { name: 'the lead', effect: effect({ level: 2, notify: ['lead', 'escalation_channel'] }), offset: 30 * MIN, text: '#42 is not acknowledged (due Mon 23 Nov 12:00 Europe/Berlin, overdue by 30m). Escalated to <@U0LEAD>.' },
    { name: 'a repeat', effect: effect({ round: 1 }), offset: HOUR, text: '#42 is still not acknowledged (due Mon 23 Nov 12:00 Europe/Berlin, overdue by 1h). 2nd reminder to <!subteam^S0ONCALL>.' },
    { name: 'the last repeat to the lead', effect: effect({ level: 2, round: 2, notify: ['lead'] }), offset: 2 * HOUR + 30 * MIN, text: '#42 is still not acknowledged (due Mon 23 Nov 12:00 Europe/Berlin, overdue by 2h 30m). 3rd reminder to <@U0LEAD>.' },
    {
      name: 'an overdue follow-up',
      effect: effect({ about: 'follow_up', reason: "not followed up after the customer's bad rating" }),
      offset: 5 * MIN,
      text: "#42 is not followed up after the customer's bad rating (due Mon 23 Nov 12:00 Europe/Berlin, overdue by 5m). Escalated to <!subteam^S0ONCALL>.",
    },
    { name: 'an overdue status update', effect: effect({ about: 'update', reason: 'waiting for a status update' }), offset: 0, text: '#42 is waiting for a status update (due Mon 23 Nov 12:00 Europe/Berlin). Escalated to <!subteam^S0ONCALL>.' },
    {
      name: 'the resolve target',
      effect: effect({ level: 2, notify: ['lead'], about: 'resolve', reason: "not resolved within the normal tier's 3 days" }),
      offset: 0,
      text: "#42 is not resolved within the normal tier's 3 days (due Mon 23 Nov 12:00 Europe/Berlin). Escalated to <@U0LEAD>.",
    },
    { name: 'an effect an older cxloop queued', effect: { type: 'escalate', level: 1, round: 0, notify: ['team_channel'], reason: 'status update overdue' } as Escalate, offset: 0, text: '#42: status update overdue. Escalated to the billing team.' },
  ])('$name', ({ effect, offset, text }) => {
    const reply = escalationReply(at(offset), effect, TARGETS);
    expect(reply.text).toBe(text);
    expect(JSON.stringify(reply.blocks)).not.toMatch(/level \d|repeat \d|\(billing_issue\)/);
  });

  it.each([
    [1, '1st'],
    [2, '2nd'],
    [3, '3rd'],
    [4, '4th'],
    [11, '11th'],
    [12, '12th'],
    [21, '21st'],
    [22, '22nd'],
  ])('ordinal %i -> %s', (n, text) => {
    expect(ordinal(n)).toBe(text);
  });

  type FollowUp = Extract<Effect, { type: 'csat_follow_up' }>;
  const followUpView = (owner: 'slack' | 'zendesk' | 'nobody', names = {}) => {
    const loop = owner === 'slack' ? apply(open(), ACK) : owner === 'zendesk' ? apply(open(), { type: 'assigned', agentId: 7 }) : open();
    return view(loop, { now: T0 + 5 * HOUR, names });
  };
  const dueIn2d: FollowUp = { type: 'csat_follow_up', reason: 'detractor', dueAt: T0 + 53 * HOUR };
  it.each([
    { name: 'a bad rating, Slack owner', view: followUpView('slack'), effect: dueIn2d, text: '<@U0123ABCD> the customer rated #42 bad: please follow up with them by Wed 25 Nov 15:00 Europe/Berlin (in 2d).' },
    { name: 'a bad rating, Zendesk owner', view: followUpView('zendesk', { 'zd:7': 'Ben Keller' }), effect: dueIn2d, text: 'The customer rated #42 bad: Ben Keller, please follow up with them by Wed 25 Nov 15:00 Europe/Berlin (in 2d).' },
    { name: 'a bad rating, nobody owning it', view: followUpView('nobody'), effect: dueIn2d, text: 'The customer rated #42 bad: the billing team should follow up with them by Wed 25 Nov 15:00 Europe/Berlin (in 2d).' },
    { name: 'a reopen', view: followUpView('slack'), effect: { ...dueIn2d, reason: 'reopened' } as FollowUp, text: '<@U0123ABCD> the customer reopened #42: please follow up with them by Wed 25 Nov 15:00 Europe/Berlin (in 2d).' },
    { name: 'a bad rating before the solve (no follow-up clock)', view: followUpView('slack'), effect: { type: 'csat_follow_up', reason: 'detractor' } as FollowUp, text: '<@U0123ABCD> the customer rated #42 bad: please follow up with them.' },
    { name: 'experience feedback', view: followUpView('nobody'), effect: { type: 'csat_follow_up', reason: 'feedback' } as FollowUp, text: "#42 is feedback on the customer's experience: follow up with them once it is handled." },
  ])('follow-up: $name', ({ view: shown, effect, text }) => {
    const reply = followUpReply(shown, effect);
    expect(reply.text).toBe(text);
    expect(JSON.stringify(reply.blocks)).toContain(text.replace(/"/g, '\\"'));
    expect(allText(reply)).not.toContain('48 h');
  });

  it('digest lines name people plainly', () => {
    expect(peopleText('Picked up by <@U0E2EMEM1>.', { U0E2EMEM1: 'Ana' }, 'plain', 200)).toBe('Picked up by Ana.');
    expect(peopleText('Picked up by <@U0E2EMEM1>.', {}, 'mention', 200)).toBe('Picked up by <@U0E2EMEM1>.');
  });
});

describe('ticket card', () => {
  const ALL = [ACTIONS.acknowledge, ACTIONS.take, ACTIONS.snooze, ACTIONS.postUpdate, ACTIONS.reassign, ACTIONS.openTicket];
  it.each([
    { stage: 'routed', actions: ALL },
    { stage: 'acknowledged', actions: ALL.filter((id) => id !== ACTIONS.acknowledge) },
    { stage: 'follow_up', actions: ALL },
    { stage: 'acted', actions: [ACTIONS.openTicket] },
    { stage: 'verified', actions: [ACTIONS.openTicket] },
    { stage: 'closed', actions: [ACTIONS.openTicket] },
  ] as const)('$stage shows $actions', ({ stage, actions }) => {
    const loop = IN_STAGE[stage]();
    expect(loop.stage).toBe(stage);
    const card = ticketCard(view(loop));
    const block = actionsBlock(card);
    if (block?.type !== 'actions') throw new Error('no actions block');
    expect(block.block_id).toBe('cx_t_42');
    expect(block.elements.map((element) => ('action_id' in element ? element.action_id : undefined))).toEqual(actions);
    for (const element of block.elements) if (element.type === 'button') expect(element.value).toBe('42');
    expectWithinLimits(card, 50);
  });

  it('has no actions block at all when closed and no Zendesk link is configured', () => {
    expect(actionsBlock(ticketCard(view(IN_STAGE.closed(), { zendeskUrl: null })))).toBeUndefined();
  });

  it('makes Acknowledge the primary button and links the Zendesk button', () => {
    const block = actionsBlock(ticketCard(view(open())));
    if (block?.type !== 'actions') throw new Error('no actions block');
    expect(block.elements[0]).toMatchObject({ type: 'button', action_id: ACTIONS.acknowledge, style: 'primary', value: '42' });
    expect(block.elements.at(-1)).toMatchObject({ type: 'button', action_id: ACTIONS.openTicket, url: URL_42 });
  });

  it('offers snooze options as minutes with readable labels', () => {
    const block = actionsBlock(ticketCard(view(open(), { snoozeMinutes: [120, 30, 90, 1440, 60, 30] })));
    const select = block?.type === 'actions' ? block.elements.find((element) => element.type === 'static_select' && element.action_id === ACTIONS.snooze) : undefined;
    if (select?.type !== 'static_select') throw new Error('no snooze select');
    expect(select.options?.map((option) => [option.value, option.text.text])).toEqual([
      ['30', '30 min'],
      ['60', '1 h'],
      ['90', '1 h 30 min'],
      ['120', '2 h'],
      ['1440', '24 h'],
    ]);
  });

  it('leaves the snooze menu out when no snooze is allowed', () => {
    expect(JSON.stringify(ticketCard(view(open(), { snoozeMinutes: [] })))).not.toContain(ACTIONS.snooze);
  });

  it.each(CATEGORY_IDS.map((category) => ({ category })))('reassign offers every category but the current one ($category)', ({ category }) => {
    const block = actionsBlock(ticketCard(view(open(42, category))));
    const select = block?.type === 'actions' ? block.elements.find((element) => element.type === 'static_select' && element.action_id === ACTIONS.reassign) : undefined;
    if (select?.type !== 'static_select') throw new Error('no reassign select');
    expect(select.options?.map((option) => option.value)).toEqual(CATEGORY_IDS.filter((id) => id !== category));
  });

  it('shows the SLA clock with absolute and relative due times in the team zone', () => {
    const loop = open(42, 'billing_issue', 'normal');
    const card = JSON.stringify(ticketCard(view(loop)).blocks);
    // Opened 09:00 UTC; acknowledge within 2 h, resolve within 72 h; rendered at 10:00 UTC in Berlin (UTC+1).
    expect(card).toContain('*Acknowledge by:* Mon 23 Nov 12:00 Europe/Berlin (in 1h)');
    expect(card).toContain('*Resolve by:* Thu 26 Nov 10:00 Europe/Berlin (in 2d 23h)');
  });

  it('shows a breached acknowledge, the next update and a snooze', () => {
    const breached = fire(open(), 'ack_breach').state;
    expect(JSON.stringify(ticketCard(view(breached, { now: T0 + 2 * HOUR + 35 * MIN })).blocks)).toContain(
      '*Acknowledge SLA breached:* was due Mon 23 Nov 12:00 Europe/Berlin (overdue by 35m)',
    );
    const snoozed = apply(apply(open(), ACK), { type: 'snooze', user: 'U0123ABCD', durationMs: 2 * HOUR });
    const text = JSON.stringify(ticketCard(view(snoozed)).blocks);
    expect(text).toContain('*Next status update by:* ');
    expect(text).toContain('*Reminders snoozed until:* Mon 23 Nov 13:00 Europe/Berlin (in 2h)');
  });

  it('has a fallback text with ticket, category, tier and escaped subject', () => {
    expect(ticketCard(view(open(), { brief: brief(42, 'Refund <now> & later') })).text).toBe('Ticket #42 (Billing issue, normal): Refund &lt;now&gt; &amp; later');
    expect(ticketCard(view(open(), { brief: null })).text).toBe('Ticket #42 (Billing issue, normal)');
  });

  it('round-trips the ticket id through the actions block id', () => {
    expect(ticketIdFromBlockId(ticketBlockId(123456))).toBe(123456);
    expect(ticketIdFromBlockId('cx_t_')).toBeNull();
    expect(ticketIdFromBlockId('cx_t_12x')).toBeNull();
    expect(ticketIdFromBlockId('other')).toBeNull();
  });
});

describe('status channel', () => {
  it('parent shows stage, owner, next update and the resolve target as ETA, with no buttons', () => {
    const loop = apply(open(), ACK);
    const parent = statusParent(view(loop, { names: { U0123ABCD: 'Ana Lima' } }));
    const text = JSON.stringify(parent.blocks);
    expect(text).toContain('Acknowledged');
    // The public channel names people and mentions nobody (a mention would ping them from there).
    expect(text).toContain('*Owner*\\nAna Lima');
    expect(allText(parent)).not.toContain('<@');
    expect(JSON.stringify(statusParent(view(loop)).blocks)).toContain('*Owner*\\nU0123ABCD');
    expect(text).toContain(`*ETA*\\n${formatDue(loop.timers.resolve_breach!, T0 + HOUR, 'Europe/Berlin')}`);
    expect(text).toContain(`*Next update by*\\n${formatDue(loop.timers.update_breach!, T0 + HOUR, 'Europe/Berlin')}`);
    expect(parent.blocks.some((block) => block.type === 'actions')).toBe(false);
    expect(parent.text).toBe('#42 Refund not received: Acknowledged');
  });

  it.each([
    { automatic: true, etaAt: T0 + 3 * HOUR, eta: 'ETA: Mon 23 Nov 13:00 Europe/Berlin (in 2h)' },
    { automatic: false, etaAt: null, eta: null },
  ])('reply: automatic $automatic, ETA $etaAt, never labelled "(automatic)"', ({ automatic, etaAt, eta }) => {
    const reply = statusReply(view(open()), { type: 'publish_status', stage: 'routed', text: 'Looking into it', etaAt, automatic });
    const context = JSON.stringify(reply.blocks[1]);
    expect(JSON.stringify(reply.blocks[0])).toContain('Looking into it');
    expect(context).toContain('Stage: Routed, awaiting acknowledgement');
    expect(allText(reply)).not.toContain('automatic');
    expect(reply.text).toBe('#42: Looking into it');
    if (eta === null) expect(context).not.toContain('ETA');
    else expect(context).toContain(eta);
  });

  it.each([
    { name: 'a Slack user by display name', text: 'Picked up by <@U0E2EMEM1>.', names: { U0E2EMEM1: 'Ana Lima' }, shown: 'Picked up by Ana Lima.' },
    { name: 'a Slack user whose lookup failed, by id', text: 'Picked up by <@U0E2EMEM1>.', names: {}, shown: 'Picked up by U0E2EMEM1.' },
    { name: 'a Zendesk agent by name', text: '<@zd:4242> replied to the customer.', names: { 'zd:4242': 'Ben Keller' }, shown: 'Ben Keller replied to the customer.' },
    { name: 'a Zendesk agent whose lookup failed', text: '<@zd:4242> replied to the customer.', names: {}, shown: 'Zendesk agent 4242 replied to the customer.' },
    { name: 'a name that is hostile text, escaped', text: 'Picked up by <@U0E2EMEM1>.', names: { U0E2EMEM1: '<!channel> *Eve*' }, shown: 'Picked up by &lt;!channel&gt; *Eve*.' },
    { name: 'a person typing a mention in an update, named not mentioned', text: 'Ask <@U0E2EMEM1> & <!here>', names: { U0E2EMEM1: 'Ana' }, shown: 'Ask Ana &amp; &lt;!here&gt;' },
  ])('reply names people in plain text, never a mention: $name', ({ text, names, shown }) => {
    const reply = statusReply(view(open(), { names: names as Record<string, string> }), { type: 'publish_status', stage: 'acknowledged', text, etaAt: null, automatic: true });
    expect(reply.blocks[0]).toMatchObject({ type: 'section', text: { text: shown } });
    expect(reply.text).toBe(`#42: ${shown}`);
    expect(allText(reply)).not.toMatch(/<[@!]/);
  });

  it('incident message names the ticket, the effect text and the link', () => {
    const opened = accepted(openLoop({ ticketId: 42, category: 'performance_issue', tier: 'high', zendeskStatus: 'new' }, T0, policy));
    const message = incidentMessage(view(opened.state, { brief: brief(42, 'Dashboard slow') }), effectOf(opened.effects, 'incident'));
    expect(message.text).toBe('Possible incident: #42 Dashboard slow');
    expect(JSON.stringify(message.blocks)).toContain(`<${URL_42}|#42> Dashboard slow\\nPerformance issue on ticket 42, tier high`);
  });
});

describe('digest', () => {
  const line = (id: number) => `<https://acme.zendesk.com/agent/tickets/${id}|#${id}> acknowledged by <@U0123ABCD> · Billing issue · normal`;
  const items = (count: number, make = line) => Array.from({ length: count }, (_, index) => ({ line: make(index + 1) }));
  const shownLines = (message: SlackMessage) =>
    message.blocks.filter((block) => block.type === 'section').flatMap((block) => (block.type === 'section' && block.text ? block.text.text.split('\n') : []));

  it.each([
    { count: 1_000, make: line },
    { count: 200, make: (id: number) => `${line(id)} ${'x'.repeat(2_000)}` },
    { count: 8_000, make: () => '·' },
  ])('$count items stay within 50 blocks and 11k characters and count the rest exactly', ({ count, make }) => {
    const message = digest('Burst: 1000 tickets routed', items(count, make));
    expectWithinLimits(message, 50);
    expect(texts(message.blocks).join('').length).toBeLessThanOrEqual(11_000);
    const shown = shownLines(message).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(count);
    const last = message.blocks.at(-1);
    expect(last?.type === 'context' && last.elements[0]).toMatchObject({ text: `…and ${count - shown} more` });
  });

  it('renders every line and no tail when they fit', () => {
    const message = digest('Three changes', items(3));
    expect(shownLines(message)).toEqual([line(1), line(2), line(3)]);
    expect(JSON.stringify(message)).not.toContain('more');
    expect(message.text).toBe('Three changes: 3 tickets');
  });

  it('cuts a long line without leaving half a link, and folds line breaks', () => {
    const message = digest('One', [
      { line: `${'y'.repeat(480)} <https://acme.zendesk.com/agent/tickets/1|#1>` },
      { line: 'two\nlines' },
    ]);
    const [first, second] = shownLines(message);
    expect(first).toBe(`${'y'.repeat(480)} …`);
    expect(second).toBe('two lines');
  });

  it('says so when there is nothing', () => {
    expect(digest('Quiet', [])).toMatchObject({ text: 'Quiet: 0 tickets', blocks: [{ type: 'header' }, { type: 'section', text: { text: 'No tickets.' } }] });
  });
});

describe('update modal', () => {
  it('carries the ids the submission handler reads', () => {
    const modal = updateModal(view(apply(open(), ACK)));
    expect(modal).toMatchObject({ type: 'modal', callback_id: UPDATE_MODAL.callbackId, private_metadata: '42', submit: { type: 'plain_text' }, close: { type: 'plain_text' } });
    if (modal.type !== 'modal') throw new Error('not a modal');
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    const [, text, eta] = blocksOf(modal);
    expect(text).toMatchObject({ type: 'input', block_id: UPDATE_MODAL.textBlock, element: { type: 'plain_text_input', action_id: UPDATE_MODAL.textAction, multiline: true, max_length: 2000 } });
    expect(eta).toMatchObject({ type: 'input', block_id: UPDATE_MODAL.etaBlock, optional: true, element: { type: 'static_select', action_id: UPDATE_MODAL.etaAction } });
    const options = eta?.type === 'input' && eta.element.type === 'static_select' ? eta.element.options : undefined;
    expect(options?.map((option) => option.value)).toEqual(['none', '1', '4', '8', '24', '48', '72']);
    expectWithinLimits(modal, 100);
  });
});

describe('App Home', () => {
  const week = loopFigures([], { since: T0 - 7 * 24 * HOUR, now: T0 });
  const loops = (count: number) =>
    Array.from({ length: count }, (_, index) => {
      const loop = open(1_000 + index);
      return view(index % 5 === 0 ? fire(loop, 'ack_breach').state : loop, { now: T0 + 3 * HOUR });
    });

  it('500 open loops fit in 100 blocks, breached first, with exact "…and N more"', () => {
    const open500 = loops(500);
    const breached = open500.filter((card) => card.loop.escalation.step >= 2).map((card) => card.loop.ticketId);
    const tab = home({ userId: 'U0VIEWER', teams: ['billing', 'support'], open: open500, breachedTicketIds: breached, week, now: T0 + 3 * HOUR });
    expectWithinLimits(tab, 100);
    expect(tab.type).toBe('home');
    const sections = blocksOf(tab).flatMap((block) => (block.type === 'section' && block.text ? [block.text.text] : []));
    const breachedAt = sections.findIndex((text) => text.includes('*Breached* (100)'));
    const openAt = sections.findIndex((text) => text.includes('*Open* (400)'));
    expect(breachedAt).toBeGreaterThanOrEqual(0);
    expect(openAt).toBeGreaterThan(breachedAt);
    const lines = sections.flatMap((text) => text.split('\n')).filter((text) => text.startsWith('<https://'));
    const breachedShown = lines.filter((text) => text.includes('acknowledge overdue')).length;
    const otherShown = lines.length - breachedShown;
    const tails = blocksOf(tab).flatMap((block) => (block.type === 'context' ? texts(block) : [])).filter((text) => text.startsWith('…and'));
    expect(tails).toEqual([`…and ${100 - breachedShown} more`, `…and ${400 - otherShown} more`]);
    expect(JSON.stringify(tab)).toContain('Your teams: billing, support');
  });

  it('renders a figure without data as "—"', () => {
    const tab = JSON.stringify(home({ userId: 'U0VIEWER', teams: [], open: [], breachedTicketIds: [], week, now: T0 }));
    expect(tab).toContain('*Acknowledged within 2 h*\\n—');
    expect(tab).toContain('*Reopen rate*\\n—');
    expect(tab).toContain('Nothing breached.');
    expect(tab).toContain('not on any team');
  });

  it.each([
    { ratio: { count: 0, of: 0, share: null }, text: '—' },
    { ratio: { count: 8, of: 10, share: 0.8 }, text: '80% (8 of 10)' },
    { ratio: { count: 1, of: 3, share: 1 / 3 }, text: '33% (1 of 3)' },
  ])('formatRatio $text', ({ ratio, text }) => {
    expect(formatRatio(ratio)).toBe(text);
  });
});

describe('due times', () => {
  it.each([
    { at: T0 + 80 * MIN, zone: 'Europe/Berlin', text: 'Mon 23 Nov 11:20 Europe/Berlin (in 1h 20m)' },
    { at: T0 - 35 * MIN, zone: 'Europe/Berlin', text: 'Mon 23 Nov 09:25 Europe/Berlin (overdue by 35m)' },
    { at: T0 + 2 * 24 * HOUR + 3 * HOUR, zone: 'America/New_York', text: 'Wed 25 Nov 07:00 America/New_York (in 2d 3h)' },
    { at: T0, zone: 'UTC', text: 'Mon 23 Nov 09:00 UTC (now)' },
    { at: T0, zone: 'Not/AZone', text: 'Mon 23 Nov 09:00 UTC (now)' },
  ])('$text', ({ at, zone, text }) => {
    expect(formatDue(at, T0, zone)).toBe(text);
  });

  it.each([
    { at: T0 + 90 * MIN, text: 'in 1h 30m' },
    { at: T0 + 89_000, text: 'in 1m' },
    // Time left is never "now": a deadline seconds away still says it is ahead.
    { at: T0 + 29_000, text: 'in under a minute' },
    { at: T0 + 1_000, text: 'in under a minute' },
    { at: T0, text: 'now' },
    { at: T0 - 29_000, text: 'now' },
    { at: T0 - 31_000, text: 'overdue by 1m' },
    { at: T0 - 24 * HOUR, text: 'overdue by 1d' },
  ])('relative: $text', ({ at, text }) => {
    expect(formatRelative(at, T0)).toBe(text);
  });
});

describe('slackRenderers', () => {
  it('exposes one function per renderer of the contract', () => {
    expect(Object.keys(slackRenderers).sort()).toEqual(
      ['digest', 'escalationReply', 'followUpReply', 'home', 'incidentMessage', 'liveSummary', 'reminderReply', 'statusParent', 'statusReply', 'ticketCard', 'updateModal'].sort(),
    );
    expect(slackRenderers.ticketCard).toBe(ticketCard);
  });
});

describe("the card shows what the category's on_routing found", () => {
  const HOSTILE = '<!channel> <@U0EVIL99> <https://evil.example|Zendesk>';
  const withExtras = (extras: TicketBrief['extras']) =>
    view(open(42, 'bug_report'), { brief: { ...brief(42), extras }, ticketUrl: (id) => `https://acme.zendesk.com/agent/tickets/${id}` });

  it('the requester: organisation, VIP, earlier tickets linked to Zendesk, customer text escaped', () => {
    const card = ticketCard(
      withExtras({ requester: { ok: true, context: { organizations: [`Acme ${HOSTILE}`], vip: "organisation Acme (360001) is in the policy's critical tier rule", earlier: 12, recent: [{ id: 850, subject: HOSTILE }] } } }),
    );
    const shown = texts(card.blocks).join('\n');
    expect(shown).toContain('*Requester:* Acme &lt;!channel&gt; &lt;@U0EVIL99&gt; &lt;https://evil.example|Zendesk&gt; · :star: VIP · 12 earlier tickets');
    expect(shown).toContain('*Latest:* <https://acme.zendesk.com/agent/tickets/850|#850> &lt;!channel&gt;');
    for (const hostile of ['<!channel>', '<@U0EVIL99>', '<https://evil.example']) expect(JSON.stringify(card)).not.toContain(hostile);
  });

  it('shows nothing when nothing was found, or the category has no such action', () => {
    expect(texts(ticketCard(withExtras({ requester: { ok: false, reason: 'Zendesk did not answer (503)' } })).blocks).join('\n')).not.toMatch(/Requester/);
    expect(texts(ticketCard(view(open())).blocks).join('\n')).not.toMatch(/Requester|Suggested/);
  });

  it('suggested articles as links with escaped titles; a link that could break out of <url|label> is not linked', () => {
    const card = ticketCard(
      withExtras({
        articles: {
          source: 'search',
          links: [
            { title: 'Inviting <team> members', url: 'https://acme.zendesk.com/hc/en-us/articles/1-Inviting' },
            { title: 'Evil', url: 'https://evil.example/a|<!channel>' },
          ],
        },
      }),
    );
    expect(texts(card.blocks)).toContain('*Suggested articles:* <https://acme.zendesk.com/hc/en-us/articles/1-Inviting|Inviting &lt;team&gt; members> · Evil');
    const fallback = ticketCard(withExtras({ articles: { source: 'fallback', links: [{ title: '', url: 'https://help.acme.com/start' }] } }));
    expect(texts(fallback.blocks)).toContain('*Suggested article:* <https://help.acme.com/start|https://help.acme.com/start>');
  });
});

describe('the live incidents summary', () => {
  it('lists each live ticket with tier, stage, owner and next deadline, oldest first, and says when there is none', () => {
    const first = view(open(1001, 'performance_issue', 'critical'), { brief: brief(1001, 'Outage <!here>') });
    const second = view(apply(open(1002, 'performance_issue', 'high'), ACK), { brief: brief(1002, 'Slow exports') });
    const message = liveSummary([first, second]);
    expect(message.text).toBe('Live incidents: #1001, #1002');
    const shown = texts(message.blocks);
    expect(shown[0]).toBe('Live incidents');
    expect(shown).toContain('*2 live incidents*');
    expect(shown.join('\n')).toContain('<https://acme.zendesk.com/agent/tickets/1001|#1001>* Outage &lt;!here&gt; · Critical · Routed, awaiting acknowledgement · nobody yet · acknowledge by Mon 23 Nov 14:00 Europe/Berlin (in 3h)');
    // The status channel names people in plain text, never a mention; no name looked up here: the id.
    expect(shown.join('\n')).toContain('#1002>* Slow exports · High · Acknowledged · U0123ABCD · next update by');
    expect(JSON.stringify(message)).not.toContain('<!here>');
    const none = liveSummary([]);
    expect(none.text).toBe('Live incidents: none right now');
    expect(texts(none.blocks)).toContain(':large_green_circle: No live incidents right now.');
  });
});
