import type { LoopHistoryEntry } from '../../core/loop/loop-history.js';
import { TIMER_KINDS, type LoopState, type TimerKind } from '../../core/loop/loop-types.js';
import type { SlaClock } from '../../core/sla/sla-clock.js';
import { withoutTrailingDefaults, withTrailingDefaults } from './trailing-defaults.js';

/**
 * Compact wire forms of a loop's state and history entries: every open loop keeps one state and
 * its history in Redis, and the budget is 1.5 KB per loop with its timer. Positional arrays with
 * a leading format number; a new field is appended (older values decode it as absent) and a
 * changed meaning gets a new format number, decoded side by side with the old one.
 */
/**
 * Format 2: the points in time (clock starts, last update, solved, breach, snooze, timers) are
 * written as milliseconds after `openedAt`, which stays absolute: 6-7 digits instead of 13 each,
 * about 40 B less per loop. Format 1 (all absolute) is still read.
 */
const RELATIVE_FORMAT = 2;
const ABSOLUTE_FORMAT = 1;
/**
 * Format 3, as format 2's times, without the ticket id (the key names it), the fields an open
 * loop has at their defaults last and left off when they are, timers as [kind index, due ...],
 * and a clock that started at the opening and has used nothing as its target alone: a loop just
 * routed is about 110 B instead of 200.
 */
const STATE_FORMAT = 3;

type Clock = [number, number, number | null];
type WireState = [
  format: number,
  ticketId: number,
  version: number,
  stage: LoopState['stage'],
  category: LoopState['category'],
  tier: LoopState['tier'],
  team: string,
  owner: string | null,
  openedAt: number,
  zendeskStatus: LoopState['zendeskStatus'],
  ack: Clock,
  resolve: Clock,
  update: Clock,
  lastUpdateAt: number | null,
  solvedAt: number | null,
  escalationStep: number,
  escalationBreachAt: number | null,
  updateStep: number,
  resolveBreached: 0 | 1,
  snoozedUntil: number | null,
  timers: (number | null)[],
  reopens: number,
  csat: LoopState['csat'],
];
/** Format 3's fields after the timers, each at its default (STATE_DEFAULTS) left off at the end. */
type StateTail = [
  owner: string | null,
  lastUpdateAt: number | null,
  solvedAt: number | null,
  escalationStep: number,
  escalationBreachAt: number | null,
  updateStep: number,
  resolveBreached: 0 | 1,
  snoozedUntil: number | null,
  reopens: number,
  csat: LoopState['csat'],
];
const STATE_DEFAULTS: Readonly<StateTail> = [null, null, null, 0, null, 0, 0, null, 0, null];
type WireStateV3 = [
  format: number,
  version: number,
  stage: LoopState['stage'],
  category: LoopState['category'],
  tier: LoopState['tier'],
  team: string,
  openedAt: number,
  zendeskStatus: LoopState['zendeskStatus'],
  /** A bare number: [target, 0, 0], a clock running since the opening that has used nothing. */
  ack: Clock | number,
  resolve: Clock | number,
  update: Clock | number,
  /** [index in TIMER_KINDS, due, ...]. */
  timers: number[],
  ...Partial<StateTail>,
];

export function encodeLoopState(state: LoopState): string {
  const at = (time: number | null): number | null => (time === null ? null : time - state.openedAt);
  const clock = (sla: SlaClock): Clock | number => (sla.usedMs === 0 && sla.runningSince === state.openedAt ? sla.targetMs : [sla.targetMs, sla.usedMs, at(sla.runningSince)]);
  const tail: StateTail = [
    state.owner,
    at(state.lastUpdateAt),
    at(state.solvedAt),
    state.escalation.step,
    at(state.escalation.breachAt),
    state.updateStep,
    state.resolveBreached ? 1 : 0,
    at(state.snoozedUntil),
    state.reopens,
    state.csat,
  ];
  const wire = [
    STATE_FORMAT,
    state.version,
    state.stage,
    state.category,
    state.tier,
    state.team,
    state.openedAt,
    state.zendeskStatus,
    clock(state.ack),
    clock(state.resolve),
    clock(state.update),
    TIMER_KINDS.flatMap((kind, index) => {
      const due = state.timers[kind];
      return due === undefined ? [] : [index, due - state.openedAt];
    }),
    ...withoutTrailingDefaults(tail, STATE_DEFAULTS),
  ];
  return JSON.stringify(wire);
}

/** The state stored for `ticketId` (formats 1 and 2 name their ticket, which must be this one). */
export function decodeLoopState(text: string, ticketId: number): LoopState {
  const wire = JSON.parse(text) as WireState | WireStateV3;
  if (Array.isArray(wire) && wire[0] === STATE_FORMAT) return decodeFormat3(wire as WireStateV3, ticketId);
  if (!Array.isArray(wire) || (wire[0] !== RELATIVE_FORMAT && wire[0] !== ABSOLUTE_FORMAT)) throw new Error(`unknown loop state format ${String(Array.isArray(wire) ? wire[0] : typeof wire)}`);
  return decodeFormat3(asFormat3(wire as WireState, ticketId), ticketId);
}

/** A state of format 1 or 2 in format 3's wire form: the same fields, its times after the opening. */
function asFormat3(wire: WireState, ticketId: number): WireStateV3 {
  const [format, storedTicketId, version, stage, category, tier, team, owner, openedAt, zendeskStatus, ack, resolve, update, lastUpdateAt, solvedAt, step, breachAt, updateStep, resolveBreached, snoozedUntil, timers, reopens, csat] = wire;
  if (storedTicketId !== ticketId) throw new Error(`loop of ticket ${ticketId}: stored state belongs to ticket ${storedTicketId}`);
  const shift = format === RELATIVE_FORMAT ? 0 : openedAt;
  const after = (time: number | null): number | null => (time === null ? null : time - shift);
  const clock = ([targetMs, usedMs, runningSince]: Clock): Clock => [targetMs, usedMs, after(runningSince)];
  const pending = TIMER_KINDS.flatMap((_, index) => {
    const due = timers[index];
    return typeof due === 'number' ? [index, due - shift] : [];
  });
  return [STATE_FORMAT, version, stage, category, tier, team, openedAt, zendeskStatus, clock(ack), clock(resolve), clock(update), pending,
    owner, after(lastUpdateAt), after(solvedAt), step, after(breachAt), updateStep, resolveBreached, after(snoozedUntil), reopens, csat];
}

function decodeFormat3(wire: WireStateV3, ticketId: number): LoopState {
  const [, version, stage, category, tier, team, openedAt, zendeskStatus, ack, resolve, update, timers, ...given] = wire;
  const [owner, lastUpdateAt, solvedAt, step, breachAt, updateStep, resolveBreached, snoozedUntil, reopens, csat] = withTrailingDefaults(given, STATE_DEFAULTS);
  const at = (time: number | null): number | null => (time === null ? null : time + openedAt);
  const clockIn = (clock: Clock | number): SlaClock => (typeof clock === 'number' ? { targetMs: clock, usedMs: 0, runningSince: openedAt } : { targetMs: clock[0], usedMs: clock[1], runningSince: at(clock[2]) });
  const pending: Partial<Record<TimerKind, number>> = {};
  for (let index = 0; index + 1 < timers.length; index += 2) {
    const kind = TIMER_KINDS[timers[index]!];
    if (kind === undefined) throw new Error(`loop of ticket ${ticketId}: unknown timer kind ${timers[index]}`);
    pending[kind] = timers[index + 1]! + openedAt;
  }
  return {
    ticketId,
    version,
    stage,
    category,
    tier,
    team,
    owner,
    openedAt,
    zendeskStatus,
    ack: clockIn(ack),
    resolve: clockIn(resolve),
    update: clockIn(update),
    lastUpdateAt: at(lastUpdateAt),
    solvedAt: at(solvedAt),
    escalation: { step, breachAt: at(breachAt) },
    updateStep,
    resolveBreached: resolveBreached === 1,
    snoozedUntil: at(snoozedUntil),
    timers: pending,
    reopens,
    csat,
  };
}

/**
 * History entries as [at, version, event, stage, category, tier, team, actor, update, escalation,
 * followUp], an absent field null and the absent ones at the end left off: about 30 B less each
 * than the objects with one-letter keys written before, which are still read.
 */
const ENTRY_FIELDS = ['at', 'version', 'event', 'stage', 'category', 'tier', 'team', 'actor', 'update', 'escalation', 'followUp'] as const satisfies readonly (keyof LoopHistoryEntry)[];
/** The objects' keys, as written before. */
const ENTRY_KEYS = { at: 'a', version: 'v', event: 'e', actor: 'o', stage: 's', category: 'c', tier: 't', team: 'm', update: 'u', escalation: 'x', followUp: 'f' } as const;

export function encodeHistoryEntry(entry: LoopHistoryEntry): string {
  const fields = ENTRY_FIELDS.map((field) => entry[field] ?? null);
  return JSON.stringify(withoutTrailingDefaults(fields, ENTRY_FIELDS.map(() => null)));
}

export function decodeHistoryEntry(text: string): LoopHistoryEntry {
  const wire = JSON.parse(text) as unknown[] | Record<string, unknown>;
  const entry: Record<string, unknown> = {};
  for (const [index, field] of ENTRY_FIELDS.entries()) {
    const value = Array.isArray(wire) ? wire[index] : wire[ENTRY_KEYS[field]];
    if (value !== undefined && value !== null) entry[field] = value;
  }
  return entry as unknown as LoopHistoryEntry;
}
