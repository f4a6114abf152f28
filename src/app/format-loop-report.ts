import { hoursLabel, REPORT_TARGETS_MS, type FigureWindow, type LoopFigures, type Ratio, type SlaRow } from '../core/loop/loop-figures.js';
import type { Stage } from '../core/loop/loop-types.js';
import { RECATEGORISE_WINDOW_MS, type RoutingAccuracy } from '../core/learning/routing-accuracy.js';

type Align = 'left' | 'right';

const INDENT = '  ';
const STAGE_ORDER: readonly Stage[] = ['routed', 'acknowledged', 'acted', 'verified', 'follow_up', 'closed'];

/** The loop figures as a plain-text terminal report: each ratio as a percentage with its raw count/of. */
export function formatLoopReport(figures: LoopFigures, window: FigureWindow): string {
  const sections = [
    [`cxloop report: loops opened ${new Date(window.since).toISOString()} .. ${new Date(window.now).toISOString()}`, ...formatLoops(figures.loops)],
    formatTargets(figures),
    formatTimeToFirstUpdate(figures.timeToFirstUpdate),
    formatSla(figures.sla),
    formatEscalations(figures.escalations),
  ];
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

/**
 * Routing accuracy as a report section: overall and per category cxloop routed to, each with its
 * count, and how many younger routings are not counted yet.
 */
export function formatRoutingAccuracy(accuracy: RoutingAccuracy): string {
  const days = `${RECATEGORISE_WINDOW_MS / 86_400_000} d`;
  const rows = [['all', ratioCell(accuracy.overall)], ...accuracy.byCategory.map((row) => [`category ${row.category}`, ratioCell(row.kept)])];
  const { routed, recategorised } = accuracy.pending;
  const pending =
    routed === 0 ? [] : [`  not counted yet: ${routed} routed less than ${days} before the end of the window (${recategorised} of them already re-categorised)`];
  const hint = accuracy.overall.of === 0 && routed > 0 ? [`  no routing in the window is ${days} old yet: a longer window (--since 30d) shows the figure`] : [];
  return `${[`Routing accuracy: routed tickets nobody re-categorised within ${days}`, ...formatTable(rows, ['left', 'left']), ...pending, ...hint].join('\n')}\n`;
}

function formatLoops(loops: LoopFigures['loops']): string[] {
  const histories = loops.skipped === 1 ? 'history' : 'histories';
  const skipped = loops.skipped > 0 ? `, ${loops.skipped} ${histories} skipped (no 'opened' entry)` : '';
  const summary = `Loops: ${loops.opened} opened, ${loops.open} not yet verified or closed${skipped}`;
  return [summary, ...formatTable(STAGE_ORDER.map((stage) => [stage, String(loops.byStage[stage])]), ['left', 'right'])];
}

function formatTargets(figures: LoopFigures): string[] {
  const { statusUpdates, detractorFollowUps } = figures;
  const rows: string[][] = [
    [`Acknowledged within ${hoursLabel(REPORT_TARGETS_MS.acknowledgedFast)}`, ratioCell(figures.acknowledgedWithin2h)],
    [`Acknowledged within ${hoursLabel(REPORT_TARGETS_MS.acknowledged)}`, ratioCell(figures.acknowledgedWithin6h)],
    [`Closed within ${hoursLabel(REPORT_TARGETS_MS.closed)}`, ratioCell(figures.closedWithin48h)],
    ['Status updates on time', ratioCell(statusUpdates.onTime), `${statusUpdates.manual} manual, ${statusUpdates.overdue} overdue`],
    ['Reopen rate', ratioCell(figures.reopened)],
    [`Detractor follow-ups within ${hoursLabel(REPORT_TARGETS_MS.followUp)}`, ratioCell(detractorFollowUps.done), detractorFollowUps.pending > 0 ? `${detractorFollowUps.pending} pending` : ''],
  ];
  return ['Targets', ...formatTable(rows, ['left', 'left', 'left'])];
}

function formatTimeToFirstUpdate(time: LoopFigures['timeToFirstUpdate']): string[] {
  if (time.count === 0) return ['Time to first update: no manual update yet'];
  const loops = time.count === 1 ? '1 loop' : `${time.count} loops`;
  return [`Time to first update: median ${formatDurationMs(time.medianMs)}, p90 ${formatDurationMs(time.p90Ms)} (${loops} with a manual update)`];
}

function formatSla(sla: LoopFigures['sla']): string[] {
  const row = (label: string, values: SlaRow): string[] => [label, String(values.loops), ratioCell(values.ack), ratioCell(values.resolve)];
  const rows = [
    ['group', 'loops', 'acknowledge', 'resolve'],
    row('all', sla.overall),
    ...sla.byCategory.map((values) => row(`category ${values.key}`, values)),
    ...sla.byTeam.map((values) => row(`team ${values.key}`, values)),
    ...sla.byTier.map((values) => row(`tier ${values.key}`, values)),
  ];
  return ['SLA adherence', ...formatTable(rows, ['left', 'right', 'left', 'left'])];
}

function formatEscalations(escalations: LoopFigures['escalations']): string[] {
  const levels = Object.entries(escalations.byLevel).sort(([a], [b]) => Number(a) - Number(b));
  const detail = levels.length > 0 ? ` (${levels.map(([level, count]) => `level ${level}: ${count}`).join(', ')})` : '';
  return [`Escalations: ${escalations.total}${detail}`];
}

/** A ratio as " 66.7%  (2/3)", or "     -  (0/0)" without a denominator; the percentage is right-aligned. */
function ratioCell(ratio: Ratio): string {
  const percent = ratio.share === null ? '-' : `${(ratio.share * 100).toFixed(1)}%`;
  return `${percent.padStart('100.0%'.length)}  (${ratio.count}/${ratio.of})`;
}

/** "45s", "3m", "1h 05m", "50h 00m"; "-" for null. */
function formatDurationMs(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 60_000) return `${Math.floor(ms / 1000)}s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** Rows as indented lines with columns padded to their widest cell, two spaces apart. */
function formatTable(rows: readonly (readonly string[])[], align: readonly Align[]): string[] {
  const widths = align.map((_, column) => Math.max(0, ...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) => {
    const cells = widths.map((width, column) => {
      const cell = row[column] ?? '';
      return align[column] === 'right' ? cell.padStart(width) : cell.padEnd(width);
    });
    return `${INDENT}${cells.join('  ')}`.trimEnd();
  });
}
