import { TZDate } from '@date-fns/tz';
import { addDays } from 'date-fns/addDays';

/**
 * When a team's SLA clocks run: around the clock (`calendar`) or only within weekly hours in the
 * team's time zone, minus holidays (`business`). Same shape as a policy file's `teams.<id>.hours`.
 */
export interface WorkingHours {
  readonly timezone: string;
  readonly clock: 'calendar' | 'business';
  /** "HH:MM-HH:MM" per day (mon..sun); missing or null = closed. */
  readonly weekly: Readonly<Partial<Record<Weekday, string | null>>>;
  /** Local dates (YYYY-MM-DD) on which the team does not work. */
  readonly holidays: readonly string[];
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** Ten years of closed days: a guard against a calendar with no open time left, never reached by a valid policy. */
const MAX_DAYS = 3_660;

/** The open window [start, end) of the local day containing `at`, as epoch ms, or null if closed. */
function windowOf(day: TZDate, hours: WorkingHours): { start: number; end: number } | null {
  const date = `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
  if (hours.holidays.includes(date)) return null;
  const range = hours.weekly[WEEKDAYS[day.getDay()]!];
  if (!range) return null;
  const [from, to] = range.split('-') as [string, string];
  const at = (clock: string) => {
    const [hh, mm] = clock.split(':').map(Number) as [number, number];
    // Wall-clock time in the team's zone: across a DST change the window is shorter or longer in real time.
    return new TZDate(day.getFullYear(), day.getMonth(), day.getDate(), hh, mm, 0, 0, hours.timezone).getTime();
  };
  return { start: at(from), end: at(to) };
}

function startOfLocalDay(at: number, timezone: string): TZDate {
  const local = new TZDate(at, timezone);
  return new TZDate(local.getFullYear(), local.getMonth(), local.getDate(), 0, 0, 0, 0, timezone);
}

/** The instant `durationMs` of working time after `from`. */
export function addWorkingTime(from: number, durationMs: number, hours: WorkingHours): number {
  if (hours.clock === 'calendar' || durationMs <= 0) return from + Math.max(0, durationMs);
  let remaining = durationMs;
  let day = startOfLocalDay(from, hours.timezone);
  for (let index = 0; index < MAX_DAYS; index += 1) {
    const window = windowOf(day, hours);
    if (window) {
      const start = Math.max(window.start, from);
      if (start < window.end) {
        if (remaining <= window.end - start) return start + remaining;
        remaining -= window.end - start;
      }
    }
    day = addDays(day, 1);
  }
  throw new RangeError('working hours have no open time in the next ten years');
}

/** Working time between two instants (0 if `to` is not after `from`). */
export function workingTimeBetween(from: number, to: number, hours: WorkingHours): number {
  if (to <= from) return 0;
  if (hours.clock === 'calendar') return to - from;
  let total = 0;
  let day = startOfLocalDay(from, hours.timezone);
  for (let index = 0; index < MAX_DAYS && day.getTime() < to; index += 1) {
    const window = windowOf(day, hours);
    if (window) total += Math.max(0, Math.min(window.end, to) - Math.max(window.start, from));
    day = addDays(day, 1);
  }
  return total;
}

const pad = (value: number) => String(value).padStart(2, '0');
