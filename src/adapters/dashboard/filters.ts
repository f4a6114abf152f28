import type { Policy } from '../../config/policy-schema.js';
import { tierLabel } from '../../core/loop/loop-labels.js';
import { categoryLabel } from '../../core/routing/describe-routing.js';
import { CATEGORY_IDS, TIERS, isCategoryId, type Tier } from '../../core/taxonomy.js';
import { html, type Html } from './html.js';
import type { PageViewer } from './layout.js';

const DAY_MS = 86_400_000;
export const WINDOW_DAYS = [7, 30, 90] as const;

export interface Filters {
  readonly team: string | null;
  readonly category: string | null;
  readonly tier: string | null;
  /** The figures' window: the last `days` days, or from/to dates (YYYY-MM-DD, UTC, both days included). */
  readonly days: number;
  readonly from: string | null;
  readonly to: string | null;
}

export type ParsedFilters = { readonly ok: true; readonly filters: Filters } | { readonly ok: false; readonly problem: string };

/** The page's filters from its query; a value that is not one of the policy's is refused with what it may be. */
export function parseFilters(query: URLSearchParams, policy: Policy): ParsedFilters {
  const value = (name: string): string | null => {
    const text = query.get(name)?.trim() ?? '';
    return text === '' ? null : text;
  };
  const team = value('team');
  if (team !== null && !(team in policy.teams)) return { ok: false, problem: `team "${team.slice(0, 40)}" is not a team of the policy (teams: ${Object.keys(policy.teams).join(', ')})` };
  const category = value('category');
  if (category !== null && !isCategoryId(category)) return { ok: false, problem: `category "${category.slice(0, 40)}" is not one of ${CATEGORY_IDS.join(', ')}` };
  const tier = value('tier');
  if (tier !== null && !(TIERS as readonly string[]).includes(tier)) return { ok: false, problem: `tier "${tier.slice(0, 40)}" is not one of ${TIERS.join(', ')}` };
  const days = Number(value('days') ?? '7');
  if (!(WINDOW_DAYS as readonly number[]).includes(days)) return { ok: false, problem: `days must be one of ${WINDOW_DAYS.join(', ')}` };
  const from = value('since');
  const to = value('until');
  for (const [name, date] of [['since', from], ['until', to]] as const) {
    if (date !== null && (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))) return { ok: false, problem: `${name} must be a date like 2026-11-23` };
  }
  if (from !== null && to !== null && from > to) return { ok: false, problem: 'since must not be after until' };
  return { ok: true, filters: { team, category, tier, days, from, to } };
}

/** The window the filters choose, ending at `now` unless dates are given. */
export function windowOf(filters: Filters, now: number): { since: number; until: number; now: number } {
  if (filters.from === null && filters.to === null) return { since: now - filters.days * DAY_MS, until: now, now };
  const since = filters.from === null ? now - filters.days * DAY_MS : Date.parse(`${filters.from}T00:00:00Z`);
  const until = filters.to === null ? now : Math.min(now, Date.parse(`${filters.to}T00:00:00Z`) + DAY_MS - 1);
  return { since, until, now };
}

/** The filter form (GET, so a filtered page is a link to share); teams the viewer may see only. */
export function filterForm(input: { action: string; filters: Filters; policy: Policy; viewer: PageViewer; withWindow?: boolean }): Html {
  const { filters } = input;
  const teams = Object.keys(input.policy.teams).filter((team) => input.viewer.teams === null || input.viewer.teams.includes(team));
  const option = (value: string, label: string, selected: string | null): Html => html`<option value="${value}"${selected === value ? html` selected` : ''}>${label}</option>`;
  const select = (name: string, label: string, values: readonly [string, string][], selected: string | null): Html =>
    html`<label>${label} <select name="${name}">${option('', 'all', selected)}${values.map(([value, text]) => option(value, text, selected))}</select></label>`;
  return html`<form class="filters" method="get" action="${input.action}" aria-label="Filters">
${input.withWindow
    ? html`<label>Window <select name="days">${WINDOW_DAYS.map((days) => option(String(days), `last ${days} days`, String(filters.days)))}</select></label>
<label>or from <input type="date" name="since" value="${filters.from ?? ''}"></label>
<label>to <input type="date" name="until" value="${filters.to ?? ''}"></label>`
    : ''}
${select('team', 'Team', teams.map((team) => [team, team]), filters.team)}
${select('category', 'Category', CATEGORY_IDS.map((id) => [id, categoryLabel(id)]), filters.category)}
${select('tier', 'Tier', TIERS.map((tier: Tier) => [tier, tierLabel(tier)]), filters.tier)}
<button type="submit">Apply</button>
</form>`;
}
