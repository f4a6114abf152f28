import { ticketCard, updateModal } from './slack-blocks-card.js';
import { digest } from './slack-blocks-digest.js';
import { home } from './slack-blocks-home.js';
import { liveSummary } from './slack-blocks-live.js';
import { escalationReply, followUpReply, incidentMessage, reminderReply, statusParent, statusReply } from './slack-blocks-thread.js';
import type { SlackRenderers } from './slack-views.js';

/**
 * The Slack renderers of slack-views.ts: pure functions from view models to Block Kit, split by
 * surface (card and modal, ticket threads, digest, App Home) with shared pieces in
 * slack-blocks-parts.ts.
 */
export { ticketCard, updateModal } from './slack-blocks-card.js';
export { digest } from './slack-blocks-digest.js';
export { home } from './slack-blocks-home.js';
export { liveSummary } from './slack-blocks-live.js';
export { escalationReply, followUpReply, incidentMessage, reminderReply, statusParent, statusReply } from './slack-blocks-thread.js';
/** The interaction handlers read a select's ticket from its actions block id. */
export { ticketBlockId, ticketIdFromBlockId } from './slack-blocks-parts.js';

export const slackRenderers: SlackRenderers = {
  ticketCard,
  statusParent,
  statusReply,
  escalationReply,
  reminderReply,
  followUpReply,
  incidentMessage,
  liveSummary,
  digest,
  updateModal,
  home,
};
