import type { KnownBlock } from '@slack/types';
import { andMore, contextBlock, formatDue, headerBlock, LIMITS, ownerText, packLines, sectionBlock, stageLabel, ticketRef, tierLabel } from './slack-blocks-parts.js';
import { untrustedInline } from './mrkdwn.js';
import type { CardView, SlackMessage } from './slack-views.js';

/** Lines the summary lists before "…and N more" (one message, edited in place, within Block Kit's limits). */
const MAX_LISTED = 40;

/**
 * The status channel's one pinned message about live incidents: every ticket whose category has
 * flag_live_status while its loop is open, oldest first, with stage, owner and the next deadline.
 * cxloop posts it once per install, pins it, and edits it in place as tickets come and go.
 */
export function liveSummary(views: readonly CardView[]): SlackMessage {
  const blocks: KnownBlock[] = [headerBlock('Live incidents')];
  if (views.length === 0) {
    blocks.push(sectionBlock(':large_green_circle: No live incidents right now.'));
  } else {
    const lines = views.map((view) => {
      const { loop } = view;
      const subject = view.brief === null ? '' : ` ${untrustedInline(view.brief.subject, 120)}`;
      const next = loop.timers.update_breach ?? loop.timers.ack_breach;
      const due = next === undefined ? '' : ` · ${loop.timers.update_breach === undefined ? 'acknowledge' : 'next update'} by ${formatDue(next, view.now, view.timeZone)}`;
      return `:red_circle: *${ticketRef(loop.ticketId, view.zendeskUrl)}*${subject} · ${tierLabel(loop.tier)} · ${stageLabel(loop.stage)} · ${ownerText(loop.owner, view.names, 'plain')}${due}`;
    });
    const packed = packLines(lines, { maxBlocks: LIMITS.messageBlocks - 4, maxChars: LIMITS.messageTextBudget, maxLines: MAX_LISTED, lineMax: 600 });
    blocks.push(sectionBlock(`*${views.length} live incident${views.length === 1 ? '' : 's'}*`), ...packed.blocks);
    if (packed.shown < lines.length) blocks.push(contextBlock(andMore(lines.length - packed.shown)));
  }
  blocks.push(contextBlock('Tickets of categories with flag_live_status while they are being worked on; solved or closed ones leave. Edited in place by cxloop.'));
  const ids = views.slice(0, MAX_LISTED).map((view) => `#${view.loop.ticketId}`);
  const more = views.length > MAX_LISTED ? ` ${andMore(views.length - MAX_LISTED)}` : '';
  const text = views.length === 0 ? 'Live incidents: none right now' : `Live incidents: ${ids.join(', ')}${more}`;
  return { text, blocks };
}
