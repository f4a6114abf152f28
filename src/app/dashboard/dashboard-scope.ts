import type { TallyGroup } from '../../core/loop/figure-tally.js';

/**
 * What one dashboard request may see and asked to see: the viewer's teams (null: an admin, every
 * team) and the page's filters. Every read goes through `inScope`, so a filter can narrow what a
 * viewer sees but never widen it.
 */
export interface DashboardScope {
  /** Teams the viewer may see; null for every team. */
  readonly teams: readonly string[] | null;
  readonly team: string | null;
  readonly category: string | null;
  readonly tier: string | null;
}

export function inScope(scope: DashboardScope, group: TallyGroup): boolean {
  if (scope.teams !== null && !scope.teams.includes(group.team)) return false;
  if (scope.team !== null && group.team !== scope.team) return false;
  if (scope.category !== null && group.category !== scope.category) return false;
  return scope.tier === null || group.tier === scope.tier;
}

/** Every team and no filter: an admin's unfiltered page, which needs no selection at all. */
export function unrestricted(scope: DashboardScope): boolean {
  return scope.teams === null && scope.team === null && scope.category === null && scope.tier === null;
}

/** May the viewer see this team at all (a ticket page, a team filter)? */
export function maySee(scope: Pick<DashboardScope, 'teams'>, team: string): boolean {
  return scope.teams === null || scope.teams.includes(team);
}
