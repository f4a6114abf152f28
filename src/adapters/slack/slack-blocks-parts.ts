import { TZDate } from '@date-fns/tz';
import type { ContextBlock, HeaderBlock, MrkdwnElement, PlainTextElement, SectionBlock } from '@slack/types';
import { format } from 'date-fns/format';
import { nextDeadline, OPEN_STAGES, stageLabel, tierLabel } from '../../core/loop/loop-labels.js';
import { personName, splitPersonRefs, type PersonNames } from '../../core/loop/person-ref.js';
import { foldUntrusted, untrustedInline } from './mrkdwn.js';

/**
 * Pieces every Slack surface shares: Block Kit limits, text objects, mentions, links, due times
 * and a line packer that keeps long lists inside the limits.
 */

/** https://docs.slack.dev/reference/block-kit/blocks (and bolt-js issues #2509 and #2867 for the undocumented total). */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  header: 150,
  buttonText: 75,
  optionText: 75,
  selectOptions: 100,
  /** `msg_blocks_too_long` appears near 13k characters across blocks; stay well under it. */
  messageTextBudget: 10_500,
} as const;

export { OPEN_STAGES, nextDeadline, stageLabel, tierLabel };

export function mrkdwn(text: string): MrkdwnElement {
  // Slack rejects an empty text object; a lone space never reaches a person as content.
  return { type: 'mrkdwn', text: text.length > 0 ? text : ' ' };
}

export function plain(text: string): PlainTextElement {
  return { type: 'plain_text', text: text.length > 0 ? text : ' ' };
}

/**
 * Header from text that may hold customer words. plain_text does not parse mentions, but Slack
 * still asks for &, < and > as entities in every text object, and escaping keeps `<!channel>`
 * out of the payload entirely; untrustedInline also folds lines and cuts to the header limit.
 */
export function headerBlock(text: string): HeaderBlock {
  return { type: 'header', text: plain(untrustedInline(text, LIMITS.header)) };
}

export function sectionBlock(text: string): SectionBlock {
  return { type: 'section', text: mrkdwn(cutMrkdwn(text, LIMITS.sectionText)) };
}

export function fieldsBlock(fields: readonly (readonly [label: string, value: string])[]): SectionBlock {
  return {
    type: 'section',
    fields: fields.slice(0, LIMITS.fields).map(([label, value]) => mrkdwn(cutMrkdwn(`*${label}*\n${value}`, LIMITS.fieldText))),
  };
}

export function contextBlock(...texts: string[]): ContextBlock {
  return { type: 'context', elements: texts.slice(0, 10).map((text) => mrkdwn(cutMrkdwn(text, LIMITS.sectionText))) };
}

/** Cuts a button or option label (plain text) to its limit. */
export function label(text: string, max: number = LIMITS.buttonText): PlainTextElement {
  return plain(untrustedInline(text, max));
}

/** Actions on a card carry their ticket in the block id, so select menus (which have no `value`) do too. */
const TICKET_BLOCK_PREFIX = 'cx_t_';

export function ticketBlockId(ticketId: number): string {
  return `${TICKET_BLOCK_PREFIX}${ticketId}`;
}

/** The ticket id of an actions block this module rendered, or null for any other block id. */
export function ticketIdFromBlockId(blockId: string): number | null {
  const match = /^cx_t_(\d{1,15})$/.exec(blockId);
  return match?.[1] === undefined ? null : Number(match[1]);
}

// Mentions are built only from ids that match Slack's own shapes, so no stored value can smuggle
// `<!channel>` or a disguised link into a mention.
const SLACK_USER_ID = /^[UW][A-Z0-9]+$/;
const SLACK_USERGROUP_ID = /^S[A-Z0-9]+$/;
/** A name is someone's own text (a Slack display name, a Zendesk name): escaped, one line, this long at most. */
const NAME_MAX = 80;

export function userMention(userId: string | null): string | null {
  return userId !== null && SLACK_USER_ID.test(userId) ? `<@${userId}>` : null;
}

export function usergroupMention(usergroupId: string | null): string | null {
  return usergroupId !== null && SLACK_USERGROUP_ID.test(usergroupId) ? `<!subteam^${usergroupId}>` : null;
}

/**
 * How a person reads in Slack. `mention`: a Slack user as `<@U…>`, which Slack shows as their name
 * and which notifies them (team channels, where that is the point); `plain`: their name as text,
 * which notifies nobody (the public status channel). A Zendesk agent has no Slack mention and is
 * named either way. Without a name looked up, the id: "U0E2EMEM1", "Zendesk agent 4242".
 */
export function personText(person: string, names: PersonNames, style: 'mention' | 'plain'): string {
  const mention = style === 'mention' ? userMention(person) : null;
  return mention ?? untrustedInline(personName(person, names), NAME_MAX);
}

/** The owner as people read it (see personText), or "nobody yet". */
export function ownerText(owner: string | null, names: PersonNames, style: 'mention' | 'plain'): string {
  return owner === null ? 'nobody yet' : personText(owner, names, style);
}

/**
 * Text that may hold anyone's words (an update typed in the modal) and cxloop's references to
 * people (`<@U…>`, `<@zd:…>`, see person-ref.ts): the words escaped and folded like any untrusted
 * text, each reference replaced by personText, the whole cut to `max` characters.
 */
export function peopleText(text: string, names: PersonNames, style: 'mention' | 'plain', max: number): string {
  const rendered = splitPersonRefs(text)
    .map((piece) => ('person' in piece ? personText(piece.person, names, style) : foldUntrusted(piece.text)))
    .join('');
  return cutMrkdwn(rendered.replace(/ {2,}/g, ' ').trim(), max);
}

/** The Zendesk URL, if it is an https URL that cannot break out of `<url|label>`. */
export function safeTicketUrl(url: string | null): string | null {
  if (url === null || url.length > 2000 || !/^https:\/\/[^\s<>|"]+$/.test(url)) return null;
  return URL.canParse(url) ? url : null;
}

/**
 * `<url|label>` for a link cxloop did not make (a Help Center article): http(s), and nothing that
 * could end the link early or start another; else the label alone. The label is escaped.
 */
export function linkTo(url: string, label: string, labelMax = 150): string {
  const text = untrustedInline(label, labelMax);
  const safe = url.length <= 2000 && /^https?:\/\/[^\s<>|"]+$/.test(url) && URL.canParse(url);
  return safe ? `<${url}|${text === '' ? untrustedInline(url, labelMax) : text}>` : text === '' ? untrustedInline(url, labelMax) : text;
}

/** `<url|#123>` when the URL is ours and safe, else plain `#123`. */
export function ticketRef(ticketId: number, zendeskUrl: string | null): string {
  const url = safeTicketUrl(zendeskUrl);
  return url === null ? `#${ticketId}` : `<${url}|#${ticketId}>`;
}

/** "Mon 23 Nov 14:00 Europe/Berlin". A zone Intl does not know is shown as UTC rather than failing the message. */
export function formatWhen(at: number, timeZone: string): string {
  const zone = isTimeZone(timeZone) ? timeZone : 'UTC';
  return `${format(new TZDate(at, zone), 'EEE d MMM HH:mm')} ${zone}`;
}

const knownZones = new Map<string, boolean>();

function isTimeZone(timeZone: string): boolean {
  let known = knownZones.get(timeZone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone });
      known = true;
    } catch {
      known = false; // RangeError: Intl does not know the zone
    }
    knownZones.set(timeZone, known);
  }
  return known;
}

/** "2d 3h", "1h 20m", "35m": two units at most, rounded to the minute. */
export function formatSpan(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return rest > 0 ? `${hours}h ${rest}m` : `${hours}h`;
  return `${rest}m`;
}

/**
 * "in 1h 20m", "in under a minute", "now", "overdue by 35m". Time still left is never "now": a
 * deadline 20 s away is "in under a minute", and one a minute and a half away "in 2m".
 */
export function formatRelative(at: number, now: number): string {
  if (at > now) return at - now < 30_000 ? 'in under a minute' : `in ${formatSpan(at - now)}`;
  return now - at < 30_000 ? 'now' : `overdue by ${formatSpan(now - at)}`;
}

/** "Mon 23 Nov 14:00 Europe/Berlin (in 1h 20m)": absolute in the team's zone, relative to now. */
export function formatDue(at: number, now: number, timeZone: string): string {
  return `${formatWhen(at, timeZone)} (${formatRelative(at, now)})`;
}

/**
 * Cuts caller-rendered mrkdwn to `max` characters without splitting an entity, a surrogate pair
 * or a `<...>` control (half a link would swallow the text after it).
 */
export function cutMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  cut = cut.replace(/&[a-z#0-9]*$/i, '');
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  if (cut.lastIndexOf('<') > cut.lastIndexOf('>')) cut = cut.slice(0, cut.lastIndexOf('<'));
  return `${cut}…`;
}

export interface PackedLines {
  readonly blocks: SectionBlock[];
  /** How many of the lines were packed (from the start). */
  readonly shown: number;
  /** Characters used, newlines included. */
  readonly chars: number;
}

/**
 * Packs one-line mrkdwn items into as few sections as fit: each section within its 3000
 * characters, at most `maxBlocks` sections, `maxChars` characters and `maxLines` lines in all.
 * Each line is first folded to one line and cut to `lineMax`.
 */
export function packLines(lines: readonly string[], budget: { maxBlocks: number; maxChars: number; maxLines?: number; lineMax: number }): PackedLines {
  const sections: string[] = [];
  let chars = 0;
  let shown = 0;
  for (const raw of lines) {
    if (shown >= (budget.maxLines ?? Infinity)) break;
    const line = cutMrkdwn(raw.replace(/[\r\n\u2028\u2029]+/g, ' '), budget.lineMax);
    const last = sections.at(-1);
    const joinsLast = last !== undefined && last.length + 1 + line.length <= LIMITS.sectionText;
    const cost = joinsLast ? line.length + 1 : line.length;
    if (chars + cost > budget.maxChars) break;
    if (joinsLast) sections[sections.length - 1] = `${last}\n${line}`;
    else if (sections.length < budget.maxBlocks) sections.push(line);
    else break;
    chars += cost;
    shown += 1;
  }
  return { blocks: sections.map((text) => ({ type: 'section', text: mrkdwn(text) })), shown, chars };
}

/** "…and 12 more", the tail of a list that did not fit. */
export function andMore(count: number): string {
  return `…and ${count} more`;
}
