import type { LoopPolicy, LoopState, Stage } from '../loop/loop-types.js';
import { dueAt } from '../sla/sla-clock.js';
import type { WorkingHours } from '../sla/working-hours.js';

/** What a status page shows of a loop: nothing about the customer, nothing internal. */
export interface StatusView {
  readonly ticketId: number;
  readonly stage: Stage;
  readonly lastUpdateAt: number;
  /** When the requester hears from the team next at the latest (the cadence deadline); null when nothing is planned. */
  readonly nextUpdateAt: number | null;
  /** When the ticket should be resolved (the resolve clock's target); null when paused, overdue or done. */
  readonly etaAt: number | null;
}

const CALENDAR: WorkingHours = { timezone: 'UTC', clock: 'calendar', weekly: {}, holidays: [] };

/** The status of a loop at `now`; `lastChangeAt` is its latest transition (its history's last entry). */
export function statusViewOf(state: LoopState, lastChangeAt: number, now: number, policy: LoopPolicy): StatusView {
  const open = state.stage === 'routed' || state.stage === 'acknowledged' || state.stage === 'follow_up';
  const next = state.stage === 'acknowledged' ? state.timers.update_breach : open ? state.timers.ack_breach : undefined;
  const eta = open ? dueAt(state.resolve, policy.teams[state.team]?.hours ?? CALENDAR) : null;
  return {
    ticketId: state.ticketId,
    stage: state.stage,
    lastUpdateAt: lastChangeAt,
    nextUpdateAt: next !== undefined && next > now ? next : null,
    etaAt: eta !== null && eta > now ? eta : null,
  };
}

/** The ETA a comment promises: the effect's own, unless it has passed. */
export function promisedEta(etaAt: number | null, now: number): number | null {
  return etaAt !== null && etaAt > now ? etaAt : null;
}
