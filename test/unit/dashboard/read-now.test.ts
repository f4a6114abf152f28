import { describe, expect, it } from 'vitest';
import { escapeHtml, html } from '../../../src/adapters/dashboard/html.js';
import type { DashboardReadDeps } from '../../../src/app/dashboard/dashboard-deps.js';
import { readNow, sortByUrgency } from '../../../src/app/dashboard/read-now.js';
import type { OpenLoopRow } from '../../../src/core/loop/open-loop-row.js';

const NOW = Date.UTC(2026, 10, 30, 12);
const row = (ticketId: number, openedAt: number, due: OpenLoopRow['due']): OpenLoopRow => ({
  ticketId, version: 1, stage: 'routed', category: 'bug_report', team: 'engineering', tier: 'normal', owner: null, openedAt, due, breaches: due?.breached ? ['acknowledge'] : [], escalationSteps: 0, snoozedUntil: null,
});

describe('sortByUrgency', () => {
  it('puts breaches first (oldest first), then the nearest deadline, then loops with none; ties by the oldest loop', () => {
    const rows = [
      row(1, NOW - 5, null),
      row(2, NOW - 4, { what: 'resolve', at: NOW + 3_600_000, breached: false }),
      row(3, NOW - 3, { what: 'acknowledge', at: NOW - 60_000, breached: true }),
      row(4, NOW - 9, { what: 'update', at: NOW + 60_000, breached: false }),
      row(5, NOW - 2, { what: 'acknowledge', at: NOW - 7_200_000, breached: true }),
      row(6, NOW - 8, { what: 'resolve', at: NOW + 3_600_000, breached: false }),
      row(7, NOW - 6, null),
      row(8, NOW - 1, { what: 'resolve', at: null, breached: true }),
    ];
    expect(sortByUrgency(rows).map((each) => each.ticketId)).toEqual([8, 5, 3, 4, 6, 2, 7, 1]);
    // The input is left as it was.
    expect(rows.map((each) => each.ticketId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('readNow', () => {
  // 700 open loops, most urgent last: every 5th breached, every 7th escalating.
  const rows = Array.from({ length: 700 }, (_, index) => ({
    ...row(9000 + index, NOW - index, { what: 'acknowledge', at: NOW + (700 - index) * 60_000, breached: index % 5 === 0 }),
    breaches: index % 5 === 0 ? (['acknowledge'] as const) : [],
    escalationSteps: index % 7 === 0 ? 1 : 0,
  }));
  const asked: number[][] = [];
  const deps = {
    dashboard: { openLoops: async () => rows },
    outbox: { backlog: async () => ({}) },
    people: { namesOf: async () => ({}) },
    briefs: { get: async (ticketId: number) => (asked.at(-1)!.push(ticketId), { ticketId, subject: `Subject ${ticketId}`, excerpt: '', why: '' }) },
  } as unknown as DashboardReadDeps;
  const scope = { teams: null, team: null, category: null, tier: null };

  it('reads the subjects of the rows the page lists (the first 500, and the first 100 breaches and escalations), or of every row for an export', async () => {
    asked.push([]);
    const page = await readNow(deps, scope);
    const escalating = page.rows.filter((each) => each.escalationSteps > 0).slice(0, 100);
    const breached = page.rows.filter((each) => each.breaches.length > 0).slice(0, 100);
    expect(new Set(asked[0])).toEqual(new Set([...page.rows.slice(0, 500), ...breached, ...escalating].map((each) => each.ticketId)));
    expect(escalating.every((each) => page.subjects.get(each.ticketId) === `Subject ${each.ticketId}`)).toBe(true);
    // Some escalations are beyond the first 500 rows: their subjects are read too.
    expect(escalating.some((each) => page.rows.indexOf(each) >= 500)).toBe(true);
    asked.push([]);
    const all = await readNow(deps, scope, { subjects: 'all' });
    expect(asked[1]).toHaveLength(700);
    expect(all.subjects.size).toBe(700);
  });
});

describe('escapeHtml', () => {
  it.each([
    ['#1234', '#1234'],
    ['<script>alert("x")</script>', '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'],
    ["Tom & Jerry's", 'Tom &amp; Jerry&#39;s'],
    ['', ''],
  ])('%s', (text, escaped) => {
    expect(escapeHtml(text)).toBe(escaped);
    expect(html`<td>${text}</td>`.text).toBe(`<td>${escaped}</td>`);
  });
});
