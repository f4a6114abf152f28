import type { PersonNames } from '../../core/loop/person-ref.js';
import type { OpenLoopRow } from '../../core/loop/open-loop-row.js';
import { inScope, type DashboardScope } from './dashboard-scope.js';
import type { DashboardReadDeps } from './dashboard-deps.js';

/** Rows the Now page lists (most urgent first); the counts and the CSV export cover all of them. */
export const NOW_ROWS_SHOWN = 500;

export interface TeamLoad {
  readonly team: string;
  readonly open: number;
  readonly breached: number;
  readonly escalating: number;
}

export interface NowView {
  /** Every open loop in scope, most urgent first. */
  readonly rows: readonly OpenLoopRow[];
  readonly byTeam: readonly TeamLoad[];
  /** Slack messages waiting per channel (the whole install's: channels are shared). */
  readonly slackLoad: readonly { readonly channel: string; readonly waiting: number }[];
  readonly names: PersonNames;
  /** Subjects of the rows shown (customer text: escape when rendering). */
  readonly subjects: ReadonlyMap<number, string>;
}

/** The Now page: open loops in scope, per-team load, breaches and escalations, Slack's queue per channel. */
export async function readNow(deps: DashboardReadDeps, scope: DashboardScope, options: { readonly shown?: number } = {}): Promise<NowView> {
  const rows = (await deps.dashboard.openLoops()).filter((row) => inScope(scope, row)).sort(byUrgency);
  const teams = new Map<string, { open: number; breached: number; escalating: number }>();
  for (const row of rows) {
    const load = teams.get(row.team) ?? { open: 0, breached: 0, escalating: 0 };
    load.open += 1;
    if (row.breaches.length > 0) load.breached += 1;
    if (row.escalationSteps > 0) load.escalating += 1;
    teams.set(row.team, load);
  }
  const shown = rows.slice(0, options.shown ?? NOW_ROWS_SHOWN);
  const [backlog, names, subjects] = await Promise.all([deps.outbox.backlog(), namesOf(deps, rows), subjectsOf(deps, shown.map((row) => row.ticketId))]);
  return {
    rows,
    byTeam: [...teams.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([team, load]) => ({ team, ...load })),
    slackLoad: Object.entries(backlog)
      .sort(([, a], [, b]) => b - a)
      .map(([channel, waiting]) => ({ channel, waiting })),
    names,
    subjects,
  };
}

/** Owners by name (cached lookups; an owner whose name cannot be had is shown by id). */
export function namesOf(deps: Pick<DashboardReadDeps, 'people'>, rows: readonly Pick<OpenLoopRow, 'owner'>[]): Promise<PersonNames> {
  return deps.people.namesOf([...new Set(rows.flatMap((row) => (row.owner === null ? [] : [row.owner])))]);
}

export async function subjectsOf(deps: Pick<DashboardReadDeps, 'briefs'>, ticketIds: readonly number[]): Promise<Map<number, string>> {
  const briefs = await Promise.all(ticketIds.map((id) => deps.briefs.get(id)));
  return new Map(briefs.flatMap((brief) => (brief === null ? [] : [[brief.ticketId, brief.subject] as const])));
}

/** Breached first (oldest breach first), then the nearest deadline, then the oldest loop. */
export function byUrgency(a: OpenLoopRow, b: OpenLoopRow): number {
  return urgency(a) - urgency(b) || a.openedAt - b.openedAt;
}

function urgency(row: OpenLoopRow): number {
  if (row.due === null) return Number.MAX_SAFE_INTEGER;
  if (row.due.breached) return -Number.MAX_SAFE_INTEGER + (row.due.at ?? 0);
  return row.due.at ?? Number.MAX_SAFE_INTEGER;
}
