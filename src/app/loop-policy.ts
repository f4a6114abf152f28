import type { Policy } from '../config/policy-schema.js';
import type { LoopPolicy } from '../core/loop/loop-types.js';
import { CATEGORY_IDS, TIERS, type CategoryId } from '../core/taxonomy.js';

const MINUTE = 60_000;
/** Snooze from Slack ranges from 30 minutes to `loop.max_snooze` (default 24 h). */
export const MIN_SNOOZE_MINUTES = 30;
const MIN_SNOOZE_MS = MIN_SNOOZE_MINUTES * MINUTE;

/** The policy file's loop settings in the shape (and milliseconds) the pure state machine takes. */
export function loopPolicyFrom(policy: Policy): LoopPolicy {
  return {
    categories: Object.fromEntries(
      CATEGORY_IDS.map((id): [CategoryId, LoopPolicy['categories'][CategoryId]] => {
        const category = policy.categories[id];
        return [
          id,
          {
            team: category.team,
            acknowledge: { remindMs: category.acknowledge.remind * MINUTE, breachMs: category.acknowledge.breach * MINUTE },
            onRouting: category.on_routing,
          },
        ];
      }),
    ) as LoopPolicy['categories'],
    tiers: Object.fromEntries(
      TIERS.map((id) => {
        const tier = policy.tiers[id];
        return [id, { update: { remindMs: tier.status_update.remind * MINUTE, breachMs: tier.status_update.breach * MINUTE }, resolveMs: tier.resolve * MINUTE }];
      }),
    ) as LoopPolicy['tiers'],
    teams: Object.fromEntries(
      Object.entries(policy.teams).map(([name, team]) => [
        name,
        {
          hours: team.hours,
          ladder: team.escalation.levels.map((level) => ({ afterBreachMs: level.after_breach * MINUTE, notify: level.notify })),
          repeat: team.escalation.repeat,
          repeatEveryMs: team.escalation.repeat_every * MINUTE,
        },
      ]),
    ),
    verifyWindowMs: policy.loop.verify_window * MINUTE,
    followUpMs: policy.loop.follow_up_sla * MINUTE,
    maxSnoozeMs: policy.loop.max_snooze * MINUTE,
    minSnoozeMs: MIN_SNOOZE_MS,
    customerUpdates: { tiers: policy.customers.updates.tiers, categories: policy.customers.updates.categories, on: policy.customers.updates.on },
  };
}
