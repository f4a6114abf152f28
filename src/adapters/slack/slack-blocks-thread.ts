import type { KnownBlock } from '@slack/types';
import type { Effect } from '../../core/loop/loop-types.js';
import { categoryLabel } from '../../core/routing/describe-routing.js';
import { untrustedInline } from './mrkdwn.js';
import { teamName } from '../../core/loop/loop-texts.js';
import {
  contextBlock,
  fieldsBlock,
  formatDue,
  formatRelative,
  formatWhen,
  ownerText,
  peopleText,
  personText,
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
 * escalation, reminder, follow-up and incident messages. The only mentions here are the ones the
 * policy asks for (escalation targets, the owner on a reminder or a follow-up), built from
 * validated ids; everyone else is named in plain text.
 */

/** The status channel's one message per ticket, edited as the loop moves: no buttons, no customer excerpt, nobody mentioned. */
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
      ['Owner', ownerText(loop.owner, view.names, 'plain')],
      ['Next update by', nextUpdate === undefined ? '—' : formatDue(nextUpdate, now, timeZone)],
      ['ETA', eta === undefined ? '—' : formatDue(eta, now, timeZone)],
    ]),
  ];
  return { text: `#${loop.ticketId} ${subject}: ${stageLabel(loop.stage)}`, blocks };
}

/**
 * A status change under the parent, for readers outside the team: people by name (no mention
 * pings anyone from the public channel). The text may be a person's words from the update modal,
 * so it is escaped.
 */
export function statusReply(view: CardView, effect: Extract<Effect, { type: 'publish_status' }>): SlackMessage {
  const text = peopleText(effect.text, view.names, 'plain', 2800);
  const details = [`Stage: ${stageLabel(effect.stage)}`];
  if (effect.etaAt !== null) details.push(`ETA: ${formatDue(effect.etaAt, view.now, view.timeZone)}`);
  return {
    text: `#${view.loop.ticketId}: ${peopleText(effect.text, view.names, 'plain', 300)}`,
    blocks: [sectionBlock(text === '' ? '(no text)' : text), contextBlock(details.join(' · '))],
  };
}

/** "2nd", "3rd", "11th", "22nd". */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/**
 * An escalation under the team card (and in the lead's DM and the escalation channel): what is
 * overdue and since when, then who it goes to now, "Escalated to <lead>" the first time round and
 * "2nd reminder to <lead>" on a repeat. Mentions go in the fallback `text` too: notifications are
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
  const repeat = effect.round > 0;
  // An effect an older cxloop queued has no `about`: its reason reads as a label ("status update overdue").
  const what = (ticket: string) => (effect.about === undefined ? `${ticket}: ` : `${ticket} is ${repeat ? 'still ' : ''}`) + untrustedInline(effect.reason, 300);
  const relative = effect.dueAt === undefined ? '' : formatRelative(effect.dueAt, view.now);
  const when = effect.dueAt === undefined ? '' : ` (due ${formatWhen(effect.dueAt, view.timeZone)}${relative === 'now' ? '' : `, ${relative}`})`;
  const to = mentions.length > 0 ? mentions.join(' and ') : `the ${teamName(team)} team`;
  const who = repeat ? `${ordinal(effect.round + 1)} reminder to ${to}.` : `Escalated to ${to}.`;
  const blocks: KnownBlock[] = [sectionBlock(`:rotating_light: *${what(ticketRef(loop.ticketId, view.zendeskUrl))}${when}*\n${who}`)];
  if (gaps.length > 0) blocks.push(contextBlock(gaps.join(' ')));
  return { text: [`${what(`#${loop.ticketId}`)}${when}.`, who, ...gaps].join(' '), blocks };
}

/** Who a nudge is for: a Slack owner mentioned, a Zendesk owner named, nobody when nobody owns it yet. */
function addressee(view: CardView): { readonly mention: string | null; readonly name: string | null } {
  const { owner } = view.loop;
  if (owner === null) return { mention: null, name: null };
  const mention = userMention(owner);
  return mention === null ? { mention: null, name: personText(owner, view.names, 'plain') } : { mention, name: null };
}

/** A nudge under the card before a deadline, to the owner (mentioned when they are a Slack user). */
export function reminderReply(view: CardView, effect: Extract<Effect, { type: 'remind_owner' }>): SlackMessage {
  const { loop } = view;
  const due = formatDue(effect.dueAt, view.now, view.timeZone);
  const line =
    effect.about === 'acknowledge'
      ? `#${loop.ticketId} needs acknowledging by ${due}.`
      : effect.about === 'follow_up'
        ? `follow up with the customer on #${loop.ticketId} by ${due}.`
        : `the next status update on #${loop.ticketId} is due ${due}.`;
  const hint =
    effect.about === 'update' ? 'Use *Post update* on the card.' : effect.about === 'follow_up' ? 'Reply to the customer in Zendesk, or use *Acknowledge* on the card.' : 'Use *Acknowledge* or *Take it* on the card.';
  const { mention, name } = addressee(view);
  const reminder = `${name === null ? 'Reminder' : `Reminder for ${name}`}: ${line}`;
  const text = mention === null ? reminder : `${mention} ${reminder}`;
  return { text, blocks: [sectionBlock(`:alarm_clock: ${text}\n${hint}`)] };
}

/** After a bad rating or a reopen (or for experience feedback): the owner is asked to follow up, by when the policy says. */
export function followUpReply(view: CardView, effect: Extract<Effect, { type: 'csat_follow_up' }>): SlackMessage {
  const { loop } = view;
  const { mention, name } = addressee(view);
  const by = effect.dueAt === undefined ? '' : ` by ${formatDue(effect.dueAt, view.now, view.timeZone)}`;
  const team = `the ${teamName(untrustedInline(loop.team, 100))} team`;
  const ask = mention !== null ? `please follow up with them${by}.` : name !== null ? `${name}, please follow up with them${by}.` : `${team} should follow up with them${by}.`;
  const line =
    effect.reason === 'feedback'
      ? `#${loop.ticketId} is feedback on the customer's experience: follow up with them once it is handled.`
      : `${effect.reason === 'detractor' ? `the customer rated #${loop.ticketId} bad` : `the customer reopened #${loop.ticketId}`}: ${ask}`;
  const sentence = mention === null ? line.charAt(0).toUpperCase() + line.slice(1) : `${mention} ${line}`;
  return { text: sentence, blocks: [sectionBlock(`:speech_balloon: ${sentence}`)] };
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
