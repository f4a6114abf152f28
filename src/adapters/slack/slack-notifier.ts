import type { LiveIncidents, LoopStore, Logger, Notifier, OutboxEntry, SlackOutbox } from '../../app/ports.js';
import type { Policy } from '../../config/policy-schema.js';
import { assertNever } from '../../core/assert-never.js';
import type { Effect, LoopPolicy, LoopState } from '../../core/loop/loop-types.js';
import { isLive } from '../../core/loop/transition.js';
import { LIVE_SUMMARY, parsePostedRef, pendingMark, pendingReplacing, pendingSince, type MessageKind, type OutboxItem, type PostedRef } from './slack-delivery.js';

/**
 * A message marked pending this recently but not found queued is taken as on its way: the attempt
 * that marked it has yet to queue it (its effect is still running). Older, the attempt failed.
 */
export const PENDING_GRACE_MS = 10_000;

/** The ticket's message is being queued by another attempt, or was just queued or posted: the effect is retried. */
export class SlackMessagePendingError extends Error {
  constructor(ticketId: number, kind: MessageKind) {
    super(`the ${kind} message of ticket ${ticketId} is being queued by another attempt; retrying`);
    this.name = 'SlackMessagePendingError';
  }
}

/**
 * Loop effects -> Slack outbox. Nothing is sent from here: items are queued per channel and the
 * SlackSender sends them at Slack's pace, rendering each from the loop as it is then.
 *   publish_status  card and status message edited in place (posted first if the ticket has none),
 *                   plus a threaded reply in the status channel for the change (and the live
 *                   incidents summary, for a live ticket)
 *   remind_owner    threaded reply under the card
 *   escalate        threaded reply under the card (broadcast from level 1, mentioning the user
 *                   group); the lead by DM and the escalation channel when the level names them
 *   incident        the incident channel
 *   csat_follow_up  threaded reply under the card
 *   live_status     the status channel's pinned summary of live incidents, edited in place
 */
export class SlackNotifier implements Notifier {
  constructor(
    private readonly options: {
      readonly outbox: SlackOutbox;
      readonly live: LiveIncidents;
      readonly loops: Pick<LoopStore, 'get'>;
      readonly policy: Policy;
      /** The loop's view of the policy: which categories flag live status. */
      readonly loopPolicy: LoopPolicy;
      readonly logger: Logger;
      readonly now: () => number;
    },
  ) {}

  async notify(ticketId: number, effect: Effect): Promise<void> {
    const [error] = await this.notifyAll(ticketId, [effect]);
    if (error) throw error;
  }

  /**
   * The loop is read once for all the effects, and what they queue goes to the outbox in one call
   * at the end: one round trip, all or nothing. An effect that fails queues nothing; the others go on.
   */
  async notifyAll(ticketId: number, effects: readonly Effect[]): Promise<Array<Error | null>> {
    const loop = (await this.options.loops.get(ticketId))?.state;
    if (!loop) return effects.map(() => null);
    const queued: OutboxEntry[] = [];
    const errors: Array<Error | null> = [];
    for (const effect of effects) {
      const before = queued.length;
      try {
        await this.collect(loop, effect, queued);
        errors.push(null);
      } catch (error) {
        queued.length = before;
        errors.push(error as Error);
      }
    }
    if (queued.length === 0) return errors;
    try {
      await this.options.outbox.enqueue(queued, this.options.now());
    } catch (error) {
      return errors.map((failed) => failed ?? (error as Error));
    }
    return errors;
  }

  private async collect(loop: LoopState, effect: Effect, queued: OutboxEntry[]): Promise<void> {
    const { policy } = this.options;
    const { ticketId } = loop;
    const team = policy.categories[loop.category].slack_channel;
    const status = policy.slack.status_channel;
    switch (effect.type) {
      case 'publish_status': {
        await this.ensure(loop, 'card', team, queued);
        if (status && !(await this.ensure(loop, 'status', status, queued))) queued.push(post(status, { k: 'reply', t: ticketId, on: 'status', fx: effect }));
        // A live incident's stage or owner changed: the summary shows them too.
        if (status && isLive(loop, this.options.loopPolicy)) queued.push({ channel: status, edit: LIVE_SUMMARY });
        return;
      }
      case 'remind_owner':
      case 'csat_follow_up':
        await this.ensure(loop, 'card', team, queued);
        queued.push(post(team, { k: 'reply', t: ticketId, on: 'card', fx: effect }));
        return;
      case 'escalate': {
        await this.ensure(loop, 'card', team, queued);
        const escalation = policy.teams[loop.team]?.escalation;
        if (effect.notify.includes('team_channel') || effect.notify.includes('usergroup')) queued.push(post(team, { k: 'reply', t: ticketId, on: 'card', fx: effect }));
        if (effect.notify.includes('lead')) this.postOrWarn(escalation?.lead_user_id ?? null, 'lead_user_id', loop, effect, queued);
        if (effect.notify.includes('escalation_channel')) this.postOrWarn(escalation?.escalation_channel ?? null, 'escalation_channel', loop, effect, queued);
        return;
      }
      case 'incident':
        this.postOrWarn(policy.slack.incident_channel, 'slack.incident_channel', loop, effect, queued);
        return;
      case 'live_status': {
        if (!status) {
          this.options.logger.log('warn', 'slack: live status not shown: slack.status_channel is not set in the policy', { ticketId, team: loop.team });
          return;
        }
        // The loop as it is now decides, not the effect: effects of one ticket may run out of order.
        await this.options.live.setLive(ticketId, isLive(loop, this.options.loopPolicy), loop.openedAt);
        queued.push({ channel: status, edit: LIVE_SUMMARY });
        return;
      }
      case 'schedule':
      case 'cancel': // timers
      case 'zendesk_note': // goes to Zendesk
      case 'thank_customer': // no Slack side
      case 'customer_update': // a public comment in Zendesk (the routes queue)
        return;
      default:
        return assertNever(effect, 'effect type');
    }
  }

  /**
   * Makes sure the ticket has its `kind` message in `channel`: queues the post when it has none
   * (true), otherwise asks for an edit (false). A reassigned ticket gets a new card in the new
   * team's channel, and its old card is edited to show where it went. Two attempts never both
   * queue a post: the mark is set only if absent, or replaced only if unchanged since read.
   */
  private async ensure(loop: LoopState, kind: MessageKind, channel: string, queued: OutboxEntry[]): Promise<boolean> {
    const { outbox } = this.options;
    const { ticketId } = loop;
    const item: OutboxItem = kind === 'card' ? { k: 'card', t: ticketId } : { k: 'parent', t: ticketId };
    if (await outbox.setMessageIfAbsent(ticketId, kind, pendingMark(this.options.now()))) {
      queued.push(post(channel, item));
      return true;
    }
    const value = (await outbox.messages(ticketId))[kind];
    if (value === undefined) throw new SlackMessagePendingError(ticketId, kind); // dropped in between: read again on the retry
    const since = pendingSince(value);
    if (since !== null) {
      if (!(await this.lost(ticketId, kind, since, channel, item, queued))) return false;
      // Queued again as the lost attempt would have: with the "moved" edit of the card it replaces.
      return this.replace(ticketId, kind, value, pendingReplacing(value), channel, item, queued);
    }
    const ref = parsePostedRef(value);
    if (ref && ref.configured !== channel) return this.replace(ticketId, kind, value, ref, channel, item, queued);
    if (ref) queued.push({ channel, edit: `${kind} ${ticketId}` });
    return false;
  }

  /**
   * Marks the message pending in place of `value`, if unchanged since read, and queues its post
   * after the "moved" edit of the card it replaces, if any.
   */
  private async replace(ticketId: number, kind: MessageKind, value: string, replacing: PostedRef | null, channel: string, item: OutboxItem, queued: OutboxEntry[]): Promise<true> {
    if (!(await this.options.outbox.replaceMessage(ticketId, kind, value, pendingMark(this.options.now(), replacing)))) throw new SlackMessagePendingError(ticketId, kind);
    if (replacing) queued.push({ channel: replacing.configured, edit: `moved ${ticketId} ${replacing.channel} ${replacing.ts}` });
    queued.push(post(channel, item));
    return true;
  }

  /**
   * Whether a message marked pending at `since` was never queued: the attempt that marked it
   * failed before its queueing (Redis gone in between, the process killed), and its effect is
   * being retried. Queued, it is on its way (false: the post shows the latest state). Marked
   * less than PENDING_GRACE_MS ago, the marking attempt may still be about to queue it: the
   * effect is retried after a back-off rather than risking a second post. (One Slack refused
   * for good, now a dead letter, is queued again by the ticket's next effect.)
   */
  private async lost(ticketId: number, kind: MessageKind, since: number, channel: string, item: OutboxItem, queued: readonly OutboxEntry[]): Promise<boolean> {
    const posted = JSON.stringify(item);
    // Queued by an earlier effect of the same call: on its way with them.
    if (queued.some((entry) => 'post' in entry && entry.channel === channel && entry.post === posted)) return false;
    if (await this.options.outbox.isQueued(channel, posted)) return false;
    if (this.options.now() - since < PENDING_GRACE_MS) throw new SlackMessagePendingError(ticketId, kind);
    return true;
  }

  private postOrWarn(channel: string | null, setting: string, loop: LoopState, effect: Effect, queued: OutboxEntry[]): void {
    if (channel) queued.push(post(channel, { k: 'message', t: loop.ticketId, fx: effect }));
    else this.options.logger.log('warn', `slack: ${effect.type} not posted: ${setting} is not set in the policy`, { ticketId: loop.ticketId, team: loop.team });
  }
}

function post(channel: string, item: OutboxItem): OutboxEntry {
  return { channel, post: JSON.stringify(item) };
}
