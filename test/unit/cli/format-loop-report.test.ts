import { describe, expect, it } from 'vitest';
import { formatLoopReport } from '../../../src/app/format-loop-report.js';
import { loopFigures, type FigureWindow, type LoopFigures, type Ratio } from '../../../src/core/loop/loop-figures.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const WINDOW: FigureWindow = { since: Date.UTC(2026, 10, 16, 0, 0), now: Date.UTC(2026, 10, 23, 9, 30) };

const ratio = (count: number, of: number): Ratio => ({ count, of, share: of === 0 ? null : count / of });

const FIGURES: LoopFigures = {
  loops: { opened: 12, open: 5, byStage: { routed: 1, acknowledged: 2, acted: 1, verified: 4, follow_up: 1, closed: 3 }, skipped: 1 },
  acknowledgedWithin2h: ratio(2, 3),
  acknowledgedWithin6h: ratio(11, 11),
  closedWithin48h: ratio(7, 9),
  sla: {
    overall: { key: 'all', loops: 12, ack: ratio(9, 10), resolve: ratio(8, 8) },
    byCategory: [
      { key: 'billing_issue', loops: 7, ack: ratio(6, 6), resolve: ratio(5, 5) },
      { key: 'bug_report', loops: 5, ack: ratio(3, 4), resolve: ratio(3, 3) },
    ],
    byTeam: [
      { key: 'billing', loops: 7, ack: ratio(6, 6), resolve: ratio(5, 5) },
      { key: 'engineering', loops: 5, ack: ratio(3, 4), resolve: ratio(3, 3) },
    ],
    byTier: [{ key: 'normal', loops: 12, ack: ratio(9, 10), resolve: ratio(8, 8) }],
  },
  timeToFirstUpdate: { count: 6, medianMs: 3 * MIN, p90Ms: HOUR + 5 * MIN },
  statusUpdates: { manual: 3, overdue: 1, onTime: ratio(3, 4) },
  reopened: ratio(1, 8),
  detractorFollowUps: { done: ratio(1, 2), pending: 1 },
  escalations: { total: 7, byLevel: { '10': 1, '0': 4, '2': 2 } },
};

describe('formatLoopReport', () => {
  it('prints the window, loops by stage, targets, SLA adherence and escalations in aligned columns', () => {
    expect(formatLoopReport(FIGURES, WINDOW)).toBe(
      [
        'cxloop report: loops opened 2026-11-16T00:00:00.000Z .. 2026-11-23T09:30:00.000Z',
        "Loops: 12 opened, 5 not yet verified or closed, 1 history skipped (no 'opened' entry)",
        '  routed        1',
        '  acknowledged  2',
        '  acted         1',
        '  verified      4',
        '  follow_up     1',
        '  closed        3',
        '',
        'Targets',
        '  Acknowledged within 2 h            66.7%  (2/3)',
        '  Acknowledged within 6 h           100.0%  (11/11)',
        '  Closed within 48 h                 77.8%  (7/9)',
        '  Status updates on time             75.0%  (3/4)    3 manual, 1 overdue',
        '  Reopen rate                        12.5%  (1/8)',
        '  Detractor follow-ups within 48 h   50.0%  (1/2)    1 pending',
        '',
        'Time to first update: median 3m, p90 1h 05m (6 loops with a manual update)',
        '',
        'SLA adherence',
        '  group                   loops  acknowledge     resolve',
        '  all                        12   90.0%  (9/10)  100.0%  (8/8)',
        '  category billing_issue      7  100.0%  (6/6)   100.0%  (5/5)',
        '  category bug_report         5   75.0%  (3/4)   100.0%  (3/3)',
        '  team billing                7  100.0%  (6/6)   100.0%  (5/5)',
        '  team engineering            5   75.0%  (3/4)   100.0%  (3/3)',
        '  tier normal                12   90.0%  (9/10)  100.0%  (8/8)',
        '',
        'Escalations: 7 (level 0: 4, level 2: 2, level 10: 1)',
        '',
      ].join('\n'),
    );
  });

  it("prints '-' for ratios without a denominator and says when there is no update or escalation", () => {
    const text = formatLoopReport(loopFigures([], WINDOW), WINDOW);
    expect(text).toContain('\nLoops: 0 opened, 0 not yet verified or closed\n');
    expect(text).toContain('\n  Acknowledged within 2 h                -  (0/0)\n');
    expect(text).toContain('\n  Status updates on time                 -  (0/0)  0 manual, 0 overdue\n');
    expect(text).toContain('\n  Detractor follow-ups within 48 h       -  (0/0)\n');
    expect(text).toContain('\nTime to first update: no manual update yet\n');
    expect(text).toContain('\n  group  loops  acknowledge    resolve\n  all        0       -  (0/0)       -  (0/0)\n');
    expect(text).toContain('\nEscalations: 0\n');
    expect(text).not.toContain('NaN');
  });

  it('prints durations in seconds, minutes, or hours and zero-padded minutes', () => {
    const at = (medianMs: number, p90Ms: number): string =>
      formatLoopReport({ ...FIGURES, timeToFirstUpdate: { count: 1, medianMs, p90Ms } }, WINDOW)
        .split('\n')
        .find((line) => line.startsWith('Time to first update'))!;
    expect(at(45_000, 59 * MIN + 29_000)).toBe('Time to first update: median 45s, p90 59m (1 loop with a manual update)');
    expect(at(59 * MIN + 30_000, 50 * HOUR)).toBe('Time to first update: median 1h 00m, p90 50h 00m (1 loop with a manual update)');
  });

  it('reports figures computed from histories', () => {
    const opened = { version: 1, event: 'opened', stage: 'routed', category: 'billing_issue', tier: 'normal', team: 'billing' } as const;
    const acknowledged = { ...opened, version: 2, event: 'acknowledge', stage: 'acknowledged' } as const;
    const histories = [
      [{ ...opened, at: WINDOW.since }, { ...acknowledged, at: WINDOW.since + HOUR, update: 'manual' as const }],
      [{ ...opened, at: WINDOW.since }, { ...acknowledged, at: WINDOW.since + 3 * HOUR }],
      [{ ...opened, at: WINDOW.since }],
    ];
    const text = formatLoopReport(loopFigures(histories, WINDOW), WINDOW);
    expect(text).toContain('\n  Acknowledged within 2 h            33.3%  (1/3)\n');
    expect(text).toContain('\n  Acknowledged within 6 h            66.7%  (2/3)\n');
    expect(text).toContain('\nTime to first update: median 1h 00m, p90 1h 00m (1 loop with a manual update)\n');
  });
});
