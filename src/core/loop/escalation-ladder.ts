import type { LoopPolicy, NotifyLevel } from './loop-types.js';

type TeamPolicy = LoopPolicy['teams'][string];

/** One step of a team's acknowledge ladder: a level (1-based) in a round (0 = first time), due at `at`. */
export interface LadderStep {
  readonly level: number;
  readonly round: number;
  readonly at: number;
  readonly notify: NotifyLevel['notify'];
}

const NOTIFY_ORDER: NotifyLevel['notify'] = ['team_channel', 'usergroup', 'lead', 'escalation_channel'];

/**
 * The ladder after a breach at `breachAt`, every level of every round (the first and `repeat`
 * repeats, `repeat_every` apart), in the order they fall due. A level is never announced after
 * one due later, whatever the offsets: with levels at 0 m and 2 h and a repeat every hour, the
 * first repeat of level 1 (1 h) comes before level 2 (2 h), not right after it.
 */
export function ladderSteps(team: TeamPolicy | undefined, breachAt: number): LadderStep[] {
  if (!team || team.ladder.length === 0) return [];
  const steps: LadderStep[] = [];
  for (let round = 0; round <= team.repeat; round += 1) {
    team.ladder.forEach((level, index) => steps.push({ level: index + 1, round, at: breachAt + round * team.repeatEveryMs + level.afterBreachMs, notify: level.notify }));
  }
  // Ties: the lower level first (it is folded into the higher one when both are due, see dueSteps).
  return steps.sort((a, b) => a.at - b.at || a.level - b.level || a.round - b.round);
}

/**
 * The steps due at `now` from `from` on (at least the one at `from`, whose timer fired), folded
 * into one announcement: several steps due at once (a snooze that ended, workers that were down,
 * two levels due at the same minute) make one message per destination, not one per step. The
 * announcement is the highest level among them (its latest round) and tells everyone any of
 * them would have told. Returns null when no step is left.
 */
export function dueSteps(steps: readonly LadderStep[], from: number, now: number): { readonly step: LadderStep; readonly next: number } | null {
  const first = steps[from];
  if (!first) return null;
  let top = first;
  const notify = new Set(first.notify);
  let next = from + 1;
  for (; next < steps.length && steps[next]!.at <= now; next += 1) {
    const step = steps[next]!;
    step.notify.forEach((target) => notify.add(target));
    if (step.level > top.level || (step.level === top.level && step.round >= top.round)) top = step;
  }
  return { step: { ...top, notify: NOTIFY_ORDER.filter((target) => notify.has(target)) }, next };
}
