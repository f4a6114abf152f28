import type { LoopHistoryEntry } from './loop-history.js';
import type { Stage } from './loop-types.js';

/**
 * The figures of `cxloop report` (README, "The closed loop"), recomputed from the loops'
 * append-only histories. Pure: the reporting time comes in as `window.now`, so the same histories
 * and window always give the same figures, and a figure can be audited against the entries.
 */

const HOUR = 3_600_000;
/** The report's targets (DESIGN.md): reports and App Home print these, so a label cannot drift from the figure. */
export const REPORT_TARGETS_MS = { acknowledgedFast: 2 * HOUR, acknowledged: 6 * HOUR, closed: 48 * HOUR, followUp: 48 * HOUR } as const;
const ACK_TARGETS_MS = { within2h: REPORT_TARGETS_MS.acknowledgedFast, within6h: REPORT_TARGETS_MS.acknowledged } as const;
const CLOSE_TARGET_MS = REPORT_TARGETS_MS.closed;
const FOLLOW_UP_TARGET_MS = REPORT_TARGETS_MS.followUp;

/** 7_200_000 -> "2 h" (the report's targets are whole hours). */
export function hoursLabel(ms: number): string {
  return `${ms / HOUR} h`;
}
const STAGES: readonly Stage[] = ['routed', 'acknowledged', 'acted', 'verified', 'follow_up', 'closed'];
/** Stages in which the ticket has been solved (or closed) at least once. */
const DONE_STAGES: readonly Stage[] = ['acted', 'verified', 'closed'];
/** A detractor follow-up is done once the owner acknowledges it again or the ticket is solved. */
/** An owner has the loop in hand: acknowledged, or solved/closed without an explicit acknowledgement. */
const HANDLED_STAGES: readonly Stage[] = ['acknowledged', ...DONE_STAGES];

/** Loops opened in [since, now]; entries after `now` are ignored, so a past window reads as it did then. */
export interface FigureWindow {
  readonly since: number;
  readonly now: number;
}

/** `count` of `of`; `share` = count / of, or null when `of` is 0. */
export interface Ratio {
  readonly count: number;
  readonly of: number;
  readonly share: number | null;
}

/**
 * SLA adherence of a group of loops. `ack`: no ack breach before the first acknowledgement
 * (unacknowledged loops without a breach yet are pending, not counted). `resolve`: no resolve
 * breach, over loops that were solved/closed or breached.
 */
export interface SlaRow {
  /** Category id, team, tier, or 'all' for the overall row. */
  readonly key: string;
  readonly loops: number;
  readonly ack: Ratio;
  readonly resolve: Ratio;
}

export interface LoopFigures {
  readonly loops: {
    /** Loops opened in the window. */
    readonly opened: number;
    /** Of those, not yet verified or closed. */
    readonly open: number;
    /** Stage of each loop's last entry. */
    readonly byStage: Readonly<Record<Stage, number>>;
    /** Histories that do not start with an 'opened' entry. */
    readonly skipped: number;
  };
  /** Over loops acknowledged, or whose deadline has passed: a younger unacknowledged loop is not yet a miss. */
  readonly acknowledgedWithin2h: Ratio;
  readonly acknowledgedWithin6h: Ratio;
  /** First reached acted, verified or closed within 48 h; same denominator rule. */
  readonly closedWithin48h: Ratio;
  /** Groups sorted by key; a loop counts in the category, team and tier of its last entry. */
  readonly sla: {
    readonly overall: SlaRow;
    readonly byCategory: readonly SlaRow[];
    readonly byTeam: readonly SlaRow[];
    readonly byTier: readonly SlaRow[];
  };
  /** Opening to the first manual status update, over loops that had one; nearest-rank percentiles. */
  readonly timeToFirstUpdate: {
    readonly count: number;
    readonly medianMs: number | null;
    readonly p90Ms: number | null;
  };
  /** Status updates posted by a person vs published by cxloop because none came in time. */
  readonly statusUpdates: {
    readonly manual: number;
    readonly overdue: number;
    /** count = manual, of = manual + overdue. */
    readonly onTime: Ratio;
  };
  /** count = loops reopened at least once, of = loops solved at least once. */
  readonly reopened: Ratio;
  /** Each detractor follow-up once; done = acknowledged or solved within 48 h. Pending ones are left out of `done.of`. */
  readonly detractorFollowUps: {
    readonly done: Ratio;
    readonly pending: number;
  };
  /** Entries that notified an escalation, by the highest level notified (key: level as a string). */
  readonly escalations: {
    readonly total: number;
    readonly byLevel: Readonly<Record<string, number>>;
  };
}

/** One loop of the window: its 'opened' entry first, no entry after `now`. */
type Loop = readonly [LoopHistoryEntry, ...LoopHistoryEntry[]];

/** Outcome of one loop against one target: counted as met, counted as missed, or not yet decided. */
type Outcome = 'met' | 'missed' | 'pending';

export function loopFigures(histories: readonly (readonly LoopHistoryEntry[])[], window: FigureWindow): LoopFigures {
  const { loops, skipped } = selectLoops(histories, window);
  return {
    loops: countLoops(loops, skipped),
    acknowledgedWithin2h: ratioOf(loops.map((loop) => reachedWithin(loop, 0, HANDLED_STAGES, ACK_TARGETS_MS.within2h, window.now))),
    acknowledgedWithin6h: ratioOf(loops.map((loop) => reachedWithin(loop, 0, HANDLED_STAGES, ACK_TARGETS_MS.within6h, window.now))),
    closedWithin48h: ratioOf(loops.map((loop) => reachedWithin(loop, 0, DONE_STAGES, CLOSE_TARGET_MS, window.now))),
    sla: {
      overall: slaRow('all', loops),
      byCategory: slaRows(loops, (entry) => entry.category),
      byTeam: slaRows(loops, (entry) => entry.team),
      byTier: slaRows(loops, (entry) => entry.tier),
    },
    timeToFirstUpdate: timeToFirstUpdate(loops),
    statusUpdates: statusUpdates(loops),
    reopened: reopenRate(loops),
    detractorFollowUps: detractorFollowUps(loops, window.now),
    escalations: escalations(loops),
  };
}

function selectLoops(histories: readonly (readonly LoopHistoryEntry[])[], window: FigureWindow): { loops: Loop[]; skipped: number } {
  const loops: Loop[] = [];
  let skipped = 0;
  for (const history of histories) {
    const [first, ...rest] = history;
    if (first?.event !== 'opened') {
      skipped += 1;
      continue;
    }
    if (first.at < window.since || first.at > window.now) continue;
    loops.push([first, ...rest.filter((entry) => entry.at <= window.now)]);
  }
  return { loops, skipped };
}

function lastOf(loop: Loop): LoopHistoryEntry {
  return loop[loop.length - 1] ?? loop[0];
}

function countLoops(loops: readonly Loop[], skipped: number): LoopFigures['loops'] {
  const byStage = Object.fromEntries(STAGES.map((stage) => [stage, 0])) as Record<Stage, number>;
  for (const loop of loops) byStage[lastOf(loop).stage] += 1;
  return { opened: loops.length, open: loops.length - byStage.verified - byStage.closed, byStage, skipped };
}

/** Met / missed / pending outcomes as a ratio: pending ones are not in the denominator. */
function ratioOf(outcomes: readonly Outcome[]): Ratio {
  const count = outcomes.filter((outcome) => outcome === 'met').length;
  const of = count + outcomes.filter((outcome) => outcome === 'missed').length;
  return ratio(count, of);
}

function ratio(count: number, of: number): Ratio {
  return { count, of, share: of === 0 ? null : count / of };
}

/**
 * Whether an entry after `loop[from]` reached one of `stages` by `loop[from].at + targetMs`.
 * Pending while that deadline is still ahead of `now` (a deadline at exactly `now` may still be met).
 */
function reachedWithin(loop: Loop, from: number, stages: readonly Stage[], targetMs: number, now: number): Outcome {
  const deadline = (loop[from] ?? loop[0]).at + targetMs;
  const reached = loop.slice(from + 1).find((entry) => stages.includes(entry.stage));
  if (reached) return reached.at <= deadline ? 'met' : 'missed';
  return now > deadline ? 'missed' : 'pending';
}

function slaRows(loops: readonly Loop[], keyOf: (entry: LoopHistoryEntry) => string): SlaRow[] {
  const groups = new Map<string, Loop[]>();
  for (const loop of loops) {
    const key = keyOf(lastOf(loop));
    groups.set(key, [...(groups.get(key) ?? []), loop]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, members]) => slaRow(key, members));
}

function slaRow(key: string, loops: readonly Loop[]): SlaRow {
  return { key, loops: loops.length, ack: ratioOf(loops.map(ackSlaOutcome)), resolve: ratioOf(loops.map(resolveSlaOutcome)) };
}

function ackSlaOutcome(loop: Loop): Outcome {
  const acknowledged = loop.findIndex((entry) => HANDLED_STAGES.includes(entry.stage));
  const beforeAck = acknowledged === -1 ? loop : loop.slice(0, acknowledged);
  if (beforeAck.some((entry) => entry.event === 'timer:ack_breach')) return 'missed';
  return acknowledged === -1 ? 'pending' : 'met';
}

function resolveSlaOutcome(loop: Loop): Outcome {
  if (loop.some((entry) => entry.event === 'timer:resolve_breach')) return 'missed';
  return loop.some((entry) => DONE_STAGES.includes(entry.stage)) ? 'met' : 'pending';
}

function timeToFirstUpdate(loops: readonly Loop[]): LoopFigures['timeToFirstUpdate'] {
  const durations = loops.flatMap((loop) => {
    const first = loop.find((entry) => entry.update === 'manual');
    return first ? [first.at - loop[0].at] : [];
  });
  durations.sort((a, b) => a - b);
  return { count: durations.length, medianMs: nearestRank(durations, 0.5), p90Ms: nearestRank(durations, 0.9) };
}

/** Nearest-rank percentile of sorted values: the smallest value with at least `p` of them at or below it. */
function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? null;
}

function statusUpdates(loops: readonly Loop[]): LoopFigures['statusUpdates'] {
  const entries = loops.flat();
  const manual = entries.filter((entry) => entry.update === 'manual').length;
  const overdue = entries.filter((entry) => entry.update === 'overdue').length;
  return { manual, overdue, onTime: ratio(manual, manual + overdue) };
}

function reopenRate(loops: readonly Loop[]): Ratio {
  const solved = loops.filter((loop) => loop.some((entry) => entry.stage === 'acted'));
  return ratio(solved.filter((loop) => loop.some((entry) => entry.followUp === 'reopened')).length, solved.length);
}

function detractorFollowUps(loops: readonly Loop[], now: number): LoopFigures['detractorFollowUps'] {
  const outcomes = loops.flatMap((loop) =>
    loop.flatMap((entry, index) => (entry.followUp === 'detractor' ? [reachedWithin(loop, index, HANDLED_STAGES, FOLLOW_UP_TARGET_MS, now)] : [])),
  );
  return { done: ratioOf(outcomes), pending: outcomes.filter((outcome) => outcome === 'pending').length };
}

function escalations(loops: readonly Loop[]): LoopFigures['escalations'] {
  const byLevel: Record<string, number> = {};
  let total = 0;
  for (const entry of loops.flat()) {
    if (entry.escalation === undefined) continue;
    total += 1;
    byLevel[String(entry.escalation)] = (byLevel[String(entry.escalation)] ?? 0) + 1;
  }
  return { total, byLevel };
}
