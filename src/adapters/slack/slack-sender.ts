import { idlePause, PollingLoop } from '../../app/polling-loop.js';
import type { ChannelClaim, Logger, SlackMetrics, SlackOutbox } from '../../app/ports.js';
import { SlackApiError } from './slack-api.js';
import { IN_DIGEST, type OutboxItem, type SlackDelivery } from './slack-delivery.js';

export interface SlackSenderOptions {
  readonly outbox: SlackOutbox;
  readonly delivery: SlackDelivery;
  readonly logger: Logger;
  readonly metrics?: SlackMetrics;
  /** Between two calls to one channel: Slack allows about one message per second per channel. */
  readonly intervalMs?: number;
  /** More than this many messages waiting in a channel are sent as digests instead of one by one. */
  readonly coalesceAbove?: number;
  /** Tickets per digest message (Block Kit limits keep a digest near 40 lines anyway). */
  readonly digestSize?: number;
  /** Channels worked on at once by this process. */
  readonly concurrency?: number;
  /** Real time: pacing is about Slack's clock, never an injected one. */
  readonly now?: () => number;
  /**
   * Longest wait between two looks at the outbox while nothing is due (default 1 s). A sender waits
   * until the first channel is due when that is sooner, and not at all once this process queues a
   * message; other processes' messages are their own senders' first.
   */
  readonly idleMs?: number;
}

const DEFAULTS = { intervalMs: 1_000, coalesceAbove: 5, digestSize: 40, concurrency: 4 };
/**
 * A channel claimed by a sender that then died is free again after this. A live sender renews it
 * every third of it while the channel's work runs (one Slack call, after the name look-ups its text
 * needs, each bounded: web-slack-api.ts, cached-people-directory.ts), so only a sender stalled for
 * longer (a frozen process, an event loop blocked) loses it; what it then tries to record is refused
 * (SlackOutbox.complete), so the sender that took the channel over sends what was not recorded.
 */
const LEASE_MS = 30_000;
/** After a failed round: the outbox or Slack may be back soon. */
const FAILURE_PAUSE_MS = 100;
/**
 * A message this process queues wakes one loop, at most this often: in a burst every enqueue
 * waking every loop made six claims per message (1,413 per 1,000 tickets against 228 when polling).
 */
const WAKE_EVERY_MS = 100;
/**
 * Idle, a sender looked every 100 ms: 40 claims a second per process (4 loops), most of an idle
 * worker's Redis calls. It now waits until the first channel is due, at most this long, and is
 * woken when its process queues something; only one of its loops waits so (PollingLoop), the
 * others until a loop claims a channel: one claim a second per idle process instead of 4.
 */
const IDLE_MS = 1_000;
const UNAVAILABLE_BACKOFF_MS = 5_000;
const AUTH_BACKOFF_MS = 60_000;
/** A rate limit without Retry-After: wait this long, doubled at each one in a row on the channel, up to the maximum. */
const RATE_LIMIT_BACKOFF_MS = 2_000;
const RATE_LIMIT_BACKOFF_MAX_MS = 60_000;

/**
 * Drains the Slack outbox one channel call at a time, at most one call per channel per interval:
 *   - queued messages first, in order; when more than `coalesceAbove` wait, the next
 *     `digestSize` go out as one digest message listing them;
 *   - else one pending edit (edits of one message are coalesced: only the latest state is sent);
 *   - a rate limit (HTTP 429 `ratelimited`, or an `ok: false` `rate_limited` answer) pauses only
 *     that channel, for Retry-After, or without one for a back-off doubling from 2 s to 60 s while
 *     the channel stays limited; an outage backs off; nothing is dropped
 *     except what Slack refuses for good (unknown channel, bad blocks), which goes to the dead
 *     letter list with Slack's reason.
 * A message is removed from the outbox only after Slack accepted it, so a crash re-sends rather than loses.
 */
export class SlackSender {
  private readonly settings: typeof DEFAULTS;
  private readonly now: () => number;
  private readonly loop: PollingLoop;
  /** Rate limits in a row without Retry-After, per channel (this process's back-off; cleared by a success). */
  private readonly limitedInARow = new Map<string, number>();

  constructor(private readonly options: SlackSenderOptions) {
    this.settings = {
      intervalMs: options.intervalMs ?? DEFAULTS.intervalMs,
      coalesceAbove: options.coalesceAbove ?? DEFAULTS.coalesceAbove,
      digestSize: options.digestSize ?? DEFAULTS.digestSize,
      concurrency: options.concurrency ?? DEFAULTS.concurrency,
    };
    this.now = options.now ?? Date.now;
    const idleMs = options.idleMs ?? IDLE_MS;
    this.loop = new PollingLoop({
      step: async (found) => {
        const round = await this.round(found);
        return round.worked ? 0 : idlePause(round.nextDueAt, this.now(), idleMs);
      },
      onError: (error) => options.logger.log('error', 'slack sender failed', { error: error.message }),
      failurePauseMs: FAILURE_PAUSE_MS,
      concurrency: this.settings.concurrency,
    });
    options.outbox.onQueued(() => {
      const now = Date.now();
      if (now - this.lastWake < WAKE_EVERY_MS) return;
      this.lastWake = now;
      this.loop.wakeOne();
    });
  }

  /** When a queued message last woke a loop (real time). */
  private lastWake = -Infinity;

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Works on one due channel; false when none is due. Exposed for tests that step the sender. */
  async step(): Promise<boolean> {
    return (await this.round()).worked;
  }

  /** Claims a due channel and works on it (saying `found` once it has one); with none due, says when the first will be. */
  private async round(found: () => void = () => undefined): Promise<{ readonly worked: true } | { readonly worked: false; readonly nextDueAt: number | null }> {
    const claimed = await this.options.outbox.claimOrNextDue(this.now(), LEASE_MS);
    if (claimed.channel === null) return { worked: false, nextDueAt: claimed.nextDueAt };
    found();
    const lease = new HeldLease(this.options.outbox, claimed, this.now, this.options.logger);
    try {
      await this.work(claimed.channel, () => lease.end());
    } finally {
      void lease.end();
    }
    return { worked: true };
  }

  /** `held`: the claim as renewed so far, renewing no more; what it records is refused if the lease was lost. */
  private async work(channel: string, held: () => Promise<ChannelClaim>): Promise<void> {
    const { outbox, delivery, logger } = this.options;
    const complete = async (sent: number, nextAt: number, done: string | null = null) => this.recorded(await outbox.complete(await held(), sent, nextAt, done), channel);
    const pause = async (until: number) => this.recorded(await outbox.pause(await held(), until), channel);
    const { intervalMs, coalesceAbove, digestSize } = this.settings;
    // One past the digest so a digest can tell whether more follow it.
    const waiting = await outbox.peek(channel, Math.max(coalesceAbove, digestSize) + 1);
    let edit: string | null = null;
    let kind: 'message' | 'digest' | 'edit' = waiting.length > coalesceAbove ? 'digest' : 'message';
    try {
      if (waiting.length > coalesceAbove) {
        const items = waiting.slice(0, digestSize).map(parseItem);
        const lines = await Promise.all(items.map((item) => delivery.digestLine(item)));
        const digestItems = lines.map((line) => ({ line }));
        // Only what the digest lists leaves the outbox; what did not fit goes in the next one.
        const listed = await delivery.postDigest(channel, digestItems, waiting.length > items.length);
        await markDigested(items.slice(0, listed), outbox);
        await complete(listed, this.now() + intervalMs);
        this.options.metrics?.digested(listed);
        this.options.metrics?.sent('digest', 'ok');
      } else if (waiting.length > 0) {
        await delivery.send(channel, parseItem(waiting[0]!));
        await complete(1, this.now() + intervalMs);
        this.options.metrics?.sent('message', 'ok');
      } else {
        kind = 'edit';
        edit = await outbox.takeEdit(channel);
        if (edit !== null) await delivery.edit(edit);
        await complete(0, this.now() + (edit === null ? 0 : intervalMs), edit);
        if (edit !== null) this.options.metrics?.sent('edit', 'ok');
      }
      this.limitedInARow.delete(channel);
    } catch (error) {
      // An edit Slack refused for good (message_not_found ...) is dropped, not retried every interval.
      const refused = error instanceof SlackApiError && error.code === 'REJECTED';
      if (edit !== null && !refused) await outbox.markEdit(channel, edit, this.now());
      if (!(error instanceof SlackApiError)) {
        await pause(this.now() + UNAVAILABLE_BACKOFF_MS);
        throw error;
      }
      logger.log(error.code === 'RATE_LIMITED' ? 'info' : 'warn', 'slack call failed', { channel, code: error.code, error: error.message });
      this.options.metrics?.sent(kind, error.code === 'RATE_LIMITED' ? 'rate_limited' : (error.code.toLowerCase() as 'unavailable' | 'rejected' | 'auth'));
      if (error.code === 'RATE_LIMITED') await pause(this.now() + (error.retryAfterMs ?? this.rateLimitBackoff(channel)));
      else if (error.code === 'UNAVAILABLE') await pause(this.now() + UNAVAILABLE_BACKOFF_MS);
      else if (error.code === 'AUTH') await pause(this.now() + AUTH_BACKOFF_MS);
      else if (edit === null && waiting.length > 0) {
        // Refused for good: keep it for an operator and go on with the rest of the channel.
        if (this.recorded(await outbox.deadLetter(await held(), error.message, this.now()), channel)) await complete(0, this.now() + intervalMs);
      } else await complete(0, this.now() + intervalMs, edit);
    }
  }

  /** Whether the outbox recorded the channel's work; it did not when the lease had run out (said in the log). */
  private recorded(done: boolean, channel: string): boolean {
    if (!done) this.options.logger.log('warn', 'slack channel lease lost before its work was recorded: the sender that took the channel over sends it again', { channel });
    return done;
  }

  /** The wait after a rate limit that named none: 2 s, 4 s, 8 s ... up to 60 s while they come in a row. */
  private rateLimitBackoff(channel: string): number {
    const inARow = (this.limitedInARow.get(channel) ?? 0) + 1;
    this.limitedInARow.set(channel, inARow);
    return Math.min(RATE_LIMIT_BACKOFF_MAX_MS, RATE_LIMIT_BACKOFF_MS * 2 ** (inARow - 1));
  }
}

/** Renews a claim every third of its lease until end(), which waits for a renewal in flight and answers the claim as renewed. */
class HeldLease {
  private claim: ChannelClaim;
  private renewal: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private ended: Promise<ChannelClaim> | null = null;

  constructor(
    private readonly outbox: SlackOutbox,
    claim: ChannelClaim,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {
    this.claim = claim;
    this.timer = setInterval(() => {
      this.renewal = this.renewal.then(() => this.renew());
    }, LEASE_MS / 3);
    this.timer.unref();
  }

  end(): Promise<ChannelClaim> {
    if (this.ended === null) {
      clearInterval(this.timer);
      this.ended = this.renewal.then(() => this.claim);
    }
    return this.ended;
  }

  private async renew(): Promise<void> {
    if (this.ended !== null) return;
    try {
      const renewed = await this.outbox.renew(this.claim, this.now() + LEASE_MS);
      // Lost: the claim stays as it was, and what the sender records with it is refused.
      if (renewed !== null) this.claim = renewed;
    } catch (error) {
      this.logger.log('warn', 'slack channel lease not renewed', { channel: this.claim.channel, error: (error as Error).message });
    }
  }
}

function parseItem(raw: string): OutboxItem {
  return JSON.parse(raw) as OutboxItem;
}

/** Tickets whose card or status message a digest stood in for get none: later edits skip them. */
async function markDigested(items: readonly OutboxItem[], outbox: SlackOutbox): Promise<void> {
  for (const item of items) {
    if (item.k === 'card') await outbox.setMessage(item.t, 'card', IN_DIGEST);
    if (item.k === 'parent') await outbox.setMessage(item.t, 'status', IN_DIGEST);
  }
}
