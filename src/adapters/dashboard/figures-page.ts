import type { FiguresView, GroupFigures } from '../../app/dashboard/read-figures.js';
import type { Policy } from '../../config/policy-schema.js';
import { formatDuration } from '../../core/duration.js';
import { hoursLabel, REPORT_TARGETS_MS, type LoopFigures } from '../../core/loop/loop-figures.js';
import { REPORT_GOALS } from '../../core/loop/loop-summary.js';
import { tierLabel } from '../../core/loop/loop-labels.js';
import { categoryLabel } from '../../core/routing/describe-routing.js';
import { isCategoryId, TIERS, type Tier } from '../../core/taxonomy.js';
import type { Ratio } from '../../core/loop/figure-tally.js';
import { filterForm, type Filters } from './filters.js';
import { formatCount, formatShare, formatWhen, percent } from './format.js';
import { html, jsonForScript, type Html } from './html.js';
import { csvLink, layout, type PageViewer } from './layout.js';
import { renderTable, type Cell, type Table } from './table.js';

/** A chart as the page's script draws it with Chart.js: bars (or lines) per series, each target a dashed line. */
export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly type: 'bar' | 'line';
  readonly labels: readonly string[];
  readonly series: readonly { readonly label: string; readonly data: readonly (number | null)[] }[];
  readonly targets: readonly { readonly label: string; readonly value: number }[];
}

const TARGET_LINES = [
  { label: `goal ${REPORT_GOALS.acknowledgedFast * 100} % acknowledged within ${hoursLabel(REPORT_TARGETS_MS.acknowledgedFast)}`, value: REPORT_GOALS.acknowledgedFast * 100 },
  { label: `goal ${REPORT_GOALS.acknowledged * 100} % acknowledged within ${hoursLabel(REPORT_TARGETS_MS.acknowledged)}`, value: REPORT_GOALS.acknowledged * 100 },
  { label: `goal ${REPORT_GOALS.closed * 100} % closed within ${hoursLabel(REPORT_TARGETS_MS.closed)}`, value: REPORT_GOALS.closed * 100 },
];
const TARGET_SERIES = [`Acknowledged within ${hoursLabel(REPORT_TARGETS_MS.acknowledgedFast)}`, `Acknowledged within ${hoursLabel(REPORT_TARGETS_MS.acknowledged)}`, `Closed within ${hoursLabel(REPORT_TARGETS_MS.closed)}`];
const targetRatios = (figures: LoopFigures): Ratio[] => [figures.acknowledgedWithin2h, figures.acknowledgedWithin6h, figures.closedWithin48h];

/** The Figures page's charts (the numbers of its tables, as percentages). */
export function figureCharts(view: FiguresView): ChartSpec[] {
  const { figures } = view;
  const overall: ChartSpec = {
    id: 'chart-targets',
    title: 'Targets',
    type: 'bar',
    labels: [...TARGET_SERIES, 'Status updates on time', `Detractor follow-ups within ${hoursLabel(REPORT_TARGETS_MS.followUp)}`],
    series: [{ label: 'Share of loops', data: [...targetRatios(figures), figures.statusUpdates.onTime, figures.detractorFollowUps.done].map(percent) }],
    targets: TARGET_LINES,
  };
  const byGroup = (id: string, title: string, groups: readonly GroupFigures[], label: (key: string) => string): ChartSpec => ({
    id,
    title,
    type: 'bar',
    labels: groups.map((group) => label(group.key)),
    series: TARGET_SERIES.map((series, index) => ({ label: series, data: groups.map((group) => percent(targetRatios(group.figures)[index]!)) })),
    targets: TARGET_LINES,
  });
  return [
    overall,
    byGroup('chart-teams', 'By team', view.byTeam, (key) => key),
    byGroup('chart-categories', 'By category', view.byCategory, categoryName),
    byGroup('chart-tiers', 'By tier', view.byTier, tierName),
    {
      id: 'chart-weeks',
      title: 'Week over week',
      type: 'line',
      labels: view.weeks.map((week) => `week of ${formatWhen(week.start).slice(0, 10)}`),
      series: [
        ...TARGET_SERIES.map((series, index) => ({ label: series, data: view.weeks.map((week) => percent(targetRatios(week.figures)[index]!)) })),
        { label: 'Routing accuracy (category kept)', data: view.weeks.map((week) => percent(week.routing)) },
      ],
      targets: TARGET_LINES,
    },
    {
      id: 'chart-sla',
      title: 'SLA adherence by category',
      type: 'bar',
      labels: view.figures.sla.byCategory.map((row) => categoryName(row.key)),
      series: [
        { label: 'Acknowledge SLA met', data: view.figures.sla.byCategory.map((row) => percent(row.ack)) },
        { label: 'Resolve SLA met', data: view.figures.sla.byCategory.map((row) => percent(row.resolve)) },
      ],
      targets: [],
    },
    {
      id: 'chart-routing',
      title: 'Routing accuracy by category',
      type: 'bar',
      labels: view.routing.byCategory.map((row) => categoryName(row.category)),
      series: [{ label: 'Category kept (not re-categorised)', data: view.routing.byCategory.map((row) => percent(row.kept)) }],
      targets: [],
    },
  ];
}

/** The Figures page's tables, for the page and export.csv alike. */
export function figureTables(view: FiguresView, policy: Policy): Table[] {
  const { figures } = view;
  const ratioCells = (ratio: Ratio): Cell[] => [formatShare(ratio), formatCount(ratio)];
  const goal = (value: number | null): string => (value === null ? '' : `${value * 100} %`);
  const groupRows = (groups: readonly GroupFigures[], label: (key: string) => string): Cell[][] =>
    groups.map((group) => [label(group.key), group.figures.loops.opened, ...targetRatios(group.figures).flatMap(ratioCells), ...ratioCells(group.figures.statusUpdates.onTime)]);
  const groupHead = (first: string): string[] => [first, 'Loops', ...TARGET_SERIES.flatMap((series) => [series, 'count']), 'Updates on time', 'count'];
  const noLoops = html`No loop was opened in this window. Pick a longer window, or run <code>npm run demo -- --keep</code> for sample data.`;
  const slaRow = (label: string, sla: string, row: LoopFigures['sla']['overall']): Cell[] => [label, sla, row.loops, ...ratioCells(row.ack), ...ratioCells(row.resolve)];
  return [
    {
      id: 'targets',
      caption: 'Targets',
      head: ['Figure', 'Share', 'count', 'Goal'],
      rows: [
        [TARGET_SERIES[0]!, ...ratioCells(figures.acknowledgedWithin2h), goal(REPORT_GOALS.acknowledgedFast)],
        [TARGET_SERIES[1]!, ...ratioCells(figures.acknowledgedWithin6h), goal(REPORT_GOALS.acknowledged)],
        [TARGET_SERIES[2]!, ...ratioCells(figures.closedWithin48h), goal(REPORT_GOALS.closed)],
        ['Status updates on time', ...ratioCells(figures.statusUpdates.onTime), ''],
        ['Reopen rate', ...ratioCells(figures.reopened), ''],
        [`Detractor follow-ups within ${hoursLabel(REPORT_TARGETS_MS.followUp)}`, ...ratioCells(figures.detractorFollowUps.done), ''],
      ],
      empty: noLoops,
    },
    {
      id: 'loops',
      caption: 'Loops',
      head: ['Opened', 'Still open', 'Routed', 'Acknowledged', 'Solved, verifying', 'Verified', 'Follow-up', 'Closed', 'Time to first update (median)', 'p90', 'Escalations'],
      rows:
        figures.loops.opened === 0
          ? []
          : [
              [
                figures.loops.opened,
                figures.loops.open,
                figures.loops.byStage.routed,
                figures.loops.byStage.acknowledged,
                figures.loops.byStage.acted,
                figures.loops.byStage.verified,
                figures.loops.byStage.follow_up,
                figures.loops.byStage.closed,
                durationCell(figures.timeToFirstUpdate.medianMs),
                durationCell(figures.timeToFirstUpdate.p90Ms),
                figures.escalations.total,
              ],
            ],
      empty: noLoops,
    },
    { id: 'teams', caption: 'By team', head: groupHead('Team'), rows: groupRows(view.byTeam, (key) => key), empty: noLoops },
    { id: 'categories', caption: 'By category', head: groupHead('Category'), rows: groupRows(view.byCategory, categoryName), empty: noLoops },
    { id: 'tiers', caption: 'By tier', head: groupHead('Tier'), rows: groupRows(view.byTier, tierName), empty: noLoops },
    {
      id: 'sla',
      caption: 'SLA adherence',
      head: ['Group', 'SLA', 'Loops', 'Acknowledge SLA met', 'count', 'Resolve SLA met', 'count'],
      rows:
        figures.loops.opened === 0
          ? []
          : [
              slaRow('all', '', figures.sla.overall),
              ...figures.sla.byCategory.map((row) => slaRow(`category ${categoryName(row.key)}`, categorySla(policy, row.key), row)),
              ...figures.sla.byTeam.map((row) => slaRow(`team ${row.key}`, '', row)),
              ...figures.sla.byTier.map((row) => slaRow(`tier ${tierName(row.key)}`, tierSla(policy, row.key), row)),
            ],
      empty: noLoops,
    },
    {
      id: 'weeks',
      caption: 'Week over week',
      head: ['Week of', 'Loops', ...TARGET_SERIES.flatMap((series) => [series, 'count', 'change']), 'Corrections'],
      rows: view.weeks.flatMap((week, index) => {
        if (week.figures.loops.opened === 0) return [];
        const before = index === 0 ? undefined : view.weeks[index - 1];
        const cells = targetRatios(week.figures).flatMap((ratio, target) => [...ratioCells(ratio), change(ratio, before && before.figures.loops.opened > 0 ? targetRatios(before.figures)[target] : undefined)]);
        return [[formatWhen(week.start).slice(0, 10), week.figures.loops.opened, ...cells, week.routing.of - week.routing.count]];
      }),
      empty: noLoops,
    },
    {
      id: 'routing',
      caption: 'Routing accuracy (category kept, not re-categorised)',
      head: ['Category cxloop chose', 'Loops', 'Kept', 'count', 'Corrections'],
      rows: [
        ...(view.routing.overall.of === 0 ? [] : [['all', view.routing.overall.of, ...ratioCells(view.routing.overall), view.routing.overall.of - view.routing.overall.count] as Cell[]]),
        ...view.routing.byCategory.map((row) => [categoryName(row.category), row.kept.of, ...ratioCells(row.kept), row.corrections]),
      ],
      empty: noLoops,
    },
  ];
}

export function figuresPage(input: { view: FiguresView; viewer: PageViewer; filters: Filters; query: URLSearchParams; policy: Policy }): Html {
  const { view } = input;
  const charts = figureCharts(view);
  const tables = new Map(figureTables(view, input.policy).map((table) => [table.id, table]));
  const table = (id: string): Html => {
    const found = tables.get(id);
    return found ? renderTable(found, csvLink('/dashboard/figures', input.query, id)) : html``;
  };
  const chart = (spec: ChartSpec | undefined): Html =>
    spec ? html`<figure class="chart"><figcaption>${spec.title}</figcaption><div class="canvas"><canvas id="${spec.id}" role="img" aria-label="${spec.title}: chart of the table below"></canvas></div></figure>` : html``;
  const byId = new Map(charts.map((spec) => [spec.id, spec]));
  return layout({
    title: 'Figures',
    active: 'figures',
    viewer: input.viewer,
    now: view.window.now,
    body: html`<h1>Figures</h1>
<p class="lede">Loops opened ${formatWhen(view.window.since)} to ${formatWhen(view.window.until)}, as they stand now: the figures of <code>cxloop report</code>, each against its goal.</p>
${filterForm({ action: '/dashboard/figures', filters: input.filters, policy: input.policy, viewer: input.viewer, withWindow: true })}
<script type="application/json" id="chart-data">${jsonForScript(charts)}</script>
${chart(byId.get('chart-targets'))}${table('targets')}${table('loops')}
${chart(byId.get('chart-teams'))}${table('teams')}
${chart(byId.get('chart-categories'))}${table('categories')}
${chart(byId.get('chart-tiers'))}${table('tiers')}
${chart(byId.get('chart-weeks'))}${table('weeks')}
${chart(byId.get('chart-sla'))}${table('sla')}
${chart(byId.get('chart-routing'))}${table('routing')}`,
  });
}

function categoryName(key: string): string {
  return isCategoryId(key) ? categoryLabel(key) : key;
}

function tierName(key: string): string {
  return (TIERS as readonly string[]).includes(key) ? tierLabel(key as Tier) : key;
}

function categorySla(policy: Policy, key: string): string {
  return isCategoryId(key) ? `acknowledge within ${formatDuration(policy.categories[key].acknowledge.breach)}` : '';
}

function tierSla(policy: Policy, key: string): string {
  return (TIERS as readonly string[]).includes(key) ? `resolve within ${formatDuration(policy.tiers[key as Tier].resolve)}` : '';
}

/** A share's change from the week before, in percentage points ("+3.5 pts"); "–" without both shares. */
function change(ratio: Ratio, before: Ratio | undefined): string {
  const now = percent(ratio);
  const then = before === undefined ? null : percent(before);
  if (now === null || then === null) return '–';
  const points = Math.round((now - then) * 10) / 10;
  return `${points > 0 ? '+' : points < 0 ? '−' : '±'}${Math.abs(points).toFixed(1)} pts`;
}

function durationCell(ms: number | null): string {
  return ms === null ? '–' : formatDuration(Math.round(ms / 60_000));
}
