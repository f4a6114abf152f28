import { addWorkingTime, workingTimeBetween, type WorkingHours } from './working-hours.js';

/**
 * One SLA clock (acknowledge, act, verify): a target in working time, the working time already
 * used, and whether it runs. Pending/on-hold pause the act clock; a new category or priority
 * changes the target without losing what was used. Pure values: every operation returns a new clock.
 */
export interface SlaClock {
  readonly targetMs: number;
  /** Working time used up to `runningSince` (or in total while paused). */
  readonly usedMs: number;
  /** Epoch ms the clock last started running; null while paused. */
  readonly runningSince: number | null;
}

export function startClock(targetMs: number, now: number): SlaClock {
  return { targetMs, usedMs: 0, runningSince: now };
}

export function pauseClock(clock: SlaClock, now: number, hours: WorkingHours): SlaClock {
  if (clock.runningSince === null) return clock;
  return { ...clock, usedMs: clock.usedMs + workingTimeBetween(clock.runningSince, now, hours), runningSince: null };
}

export function resumeClock(clock: SlaClock, now: number): SlaClock {
  return clock.runningSince === null ? { ...clock, runningSince: now } : clock;
}

export function retargetClock(clock: SlaClock, targetMs: number): SlaClock {
  return { ...clock, targetMs };
}

/** Working time used so far. */
export function usedTime(clock: SlaClock, now: number, hours: WorkingHours): number {
  return clock.runningSince === null ? clock.usedMs : clock.usedMs + workingTimeBetween(clock.runningSince, now, hours);
}

/**
 * When `targetMs` of working time (default: the clock's target; a remind offset passes its own)
 * will have been used, or null while paused. Never earlier than the moment the clock last started.
 */
export function dueAt(clock: SlaClock, hours: WorkingHours, targetMs: number = clock.targetMs): number | null {
  if (clock.runningSince === null) return null;
  return addWorkingTime(clock.runningSince, Math.max(0, targetMs - clock.usedMs), hours);
}
