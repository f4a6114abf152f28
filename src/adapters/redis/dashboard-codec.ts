import type { LoopSummary, Outcome, Reach } from '../../core/loop/loop-summary.js';
import type { OpenLoopRow } from '../../core/loop/open-loop-row.js';
import type { CategoryId, Tier } from '../../core/taxonomy.js';

/**
 * Compact wire forms of what the dashboard's read model keeps per open loop: the loop's summary
 * (kept while a target is undecided, which is every open loop) and its Now-page row. As JSON
 * objects they were about 600 B and 330 B per loop, the largest part of an open loop's Redis
 * cost; as positional arrays they are about a fifth and a half of that. Like the loop codec's,
 * the arrays lead with a format number and new fields are appended; the object forms written
 * before are still read, so an install's existing keys keep working after an upgrade.
 */
const SUMMARY_FORMAT = 1;
const ROW_FORMAT = 1;

/** A target as [deadline, reachedAt], both in ms after the loop opened (reachedAt null: not yet). */
type WireReach = [number, number | null];
type WireSummary = [
  format: number,
  stage: LoopSummary['stage'],
  acknowledgedWithin2h: WireReach,
  acknowledgedWithin6h: WireReach,
  closedWithin48h: WireReach,
  ackSla: Outcome,
  resolveSla: Outcome,
  firstUpdateSeconds: number | null,
  manualUpdates: number,
  overdueUpdates: number,
  solved: 0 | 1,
  reopened: 0 | 1,
  followUps: WireReach[],
  escalations: Readonly<Record<string, number>>,
  /** 0 when it is the loop's category (nearly always: a correction is the exception). */
  routedCategory: CategoryId | 0,
  recategorised: 0 | 1,
];

/**
 * The summary without what the stored contribution already holds beside it: its opening time
 * (`o`) and its category, team and tier (the group `g`).
 */
export function encodeSummary(summary: LoopSummary): WireSummary {
  const reach = ({ deadline, reachedAt }: Reach): WireReach => [deadline - summary.openedAt, reachedAt === null ? null : reachedAt - summary.openedAt];
  return [
    SUMMARY_FORMAT,
    summary.stage,
    reach(summary.acknowledgedWithin2h),
    reach(summary.acknowledgedWithin6h),
    reach(summary.closedWithin48h),
    summary.ackSla,
    summary.resolveSla,
    summary.firstUpdateSeconds,
    summary.manualUpdates,
    summary.overdueUpdates,
    summary.solved ? 1 : 0,
    summary.reopened ? 1 : 0,
    summary.followUps.map(reach),
    summary.escalations,
    summary.routedCategory === summary.category ? 0 : summary.routedCategory,
    summary.recategorised ? 1 : 0,
  ];
}

/** A stored summary back, given the contribution's opening time and group (`category|team|tier|`); an object is a summary stored before this codec. */
export function decodeSummary(stored: WireSummary | LoopSummary, openedAt: number, group: string): LoopSummary {
  if (!Array.isArray(stored)) return stored;
  const [format, stage, ack2h, ack6h, closed48h, ackSla, resolveSla, firstUpdateSeconds, manualUpdates, overdueUpdates, solved, reopened, followUps, escalations, routedCategory, recategorised] = stored;
  if (format !== SUMMARY_FORMAT) throw new Error(`dashboard summary of unknown format ${String(format)}`);
  const [category, team, tier] = group.split('|') as [CategoryId, string, Tier];
  const reach = ([deadline, reachedAt]: WireReach): Reach => ({ deadline: openedAt + deadline, reachedAt: reachedAt === null ? null : openedAt + reachedAt });
  return {
    openedAt,
    category,
    team,
    tier,
    stage,
    acknowledgedWithin2h: reach(ack2h),
    acknowledgedWithin6h: reach(ack6h),
    closedWithin48h: reach(closed48h),
    ackSla,
    resolveSla,
    firstUpdateSeconds,
    manualUpdates,
    overdueUpdates,
    solved: solved === 1,
    reopened: reopened === 1,
    followUps: followUps.map(reach),
    escalations,
    routedCategory: routedCategory === 0 ? category : routedCategory,
    recategorised: recategorised === 1,
  };
}

type Due = NonNullable<OpenLoopRow['due']>;
type WireRow = [
  format: number,
  version: number,
  stage: OpenLoopRow['stage'],
  category: CategoryId,
  team: string,
  tier: Tier,
  owner: string | null,
  openedAt: number,
  due: [what: Due['what'], at: number | null, breached: 0 | 1] | null,
  breaches: OpenLoopRow['breaches'],
  escalationSteps: number,
  snoozedUntil: number | null,
];

/** A Now-page row without its ticket id, which is the field it is stored under. */
export function encodeOpenRow(row: OpenLoopRow): string {
  const wire: WireRow = [
    ROW_FORMAT,
    row.version,
    row.stage,
    row.category,
    row.team,
    row.tier,
    row.owner,
    row.openedAt,
    row.due === null ? null : [row.due.what, row.due.at, row.due.breached ? 1 : 0],
    row.breaches,
    row.escalationSteps,
    row.snoozedUntil,
  ];
  return JSON.stringify(wire);
}

/** A stored row back; an object is a row stored before this codec. */
export function decodeOpenRow(ticket: string, stored: string): OpenLoopRow {
  const parsed = JSON.parse(stored) as WireRow | OpenLoopRow;
  if (!Array.isArray(parsed)) return parsed;
  const [format, version, stage, category, team, tier, owner, openedAt, due, breaches, escalationSteps, snoozedUntil] = parsed;
  if (format !== ROW_FORMAT) throw new Error(`dashboard row of unknown format ${String(format)}`);
  return {
    ticketId: Number(ticket),
    version,
    stage,
    category,
    team,
    tier,
    owner,
    openedAt,
    due: due === null ? null : { what: due[0], at: due[1], breached: due[2] === 1 },
    breaches,
    escalationSteps,
    snoozedUntil,
  };
}
