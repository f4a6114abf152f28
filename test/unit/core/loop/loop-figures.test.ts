import { describe, expect, it } from 'vitest';
import { loopFigures, type FigureWindow, type LoopFigures } from '../../../../src/core/loop/loop-figures.js';
import type { LoopHistoryEntry } from '../../../../src/core/loop/loop-history.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 10, 2, 9, 0);
const NOW = T0 + 100 * HOUR;
const WINDOW: FigureWindow = { since: T0, now: NOW };

/** What a step changes besides its time and event; stage, category, tier and team carry over. */
type Change = Partial<Omit<LoopHistoryEntry, 'at' | 'version' | 'event'>>;
interface Step extends Change {
  /** Ms after the loop was opened. */
  readonly after: number;
  readonly event: string;
}

/** A loop's history: 'opened' (routed, billing_issue / billing / normal unless `opened` says otherwise) then `steps`. */
function loop(openedAt: number, steps: readonly Step[] = [], opened: Change = {}): LoopHistoryEntry[] {
  const first: LoopHistoryEntry = { at: openedAt, version: 1, event: 'opened', stage: 'routed', category: 'billing_issue', tier: 'normal', team: 'billing', ...opened };
  const entries = [first];
  for (const { after, event, ...change } of steps) {
    const previous = entries[entries.length - 1]!;
    const carried = { stage: previous.stage, category: previous.category, tier: previous.tier, team: previous.team };
    entries.push({ ...carried, ...change, at: openedAt + after, version: previous.version + 1, event });
  }
  return entries;
}

const at = (hours: number): number => hours * HOUR;
const ack = (hours: number, change: Change = {}): Step => ({ after: at(hours), event: 'acknowledge', stage: 'acknowledged', ...change });
const solve = (hours: number): Step => ({ after: at(hours), event: 'status:solved', stage: 'acted' });
const close = (hours: number): Step => ({ after: at(hours), event: 'status:closed', stage: 'closed' });
const timer = (kind: string, hours: number, change: Change = {}): Step => ({ after: at(hours), event: `timer:${kind}`, ...change });
const manualUpdate = (minutes: number): Step => ({ after: minutes * MIN, event: 'post_update', update: 'manual' });
const overdueUpdate = (hours: number): Step => timer('update_breach', hours, { update: 'overdue' });
const reopen = (hours: number): Step => ({ after: at(hours), event: 'status:open', stage: 'follow_up', followUp: 'reopened' });
const badCsat = (hours: number): Step => ({ after: at(hours), event: 'csat:bad', stage: 'follow_up', followUp: 'detractor' });

/** Every number anywhere in a value (to prove no NaN or Infinity leaks into the figures). */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
  return [];
}

describe('loopFigures', () => {
  it('counts a ticket solved without an explicit acknowledgement as handled when it was solved', () => {
    const figures = loopFigures([loop(T0, [solve(1)]), loop(T0, [timer('ack_breach', 2), solve(5)])], WINDOW);
    expect(figures.acknowledgedWithin2h).toEqual({ count: 1, of: 2, share: 0.5 });
    expect(figures.acknowledgedWithin6h).toEqual({ count: 2, of: 2, share: 1 });
    expect(figures.sla.overall.ack).toEqual({ count: 1, of: 2, share: 0.5 });
  });

  it('counts acknowledgements within 2 h and 6 h, leaving loops whose deadline is still ahead out', () => {
    const figures = loopFigures(
      [
        loop(T0, [ack(1)]), // both targets met
        loop(T0, [ack(3)]), // 6 h only
        loop(NOW - at(1)), // not acknowledged, 1 h old: pending for both
        loop(NOW - at(4)), // not acknowledged, 4 h old: a 2 h miss, pending for 6 h
        loop(NOW - at(10)), // not acknowledged, 10 h old: a miss for both
      ],
      WINDOW,
    );
    expect(figures.acknowledgedWithin2h).toEqual({ count: 1, of: 4, share: 0.25 });
    expect(figures.acknowledgedWithin6h).toEqual({ count: 2, of: 3, share: 2 / 3 });
  });

  it('counts an acknowledgement exactly at the deadline as met, and a deadline at exactly now as pending', () => {
    const figures = loopFigures([loop(T0, [ack(2)]), loop(NOW - at(2))], WINDOW);
    expect(figures.acknowledgedWithin2h).toEqual({ count: 1, of: 1, share: 1 });
  });

  it('counts loops solved, verified or closed within 48 h', () => {
    const figures = loopFigures(
      [
        loop(T0, [ack(1), solve(30), { after: at(40), event: 'csat:good', stage: 'verified' }]), // met
        loop(T0, [close(47)]), // closed without acknowledgement: met
        loop(T0, [ack(1), solve(60)]), // late
        loop(T0, [ack(1)]), // never solved, 100 h old: missed
        loop(NOW - at(20), [ack(1)]), // 20 h old: pending
      ],
      WINDOW,
    );
    expect(figures.closedWithin48h).toEqual({ count: 2, of: 4, share: 0.5 });
  });

  it('misses the acknowledge SLA on an ack breach before the first acknowledgement only', () => {
    const figures = loopFigures(
      [
        loop(T0, [timer('ack_breach', 4), ack(5)]), // missed
        loop(T0, [ack(1), solve(10), badCsat(12), timer('ack_breach', 40)]), // breach of the follow-up: still met
        loop(T0, [timer('ack_remind', 1)]), // no ack, no breach yet: pending
        loop(T0, [timer('ack_breach', 4)]), // no ack, breached: missed
      ],
      WINDOW,
    );
    expect(figures.sla.overall.ack).toEqual({ count: 1, of: 3, share: 1 / 3 });
    expect(figures.sla.overall.loops).toBe(4);
  });

  it('meets the resolve target without a resolve breach, counting only solved or breached loops', () => {
    const figures = loopFigures(
      [
        loop(T0, [ack(1), solve(10)]), // met
        loop(T0, [ack(1), timer('resolve_breach', 24), solve(30)]), // missed
        loop(T0, [ack(1)]), // open, no breach: pending
        loop(T0, [ack(1), timer('resolve_breach', 24)]), // open, breached: missed
        loop(T0, [close(2)]), // closed: met
      ],
      WINDOW,
    );
    expect(figures.sla.overall.resolve).toEqual({ count: 2, of: 4, share: 0.5 });
  });

  it('groups SLA adherence by the category, team and tier of the last entry', () => {
    const reassigned = loop(T0, [
      timer('ack_breach', 4),
      { after: at(5), event: 'recategorised', category: 'bug_report', team: 'engineering' },
      { after: at(6), event: 'reprioritised', tier: 'high' },
      ack(7),
      solve(10),
    ]);
    const stays = loop(T0, [ack(1), solve(10)]);
    const figures = loopFigures([reassigned, stays], WINDOW);
    expect(figures.sla.byTeam).toEqual([
      { key: 'billing', loops: 1, ack: { count: 1, of: 1, share: 1 }, resolve: { count: 1, of: 1, share: 1 } },
      { key: 'engineering', loops: 1, ack: { count: 0, of: 1, share: 0 }, resolve: { count: 1, of: 1, share: 1 } },
    ]);
    expect(figures.sla.byCategory.map((row) => [row.key, row.loops, row.ack.count])).toEqual([
      ['billing_issue', 1, 1],
      ['bug_report', 1, 0],
    ]);
    expect(figures.sla.byTier.map((row) => [row.key, row.loops, row.ack.count])).toEqual([
      ['high', 1, 0],
      ['normal', 1, 1],
    ]);
    expect(figures.sla.overall).toEqual({ key: 'all', loops: 2, ack: { count: 1, of: 2, share: 0.5 }, resolve: { count: 2, of: 2, share: 1 } });
  });

  it('reports the median and p90 time to the first manual update (odd count, nearest rank)', () => {
    const figures = loopFigures(
      [
        loop(T0, [manualUpdate(30), manualUpdate(45)]), // 30 m: only the first update counts
        loop(T0, [manualUpdate(10)]),
        loop(T0, [overdueUpdate(1), manualUpdate(120)]), // 120 m: automatic updates do not count
        loop(T0, [overdueUpdate(1)]), // no manual update: not counted
      ],
      WINDOW,
    );
    expect(figures.timeToFirstUpdate).toEqual({ count: 3, medianMs: 30 * MIN, p90Ms: 120 * MIN });
  });

  it('reports the median and p90 time to the first manual update (even count, nearest rank)', () => {
    const figures = loopFigures([40, 10, 30, 20].map((minutes) => loop(T0, [manualUpdate(minutes)])), WINDOW);
    expect(figures.timeToFirstUpdate).toEqual({ count: 4, medianMs: 20 * MIN, p90Ms: 40 * MIN });
  });

  it('shares status updates between manual and overdue ones', () => {
    const figures = loopFigures([loop(T0, [manualUpdate(30), overdueUpdate(5), manualUpdate(400)]), loop(T0, [manualUpdate(20), timer('update_remind', 3)])], WINDOW);
    expect(figures.statusUpdates).toEqual({ manual: 3, overdue: 1, onTime: { count: 3, of: 4, share: 0.75 } });
  });

  it('rates reopens over loops solved at least once, counting a loop reopened twice once', () => {
    const figures = loopFigures(
      [
        loop(T0, [ack(1), solve(5), reopen(6)]),
        loop(T0, [ack(1), solve(5), reopen(6), ack(7), solve(8), reopen(9)]),
        loop(T0, [ack(1), solve(5), { after: at(77), event: 'timer:verify_end', stage: 'verified' }]),
        loop(T0, [ack(1)]), // never solved: not in the denominator
      ],
      WINDOW,
    );
    expect(figures.reopened).toEqual({ count: 2, of: 3, share: 2 / 3 });
  });

  it('counts detractor follow-ups done within 48 h, each follow-up once, leaving pending ones out', () => {
    const figures = loopFigures(
      [
        loop(T0, [ack(1), solve(10), badCsat(12), ack(32), solve(35), badCsat(40), solve(41)]), // done at 20 h, then done at 1 h
        loop(T0, [ack(1), solve(10), badCsat(12), ack(62)]), // done only after 50 h: missed
        loop(T0, [ack(1), solve(10), badCsat(12), timer('ack_breach', 36)]), // never done, 88 h ago: missed
        loop(NOW - at(30), [ack(1), solve(10), badCsat(20)]), // 10 h ago, not done yet: pending
      ],
      WINDOW,
    );
    expect(figures.detractorFollowUps).toEqual({ done: { count: 2, of: 4, share: 0.5 }, pending: 1 });
  });

  it('counts escalations by level', () => {
    const figures = loopFigures(
      [loop(T0, [timer('ack_remind', 1, { escalation: 0 }), timer('ack_breach', 4, { escalation: 1 }), timer('escalate', 5, { escalation: 2 })]), loop(T0, [timer('ack_breach', 4, { escalation: 1 })])],
      WINDOW,
    );
    expect(figures.escalations).toEqual({ total: 4, byLevel: { '0': 1, '1': 2, '2': 1 } });
  });

  it('counts loops by the stage of their last entry', () => {
    const figures = loopFigures([loop(T0), loop(T0, [ack(1)]), loop(T0, [ack(1), solve(2)]), loop(T0, [close(1)]), loop(T0, [ack(1), solve(2), badCsat(3)])], WINDOW);
    expect(figures.loops).toEqual({
      opened: 5,
      open: 4,
      byStage: { routed: 1, acknowledged: 1, acted: 1, verified: 0, follow_up: 1, closed: 1 },
      skipped: 0,
    });
  });

  it('counts only loops opened in [since, now] and ignores entries after now', () => {
    const window: FigureWindow = { since: T0, now: T0 + at(10) };
    const figures = loopFigures(
      [
        loop(T0 - 1, [ack(1)]), // opened before since
        loop(T0, [ack(1)]), // opened at since: counts
        loop(T0 + at(9), [ack(3)]), // acknowledged after now: reads as not yet acknowledged
        loop(T0 + at(11), [ack(1)]), // opened after now
      ],
      window,
    );
    expect(figures.loops).toEqual({
      opened: 2,
      open: 2,
      byStage: { routed: 1, acknowledged: 1, acted: 0, verified: 0, follow_up: 0, closed: 0 },
      skipped: 0,
    });
    expect(figures.acknowledgedWithin2h).toEqual({ count: 1, of: 1, share: 1 });
  });

  it('skips histories that do not start with an opened entry', () => {
    const headless = loop(T0, [ack(1), solve(2)]).slice(1);
    const figures = loopFigures([headless, [], loop(T0, [ack(1)])], WINDOW);
    expect(figures.loops.skipped).toBe(2);
    expect(figures.loops.opened).toBe(1);
    expect(figures.acknowledgedWithin2h).toEqual({ count: 1, of: 1, share: 1 });
  });

  it('gives zero counts and null ratios, never NaN, without loops', () => {
    const none = { count: 0, of: 0, share: null };
    const expected: LoopFigures = {
      loops: { opened: 0, open: 0, byStage: { routed: 0, acknowledged: 0, acted: 0, verified: 0, follow_up: 0, closed: 0 }, skipped: 0 },
      acknowledgedWithin2h: none,
      acknowledgedWithin6h: none,
      closedWithin48h: none,
      sla: { overall: { key: 'all', loops: 0, ack: none, resolve: none }, byCategory: [], byTeam: [], byTier: [] },
      timeToFirstUpdate: { count: 0, medianMs: null, p90Ms: null },
      statusUpdates: { manual: 0, overdue: 0, onTime: none },
      reopened: none,
      detractorFollowUps: { done: none, pending: 0 },
      escalations: { total: 0, byLevel: {} },
    };
    const figures = loopFigures([], WINDOW);
    expect(figures).toEqual(expected);
    expect(numbersIn(figures).every(Number.isFinite)).toBe(true);
    expect(JSON.parse(JSON.stringify(figures))).toEqual(expected);
  });

  it('keeps every number finite on a mixed set of loops', () => {
    const figures = loopFigures([loop(T0, [ack(1), solve(2), badCsat(3)]), loop(NOW - MIN), loop(T0, [timer('resolve_breach', 30, { escalation: 1 })])], WINDOW);
    expect(numbersIn(figures).every(Number.isFinite)).toBe(true);
    expect(figures.sla.overall.ack).toEqual({ count: 1, of: 1, share: 1 });
    expect(figures.sla.overall.resolve).toEqual({ count: 1, of: 2, share: 0.5 });
    expect(figures.detractorFollowUps).toEqual({ done: { count: 0, of: 1, share: 0 }, pending: 0 });
  });
});
