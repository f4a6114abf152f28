import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pauseClock, resumeClock, retargetClock, startClock, dueAt, usedTime } from '../../../../src/core/sla/sla-clock.js';
import { addWorkingTime, workingTimeBetween, type WorkingHours } from '../../../../src/core/sla/working-hours.js';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const weekdays = { mon: '09:00-17:00', tue: '09:00-17:00', wed: '09:00-17:00', thu: '09:00-17:00', fri: '09:00-17:00' };
const berlin: WorkingHours = { timezone: 'Europe/Berlin', clock: 'business', weekly: weekdays, holidays: [] };
const newYorkNights: WorkingHours = { timezone: 'America/New_York', clock: 'business', weekly: { sun: '00:00-06:00', mon: '00:00-06:00' }, holidays: [] };
const calendar: WorkingHours = { timezone: 'UTC', clock: 'calendar', weekly: {}, holidays: [] };

describe('addWorkingTime', () => {
  it.each([
    { name: 'calendar clock: plain addition', hours: calendar, from: '2026-11-21T10:00:00Z', add: 30 * HOUR, due: '2026-11-22T16:00:00Z' },
    { name: 'within the day', hours: berlin, from: '2026-11-23T09:00:00Z', add: 2 * HOUR, due: '2026-11-23T11:00:00Z' },
    { name: 'before opening: starts at 09:00 local', hours: berlin, from: '2026-11-23T06:00:00Z', add: HOUR / 2, due: '2026-11-23T08:30:00Z' },
    { name: 'Friday 16:00 + 2h: over the weekend to Monday 10:00', hours: berlin, from: '2026-11-20T15:00:00Z', add: 2 * HOUR, due: '2026-11-23T09:00:00Z' },
    { name: 'from Saturday: Monday morning', hours: berlin, from: '2026-11-21T10:00:00Z', add: HOUR, due: '2026-11-23T09:00:00Z' },
    {
      name: 'a Monday holiday is skipped',
      hours: { ...berlin, holidays: ['2026-11-23'] },
      from: '2026-11-20T15:00:00Z',
      add: 2 * HOUR,
      due: '2026-11-24T09:00:00Z',
    },
    { name: 'exactly at closing moves to the next open day', hours: berlin, from: '2026-11-23T16:00:00Z', add: HOUR, due: '2026-11-24T09:00:00Z' },
    { name: 'Berlin is UTC+2 in summer', hours: berlin, from: '2026-07-06T07:00:00Z', add: HOUR, due: '2026-07-06T08:00:00Z' },
    // New York springs forward at 02:00 on Sunday 2026-03-08: the 00:00-06:00 window lasts 5 real hours.
    { name: 'DST spring forward: a short window', hours: newYorkNights, from: '2026-03-08T05:00:00Z', add: 6 * HOUR, due: '2026-03-09T05:00:00Z' },
    // ...and falls back on Sunday 2026-11-01: the same window lasts 7 real hours.
    { name: 'DST fall back: a long window', hours: newYorkNights, from: '2026-11-01T04:00:00Z', add: 7 * HOUR, due: '2026-11-01T11:00:00Z' },
  ])('$name', ({ hours, from, add, due }) => {
    expect(new Date(addWorkingTime(at(from), add, hours)).toISOString()).toBe(new Date(at(due)).toISOString());
  });

  it('refuses a calendar with no open time instead of looping forever', () => {
    expect(() => addWorkingTime(0, HOUR, { ...berlin, weekly: {} })).toThrow(RangeError);
  });
});

describe('workingTimeBetween', () => {
  it.each([
    { name: 'a whole business week', hours: berlin, from: '2026-11-23T00:00:00Z', to: '2026-11-30T00:00:00Z', expected: 40 * HOUR },
    { name: 'a weekend', hours: berlin, from: '2026-11-21T00:00:00Z', to: '2026-11-23T00:00:00Z', expected: 0 },
    { name: 'spring-forward night', hours: newYorkNights, from: '2026-03-08T00:00:00Z', to: '2026-03-08T23:00:00Z', expected: 5 * HOUR },
    { name: 'fall-back night', hours: newYorkNights, from: '2026-11-01T00:00:00Z', to: '2026-11-01T23:00:00Z', expected: 7 * HOUR },
    { name: 'backwards is zero', hours: calendar, from: '2026-11-23T00:00:00Z', to: '2026-11-22T00:00:00Z', expected: 0 },
  ])('$name', ({ hours, from, to, expected }) => {
    expect(workingTimeBetween(at(from), at(to), hours)).toBe(expected);
  });

  it('is the inverse of addWorkingTime, and both only move forward (property)', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) }),
        fc.integer({ min: 0, max: 200 * HOUR }),
        fc.constantFrom(...zones),
        fc.boolean(),
        (from, duration, timezone, withHoliday) => {
          const hours: WorkingHours = { ...berlin, timezone, holidays: withHoliday ? ['2026-12-25', '2027-01-01'] : [] };
          const due = addWorkingTime(from, duration, hours);
          expect(due).toBeGreaterThanOrEqual(from);
          expect(workingTimeBetween(from, due, hours)).toBe(duration);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('SLA clock', () => {
  it('pauses over pending time and keeps the time used when the target changes', () => {
    const monday9 = at('2026-11-23T08:00:00Z'); // 09:00 Berlin
    let clock = startClock(4 * HOUR, monday9);
    expect(dueAt(clock, berlin)).toBe(at('2026-11-23T12:00:00Z'));
    expect(dueAt(clock, berlin, HOUR)).toBe(at('2026-11-23T09:00:00Z'));
    // Pending from 10:00 to Tuesday 10:00 local: 1h used, the rest waits.
    clock = pauseClock(clock, at('2026-11-23T09:00:00Z'), berlin);
    expect(dueAt(clock, berlin)).toBeNull();
    expect(usedTime(clock, at('2026-11-24T09:00:00Z'), berlin)).toBe(HOUR);
    clock = resumeClock(clock, at('2026-11-24T09:00:00Z'));
    expect(dueAt(clock, berlin)).toBe(at('2026-11-24T12:00:00Z'));
    // Priority raised: 2h target, 1h already used -> due one working hour after resuming.
    clock = retargetClock(clock, 2 * HOUR);
    expect(dueAt(clock, berlin)).toBe(at('2026-11-24T10:00:00Z'));
    // Already over target: due at once, never before the clock started.
    expect(dueAt(retargetClock(clock, HOUR / 2), berlin)).toBe(at('2026-11-24T09:00:00Z'));
  });

  it('pausing or resuming twice changes nothing', () => {
    const clock = startClock(HOUR, 0);
    const paused = pauseClock(clock, HOUR / 2, calendar);
    expect(pauseClock(paused, HOUR, calendar)).toBe(paused);
    const resumed = resumeClock(paused, HOUR);
    expect(resumeClock(resumed, 2 * HOUR)).toBe(resumed);
  });
});
