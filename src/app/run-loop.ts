import { createHash } from 'node:crypto';
import { historyEntryOf } from '../core/loop/loop-history.js';
import type { LoopEvent, LoopPolicy, LoopState, TimerKind, Transition } from '../core/loop/loop-types.js';
import { openLoop, transition, type OpenLoopInput } from '../core/loop/transition.js';
import type { EffectQueue, LoopMetrics, LoopStore, LoopTimer, LoopTimers, Logger, PendingEffects, StoredLoop } from './ports.js';

export interface LoopDeps {
  readonly store: LoopStore;
  readonly timers: LoopTimers;
  readonly effects: EffectQueue;
  readonly policy: LoopPolicy;
  readonly metrics: LoopMetrics;
  readonly logger: Logger;
  readonly now: () => number;
}

export type LoopOutcome = 'applied' | 'rejected' | 'duplicate' | 'no_loop';

/** Concurrent commits on one ticket lost in a row before the job is retried later. */
const MAX_CONFLICTS = 100;
/** After a lost commit, wait up to this long (random, growing with the attempt) so contenders spread out. */
const CONFLICT_BACKOFF_MS = 5;
/**
 * Delivery keys a loop remembers: a delivery retried after its worker died is recognised though
 * this many others were applied in between (one Zendesk update sends several webhooks).
 */
const RECENT_DELIVERIES = 4;
/** Timers already due when the transition that set them commits, fired in a row at most (a safety bound). */
const MAX_CHAINED = 20;

/** Opens the loop of a ticket cxloop just routed; a second call for the same ticket does nothing. */
export async function openTicketLoop(input: OpenLoopInput, deps: LoopDeps): Promise<LoopOutcome> {
  return (await open(input, deps, false)).outcome;
}

/**
 * openTicketLoop for the event that has just won the ticket's routing claim, so no loop can be
 * there yet: the loop is not read first (the commit, on "no version yet", is refused if one is
 * there after all, and then it is read). Returns the loop as committed, or as found, so the
 * caller need not read back what it has just written.
 */
export async function openClaimedTicketLoop(input: OpenLoopInput, deps: LoopDeps): Promise<StoredLoop | null> {
  return (await open(input, deps, true)).loop;
}

function open(input: OpenLoopInput, deps: LoopDeps, absent: boolean): Promise<Advanced> {
  const step: Step = (stored, now) => (stored ? 'duplicate' : openLoop(input, now, deps.policy));
  return advance(input.ticketId, 'opened', `open-${input.ticketId}`, deps, step, { chained: 0 }, absent ? { known: null } : undefined);
}

/**
 * Applies the loop events one delivery carried, in order. `key` identifies the delivery: its
 * events are applied once even if the delivery is handled again after a crash.
 */
export async function applyLoopEvents(ticketId: number, events: readonly LoopEvent[], deliveryKey: string, deps: LoopDeps): Promise<LoopOutcome[]> {
  const key = compactDeliveryKey(deliveryKey);
  const outcomes: LoopOutcome[] = [];
  for (const [index, event] of events.entries()) {
    const eventKey = events.length === 1 ? key : `${key}#${index}`;
    const advanced = await advance(ticketId, event, eventKey, deps, (stored, now) => {
      if (!stored) return null;
      if (alreadyApplied(stored.eventKeys, key, index, events.length)) return 'duplicate';
      return transition(stored.state, event, now, deps.policy);
    });
    outcomes.push(advanced.outcome);
  }
  return outcomes;
}

/** A timer job fired: applies it if the loop still waits for that timer at that time. */
export async function fireLoopTimer(ticketId: number, timer: LoopTimer, deps: LoopDeps): Promise<LoopOutcome> {
  return (await fireTimer(ticketId, timer, deps, { timer, chained: 0 })).outcome;
}

function fireTimer(ticketId: number, timer: LoopTimer, deps: LoopDeps, firing: Firing): Promise<Advanced> {
  const event: LoopEvent = { type: 'timer', kind: timer.kind, dueAt: timer.at };
  return advance(ticketId, event, timerKey(ticketId, timer), deps, (stored, now) => (stored ? transition(stored.state, event, now, deps.policy) : null), firing);
}

const KIND_CODES: Readonly<Record<TimerKind, string>> = {
  ack_remind: 'ar',
  ack_breach: 'ab',
  escalate: 'es',
  update_remind: 'ur',
  update_breach: 'ub',
  resolve_breach: 'rb',
  verify_end: 've',
};

/**
 * Deterministic key of a timer, its member in the timer schedule (and the job id of an older
 * release's delayed job): t-<ticket>-<kind>-<due>, ticket and due time in base 36 and the kind as
 * two letters, about 17 bytes. parseTimerKey() reads one back.
 */
export function timerKey(ticketId: number, timer: LoopTimer): string {
  // Rounded up: a fractional due time (never from Date.now) is not released before it is due.
  return `t-${ticketId.toString(36)}-${KIND_CODES[timer.kind]}-${Math.ceil(timer.at).toString(36)}`;
}

/** The ticket, kind and due time a timer key names, or null for another string. */
export function parseTimerKey(key: string): { ticketId: number; timer: LoopTimer } | null {
  const match = /^t-([0-9a-z]+)-([a-z]{2})-([0-9a-z]+)$/.exec(key);
  const kind = match ? (Object.keys(KIND_CODES) as TimerKind[]).find((candidate) => KIND_CODES[candidate] === match[2]) : undefined;
  if (!match || !kind) return null;
  return { ticketId: parseInt(match[1]!, 36), timer: { kind, at: parseInt(match[3]!, 36) } };
}

type Step = (stored: StoredLoop | null, now: number) => Transition | 'duplicate' | null;

/** What a transition came to, and the loop after it: as committed when applied, else as read. */
interface Advanced {
  readonly outcome: LoopOutcome;
  readonly loop: StoredLoop | null;
}

/** The transition's own timer, when a timer job runs it, and how many due timers were chained before. */
interface Firing {
  readonly timer?: LoopTimer;
  readonly chained: number;
}

/**
 * One transition, optimistically: read, compute, commit on the version read; on a conflict (another
 * worker committed first) read again and recompute, so neither event is lost. The next timer is
 * scheduled before the commit and the replaced one cancelled after it: a crash in between leaves an
 * extra wake-up that finds nothing due, never a loop without one. Nor does a commit that comes
 * back to the timer an earlier one replaced, while that one's worker has yet to cancel it
 * (cancelReplaced).
 *
 * A next timer that is already due (an escalation level 0 minutes after the breach) is fired here,
 * right after the commit. Its job, queued before the commit, may have run first and found nothing
 * due in the state it read, so left to the job alone that timer could be lost.
 */
async function advance(
  ticketId: number,
  event: LoopEvent | 'opened',
  key: string,
  deps: LoopDeps,
  step: Step,
  firing: Firing = { chained: 0 },
  /** The loop as the caller knows it to be (the first attempt does not read it; a conflict does). */
  first?: { readonly known: StoredLoop | null },
): Promise<Advanced> {
  const name = event === 'opened' ? 'opened' : event.type === 'timer' ? `timer:${event.kind}` : event.type;
  for (let attempt = 0; attempt < MAX_CONFLICTS; attempt += 1) {
    const stored = attempt === 0 && first ? first.known : await deps.store.get(ticketId);
    const now = deps.now();
    const result = step(stored, now);
    if (result === null) return { outcome: 'no_loop', loop: stored };
    if (result === 'duplicate') {
      // A retried delivery: if its first run died between commit and queueing, finish that now.
      // Only what its own commit parked: fresher entries are most likely being queued right now by
      // their worker (a later commit's leftover picks them up if not).
      await queueEffects(await deps.store.parkedEffects(ticketId, key), deps);
      deps.metrics.transition(name, 'duplicate');
      return { outcome: 'duplicate', loop: stored };
    }
    if (!result.ok) {
      deps.metrics.transition(name, 'rejected');
      deps.logger.log('debug', 'loop event rejected', { ticketId, event: name, reason: result.reason });
      return { outcome: 'rejected', loop: stored };
    }
    const before = nextTimer(stored?.state.timers ?? {});
    const after = nextTimer(result.state.timers);
    const foundWaiting = after !== null && !sameTimer(before, after) && !(await deps.timers.schedule(ticketId, after));
    const outward = result.effects.filter((effect) => effect.type !== 'schedule' && effect.type !== 'cancel');
    const entry = historyEntryOf(event, result.state, result.effects, now);
    // A delivery's key joins the loop's recent ones; a timer or the opening needs none (their steps
    // check the state itself), so a busy loop's timers never push a delivery's key out.
    const delivery = event !== 'opened' && event.type !== 'timer';
    const eventKeys = delivery ? [key, ...(stored?.eventKeys ?? [])].slice(0, RECENT_DELIVERIES) : (stored?.eventKeys ?? []);
    const commit = await deps.store.commit({ state: result.state, entry, eventKey: key, eventKeys, effects: outward });
    if (!commit.committed) {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * CONFLICT_BACKOFF_MS * Math.min(attempt + 1, 10)));
      continue;
    }
    if (before && !sameTimer(before, after) && !sameTimer(before, firing.timer)) await cancelReplaced(ticketId, before, deps);
    // Found waiting: an earlier commit scheduled it and then replaced it, so that commit's worker
    // may cancel it after this schedule. Added again now that this commit stands (see cancelReplaced).
    if (foundWaiting) await deps.timers.schedule(ticketId, after);
    const pending = outward.length > 0 ? [...commit.leftover, { ticketId, version: result.state.version, effects: outward }] : commit.leftover;
    await queueEffects(pending, deps);
    record(name, stored?.state ?? null, result.state, entry, deps.metrics);
    const committed: StoredLoop = { state: result.state, eventKeys };
    // Now, not the transition's `now`: a timer that fell due while this commit was on its way may
    // have been claimed by a poller that read the state before it, found it stale and dropped it.
    if (after && after.at <= deps.now() && firing.chained < MAX_CHAINED) {
      const chained = await fireTimer(ticketId, after, deps, { chained: firing.chained + 1 });
      return { outcome: 'applied', loop: chained.loop };
    }
    return { outcome: 'applied', loop: committed };
  }
  throw new Error(`ticket ${ticketId}: lost ${MAX_CONFLICTS} commits in a row to concurrent changes; the job will retry`);
}

/**
 * Cancels the timer a commit replaced. A later commit may have come back to that very timer (the
 * same kind and time: a ticket recategorised and back within one team) while it still waited, so
 * its schedule added nothing and this cancel would leave the loop without its wake-up. The loop is
 * read after the cancel and the timer put back if it is again the loop's next: a commit the read
 * missed comes after the cancel, and adds it again itself (advance's `foundWaiting`).
 */
async function cancelReplaced(ticketId: number, timer: LoopTimer, deps: LoopDeps): Promise<void> {
  await deps.timers.cancel(ticketId, timer);
  const current = await deps.store.get(ticketId);
  if (current && sameTimer(timer, nextTimer(current.state.timers))) await deps.timers.schedule(ticketId, timer);
}

async function queueEffects(pending: readonly PendingEffects[], deps: LoopDeps): Promise<void> {
  for (const effects of pending) {
    await deps.effects.enqueue(effects);
    await deps.store.clearOutbox(effects.ticketId, effects.version);
  }
}

function record(name: string, before: LoopState | null, after: LoopState, entry: ReturnType<typeof historyEntryOf>, metrics: LoopMetrics): void {
  metrics.transition(name, 'applied');
  if (before?.stage !== after.stage) metrics.stageEntered(after.stage);
  if (entry.update) metrics.statusUpdate(entry.update);
  if (entry.escalation !== undefined) metrics.escalation(entry.escalation);
}

/** The earliest pending timer: the one wake-up a loop needs (ties: the first kind in the state). */
export function nextTimer(timers: Readonly<Partial<Record<TimerKind, number>>>): LoopTimer | null {
  let next: LoopTimer | null = null;
  for (const [kind, at] of Object.entries(timers) as [TimerKind, number][]) {
    if (next === null || at < next.at) next = { kind, at };
  }
  return next;
}

function sameTimer(a: LoopTimer | null, b: LoopTimer | null | undefined): boolean {
  return a !== null && b !== null && b !== undefined && a.kind === b.kind && a.at === b.at;
}

/** Was event `index` of the delivery `key` already applied? Its events are applied in order. */
/** Delivery keys longer than this are stored as a digest: the loop keeps one per open ticket, and only equality matters. */
const MAX_DELIVERY_KEY = 22;

/** A webhook's "zen:<uuid>"-style key -> 22 base64url characters of its SHA-256 (132 bits); short keys as they are. */
export function compactDeliveryKey(key: string): string {
  return key.length <= MAX_DELIVERY_KEY ? key : createHash('sha256').update(key).digest('base64url').slice(0, MAX_DELIVERY_KEY);
}

function alreadyApplied(recentKeys: readonly string[], key: string, index: number, count: number): boolean {
  if (count === 1) return recentKeys.includes(key);
  return recentKeys.some((recent) => recent.startsWith(`${key}#`) && Number(recent.slice(key.length + 1)) >= index);
}
