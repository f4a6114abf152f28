import type { KnownBlock } from '@slack/types';
import type { Effect } from '../../core/loop/loop-types.js';
import { categoryLabel } from '../../core/routing/describe-routing.js';
import { untrustedInline } from './mrkdwn.js';
import {
  contextBlock,
  fieldsBlock,
  formatDue,
  ownerText,
  sectionBlock,
  stageLabel,
  ticketRef,
  tierLabel,
  userMention,
  usergroupMention,
} from './slack-blocks-parts.js';
import type { CardView, EscalationTargets, SlackMessage } from './slack-views.js';

/**
 * Messages about one ticket outside its card: the public status parent and its replies, and the
 * escalation, reminder and incident messages. The only mentions here are the ones the policy
 * asks for (escalation targets, the owner on a reminder), built from validated ids.
 */

/** The status channel's one message per ticket, edited as the loop moves: no buttons, no customer excerpt. */
export function statusParent(view: CardView): SlackMessage {
  const { loop, now, timeZone } = view;
  const subject = view.brief === null ? '' : untrustedInline(view.brief.subject, 200);
  const nextUpdate = loop.timers.update_breach;
  // No publish_status ETA reaches this renderer: the resolve target is the best estimate it has.
  const eta = loop.timers.resolve_breach;
  const blocks: KnownBlock[] = [
    sectionBlock(`*${ticketRef(loop.ticketId, view.zendeskUrl)}* ${subject}`),
    fieldsBlock([
      ['Stage', stageLabel(loop.stage)],
      ['Owner', ownerText(loop.owner)],
      ['Next update by', nextUpdate === undefined ? '—' : formatDue(nextUpdate, now, timeZone)],
      ['ETA', eta === undefined ? '—' : formatDue(eta, now, timeZone)],
    ]),
  ];
  return { text: `#${loop.ticketId} ${subject}: ${stageLabel(loop.stage)}`, blocks };
}

/** A status change under the parent. The text may be a person's words from the update modal, so it is escaped. */
export function statusReply(view: CardView, effect: Extract<Effect, { type: 'publish_status' }>): SlackMessage {
  const text = untrustedInline(effect.text, 2800);
  const details = [`Stage: ${stageLabel(effect.stage)}`];
  if (effect.etaAt !== null) details.push(`ETA: ${formatDue(effect.etaAt, view.now, view.timeZone)}`);
  if (effect.automatic) details.push('(automatic)');
  return {
    text: `#${view.loop.ticketId}: ${untrustedInline(effect.text, 300)}${effect.automatic ? ' (automatic)' : ''}`,
    blocks: [sectionBlock(text === '' ? '(no text)' : text), contextBlock(details.join(' · '))],
  };
}

/**
 * An escalation under the team card. Mentions go in the fallback `text` too: notifications are
 * built from it. A target the level wants but the policy lacks is said plainly, so the gap gets fixed.
 */
export function escalationReply(view: CardView, effect: Extract<Effect, { type: 'escalate' }>, targets: EscalationTargets): SlackMessage {
  const { loop } = view;
  const team = untrustedInline(loop.team, 100);
  const mentions: string[] = [];
  const gaps: string[] = [];
  if (effect.notify.includes('usergroup')) {
    const mention = usergroupMention(targets.usergroupId);
    if (mention !== null) mentions.push(mention);
    else gaps.push(targets.usergroupId === null ? `No user group configured for team ${team}.` : `The user group id for team ${team} is not a Slack user group id (S…).`);
  }
  if (effect.notify.includes('lead')) {
    const mention = userMention(targets.leadUserId);
    if (mention !== null) mentions.push(mention);
    else gaps.push(targets.leadUserId === null ? `No lead configured for team ${team}.` : `The lead for team ${team} is not a Slack user id (U…).`);
  }
  const repeat = effect.round > 0 ? ` (repeat ${effect.round})` : '';
  const headline = `Escalation level ${effect.level}${repeat} for ${ticketRef(loop.ticketId, view.zendeskUrl)}: ${untrustedInline(effect.reason, 300)}`;
  const who = mentions.length > 0 ? `${mentions.join(' ')} please take a look.` : '';
  const blocks: KnownBlock[] = [sectionBlock([`:rotating_light: *${headline}*`, who].filter((line) => line !== '').join('\n'))];
  if (gaps.length > 0) blocks.push(contextBlock(gaps.join(' ')));
  const text = [mentions.join(' '), `Escalation level ${effect.level}${repeat} for ticket #${loop.ticketId}: ${untrustedInline(effect.reason, 300)}.`, ...gaps]
    .filter((part) => part !== '')
    .join(' ');
  return { text, blocks };
}

/** A nudge under the card before a deadline; the owner is mentioned when they are a Slack user. */
export function reminderReply(view: CardView, effect: Extract<Effect, { type: 'remind_owner' }>): SlackMessage {
  const { loop } = view;
  const what = effect.about === 'acknowledge' ? 'acknowledge' : 'status update';
  const mention = userMention(loop.owner);
  const line = `Reminder: ${what} due ${formatDue(effect.dueAt, view.now, view.timeZone)} for #${loop.ticketId}.`;
  const hint = effect.about === 'acknowledge' ? 'Use *Acknowledge* or *Take it* on the card.' : 'Use *Post update* on the card.';
  return {
    text: mention === null ? line : `${mention} ${line}`,
    blocks: [sectionBlock(`:alarm_clock: ${mention === null ? '' : `${mention} `}${line}\n${hint}`)],
  };
}

/** For the incident channel: a ticket that may be part of an outage, with the link to look at it. */
export function incidentMessage(view: CardView, effect: Extract<Effect, { type: 'incident' }>): SlackMessage {
  const { loop } = view;
  const subject = view.brief === null ? '' : untrustedInline(view.brief.subject, 200);
  return {
    text: `Possible incident: #${loop.ticketId} ${subject}`.trim(),
    blocks: [
      sectionBlock(`:warning: *Possible incident:* ${ticketRef(loop.ticketId, view.zendeskUrl)} ${subject}\n${untrustedInline(effect.text, 1500)}`),
      contextBlock(`${categoryLabel(loop.category)} · ${tierLabel(loop.tier)} · team ${untrustedInline(loop.team, 100)}`),
    ],
  };
}
