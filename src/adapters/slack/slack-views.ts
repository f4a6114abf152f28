import type { KnownBlock, View } from '@slack/types';
import type { Effect, LoopState } from '../../core/loop/loop-types.js';
import type { PersonNames } from '../../core/loop/person-ref.js';
import type { LoopFigures } from '../../core/loop/loop-figures.js';
import type { TicketBrief } from '../../app/ports.js';

/**
 * The view models the Slack renderers (slack-blocks.ts) turn into Block Kit, and the ids the
 * interaction handlers (slack-interactions.ts) listen for. Renderers are pure: same input, same
 * message; every piece of customer text (subject, excerpt, why) goes through untrustedInline.
 */

/** A Slack message as chat.postMessage / chat.update take it: `text` is the notification fallback. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly KnownBlock[];
}

/** Everything a ticket's card shows. `brief` is null for a ticket routed before briefs were kept. */
export interface CardView {
  readonly loop: LoopState;
  readonly brief: TicketBrief | null;
  /** https://<subdomain>.zendesk.com/agent/tickets/<id>, or null when no subdomain is configured. */
  readonly zendeskUrl: string | null;
  /** The same for another ticket (the requester's earlier ones); absent: those are not linked. */
  readonly ticketUrl?: (ticketId: number) => string | null;
  /** The owner team's time zone (IANA), for due times shown to people. */
  readonly timeZone: string;
  readonly now: number;
  /** Snooze choices offered, in minutes, already bounded by the policy (30 min .. max_snooze). */
  readonly snoozeMinutes: readonly number[];
  /** Names looked up for the people this view shows (the owner, people an update names); the rest show as ids. */
  readonly names: PersonNames;
}

/** Who an escalation level mentions, from the team's policy. */
export interface EscalationTargets {
  readonly usergroupId: string | null;
  readonly leadUserId: string | null;
}

/** One line of a digest: a ticket and what happened to it. */
export interface DigestItem {
  /** Already-rendered mrkdwn for this ticket's change (renderers escape customer text in it). */
  readonly line: string;
}

/** What App Home shows one viewer. */
export interface HomeData {
  readonly userId: string;
  /** The viewer's teams (policy members, admins see all). */
  readonly teams: readonly string[];
  readonly open: readonly CardView[];
  /** Open loops past an SLA (ack or resolve breached), a subset of `open`. */
  readonly breachedTicketIds: readonly number[];
  readonly week: LoopFigures;
  readonly now: number;
  /** A sign-in link to the web dashboard for this viewer (short-lived; App Home is re-published when opened). */
  readonly dashboardUrl?: string;
}

/** action_id / callback_id values: the interaction handlers and the renderers share them. */
export const ACTIONS = {
  acknowledge: 'cx_ack',
  take: 'cx_take',
  /** static_select; option value is minutes. */
  snooze: 'cx_snooze',
  /** button that opens the post-update modal. */
  postUpdate: 'cx_update',
  /** static_select; option value is a category id. */
  reassign: 'cx_reassign',
  /** link button to Zendesk (Slack still sends an interaction for it; it is acknowledged and ignored). */
  openTicket: 'cx_open',
  /** link button to the web dashboard on App Home (acknowledged and ignored, like openTicket). */
  openDashboard: 'cx_dashboard',
} as const;

export const UPDATE_MODAL = {
  callbackId: 'cx_update_modal',
  textBlock: 'cx_update_text',
  textAction: 'cx_update_text_input',
  etaBlock: 'cx_update_eta',
  /** static_select; option value is hours from now until the new ETA ("none" for no ETA). */
  etaAction: 'cx_update_eta_select',
} as const;

/** Renderers slack-blocks.ts exports (a helper builds them against this contract). */
export interface SlackRenderers {
  /** Team-channel card: subject, category, tier, why routed, SLA clock, Zendesk link, buttons. */
  ticketCard(view: CardView): SlackMessage;
  /** Public status channel parent message: stage, owner, next update by, ETA. */
  statusParent(view: CardView): SlackMessage;
  /** Threaded reply for one status change. */
  statusReply(view: CardView, effect: Extract<Effect, { type: 'publish_status' }>): SlackMessage;
  /** Threaded reply under the team card for an escalation; mentions per effect.notify. */
  escalationReply(view: CardView, effect: Extract<Effect, { type: 'escalate' }>, targets: EscalationTargets): SlackMessage;
  reminderReply(view: CardView, effect: Extract<Effect, { type: 'remind_owner' }>): SlackMessage;
  /** Threaded reply under the team card asking the owner to follow up with the customer (bad rating, reopen, feedback). */
  followUpReply(view: CardView, effect: Extract<Effect, { type: 'csat_follow_up' }>): SlackMessage;
  incidentMessage(view: CardView, effect: Extract<Effect, { type: 'incident' }>): SlackMessage;
  /** The status channel's pinned summary of live incidents (flag_live_status), edited in place. */
  liveSummary(views: readonly CardView[]): SlackMessage;
  /** `listed`: how many of `items` the message lists in full; the rest are only counted ("…and N more"). */
  digest(title: string, items: readonly DigestItem[]): SlackMessage & { readonly listed: number };
  updateModal(view: CardView): View;
  home(data: HomeData): View;
}
