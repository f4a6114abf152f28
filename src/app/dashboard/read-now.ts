import type { PersonNames } from '../../core/loop/person-ref.js';
import type { OpenLoopRow } from '../../core/loop/open-loop-row.js';
import { inScope, type DashboardScope } from './dashboard-scope.js';
import type { DashboardReadDeps } from './dashboard-deps.js';

/** Rows the Now page lists (most urgent first); the counts and the CSV export cover all of them. */
export const NOW_ROWS_SHOWN = 500;
/** Rows the page lists of the breaches and of the escalations in flight. */
export const ALERT_ROWS_SHOWN = 100;

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
  /** Subjects of the rows the page shows, or of every row for an export (customer text: escape when rendering). */
  readonly subjects: ReadonlyMap<number, string>;
}

/** The Now page: open loops in scope, per-team load, breaches and escalations, Slack's queue per channel. */
export async function readNow(deps: DashboardReadDeps, scope: DashboardScope, options: { readonly subjects?: 'page' | 'all' } = {}): Promise<NowView> {
  const rows = sortByUrgency((await deps.dashboard.openLoops()).filter((row) => inScope(scope, row)));
  const teams = new Map<string, { open: number; breached: number; escalating: number }>();
  for (const row of rows) {
    const load = teams.get(row.team) ?? { open: 0, breached: 0, escalating: 0 };
    load.open += 1;
    if (row.breaches.length > 0) load.breached += 1;
    if (row.escalationSteps > 0) load.escalating += 1;
    teams.set(row.team, load);
  }
  const tickets = options.subjects === 'all' ? rows.map((row) => row.ticketId) : pageTickets(rows);
  const [backlog, names, subjects] = await Promise.all([deps.outbox.backlog(), namesOf(deps, rows), subjectsOf(deps, tickets)]);
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

/** The tickets the page lists: the first rows of the open loops, of the breaches and of the escalations. */
function pageTickets(rows: readonly OpenLoopRow[]): number[] {
  const first = (matching: (row: OpenLoopRow) => boolean): OpenLoopRow[] => {
    const found: OpenLoopRow[] = [];
    for (const row of rows) if (found.length < ALERT_ROWS_SHOWN && matching(row)) found.push(row);
    return found;
  };
  const shown = [...rows.slice(0, NOW_ROWS_SHOWN), ...first((row) => row.breaches.length > 0), ...first((row) => row.escalationSteps > 0)];
  return [...new Set(shown.map((row) => row.ticketId))];
}

/** Owners by name (cached lookups; an owner whose name cannot be had is shown by id). */
export function namesOf(deps: Pick<DashboardReadDeps, 'people'>, rows: readonly Pick<OpenLoopRow, 'owner'>[]): Promise<PersonNames> {
  return deps.people.namesOf([...new Set(rows.flatMap((row) => (row.owner === null ? [] : [row.owner])))]);
}

export async function subjectsOf(deps: Pick<DashboardReadDeps, 'briefs'>, ticketIds: readonly number[]): Promise<Map<number, string>> {
  const briefs = await Promise.all(ticketIds.map((id) => deps.briefs.get(id)));
  return new Map(briefs.flatMap((brief) => (brief === null ? [] : [[brief.ticketId, brief.subject] as const])));
}

/**
 * Breached first (oldest breach first), then the nearest deadline, then the oldest loop; each
 * row's urgency worked out once (10,000 rows are ~140,000 comparisons).
 */
export function sortByUrgency(rows: readonly OpenLoopRow[]): OpenLoopRow[] {
  const keyed = rows.map((row) => ({ row, urgency: urgency(row) }));
  keyed.sort((a, b) => a.urgency - b.urgency || a.row.openedAt - b.row.openedAt);
  return keyed.map((each) => each.row);
}

function urgency(row: OpenLoopRow): number {
  if (row.due === null) return Number.MAX_SAFE_INTEGER;
  if (row.due.breached) return -Number.MAX_SAFE_INTEGER + (row.due.at ?? 0);
  return row.due.at ?? Number.MAX_SAFE_INTEGER;
}
