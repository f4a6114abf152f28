/**
 * What a category's `on_routing` may ask for when cxloop routes one of its tickets. The one list:
 * the policy schema's enum, the types and both handler tables (the routing write's in
 * app/run-routing-actions.ts, the loop opening's in core/loop/transition.ts) derive from it, so a
 * new action that either table forgets fails the type check.
 */
export const ROUTING_ACTIONS = [
  'attach_requester_context',
  'tag_for_pm_review',
  'suggest_article',
  'ping_incident_channel',
  'flag_live_status',
  'start_csat_followup',
] as const;

export type RoutingAction = (typeof ROUTING_ACTIONS)[number];
