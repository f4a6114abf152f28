import type { KnownBlock } from '@slack/types';
import { untrustedInline } from './mrkdwn.js';
import { LIMITS, andMore, contextBlock, headerBlock, packLines, sectionBlock } from './slack-blocks-parts.js';
import type { DigestItem, SlackMessage } from './slack-views.js';

/** One line of a digest never takes more than this, so one odd item cannot crowd out the rest. */
const DIGEST_LINE_MAX = 500;

/**
 * Many tickets in one message, for a burst that would otherwise post one message each. Lines are
 * the caller's mrkdwn (already escaped): they are only folded and cut. What does not fit in 50
 * blocks and the total text budget is counted in a closing "…and N more"; `listed` says how many
 * were listed, so a sender can keep the others queued for the next message.
 */
export function digest(title: string, items: readonly DigestItem[]): SlackMessage & { readonly listed: number } {
  const header = headerBlock(title);
  const text = `${untrustedInline(title, 150)}: ${items.length} ${items.length === 1 ? 'ticket' : 'tickets'}`;
  if (items.length === 0) return { text, blocks: [header, sectionBlock('No tickets.')], listed: 0 };
  // Reserve the header and the tail (block and characters) before packing.
  const tailChars = andMore(items.length).length;
  const packed = packLines(
    items.map((item) => item.line),
    { maxBlocks: LIMITS.messageBlocks - 2, maxChars: LIMITS.messageTextBudget - header.text.text.length - tailChars, lineMax: DIGEST_LINE_MAX },
  );
  const rest = items.length - packed.shown;
  const blocks: KnownBlock[] = [header, ...packed.blocks];
  if (rest > 0) blocks.push(contextBlock(andMore(rest)));
  return { text, blocks, listed: packed.shown };
}
