import { REPORT_TARGETS_MS, type LoopSummary, type Outcome, type Reach } from '../../core/loop/loop-summary.js';
import type { OpenLoopRow } from '../../core/loop/open-loop-row.js';
import type { CategoryId, Tier } from '../../core/taxonomy.js';
import { withoutTrailingDefaults, withTrailingDefaults } from './trailing-defaults.js';

/**
 * Compact wire forms of what the dashboard's read model keeps per open loop: the loop's
 * contribution to its opening day (counters, and the summary while a target is undecided, which
 * is every open loop), its Now-page row and its effects log. As JSON objects they were about
 * 600 B, 330 B and 95 B per loop, the largest part of an open loop's Redis cost. Like the loop
 * codec's, the arrays lead with a format number and new fields are appended; every form written
 * before is still read, so an install's existing keys keep working after an upgrade.
 */
const SUMMARY_FORMAT = 1;
/**
 * Format 2: the summary of a loop whose targets are the report's (every summary summarizeLoop
 * makes): the 2 h / 6 h / 48 h deadlines follow from the opening and are not written, the two
 * acknowledgement targets share their reachedAt, outcomes are digits, and trailing fields at
 * their defaults are left off, so a loop just routed is `[2,"routed"]`. Any other summary is
 * written in format 1.
 */
const TARGETS_SUMMARY_FORMAT = 2;
const ROW_FORMAT = 1;
/** Format 2: the row's points in time after the opening, and trailing fields at their defaults left off. */
const RELATIVE_ROW_FORMAT = 2;

/** A target as [deadline, reachedAt], both in ms after the loop opened (reachedAt null: not yet). */
type WireReach = [number, number | null];
/** The fields both summary formats write alike, after their targets and SLA outcomes. */
type SummaryTail = [
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

type WireSummary = [
  format: number,
  stage: LoopSummary['stage'],
  acknowledgedWithin2h: WireReach,
  acknowledgedWithin6h: WireReach,
  closedWithin48h: WireReach,
  ackSla: Outcome,
  resolveSla: Outcome,
  ...tail: SummaryTail,
];
/** Format 2's fields after the stage: points in time in ms after the opening, outcomes as indexes of OUTCOMES. */
type TargetsFields = [acknowledgedAt: number | null, closedAt: number | null, ackSla: number, resolveSla: number, ...tail: SummaryTail];
/** Format 2: the trailing fields at their defaults (TARGETS_DEFAULTS) are left off. */
type WireTargetsSummary = [format: number, stage: LoopSummary['stage'], ...Partial<TargetsFields>];
const TARGETS_DEFAULTS: Readonly<TargetsFields> = [null, null, 0, 0, null, 0, 0, 0, 0, [], {}, 0, 0];
const OUTCOMES: readonly Outcome[] = ['pending', 'met', 'missed'];

/**
 * The summary without what the stored contribution already holds beside it: its opening time
 * and its category, team and tier (the group).
 */
export function encodeSummary(summary: LoopSummary): WireSummary | WireTargetsSummary {
  const after = (time: number | null) => (time === null ? null : time - summary.openedAt);
  const reach = ({ deadline, reachedAt }: Reach): WireReach => [deadline - summary.openedAt, after(reachedAt)];
  const routedCategory = summary.routedCategory === summary.category ? 0 : summary.routedCategory;
  const { acknowledgedWithin2h: ack2h, acknowledgedWithin6h: ack6h, closedWithin48h: closed48h } = summary;
  const reportTargets =
    ack2h.deadline - summary.openedAt === REPORT_TARGETS_MS.acknowledgedFast &&
    ack6h.deadline - summary.openedAt === REPORT_TARGETS_MS.acknowledged &&
    closed48h.deadline - summary.openedAt === REPORT_TARGETS_MS.closed &&
    ack2h.reachedAt === ack6h.reachedAt;
  if (reportTargets) {
    const fields: TargetsFields = [
      after(ack2h.reachedAt),
      after(closed48h.reachedAt),
      OUTCOMES.indexOf(summary.ackSla),
      OUTCOMES.indexOf(summary.resolveSla),
      summary.firstUpdateSeconds,
      summary.manualUpdates,
      summary.overdueUpdates,
      summary.solved ? 1 : 0,
      summary.reopened ? 1 : 0,
      summary.followUps.map(reach),
      summary.escalations,
      routedCategory,
      summary.recategorised ? 1 : 0,
    ];
    return [TARGETS_SUMMARY_FORMAT, summary.stage, ...withoutTrailingDefaults(fields, TARGETS_DEFAULTS)] as WireTargetsSummary;
  }
  return [
    SUMMARY_FORMAT,
    summary.stage,
    reach(ack2h),
    reach(ack6h),
    reach(closed48h),
    summary.ackSla,
    summary.resolveSla,
    summary.firstUpdateSeconds,
    summary.manualUpdates,
    summary.overdueUpdates,
    summary.solved ? 1 : 0,
    summary.reopened ? 1 : 0,
    summary.followUps.map(reach),
    summary.escalations,
    routedCategory,
    summary.recategorised ? 1 : 0,
  ];
}

/** A stored summary back, given the contribution's opening time and group (`category|team|tier|`); an object is a summary stored before this codec. */
export function decodeSummary(stored: WireSummary | WireTargetsSummary | LoopSummary, openedAt: number, group: string): LoopSummary {
  if (!Array.isArray(stored)) return stored;
  const at = (time: number | null) => (time === null ? null : openedAt + time);
  const reach = ([deadline, reachedAt]: WireReach): Reach => ({ deadline: openedAt + deadline, reachedAt: at(reachedAt) });
  if (stored[0] === TARGETS_SUMMARY_FORMAT) {
    const [, stage, ...given] = stored as WireTargetsSummary;
    const [acknowledgedAt, closedAt, ackSla, resolveSla, ...rest] = withTrailingDefaults(given, TARGETS_DEFAULTS);
    const acknowledged = at(acknowledgedAt);
    const targets = {
      acknowledgedWithin2h: { deadline: openedAt + REPORT_TARGETS_MS.acknowledgedFast, reachedAt: acknowledged },
      acknowledgedWithin6h: { deadline: openedAt + REPORT_TARGETS_MS.acknowledged, reachedAt: acknowledged },
      closedWithin48h: { deadline: openedAt + REPORT_TARGETS_MS.closed, reachedAt: at(closedAt) },
      ackSla: OUTCOMES[ackSla]!,
      resolveSla: OUTCOMES[resolveSla]!,
    };
    return summaryOf(openedAt, group, stage, targets, rest, reach);
  }
  const [format, stage, ack2h, ack6h, closed48h, ackSla, resolveSla, ...rest] = stored as WireSummary;
  if (format !== SUMMARY_FORMAT) throw new Error(`dashboard summary of unknown format ${String(format)}`);
  const targets = { acknowledgedWithin2h: reach(ack2h), acknowledgedWithin6h: reach(ack6h), closedWithin48h: reach(closed48h), ackSla, resolveSla };
  return summaryOf(openedAt, group, stage, targets, rest, reach);
}

function summaryOf(
  openedAt: number,
  group: string,
  stage: LoopSummary['stage'],
  targets: Pick<LoopSummary, 'acknowledgedWithin2h' | 'acknowledgedWithin6h' | 'closedWithin48h' | 'ackSla' | 'resolveSla'>,
  [firstUpdateSeconds, manualUpdates, overdueUpdates, solved, reopened, followUps, escalations, routedCategory, recategorised]: SummaryTail,
  reach: (wire: WireReach) => Reach,
): LoopSummary {
  const [category, team, tier] = group.split('|') as [CategoryId, string, Tier];
  return {
    openedAt,
    category,
    team,
    tier,
    stage,
    ...targets,
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
  owner?: string | null,
  openedAt?: number,
  /** In format 2, `at` (as snoozedUntil) is in ms after openedAt. */
  due?: [what: Due['what'], at: number | null, breached: 0 | 1] | null,
  breaches?: OpenLoopRow['breaches'],
  escalationSteps?: number,
  snoozedUntil?: number | null,
];
/** The defaults of the row's fields after openedAt, in order (format 2 leaves them off at the end). */
const ROW_DEFAULTS: readonly unknown[] = [null, [], 0, null];

/** A Now-page row without its ticket id, which is the field it is stored under. */
export function encodeOpenRow(row: OpenLoopRow): string {
  const after = (time: number | null) => (time === null ? null : time - row.openedAt);
  const tail = [row.due === null ? null : [row.due.what, after(row.due.at), row.due.breached ? 1 : 0], row.breaches, row.escalationSteps, after(row.snoozedUntil)];
  const wire = [RELATIVE_ROW_FORMAT, row.version, row.stage, row.category, row.team, row.tier, row.owner, row.openedAt, ...withoutTrailingDefaults(tail, ROW_DEFAULTS)];
  return JSON.stringify(wire);
}

/** A stored row back; an object is a row stored before this codec. */
export function decodeOpenRow(ticket: string, stored: string): OpenLoopRow {
  const parsed = JSON.parse(stored) as WireRow | OpenLoopRow;
  if (!Array.isArray(parsed)) return parsed;
  const [format, version, stage, category, team, tier, owner = null, openedAt = 0, due = null, breaches = [], escalationSteps = 0, snoozedUntil = null] = parsed;
  if (format !== ROW_FORMAT && format !== RELATIVE_ROW_FORMAT) throw new Error(`dashboard row of unknown format ${String(format)}`);
  const base = format === RELATIVE_ROW_FORMAT ? openedAt : 0;
  const at = (time: number | null) => (time === null ? null : base + time);
  return {
    ticketId: Number(ticket),
    version,
    stage,
    category,
    team,
    tier,
    owner,
    openedAt,
    due: due === null ? null : { what: due[0], at: at(due[1]), breached: due[2] === 1 },
    breaches,
    escalationSteps,
    snoozedUntil: at(snoozedUntil),
  };
}

/** A loop's contribution to its opening day's tally, as the store reads it back. */
export interface StoredContribution {
  readonly version: number;
  readonly openedAt: number;
  /** `category|team|tier|`, the prefix of every counter's tally field. */
  readonly group: string;
  /** Counter (the tally field without the group) -> count. */
  readonly counters: Readonly<Record<string, number>>;
  /** Kept while one of the loop's targets is undecided. */
  readonly summary: LoopSummary | null;
}

/**
 * [version, opening in ms after its day began, group, counters, summary while undecided]; the
 * counters as one string, "name" for a count of 1 and "name=count" else, space-separated (the
 * projection script reads them too). The object form stored before ({v, o, g, c, s}) is still read.
 */
type WireContribution = [version: number, openedInDay: number, group: string, counters: string, summary?: WireSummary | WireTargetsSummary];
interface ObjectContribution {
  readonly v: number;
  readonly o: number;
  readonly g: string;
  readonly c: Readonly<Record<string, number>>;
  readonly s?: WireSummary | WireTargetsSummary | LoopSummary;
}

/** `dayStart`: when the contribution's opening day began (epoch ms), which its key names. */
export function encodeContribution(contribution: Omit<StoredContribution, 'summary'>, summary: LoopSummary | null, dayStart: number): string {
  const counters = Object.entries(contribution.counters).map(([name, count]) => {
    if (/[ =]/.test(name)) throw new Error(`dashboard counter "${name}" has a space or "="`);
    return count === 1 ? name : `${name}=${count}`;
  });
  const wire: WireContribution = [contribution.version, contribution.openedAt - dayStart, contribution.group, counters.join(' ')];
  if (summary !== null) wire.push(encodeSummary(summary));
  return JSON.stringify(wire);
}

export function decodeContribution(stored: string, dayStart: number): StoredContribution {
  const parsed = JSON.parse(stored) as WireContribution | ObjectContribution;
  if (!Array.isArray(parsed)) return { version: parsed.v, openedAt: parsed.o, group: parsed.g, counters: parsed.c, summary: parsed.s === undefined ? null : decodeSummary(parsed.s, parsed.o, parsed.g) };
  const [version, openedInDay, group, text, summary] = parsed;
  const openedAt = dayStart + openedInDay;
  const counters: Record<string, number> = {};
  for (const item of text === '' ? [] : text.split(' ')) {
    const [name = '', count] = item.split('=');
    counters[name] = count === undefined ? 1 : Number(count);
  }
  return { version, openedAt, group, counters, summary: summary === undefined ? null : decodeSummary(summary, openedAt, group) };
}

/**
 * Effect labels written as their index here (effectLabel's words for the effects that have no
 * parameters, and the common ones that have): append only, an index must keep its label. Any
 * other label is written out.
 */
const CODED_EFFECT_LABELS: readonly string[] = [
  'Slack: status channel update by cxloop',
  'Slack: status channel update by cxloop with a revised ETA',
  'Slack: status update posted by the owner',
  'Slack: reminder (acknowledge due)',
  'Slack: reminder (status update due)',
  'Slack: reminder (follow-up due)',
  'Zendesk: internal note',
  'Slack: incident channel post',
  'Slack: on the live incidents summary',
  'Slack: off the live incidents summary',
  'Thank-you to the customer',
  'Slack: follow-up asked (detractor)',
  'Slack: follow-up asked (reopened)',
  'Slack: follow-up asked (feedback)',
  'Zendesk: public comment to the requester (acknowledged)',
  'Zendesk: public comment to the requester (revised ETA)',
  'Zendesk: public comment to the requester (solved)',
];

/** What one transition caused, as the ticket page's effects log lists it. */
export interface EffectsLine {
  readonly version: number;
  readonly at: number;
  readonly effects: readonly string[];
}

/** [version, time in ms after the opening day began, label or its index ...]. */
export function encodeEffectsLine(line: EffectsLine, dayStart: number): string {
  const coded = (label: string): number | string => {
    const index = CODED_EFFECT_LABELS.indexOf(label);
    return index === -1 ? label : index;
  };
  return JSON.stringify([line.version, line.at - dayStart, ...line.effects.map(coded)]);
}

/** A line back; an object ({v, at, e}) is a line stored before this codec. */
export function decodeEffectsLine(stored: string, dayStart: number): EffectsLine {
  const parsed = JSON.parse(stored) as [number, number, ...(number | string)[]] | { v: number; at: number; e: string[] };
  if (!Array.isArray(parsed)) return { version: parsed.v, at: parsed.at, effects: parsed.e };
  const [version, at, ...effects] = parsed;
  return { version, at: dayStart + at, effects: effects.map((label) => (typeof label === 'number' ? (CODED_EFFECT_LABELS[label] ?? `effect ${label}`) : label)) };
}
