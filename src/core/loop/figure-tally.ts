import { outcomeAt, reachesOf, type LoopSummary, type Reach } from './loop-summary.js';
import type { Stage } from './loop-types.js';

/**
 * Additive totals of loop summaries, from which every figure of `cxloop report` follows: a flat
 * map `"<category>|<team>|<tier>|<counter>" -> count`. Totals of two sets of loops add field by
 * field, and a loop that moves is taken out (its old contribution subtracted) and put back, so a
 * read model can keep one tally per day as loops move and the report and the dashboard compute
 * their figures from the same totals. Only the verdicts that the clock alone can change (a target
 * not yet reached whose deadline is ahead) need the loops themselves: `figuresFromTally` is given
 * those undecided loops.
 */
export type FigureTally = Record<string, number>;

/** The time-dependent targets, as counter prefixes: acknowledged within 2 h / 6 h, closed within 48 h, detractor follow-up within 48 h. */
export type ReachCounter = 'a2' | 'a6' | 'c48' | 'f48';

/** A tally's group key: category, team and tier of the loops it counts. */
export interface TallyGroup {
  readonly category: string;
  readonly team: string;
  readonly tier: string;
}

/**
 * Time to first update is tallied in bands, so a day's tally stays a few hundred fields however
 * many loops it counts: to the minute under 10 min, 5 min under 1 h, 15 min under 4 h, the hour
 * under 48 h, then 12 h. A band is named by its lower bound, in minutes; the median and p90 are
 * the lower bound of the band they fall in.
 */
export function firstUpdateBand(seconds: number): number {
  const minutes = Math.floor(seconds / 60);
  const step = minutes < 10 ? 1 : minutes < 60 ? 5 : minutes < 240 ? 15 : minutes < 2880 ? 60 : 720;
  return minutes - (minutes % step);
}

/** The fields one loop adds to a tally. */
export function tallyOf(summary: LoopSummary): FigureTally {
  const group = `${summary.category}|${summary.team}|${summary.tier}|`;
  const tally: FigureTally = {};
  const add = (counter: string, count = 1): void => {
    if (count !== 0) tally[group + counter] = (tally[group + counter] ?? 0) + count;
  };
  add('loops');
  add(`stage:${summary.stage}`);
  const reaches: readonly [ReachCounter, readonly Reach[]][] = [
    ['a2', [summary.acknowledgedWithin2h]],
    ['a6', [summary.acknowledgedWithin6h]],
    ['c48', [summary.closedWithin48h]],
    ['f48', summary.followUps],
  ];
  for (const [counter, list] of reaches) {
    for (const reach of list) add(`${counter}:${reach.reachedAt === null ? 'open' : reach.reachedAt <= reach.deadline ? 'met' : 'late'}`);
  }
  if (summary.ackSla !== 'pending') add(`ackSla:${summary.ackSla}`);
  if (summary.resolveSla !== 'pending') add(`resSla:${summary.resolveSla}`);
  if (summary.firstUpdateSeconds !== null) add(`upd:${firstUpdateBand(summary.firstUpdateSeconds)}`);
  add('manual', summary.manualUpdates);
  add('overdue', summary.overdueUpdates);
  if (summary.solved) add('solved');
  if (summary.solved && summary.reopened) add('reopened');
  for (const [level, count] of Object.entries(summary.escalations)) add(`esc:${level}`, count);
  add(`from:${summary.routedCategory}`);
  if (summary.recategorised) add(`recat:${summary.routedCategory}`);
  return tally;
}

/** Adds `tally` (times `sign`) into `into`, in place; fields that reach 0 are dropped. */
export function addTally(into: FigureTally, tally: Readonly<FigureTally>, sign: 1 | -1 = 1): FigureTally {
  for (const [field, count] of Object.entries(tally)) {
    const next = (into[field] ?? 0) + sign * count;
    if (next === 0) delete into[field];
    else into[field] = next;
  }
  return into;
}

/** The tally of many loops. */
export function tallyLoops(summaries: readonly LoopSummary[]): FigureTally {
  const total: FigureTally = {};
  for (const summary of summaries) addTally(total, tallyOf(summary));
  return total;
}

/** The fields of the groups `keep` accepts (the dashboard's filters by team, category, tier). */
export function selectTally(tally: Readonly<FigureTally>, keep: (group: TallyGroup) => boolean): FigureTally {
  const selected: FigureTally = {};
  for (const [field, count] of Object.entries(tally)) {
    const parsed = parseField(field);
    if (parsed && keep(parsed.group)) selected[field] = count;
  }
  return selected;
}

/** The tally split by one dimension's values (one pass over the fields), e.g. a tally per team. */
export function splitTally(tally: Readonly<FigureTally>, dimension: keyof TallyGroup): Map<string, FigureTally> {
  const parts = new Map<string, FigureTally>();
  for (const [field, count] of Object.entries(tally)) {
    const parsed = parseField(field);
    if (!parsed) continue;
    const key = parsed.group[dimension];
    const part = parts.get(key) ?? {};
    part[field] = count;
    parts.set(key, part);
  }
  return parts;
}

/** `count` of `of`; `share` = count / of, or null when `of` is 0. */
export interface Ratio {
  readonly count: number;
  readonly of: number;
  readonly share: number | null;
}

/** The totals of one group (or of all), counter -> count, and the per-dimension groups. */
export interface TallyTotals {
  readonly all: Readonly<Record<string, number>>;
  readonly byCategory: ReadonlyMap<string, Readonly<Record<string, number>>>;
  readonly byTeam: ReadonlyMap<string, Readonly<Record<string, number>>>;
  readonly byTier: ReadonlyMap<string, Readonly<Record<string, number>>>;
  /** Targets still undecided at `now` among the undecided loops given, per time-dependent counter. */
  readonly pending: Readonly<Record<ReachCounter, number>>;
}

/**
 * Sums a tally over all groups and per category, team and tier, and counts the targets of
 * `undecided` (loops of the same selection; others may be among them if they are in the tally
 * too) that are still pending at `now`.
 */
export function totalsOf(tally: Readonly<FigureTally>, undecided: readonly LoopSummary[], now: number): TallyTotals {
  const all: Record<string, number> = {};
  const byCategory = new Map<string, Record<string, number>>();
  const byTeam = new Map<string, Record<string, number>>();
  const byTier = new Map<string, Record<string, number>>();
  const bump = (map: Map<string, Record<string, number>>, key: string, counter: string, count: number): void => {
    const group = map.get(key) ?? {};
    group[counter] = (group[counter] ?? 0) + count;
    map.set(key, group);
  };
  for (const [field, count] of Object.entries(tally)) {
    const parsed = parseField(field);
    if (!parsed || count === 0) continue;
    all[parsed.counter] = (all[parsed.counter] ?? 0) + count;
    bump(byCategory, parsed.group.category, parsed.counter, count);
    bump(byTeam, parsed.group.team, parsed.counter, count);
    bump(byTier, parsed.group.tier, parsed.counter, count);
  }
  const pending: Record<ReachCounter, number> = { a2: 0, a6: 0, c48: 0, f48: 0 };
  for (const summary of undecided) {
    const [a2, a6, c48, ...followUps] = reachesOf(summary);
    const counted: readonly [ReachCounter, Reach | undefined][] = [['a2', a2], ['a6', a6], ['c48', c48], ...followUps.map((reach): [ReachCounter, Reach] => ['f48', reach])];
    for (const [counter, reach] of counted) if (reach && outcomeAt(reach, now) === 'pending') pending[counter] += 1;
  }
  return { all, byCategory, byTeam, byTier, pending };
}

/** A time-dependent target's ratio: met over met and missed, where missed = reached late + not reached and no longer pending. */
export function reachRatio(totals: Readonly<Record<string, number>>, counter: ReachCounter, pending: number): Ratio {
  const met = totals[`${counter}:met`] ?? 0;
  const missed = (totals[`${counter}:late`] ?? 0) + (totals[`${counter}:open`] ?? 0) - pending;
  return ratio(met, met + missed);
}

export function ratio(count: number, of: number): Ratio {
  return { count, of, share: of === 0 ? null : count / of };
}

/** Stage counts of a group. */
export function stageCount(totals: Readonly<Record<string, number>>, stage: Stage): number {
  return totals[`stage:${stage}`] ?? 0;
}

/** First-update bands (lower bound in minutes -> loops), smallest first. */
export function firstUpdateHistogram(totals: Readonly<Record<string, number>>): [number, number][] {
  return Object.entries(totals)
    .flatMap(([counter, count]): [number, number][] => (counter.startsWith('upd:') && count > 0 ? [[Number(counter.slice(4)), count]] : []))
    .sort(([a], [b]) => a - b);
}

type ParsedField = { readonly group: TallyGroup; readonly counter: string } | null;
/** Parsed field names: the same few thousand names recur in every day's tally, so each is split once. */
const PARSED = new Map<string, ParsedField>();
const PARSED_MAX = 100_000;

function parseField(field: string): ParsedField {
  const known = PARSED.get(field);
  if (known !== undefined) return known;
  const [category, team, tier, counter] = field.split('|');
  const parsed = category === undefined || team === undefined || tier === undefined || counter === undefined ? null : { group: { category, team, tier }, counter };
  if (PARSED.size >= PARSED_MAX) PARSED.clear();
  PARSED.set(field, parsed);
  return parsed;
}

/** How often cxloop's category stood: loops whose routed category no person changed, overall and per routed category. */
export interface RoutingAccuracy {
  readonly overall: Ratio;
  readonly byCategory: readonly { readonly category: string; readonly kept: Ratio; readonly corrections: number }[];
}

export function routingAccuracy(tally: Readonly<FigureTally>): RoutingAccuracy {
  const routed = new Map<string, number>();
  const corrected = new Map<string, number>();
  for (const [field, count] of Object.entries(tally)) {
    const counter = parseField(field)?.counter ?? '';
    const [kind, category] = counter.split(':');
    if (category === undefined) continue;
    if (kind === 'from') routed.set(category, (routed.get(category) ?? 0) + count);
    if (kind === 'recat') corrected.set(category, (corrected.get(category) ?? 0) + count);
  }
  const byCategory = [...routed.entries()]
    .filter(([, loops]) => loops > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([category, loops]) => {
      const corrections = corrected.get(category) ?? 0;
      return { category, kept: ratio(loops - corrections, loops), corrections };
    });
  const loops = byCategory.reduce((sum, row) => sum + row.kept.of, 0);
  const corrections = byCategory.reduce((sum, row) => sum + row.corrections, 0);
  return { overall: ratio(loops - corrections, loops), byCategory };
}
