import type { LiveIncidents, Logger, LoopStore, PeopleDirectory, SlackDirectory, SlackOutbox, TicketBriefs } from '../../app/ports.js';
import type { Policy } from '../../config/policy-schema.js';
import type { Effect, LoopPolicy, LoopState } from '../../core/loop/loop-types.js';
import { isLive } from '../../core/loop/transition.js';
import { peopleIn, type PersonNames } from '../../core/loop/person-ref.js';
import { categoryLabel } from '../../core/routing/describe-routing.js';
import { untrustedInline } from './mrkdwn.js';
import { SlackApiError, type SlackApi, type SlackMessageRef } from './slack-api.js';
import { slackRenderers as render } from './slack-blocks.js';
import { peopleText, stageLabel, ticketRef } from './slack-blocks-parts.js';
import { ordinal } from './slack-blocks-thread.js';
import type { CardView, DigestItem, SlackMessage } from './slack-views.js';

/**
 * What waits in a channel's outbox. Messages about a ticket are rendered when they are sent, from
 * the loop as it is then, so a backlog never posts a stale card and edits need no payload.
 *   card    the ticket's card in its team channel (buttons), edited in place afterwards
 *   parent  the ticket's one message in the public status channel, edited in place
 *   reply   a threaded reply under the card or the status message (escalation, reminder, change)
 *   message a message of its own (incident channel, escalation channel, the lead's DM)
 *   raw     a message rendered beforehand (the weekly digest)
 */
export type OutboxItem =
  | { readonly k: 'card'; readonly t: number }
  | { readonly k: 'parent'; readonly t: number }
  | { readonly k: 'reply'; readonly t: number; readonly on: MessageKind; readonly fx: Effect }
  | { readonly k: 'message'; readonly t: number; readonly fx: Effect }
  | { readonly k: 'raw'; readonly text: string; readonly blocks: SlackMessage['blocks']; readonly line: string };

/** A ticket's own messages: the team card and the status-channel parent. */
export type MessageKind = 'card' | 'status';

/**
 * Ref value while the message is queued: `pending@<ms>`, when it was marked (earlier releases
 * wrote a bare `pending`, read as marked long ago), followed for a reassigned ticket's new card by
 * the ref of the card it replaces (its "moved" edit is queued again should the post be). And the
 * value when a burst listed the ticket in a digest instead.
 */
const PENDING = 'pending';
export const IN_DIGEST = 'digest';

export function pendingMark(now: number, replacing: PostedRef | null = null): string {
  return replacing ? `${PENDING}@${now} ${replacing.configured} ${replacing.channel} ${replacing.ts}` : `${PENDING}@${now}`;
}

/** When a pending ref was marked (0 for a bare `pending`), or null for any other value. */
export function pendingSince(value: string | undefined): number | null {
  if (value === PENDING) return 0;
  if (!value?.startsWith(`${PENDING}@`)) return null;
  const at = Number(value.slice(PENDING.length + 1).split(' ', 1)[0]);
  return Number.isFinite(at) ? at : 0;
}

/** The posted message a pending ref's new card replaces (a reassignment), if any. */
export function pendingReplacing(value: string): PostedRef | null {
  return refOf(value.split(' ').slice(1));
}

/** A posted message: the channel as configured (to notice a reassignment), its id and ts. */
export interface PostedRef extends SlackMessageRef {
  readonly configured: string;
}

export function parsePostedRef(value: string | undefined): PostedRef | null {
  return value === undefined || pendingSince(value) !== null ? null : refOf(value.split(' '));
}

function refOf([configured, channel, ts]: readonly string[]): PostedRef | null {
  return configured && channel && ts ? { configured, channel, ts } : null;
}

/** Edit member of the status channel for the summary of live incidents (flag_live_status). */
export const LIVE_SUMMARY = 'live';
/** Live tickets read for the summary at most (it lists fewer; the rest are counted). */
const LIVE_READ_MAX = 500;

const SNOOZE_CHOICES_MINUTES = [30, 60, 120, 240, 480, 1440];

export interface SlackDeliveryOptions {
  readonly slack: SlackApi;
  readonly outbox: SlackOutbox;
  readonly live: LiveIncidents;
  readonly loops: Pick<LoopStore, 'get'>;
  readonly briefs: TicketBriefs;
  /** Where the channel ids Slack answers for "#name" channels are kept (the permission rule reads them). */
  readonly directory: Pick<SlackDirectory, 'rememberChannelId'>;
  /** Names of the people a message shows (looked up, cached; ids when a lookup fails). */
  readonly people: PeopleDirectory;
  readonly policy: Policy;
  readonly loopPolicy: LoopPolicy;
  readonly logger: Logger;
  /** Zendesk agent-UI base, e.g. https://acme.zendesk.com; null leaves tickets unlinked. */
  readonly zendeskBaseUrl: string | null;
  readonly now: () => number;
}

/** Renders outbox items from the current loop and sends them; the sender decides when. */
export class SlackDelivery {
  /** Channel ids this process has already remembered, so each is written once, not at every post. */
  private readonly remembered = new Map<string, string>();

  constructor(private readonly options: SlackDeliveryOptions) {}

  /**
   * Everything a card shows, or null when the ticket has no loop (expired, or never routed), with
   * the names of its owner and of `people` (those an effect's text refers to).
   */
  async viewOf(ticketId: number, loop?: LoopState, people: readonly string[] = []): Promise<CardView | null> {
    const state = loop ?? (await this.options.loops.get(ticketId))?.state;
    if (!state) return null;
    const { policy } = this.options;
    const maxSnoozeMinutes = policy.loop.max_snooze;
    const names = await this.namesOf(state.owner === null ? people : [state.owner, ...people]);
    return {
      loop: state,
      brief: await this.options.briefs.get(ticketId),
      zendeskUrl: this.ticketUrl(ticketId),
      ticketUrl: (id) => this.ticketUrl(id),
      timeZone: policy.teams[state.team]?.hours.timezone ?? 'UTC',
      now: this.options.now(),
      snoozeMinutes: SNOOZE_CHOICES_MINUTES.filter((minutes) => minutes <= maxSnoozeMinutes),
      names,
    };
  }

  private namesOf(people: readonly string[]): Promise<PersonNames> {
    return people.length === 0 ? Promise.resolve({}) : this.options.people.namesOf(people);
  }

  ticketUrl(ticketId: number): string | null {
    return this.options.zendeskBaseUrl ? `${this.options.zendeskBaseUrl}/agent/tickets/${ticketId}` : null;
  }

  /** The channel a ticket's card belongs in now (its category's team channel). */
  teamChannel(loop: LoopState): string {
    return this.options.policy.categories[loop.category].slack_channel;
  }

  /** Sends one item to `channel`. */
  async send(channel: string, item: OutboxItem): Promise<void> {
    const { slack, outbox } = this.options;
    if (item.k === 'raw') {
      await this.postTo(channel, { text: item.text, blocks: item.blocks });
      return;
    }
    const view = await this.viewOf(item.t, undefined, item.k === 'reply' || item.k === 'message' ? peopleOf(item.fx) : []);
    if (!view) return; // the loop is gone (30 days after its last change): nothing left to show
    if (item.k === 'card' || item.k === 'parent') {
      const kind: MessageKind = item.k === 'card' ? 'card' : 'status';
      const message = kind === 'card' ? render.ticketCard(view) : render.statusParent(view);
      const posted = await this.postTo(channel, message);
      await outbox.setMessage(item.t, kind, `${channel} ${posted.channel} ${posted.ts}`);
      return;
    }
    const message = this.renderEffect(view, item.fx);
    if (item.k === 'reply') {
      const parent = parsePostedRef((await outbox.messages(item.t))[item.on]);
      if (parent) {
        const broadcast = item.fx.type === 'escalate' && item.fx.level >= 1;
        await slack.post({ channel: parent.channel, threadTs: parent.ts, broadcast, ...message });
        return;
      }
    }
    // No message to thread under (a burst listed the ticket in a digest): the reply stands alone.
    await this.postTo(channel, message);
  }

  /** chat.postMessage to a channel as configured; the id Slack answers for a "#name" is remembered. */
  private async postTo(channel: string, message: SlackMessage): Promise<SlackMessageRef> {
    const posted = await this.options.slack.post({ channel, ...message });
    if (channel.startsWith('#') && posted.channel !== channel && this.remembered.get(channel) !== posted.channel) {
      // The message is sent: failing now would send it again. Not remembered, it is learnt at the next post.
      const saved = await this.options.directory.rememberChannelId(channel, posted.channel).then(
        () => true,
        () => false,
      );
      if (saved) this.remembered.set(channel, posted.channel);
    }
    return posted;
  }

  /**
   * One message standing in for many queued ones (a burst). Returns how many of `items` it lists:
   * those that did not fit stay queued (the caller sends them next), so the digest never hides one.
   */
  async postDigest(channel: string, items: readonly DigestItem[], moreWaiting: boolean): Promise<number> {
    const title = (count: number, more: boolean) => `${count} updates at once${more ? ' (more follow)' : ''}`;
    const { listed } = render.digest(title(items.length, true), items);
    const message = render.digest(title(listed, moreWaiting || listed < items.length), items.slice(0, listed));
    await this.postTo(channel, { text: message.text, blocks: message.blocks });
    return listed;
  }

  /**
   * Re-renders a ticket's card or status message and edits it in place. Members: "card <ticket>",
   * "status <ticket>", or "moved <ticket> <channel id> <ts>" for the card a reassignment left behind.
   */
  async edit(member: string): Promise<void> {
    if (member === LIVE_SUMMARY) return this.editLiveSummary();
    const [kind, id, channel, ts] = member.split(' ') as [MessageKind | 'moved', string, string?, string?];
    const ticketId = Number(id);
    const ref = kind === 'moved' ? (channel && ts ? { channel, ts } : null) : parsePostedRef((await this.options.outbox.messages(ticketId))[kind]);
    const view = ref ? await this.viewOf(ticketId) : null;
    if (!ref || !view) return; // still queued (the post will show the latest state), or in a digest
    const message = kind === 'status' ? render.statusParent(view) : render.ticketCard(view);
    await this.options.slack.update({ channel: ref.channel, ts: ref.ts, ...message });
  }

  /**
   * The status channel's summary of live incidents: posted by its first edit (then pinned, once),
   * chat.update afterwards. Tickets whose loop ended or left a flagging category are not shown.
   */
  private async editLiveSummary(): Promise<void> {
    const { slack, live, policy } = this.options;
    const channel = policy.slack.status_channel;
    if (channel === null) return;
    const { ids } = await live.liveTickets(LIVE_READ_MAX);
    const views = (await Promise.all(ids.map((id) => this.viewOf(id)))).filter((view): view is CardView => view !== null && isLive(view.loop, this.options.loopPolicy));
    const message = render.liveSummary(views);
    const [configured, channelId, ts, pinned] = ((await live.liveSummaryRef()) ?? '').split(' ');
    let ref: SlackMessageRef;
    if (configured === channel && channelId && ts) {
      ref = { channel: channelId, ts };
      await slack.update({ ...ref, ...message });
    } else {
      ref = await slack.post({ channel, ...message });
      await live.setLiveSummaryRef(`${channel} ${ref.channel} ${ref.ts} 0`);
    }
    if (configured !== channel || pinned !== '1') await this.pinLiveSummary(channel, ref);
  }

  /** pins.add once; a refusal (no pins:write, not in the channel) is logged and tried again with the next change. */
  private async pinLiveSummary(channel: string, ref: SlackMessageRef): Promise<void> {
    try {
      await this.options.slack.pin(ref);
      await this.options.live.setLiveSummaryRef(`${channel} ${ref.channel} ${ref.ts} 1`);
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      this.options.logger.log('warn', 'slack: the live incidents summary could not be pinned; it stays unpinned until the next change', { channel, code: error.code, error: error.message });
    }
  }

  /** One digest line for an item a burst coalesced (customer text escaped here). */
  async digestLine(item: OutboxItem): Promise<string> {
    if (item.k === 'raw') return item.line;
    const view = await this.viewOf(item.t, undefined, item.k === 'reply' || item.k === 'message' ? peopleOf(item.fx) : []);
    const ticket = ticketRef(item.t, this.ticketUrl(item.t));
    if (!view) return `${ticket} (no longer tracked)`;
    const subject = view.brief ? ` ${untrustedInline(view.brief.subject, 80)}` : '';
    const what = item.k === 'card' || item.k === 'parent' ? `${categoryLabel(view.loop.category)}, ${view.loop.tier}, ${view.loop.stage}` : describeEffect(item.fx, view.names);
    return `${ticket}${subject}: ${what}`;
  }

  private renderEffect(view: CardView, effect: Effect): SlackMessage {
    const team = this.options.policy.teams[view.loop.team];
    switch (effect.type) {
      case 'escalate':
        return render.escalationReply(view, effect, { usergroupId: team?.escalation.usergroup_id ?? null, leadUserId: team?.escalation.lead_user_id ?? null });
      case 'remind_owner':
        return render.reminderReply(view, effect);
      case 'publish_status':
        return render.statusReply(view, effect);
      case 'incident':
        return render.incidentMessage(view, effect);
      case 'csat_follow_up':
        return render.followUpReply(view, effect);
      default: {
        const text = `#${view.loop.ticketId}: ${describeEffect(effect, view.names)}`;
        return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
      }
    }
  }
}

/** People an effect's text refers to (status updates name who acted). */
function peopleOf(effect: Effect): string[] {
  return effect.type === 'publish_status' ? peopleIn(effect.text) : [];
}

/** A short account of an effect for a digest line; an update's text is escaped and its people named, not mentioned. */
export function describeEffect(effect: Effect, names: PersonNames = {}): string {
  switch (effect.type) {
    case 'escalate':
      return `escalated${effect.round > 0 ? ` (${ordinal(effect.round + 1)} reminder)` : ''}: ${untrustedInline(effect.reason, 200)}`;
    case 'remind_owner':
      return effect.about === 'acknowledge' ? 'reminder: acknowledgement due' : effect.about === 'follow_up' ? 'reminder: follow-up due' : 'reminder: status update due';
    case 'publish_status':
      return `${stageLabel(effect.stage)}: ${peopleText(effect.text, names, 'plain', 200)}`;
    case 'incident':
      return 'possible incident';
    case 'csat_follow_up':
      return effect.reason === 'detractor' ? 'follow-up: the customer rated it bad' : effect.reason === 'reopened' ? 'follow-up: the customer reopened it' : "follow-up: feedback on the customer's experience";
    case 'live_status':
      return effect.live ? 'live incident' : 'no longer a live incident';
    default:
      return effect.type;
  }
}
