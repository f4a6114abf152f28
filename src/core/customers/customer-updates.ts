import type { LoopState, Stage } from '../loop/loop-types.js';
import type { CategoryId, Tier } from '../taxonomy.js';
import type { CustomerUpdateKind } from './customer-texts.js';

/** Who gets public comments: tickets whose tier and category are both listed, at the moments in `on`. */
export interface CustomerUpdatePolicy {
  readonly tiers: readonly Tier[];
  readonly categories: readonly CategoryId[];
  readonly on: readonly CustomerUpdateKind[];
}

/** Whether the loop's ticket gets a public comment of `kind` (opt-in: no policy, none). */
export function wantsCustomerUpdate(state: Pick<LoopState, 'tier' | 'category'>, kind: CustomerUpdateKind, policy: CustomerUpdatePolicy | undefined): boolean {
  return policy !== undefined && policy.on.includes(kind) && policy.tiers.includes(state.tier) && policy.categories.includes(state.category);
}

const STAGES_OF: Readonly<Record<CustomerUpdateKind, readonly Stage[]>> = {
  acknowledged: ['acknowledged'],
  revised_eta: ['routed', 'acknowledged', 'follow_up'],
  solved: ['acted'],
};

/**
 * Whether a comment is still true of the loop as it is when it would be sent: one that waited
 * for the cadence (or a retry) is dropped once the loop moved on (an acknowledgement after the
 * ticket was solved, "solved" after a reopen).
 */
export function customerUpdateHolds(kind: CustomerUpdateKind, stage: Stage): boolean {
  return STAGES_OF[kind].includes(stage);
}
