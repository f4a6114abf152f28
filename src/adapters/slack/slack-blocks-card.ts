import type { ActionsBlock, ActionsBlockElement, Button, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { categoryLabel } from '../../core/routing/describe-routing.js';
import { CATEGORY_IDS } from '../../core/taxonomy.js';
import { untrustedInline } from './mrkdwn.js';
import {
  LIMITS,
  OPEN_STAGES,
  contextBlock,
  fieldsBlock,
  formatDue,
  formatWhen,
  headerBlock,
  label,
  linkTo,
  ownerText,
  plain,
  safeTicketUrl,
  sectionBlock,
  stageLabel,
  ticketBlockId,
  ticketRef,
  tierLabel,
} from './slack-blocks-parts.js';
import { ACTIONS, UPDATE_MODAL, type CardView, type SlackMessage } from './slack-views.js';

/** The team channel's card for one ticket, and the modal its "Post update" button opens. */

/** The card: what the ticket is, why it came here, its SLA clock, and what the team can do. */
export function ticketCard(view: CardView): SlackMessage {
  const { loop, brief } = view;
  const blocks: KnownBlock[] = [
    headerBlock(`#${loop.ticketId} ${brief?.subject ?? ''}`),
    fieldsBlock([
      ['Category', categoryLabel(loop.category)],
      ['Tier', tierLabel(loop.tier)],
      ['Team', untrustedInline(loop.team, 100)],
      ['Stage', stageLabel(loop.stage)],
      ['Owner', ownerText(loop.owner, view.names, 'mention')],
    ]),
    summaryBlock(view),
  ];
  const extras = extrasLines(view);
  if (extras.length > 0) blocks.push(sectionBlock(extras.join('\n')));
  const clock = slaLines(view);
  if (clock.length > 0) blocks.push(sectionBlock(clock.join('\n')));
  const actions = cardActions(view);
  if (actions !== null) blocks.push(actions);
  const subject = brief === null ? '' : `: ${untrustedInline(brief.subject, 200)}`;
  return { text: `Ticket #${loop.ticketId} (${categoryLabel(loop.category)}, ${loop.tier})${subject}`, blocks };
}

/** Why it was routed here and the start of what the customer wrote (both customer-derived text). */
function summaryBlock({ brief }: CardView): KnownBlock {
  const why = brief === null ? '' : untrustedInline(brief.why, 500);
  const excerpt = brief === null ? '' : untrustedInline(brief.excerpt, 1200);
  if (why === '' && excerpt === '') return contextBlock('No summary kept for this ticket: open it in Zendesk.');
  return sectionBlock([why === '' ? null : `*Why routed:* ${why}`, excerpt === '' ? null : `>${excerpt}`].filter((line) => line !== null).join('\n'));
}

/**
 * What the category's on_routing found, as the routing note says it: the requester (organisation,
 * VIP, earlier tickets with links) and suggested articles. Names, subjects and titles are escaped.
 */
function extrasLines(view: CardView): string[] {
  const extras = view.brief?.extras;
  if (!extras) return [];
  const lines: string[] = [];
  const { requester, articles } = extras;
  if (requester?.ok) {
    const { context } = requester;
    const parts = [context.organizations.length > 0 ? context.organizations.map((name) => untrustedInline(name, 80)).join(', ') : 'no organisation'];
    if (context.vip !== null) parts.push(':star: VIP');
    if (context.earlier !== null) parts.push(`${context.earlier} earlier ticket${context.earlier === 1 ? '' : 's'}`);
    const recent = context.recent.map((ticket) => `${ticketRef(ticket.id, view.ticketUrl?.(ticket.id) ?? null)} ${untrustedInline(ticket.subject, 80)}`);
    lines.push(`*Requester:* ${parts.join(' · ')}${recent.length > 0 ? `\n*Latest:* ${recent.join(' · ')}` : ''}`);
  }
  if (articles && articles.links.length > 0) {
    const title = articles.source === 'search' ? (articles.links.length === 1 ? 'Suggested article' : 'Suggested articles') : 'Suggested article';
    lines.push(`*${title}:* ${articles.links.map((link) => linkTo(link.url, link.title)).join(' · ')}`);
  }
  return lines;
}

/** The SLA clock in words: what is due when, what has been breached, whether reminders are snoozed. */
function slaLines(view: CardView): string[] {
  const { loop, now, timeZone } = view;
  const due = (at: number) => formatDue(at, now, timeZone);
  const lines: string[] = [];
  if (loop.stage === 'routed') {
    if (loop.escalation.step >= 2 && loop.escalation.breachAt !== null) lines.push(`:rotating_light: *Acknowledge SLA breached:* was due ${due(loop.escalation.breachAt)}`);
    else if (loop.timers.ack_breach !== undefined) lines.push(`*Acknowledge by:* ${due(loop.timers.ack_breach)}`);
  }
  if (loop.stage === 'follow_up') {
    if (loop.escalation.step >= 2 && loop.escalation.breachAt !== null) lines.push(`:rotating_light: *Follow-up with the customer overdue:* was due ${due(loop.escalation.breachAt)}`);
    else if (loop.timers.ack_breach !== undefined) lines.push(`*Follow up with the customer by:* ${due(loop.timers.ack_breach)}`);
  }
  if (loop.timers.update_breach !== undefined) lines.push(`*Next status update by:* ${due(loop.timers.update_breach)}`);
  if (OPEN_STAGES.includes(loop.stage)) {
    if (loop.resolveBreached) lines.push(':rotating_light: *Resolve target breached*');
    else if (loop.timers.resolve_breach !== undefined) lines.push(`*Resolve by:* ${due(loop.timers.resolve_breach)}`);
    else if (loop.resolve.runningSince === null) lines.push('*Resolve clock:* paused while the ticket is pending or on hold');
  }
  if (loop.snoozedUntil !== null && loop.snoozedUntil > now) lines.push(`:zzz: *Reminders snoozed until:* ${due(loop.snoozedUntil)}`);
  if (loop.stage === 'acted' && loop.solvedAt !== null) lines.push(`*Solved:* ${formatWhen(loop.solvedAt, timeZone)}`);
  if (loop.timers.verify_end !== undefined) lines.push(`*Verify window ends:* ${due(loop.timers.verify_end)}`);
  return lines;
}

/**
 * Buttons follow what the state machine accepts, so nobody presses a button only to be told no:
 * - routed and follow_up: everything (a follow-up asks for a fresh acknowledgement);
 * - acknowledged: no Acknowledge (already done), Take it still hands the loop to someone else;
 * - acted, verified, closed: the loop is out of the team's hands (no snooze, update, take or
 *   reassign is accepted), so only the Zendesk link stays.
 */
function cardActions(view: CardView): ActionsBlock | null {
  const { loop } = view;
  const value = String(loop.ticketId);
  const elements: ActionsBlockElement[] = [];
  if (OPEN_STAGES.includes(loop.stage)) {
    if (loop.stage !== 'acknowledged') elements.push({ ...button('Acknowledge', ACTIONS.acknowledge, value), style: 'primary' });
    elements.push(button('Take it', ACTIONS.take, value));
    const snooze = snoozeOptions(view.snoozeMinutes);
    if (snooze.length > 0) elements.push({ type: 'static_select', action_id: ACTIONS.snooze, placeholder: label('Snooze'), options: snooze });
    elements.push(button('Post update', ACTIONS.postUpdate, value));
    elements.push({ type: 'static_select', action_id: ACTIONS.reassign, placeholder: label('Reassign'), options: reassignOptions(loop.category) });
  }
  const url = safeTicketUrl(view.zendeskUrl);
  if (url !== null) elements.push({ ...button('Open in Zendesk', ACTIONS.openTicket, value), url });
  return elements.length === 0 ? null : { type: 'actions', block_id: ticketBlockId(loop.ticketId), elements };
}

function button(text: string, actionId: string, value: string): Button {
  return { type: 'button', text: label(text), action_id: actionId, value };
}

/** Whole positive minutes, once each, shortest first; option value is the minutes. */
function snoozeOptions(minutes: readonly number[]): PlainTextOption[] {
  const valid = [...new Set(minutes)].filter((value) => Number.isInteger(value) && value > 0).sort((a, b) => a - b);
  return valid.slice(0, LIMITS.selectOptions).map((value) => ({ text: label(snoozeLabel(value), LIMITS.optionText), value: String(value) }));
}

/** 30 -> "30 min", 120 -> "2 h", 90 -> "1 h 30 min". */
export function snoozeLabel(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

function reassignOptions(current: CardView['loop']['category']): PlainTextOption[] {
  return CATEGORY_IDS.filter((id) => id !== current).map((id) => ({ text: label(categoryLabel(id), LIMITS.optionText), value: id }));
}

/** Hours from now offered as a new ETA; "none" keeps no ETA. */
const ETA_HOURS = [1, 4, 8, 24, 48, 72] as const;

/** The "Post update" modal: the update text and an optional new ETA; private_metadata is the ticket id. */
export function updateModal(view: CardView): ModalView {
  const { loop, brief } = view;
  const etaOptions: PlainTextOption[] = [
    { text: label('No ETA'), value: 'none' },
    ...ETA_HOURS.map((hours) => ({ text: label(`In ${hours} h`), value: String(hours) })),
  ];
  return {
    type: 'modal',
    callback_id: UPDATE_MODAL.callbackId,
    private_metadata: String(loop.ticketId),
    title: plain('Post status update'),
    submit: plain('Post'),
    close: plain('Cancel'),
    blocks: [
      sectionBlock(`*#${loop.ticketId}* ${brief === null ? '' : untrustedInline(brief.subject, 200)}`),
      {
        type: 'input',
        block_id: UPDATE_MODAL.textBlock,
        label: plain('What changed?'),
        hint: plain('Posted in the status channel and added to the Zendesk ticket as an internal note.'),
        element: { type: 'plain_text_input', action_id: UPDATE_MODAL.textAction, multiline: true, max_length: 2000 },
      },
      {
        type: 'input',
        block_id: UPDATE_MODAL.etaBlock,
        optional: true,
        label: plain('New ETA'),
        element: { type: 'static_select', action_id: UPDATE_MODAL.etaAction, placeholder: plain('Pick a new ETA'), options: etaOptions },
      },
    ],
  };
}
