import type { LoopHistoryEntry } from './loop-history.js';
import type { Stage } from './loop-types.js';
import type { CategoryId, Tier } from '../taxonomy.js';

/**
 * What `cxloop report` needs of one loop, folded out of its history once: the facts of each
 * target (when it was due, when it was reached), not yet the verdict, which depends on when the
 * figures are read. Pure and small, so a read model can keep one per loop and precomputed totals
 * of them (figure-tally.ts) instead of every history.
 */

const HOUR = 3_600_000;
/** The report's targets: reports, App Home and the dashboard print these, so a label cannot drift from the figure. */
export const REPORT_TARGETS_MS = { acknowledgedFast: 2 * HOUR, acknowledged: 6 * HOUR, closed: 48 * HOUR, followUp: 48 * HOUR } as const;
/** The share of loops each target aims at: 60 % acknowledged within 2 h, 85 % within 6 h, 95 % closed within 48 h. */
export const REPORT_GOALS = { acknowledgedFast: 0.6, acknowledged: 0.85, closed: 0.95 } as const;

/** Stages in which the ticket has been solved (or closed) at least once. */
const DONE_STAGES: readonly Stage[] = ['acted', 'verified', 'closed'];
/** An owner has the loop in hand: acknowledged, or solved/closed without an explicit acknowledgement. */
const HANDLED_STAGES: readonly Stage[] = ['acknowledged', ...DONE_STAGES];

/** One target of one loop: due at `deadline`, reached at `reachedAt` (null: not yet). */
export interface Reach {
  readonly deadline: number;
  readonly reachedAt: number | null;
}

/** A target's verdict at a given time: met, missed, or not decided yet (its deadline is still ahead). */
export type Outcome = 'met' | 'missed' | 'pending';

/** Met when reached by the deadline; missed when reached later, or not reached once the deadline has passed (a deadline at exactly `now` may still be met). */
export function outcomeAt(reach: Reach, now: number): Outcome {
  if (reach.reachedAt !== null) return reach.reachedAt <= reach.deadline ? 'met' : 'missed';
  return now > reach.deadline ? 'missed' : 'pending';
}

export interface LoopSummary {
  readonly openedAt: number;
  /** The group of the loop's last entry: a loop counts in the category, team and tier it ended in. */
  readonly category: CategoryId;
  readonly team: string;
  readonly tier: Tier;
  readonly stage: Stage;
  readonly acknowledgedWithin2h: Reach;
  readonly acknowledgedWithin6h: Reach;
  readonly closedWithin48h: Reach;
  /** Acknowledge SLA: missed on an ack breach before the first acknowledgement; pending while unacknowledged and unbreached. */
  readonly ackSla: Outcome;
  /** Resolve SLA: missed on a resolve breach; met once solved or closed; else pending. */
  readonly resolveSla: Outcome;
  /** Opening to the first manual status update, in whole seconds; null without one. */
  readonly firstUpdateSeconds: number | null;
  readonly manualUpdates: number;
  readonly overdueUpdates: number;
  /** Reached acted at least once. */
  readonly solved: boolean;
  /** Reopened at least once (counted only over solved loops). */
  readonly reopened: boolean;
  /** Each detractor follow-up: due 48 h after it opened, reached when acknowledged again or solved. */
  readonly followUps: readonly Reach[];
  /** Entries that notified an escalation, by the highest level notified (key: level). */
  readonly escalations: Readonly<Record<string, number>>;
  /** The category cxloop routed the loop to (its 'opened' entry), and whether a person changed it since (an agent's tag, a Slack reassign). */
  readonly routedCategory: CategoryId;
  readonly recategorised: boolean;
}

/** Events by which a person corrects the category cxloop chose. */
const CORRECTIONS: readonly string[] = ['recategorised', 'reassign'];

/**
 * The summary of a loop's entries (its 'opened' entry first, none after the reporting time), or
 * null when the history does not start with 'opened' (trimmed, or not a loop).
 */
export function summarizeLoop(entries: readonly LoopHistoryEntry[]): LoopSummary | null {
  const [opened] = entries;
  if (opened?.event !== 'opened') return null;
  const last = entries[entries.length - 1] ?? opened;
  const ackAt = firstAfter(entries, 0, HANDLED_STAGES);
  const doneAt = firstAfter(entries, 0, DONE_STAGES);
  const firstAck = entries.findIndex((entry) => HANDLED_STAGES.includes(entry.stage));
  const beforeAck = firstAck === -1 ? entries : entries.slice(0, firstAck);
  const firstUpdate = entries.find((entry) => entry.update === 'manual');
  const escalations: Record<string, number> = {};
  for (const entry of entries) {
    if (entry.escalation !== undefined) escalations[String(entry.escalation)] = (escalations[String(entry.escalation)] ?? 0) + 1;
  }
  return {
    openedAt: opened.at,
    category: last.category,
    team: last.team,
    tier: last.tier,
    stage: last.stage,
    acknowledgedWithin2h: { deadline: opened.at + REPORT_TARGETS_MS.acknowledgedFast, reachedAt: ackAt },
    acknowledgedWithin6h: { deadline: opened.at + REPORT_TARGETS_MS.acknowledged, reachedAt: ackAt },
    closedWithin48h: { deadline: opened.at + REPORT_TARGETS_MS.closed, reachedAt: doneAt },
    ackSla: beforeAck.some((entry) => entry.event === 'timer:ack_breach') ? 'missed' : firstAck === -1 ? 'pending' : 'met',
    resolveSla: entries.some((entry) => entry.event === 'timer:resolve_breach') ? 'missed' : doneAt !== null ? 'met' : 'pending',
    firstUpdateSeconds: firstUpdate ? Math.floor((firstUpdate.at - opened.at) / 1000) : null,
    manualUpdates: entries.filter((entry) => entry.update === 'manual').length,
    overdueUpdates: entries.filter((entry) => entry.update === 'overdue').length,
    solved: entries.some((entry) => entry.stage === 'acted'),
    reopened: entries.some((entry) => entry.followUp === 'reopened'),
    followUps: entries.flatMap((entry, index) =>
      entry.followUp === 'detractor' ? [{ deadline: entry.at + REPORT_TARGETS_MS.followUp, reachedAt: firstAfter(entries, index, HANDLED_STAGES) }] : [],
    ),
    escalations,
    routedCategory: opened.category,
    recategorised: entries.some((entry) => CORRECTIONS.includes(entry.event)),
  };
}

/** Every time-dependent target of a loop: the ones whose verdict can still change with the clock alone. */
export function reachesOf(summary: LoopSummary): Reach[] {
  return [summary.acknowledgedWithin2h, summary.acknowledgedWithin6h, summary.closedWithin48h, ...summary.followUps];
}

/**
 * The last moment at which the clock alone can still change one of the loop's verdicts (a target
 * not reached whose deadline is ahead turns missed then), or null when none can.
 */
export function undecidedUntil(summary: LoopSummary): number | null {
  const deadlines = reachesOf(summary).flatMap((reach) => (reach.reachedAt === null ? [reach.deadline] : []));
  return deadlines.length === 0 ? null : Math.max(...deadlines);
}

/** When the first entry after `entries[from]` in one of `stages` happened, or null. */
function firstAfter(entries: readonly LoopHistoryEntry[], from: number, stages: readonly Stage[]): number | null {
  return entries.slice(from + 1).find((entry) => stages.includes(entry.stage))?.at ?? null;
}
