import type { RoutePlan } from '../../src/core/routing/route-plan.js';

/** When the tests' routing plans were received, and their ticket's version then (data only: no window checks it against the wall clock). */
export const PLAN_RECEIVED_AT = Date.UTC(2026, 10, 20, 10, 0, 0);

/** A routing plan to billing (group 1002, high) for ticket 5, with `overrides`. */
export function billingPlan(overrides: Partial<RoutePlan> = {}): RoutePlan {
  return {
    ticketId: 5,
    category: 'billing_issue',
    tier: 'high',
    confidence: 0.9,
    groupId: 1002,
    priority: 'high',
    note: 'cxloop routed this ticket',
    receivedAt: PLAN_RECEIVED_AT,
    base: { tags: ['vip'], groupId: 1000, priority: 'normal', updatedAt: PLAN_RECEIVED_AT },
    ...overrides,
  };
}
