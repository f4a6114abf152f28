import { firstUpdateHistogram, ratio, reachRatio, stageCount, tallyLoops, totalsOf, type FigureTally, type Ratio } from './figure-tally.js';
import type { LoopHistoryEntry } from './loop-history.js';
import { REPORT_TARGETS_MS, summarizeLoop, type LoopSummary } from './loop-summary.js';
import type { Stage } from './loop-types.js';

/**
 * The figures of `cxloop report` (README, "The closed loop"), recomputed from the loops'
 * append-only histories. Pure: the reporting time comes in as `window.now`, so the same histories
 * and window always give the same figures, and a figure can be audited against the entries.
 */

const HOUR = 3_600_000;
export { REPORT_TARGETS_MS };

/** 7_200_000 -> "2 h" (the report's targets are whole hours). */
export function hoursLabel(ms: number): string {
  return `${ms / HOUR} h`;
}
const STAGES: readonly Stage[] = ['routed', 'acknowledged', 'acted', 'verified', 'follow_up', 'closed'];

/** Loops opened in [since, now]; entries after `now` are ignored, so a past window reads as it did then. */
export interface FigureWindow {
  readonly since: number;
  readonly now: number;
}

export type { Ratio };

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
  /** Opening to the first manual status update, over loops that had one; nearest-rank percentiles, to the band of firstUpdateBand (the minute under 10 min ... 12 h beyond 48 h). */
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

/**
 * The figures of the loops opened in the window, from their histories: each loop's entries up to
 * `window.now` are summarised, the summaries tallied, and the figures read off the tally
 * (`figuresOf`), the same way the dashboard reads them off the totals it keeps as loops move.
 */
export function loopFigures(histories: readonly (readonly LoopHistoryEntry[])[], window: FigureWindow): LoopFigures {
  const summaries: LoopSummary[] = [];
  let skipped = 0;
  for (const history of histories) {
    const first = history[0];
    if (first?.event !== 'opened') {
      skipped += 1;
      continue;
    }
    if (first.at < window.since || first.at > window.now) continue;
    const summary = summarizeLoop(history.filter((entry) => entry.at <= window.now));
    if (summary) summaries.push(summary);
  }
  return figuresOf(tallyLoops(summaries), summaries, window.now, skipped);
}

/**
 * The figures of a tally at `now`. `undecided` must hold every loop of the tally with a target
 * not reached whose deadline is at or after `now` (more loops do no harm): those targets are
 * pending, not missed.
 */
export function figuresOf(tally: Readonly<FigureTally>, undecided: readonly LoopSummary[], now: number, skipped = 0): LoopFigures {
  const totals = totalsOf(tally, undecided, now);
  const { all, pending } = totals;
  const manual = all.manual ?? 0;
  const overdue = all.overdue ?? 0;
  return {
    loops: countLoops(all, skipped),
    acknowledgedWithin2h: reachRatio(all, 'a2', pending.a2),
    acknowledgedWithin6h: reachRatio(all, 'a6', pending.a6),
    closedWithin48h: reachRatio(all, 'c48', pending.c48),
    sla: {
      overall: slaRow('all', all),
      byCategory: slaRows(totals.byCategory),
      byTeam: slaRows(totals.byTeam),
      byTier: slaRows(totals.byTier),
    },
    timeToFirstUpdate: timeToFirstUpdate(all),
    statusUpdates: { manual, overdue, onTime: ratio(manual, manual + overdue) },
    reopened: ratio(all.reopened ?? 0, all.solved ?? 0),
    detractorFollowUps: { done: reachRatio(all, 'f48', pending.f48), pending: pending.f48 },
    escalations: escalations(all),
  };
}

function countLoops(all: Readonly<Record<string, number>>, skipped: number): LoopFigures['loops'] {
  const byStage = Object.fromEntries(STAGES.map((stage) => [stage, stageCount(all, stage)])) as Record<Stage, number>;
  const opened = all.loops ?? 0;
  return { opened, open: opened - byStage.verified - byStage.closed, byStage, skipped };
}

function slaRows(groups: ReadonlyMap<string, Readonly<Record<string, number>>>): SlaRow[] {
  return [...groups.entries()]
    .filter(([, totals]) => (totals.loops ?? 0) > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, totals]) => slaRow(key, totals));
}

function slaRow(key: string, totals: Readonly<Record<string, number>>): SlaRow {
  const met = (counter: string): number => totals[`${counter}:met`] ?? 0;
  const missed = (counter: string): number => totals[`${counter}:missed`] ?? 0;
  return { key, loops: totals.loops ?? 0, ack: ratio(met('ackSla'), met('ackSla') + missed('ackSla')), resolve: ratio(met('resSla'), met('resSla') + missed('resSla')) };
}

/** Median and p90 by nearest rank over the first-update bands (firstUpdateBand): each the lower bound of its band. */
function timeToFirstUpdate(all: Readonly<Record<string, number>>): LoopFigures['timeToFirstUpdate'] {
  const histogram = firstUpdateHistogram(all);
  const count = histogram.reduce((sum, [, loops]) => sum + loops, 0);
  return { count, medianMs: nearestRank(histogram, count, 0.5), p90Ms: nearestRank(histogram, count, 0.9) };
}

/** The smallest value with at least `p` of the `count` values at or below it, in ms. */
function nearestRank(histogram: readonly [number, number][], count: number, p: number): number | null {
  if (count === 0) return null;
  const rank = Math.max(1, Math.ceil(p * count));
  let seen = 0;
  for (const [minutes, loops] of histogram) {
    seen += loops;
    if (seen >= rank) return minutes * 60_000;
  }
  return null;
}

function escalations(all: Readonly<Record<string, number>>): LoopFigures['escalations'] {
  const byLevel: Record<string, number> = {};
  let total = 0;
  for (const [counter, count] of Object.entries(all)) {
    if (!counter.startsWith('esc:')) continue;
    byLevel[counter.slice(4)] = count;
    total += count;
  }
  return { total, byLevel };
}
