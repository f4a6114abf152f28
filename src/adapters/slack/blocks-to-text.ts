import type { KnownBlock, View } from '@slack/types';
import type { SlackMessage } from './slack-views.js';

/** Lines of a message in the terminal; a card is about ten, a digest is cut with "(+N more)". */
const MAX_LINES = 14;

/**
 * A Slack message as a person reading the channel would see it, in plain text: headers and
 * sections as their text, fields side by side, context lines joined with " · ", buttons as
 * [Label], menus as [Placeholder ▾]. For the dry-run terminal and the demo; never sent.
 */
export function blocksToText(message: Pick<SlackMessage, 'text' | 'blocks'> | Pick<View, 'blocks'>, names: Readonly<Record<string, string>> = {}): string[] {
  const blocks = message.blocks as readonly KnownBlock[] | undefined;
  const plain = (text: string) => mrkdwnToPlain(text, names);
  const lines = blocks && blocks.length > 0 ? blocks.flatMap((block) => blockLines(block, plain)) : 'text' in message ? plain(message.text).split('\n') : [];
  if (lines.length <= MAX_LINES) return lines;
  return [...lines.slice(0, MAX_LINES - 1), `(+${lines.length - MAX_LINES + 1} more lines)`];
}

function blockLines(block: KnownBlock, plain: (text: string) => string): string[] {
  switch (block.type) {
    case 'header':
      return [block.text.text.toUpperCase()];
    case 'section': {
      const lines = block.text ? plain(block.text.text).split('\n') : [];
      if (block.fields) lines.push(block.fields.map((field) => plain(field.text).replace(/\n/g, ' ')).join('  |  '));
      return lines;
    }
    case 'context':
      return [block.elements.map((element) => ('text' in element ? plain(element.text) : '')).filter(Boolean).join(' · ')];
    case 'actions':
      return [block.elements.map(elementLabel).join(' ')];
    case 'divider':
      return ['─'.repeat(24)];
    default:
      return [];
  }
}

function elementLabel(element: { type: string; text?: { text: string }; placeholder?: { text: string } }): string {
  if (element.type === 'button') return `[${element.text?.text ?? 'button'}]`;
  return `[${element.placeholder?.text ?? element.type} ▾]`;
}

/**
 * Slack's markup as it displays: <url|label> -> label, <@U1> -> @ and the user's name (as Slack
 * shows it; the id when `names` has none), <!subteam^S1> -> @S1, <!channel> -> @channel,
 * *bold* -> bold, and the three escaped characters back.
 */
export function mrkdwnToPlain(text: string, names: Readonly<Record<string, string>> = {}): string {
  return text
    .replace(/<([^<>|]+)\|([^<>]+)>/g, (_, _target: string, label: string) => label)
    .replace(/<@([UW][A-Z0-9]+)>/g, (_, user: string) => `@${names[user] ?? user}`)
    .replace(/<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!(channel|here|everyone)>/g, '@$1')
    .replace(/<(https?:[^<>]+)>/g, '$1')
    .replace(/(^|[\s(>])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, '$1$2')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
