import type { NowView } from '../../app/dashboard/read-now.js';
import { ALERT_ROWS_SHOWN, NOW_ROWS_SHOWN } from '../../app/dashboard/read-now.js';
import type { Policy } from '../../config/policy-schema.js';
import { stageLabel, tierLabel } from '../../core/loop/loop-labels.js';
import type { OpenLoopRow } from '../../core/loop/open-loop-row.js';
import { personName, type PersonNames } from '../../core/loop/person-ref.js';
import { categoryLabel } from '../../core/routing/describe-routing.js';
import { isCategoryId } from '../../core/taxonomy.js';
import { filterForm, type Filters } from './filters.js';
import { formatRelative, formatWhen } from './format.js';
import { html, type Html } from './html.js';
import { csvLink, layout, type PageViewer } from './layout.js';
import { renderCell, renderTable, type Cell, type Table } from './table.js';

const DUE_LABELS = { acknowledge: 'acknowledge', update: 'status update', resolve: 'resolve', verify: 'verify window ends' } as const;
const NO_LOOPS = html`No open loops. Tickets appear here as soon as cxloop routes them. To look around with sample data, run <code>npm run demo -- --keep</code> and open the link it prints.`;

/**
 * The Now page's tables, for the page and for export.csv alike. `page`: only the rows the page
 * shows get cells (10,000 open loops need no markup for the 9,500 the page does not list).
 */
export function nowTables(view: NowView, now: number, options: { page?: boolean } = {}): Table[] {
  const row = (loop: OpenLoopRow): Cell[] => nowRowCells(loop, view.names, view.subjects.get(loop.ticketId) ?? null, now);
  const cut = <T>(rows: readonly T[], shown: number): readonly T[] => (options.page ? rows.slice(0, shown) : rows);
  const allBreached = view.rows.filter((loop) => loop.breaches.length > 0);
  const allEscalating = view.rows.filter((loop) => loop.escalationSteps > 0);
  const breached = cut(allBreached, ALERT_ROWS_SHOWN);
  const escalating = cut(allEscalating, ALERT_ROWS_SHOWN);
  const open = cut(view.rows, NOW_ROWS_SHOWN);
  return [
    {
      id: 'teams',
      caption: 'Open loops per team',
      head: ['Team', 'Open', 'Breached now', 'Escalating'],
      rows: view.byTeam.map((team) => [team.team, team.open, team.breached, team.escalating]),
      empty: NO_LOOPS,
    },
    { id: 'breaches', caption: 'Breaches now', head: NOW_HEAD, rows: breached.map(row), shown: ALERT_ROWS_SHOWN, total: allBreached.length, empty: 'Nothing is breached right now.', rowAttributes: (index) => rowAttributes(breached[index]) },
    { id: 'escalations', caption: 'Escalations in flight', head: [...NOW_HEAD, 'Escalation steps sent'], rows: escalating.map((loop) => [...row(loop), loop.escalationSteps]), shown: ALERT_ROWS_SHOWN, total: allEscalating.length, empty: 'No escalation is in flight.' },
    { id: 'open', caption: 'Open loops', head: NOW_HEAD, rows: open.map(row), shown: NOW_ROWS_SHOWN, total: view.rows.length, empty: NO_LOOPS, rowAttributes: (index) => rowAttributes(open[index]) },
    { id: 'slack', caption: 'Slack messages waiting, per channel', head: ['Channel', 'Waiting'], rows: view.slackLoad.map((load) => [load.channel, load.waiting]), empty: 'Nothing is waiting to be sent to Slack.' },
  ];
}

/** What needs doing first (next due, stage, owner): on a phone those are in view before the table scrolls. */
const NOW_HEAD = ['Ticket', 'Subject', 'Next due', 'Stage', 'Owner', 'Team', 'Category', 'Tier', 'Breached'];

/** One open loop's cells; the subject is customer text (escaped by the template, cut for the table). */
export function nowRowCells(loop: OpenLoopRow, names: PersonNames, subject: string | null, now: number): Cell[] {
  const due = loop.due;
  const relative = due === null || due.at === null ? '' : formatRelative(due.at, now);
  const when = due === null || due.at === null ? '' : formatWhen(due.at);
  const dueText = due === null ? '–' : due.at === null ? `${DUE_LABELS[due.what]} breached` : `${DUE_LABELS[due.what]} ${relative} (${when})`;
  return [
    { text: `#${loop.ticketId}`, html: html`<a href="/dashboard/ticket?id=${loop.ticketId}">#${loop.ticketId}</a>` },
    subject === null ? '' : subject.slice(0, 120),
    due === null || due.at === null
      ? dueText
      : { text: dueText, html: html`<span class="due${due.breached || due.at < now ? ' late' : ''}">${DUE_LABELS[due.what]} <time datetime="${new Date(due.at).toISOString()}" data-due="${due.at}">${relative}</time> <small>${when}</small></span>` },
    stageLabel(loop.stage),
    loop.owner === null ? 'nobody yet' : personName(loop.owner, names),
    loop.team,
    isCategoryId(loop.category) ? categoryLabel(loop.category) : loop.category,
    tierLabel(loop.tier),
    loop.breaches.length === 0 ? '' : { text: loop.breaches.join(', '), html: html`<span class="badge">${loop.breaches.join(', ')}</span>` },
  ];
}

function rowAttributes(loop: OpenLoopRow | undefined): Html {
  return loop ? html` data-ticket="${loop.ticketId}" data-team="${loop.team}"` : html``;
}

/** One row as the live update sends it (the browser swaps it in by its ticket). */
export function renderNowRow(loop: OpenLoopRow, names: PersonNames, subject: string | null, now: number): Html {
  return html`<tr${rowAttributes(loop)}>${nowRowCells(loop, names, subject, now).map(renderCell)}</tr>`;
}

export function nowPage(input: { view: NowView; viewer: PageViewer; filters: Filters; query: URLSearchParams; policy: Policy; now: number }): Html {
  const tables = nowTables(input.view, input.now, { page: true });
  const live = new URLSearchParams(input.query);
  return layout({
    title: 'Now',
    active: 'now',
    viewer: input.viewer,
    now: input.now,
    live: true,
    body: html`<h1>Now</h1>
<p class="lede">Open loops and their clocks, ${formatWhen(input.now)}. <span id="live-status" role="status" data-events="/dashboard/events?${live.toString()}">Live updates connecting…</span></p>
${filterForm({ action: '/dashboard', filters: input.filters, policy: input.policy, viewer: input.viewer })}
${tables.map((table) => renderTable(table, csvLink('/dashboard', input.query, table.id)))}`,
  });
}
