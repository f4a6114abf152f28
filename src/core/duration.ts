/**
 * Durations as policy authors write them: "90s", "30m", "2h", "5d", "1h30m". Stored as minutes
 * (seconds are allowed but must add up to whole minutes, the granularity of every SLA here).
 */
const PART = /(\d+)\s*(d|h|m|s)/gy;
const UNIT_SECONDS = { d: 86_400, h: 3_600, m: 60, s: 1 } as const;

export type ParsedDuration = { ok: true; minutes: number } | { ok: false; reason: string };

export function parseDuration(text: string, options: { allowZero?: boolean } = {}): ParsedDuration {
  const compact = text.trim().toLowerCase().replace(/\s+/g, '');
  const hint = 'use e.g. 30m, 2h, 5d or 1h30m';
  if (compact.length === 0) return { ok: false, reason: `empty duration (${hint})` };
  PART.lastIndex = 0;
  let seconds = 0;
  let consumed = 0;
  for (let match = PART.exec(compact); match; match = PART.exec(compact)) {
    seconds += Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
    consumed = PART.lastIndex;
  }
  if (consumed !== compact.length) return { ok: false, reason: `invalid duration "${text}" (${hint})` };
  if (seconds % 60 !== 0) return { ok: false, reason: `duration "${text}" is not a whole number of minutes` };
  if (seconds === 0 && options.allowZero !== true) return { ok: false, reason: `duration "${text}" must be longer than zero` };
  return { ok: true, minutes: seconds / 60 };
}

/** Shortest readable form: 90 -> "1h30m", 1440 -> "1d". */
export function formatDuration(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const text = `${days > 0 ? `${days}d` : ''}${hours > 0 ? `${hours}h` : ''}${rest > 0 ? `${rest}m` : ''}`;
  return text.length > 0 ? text : '0m';
}

/**
 * A span as people read it in a sentence: "30 min", "2 h", "1 h 30 min", "48 h", "3 days".
 * Whole days from three days up, hours and minutes below (a 48 h SLA reads as policy authors write it).
 */
export function describeMinutes(minutes: number): string {
  const whole = Math.max(0, Math.round(minutes));
  if (whole >= 3 * 1440 && whole % 1440 === 0) return `${whole / 1440} days`;
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
