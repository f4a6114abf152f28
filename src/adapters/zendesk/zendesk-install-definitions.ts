/**
 * What `cxloop install zendesk` sets up in Zendesk, as data. manifests/zendesk/*.json hold the same
 * request bodies with {{CXLOOP_PUBLIC_URL}} / {{WEBHOOK_ID}} placeholders, for doing it by hand;
 * test/unit/manifests/zendesk-manifests.test.ts keeps the two equal.
 *
 * A webhook is either subscribed to Zendesk events or connected to triggers, never both
 * (https://developer.zendesk.com/documentation/webhooks/creating-and-monitoring-webhooks/), so cxloop needs two webhooks, each with its own signing secret:
 * - events: the fixed event payloads parse-webhook.ts maps onto TicketEvents;
 * - csat: called by two triggers, one per score, when a satisfaction rating arrives (there is no
 *   CSAT event type).
 */

/** https://developer.zendesk.com/api-reference/webhooks/webhooks-api/webhooks/#json-format */
export interface WebhookDefinition {
  readonly name: string;
  readonly description: string;
  readonly status: 'active' | 'inactive';
  readonly endpoint: string;
  readonly http_method: 'POST';
  readonly request_format: 'json';
  readonly subscriptions: readonly string[];
}

/** https://developer.zendesk.com/documentation/ticketing/reference-guides/conditions-reference/ */
export interface TriggerCondition {
  readonly field: string;
  readonly operator: string;
  readonly value?: string | null;
}

/** https://developer.zendesk.com/documentation/ticketing/reference-guides/actions-reference/ */
export interface TriggerAction {
  readonly field: string;
  readonly value: unknown;
}

/** https://developer.zendesk.com/api-reference/ticketing/business-rules/triggers/#json-format */
export interface TriggerDefinition {
  readonly title: string;
  readonly description: string;
  readonly active: boolean;
  readonly conditions: { readonly all: readonly TriggerCondition[]; readonly any: readonly TriggerCondition[] };
  readonly actions: readonly TriggerAction[];
}

export const WEBHOOK_PATH = '/webhooks/zendesk';

/**
 * Exactly the ticket event types parse-webhook.ts maps to a TicketEvent kind of its own (its KINDS
 * table); other ticket events would only refresh the snapshot, so cxloop does not subscribe to them.
 * https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events/
 */
export const SUBSCRIBED_EVENT_TYPES: readonly string[] = [
  'zen:event-type:ticket.created',
  'zen:event-type:ticket.status_changed',
  'zen:event-type:ticket.comment_added',
  'zen:event-type:ticket.priority_changed',
  'zen:event-type:ticket.group_assignment_changed',
  'zen:event-type:ticket.agent_assignment_changed',
  'zen:event-type:ticket.tags_changed',
];

/** The only subscription a trigger-connected webhook may have. */
export const TRIGGER_SUBSCRIPTION = 'conditional_ticket_events';

/** The scores cxloop acts on, one trigger each. */
export const CSAT_SCORES = ['good', 'bad'] as const;
export type CsatScore = (typeof CSAT_SCORES)[number];

/**
 * The body a CSAT trigger sends; parse-webhook.ts reads it (`cxloop_trigger: "satisfaction"`).
 * The score is a literal written here, one trigger per score, not {{satisfaction.current_rating}}:
 * Zendesk renders that placeholder in the requester's language and it cannot be turned off.
 * Placeholders render as text, hence the quotes; updated_at_with_timestamp is ISO to the second,
 * which makes ticket id + updated_at a usable dedupe key (a trigger webhook carries no event id).
 */
export function csatTriggerBody(score: CsatScore): string {
  return `{"cxloop_trigger":"satisfaction","ticket_id":"{{ticket.id}}","updated_at":"{{ticket.updated_at_with_timestamp}}","score":"${score}","comment":"{{satisfaction.current_comment}}"}`;
}

/**
 * The body of the single trigger cxloop installed before: the rating as display text. Still
 * accepted (parse-webhook.ts); `install zendesk` turns that trigger into the "bad" one.
 */
export const LEGACY_CSAT_TRIGGER_BODY =
  '{"cxloop_trigger":"satisfaction","ticket_id":"{{ticket.id}}","updated_at":"{{ticket.updated_at_with_timestamp}}","rating":"{{satisfaction.current_rating}}","comment":"{{satisfaction.current_comment}}"}';

/**
 * Satisfaction scores that are an actual rating (not "offered"/"unoffered"), per cxloop score.
 *
 * The condition field is `satisfaction_score` and "changed to" is the operator `value`. Found in:
 * - the Zendesk Conditions reference (developer.zendesk.com/documentation/ticketing/reference-guides/conditions-reference/),
 *   whose full table could not be read here, only its introduction;
 * - JacobPotter/go-zendesk, zendesk/condition_types.go (which cites that page): field
 *   `satisfaction_score`, values good_with_comment|good|bad_with_comment|bad|offered|unoffered,
 *   operators including changed, value, value_previous;
 * - PipedreamHQ/pipedream components/zendesk (ticket-pended.mjs): `{"field":"status","operator":"value","value":"pending"}`
 *   for "status changed to pending", i.e. `value` means "changed to".
 * Not run against a live account: check the triggers once in Admin Center after the first install.
 */
export const RATED_SCORES: Readonly<Record<CsatScore, readonly string[]>> = {
  good: ['good', 'good_with_comment'],
  bad: ['bad', 'bad_with_comment'],
};

export interface ZendeskInstallDefinitions {
  readonly events: WebhookDefinition;
  readonly csat: WebhookDefinition;
}

/** Both webhooks for a public URL such as https://cxloop.example.com (no trailing slash). */
export function zendeskWebhookDefinitions(publicUrl: string, name = 'cxloop'): ZendeskInstallDefinitions {
  const endpoint = `${publicUrl}${WEBHOOK_PATH}`;
  const webhook = (suffix: string, description: string, subscriptions: readonly string[]): WebhookDefinition => ({
    name: `${name}-${suffix}`,
    description,
    status: 'active',
    endpoint,
    http_method: 'POST',
    request_format: 'json',
    subscriptions,
  });
  return {
    events: webhook('events', 'cxloop: ticket events for routing and the closed loop (managed by `cxloop install zendesk`)', SUBSCRIBED_EVENT_TYPES),
    csat: webhook('csat', 'cxloop: satisfaction ratings, called by its CSAT trigger (managed by `cxloop install zendesk`)', [TRIGGER_SUBSCRIPTION]),
  };
}

export function csatTriggerTitle(score: CsatScore, name = 'cxloop'): string {
  return `${name}: CSAT rated ${score}`;
}

/** Title of the one CSAT trigger cxloop installed before (any rating, as display text). */
export function legacyCsatTriggerTitle(name = 'cxloop'): string {
  return `${name}: CSAT rating received`;
}

/** The trigger that sends ratings of one score to the csat webhook whose id is given. */
export function csatTriggerDefinition(score: CsatScore, webhookId: string, name = 'cxloop'): TriggerDefinition {
  return {
    title: csatTriggerTitle(score, name),
    description: `Sends ${score} satisfaction ratings to cxloop (managed by \`cxloop install zendesk\`)`,
    active: true,
    conditions: {
      // A rating is always an update of an existing ticket; the `any` list is "rating changed to <score>, with or without a comment".
      all: [{ field: 'update_type', operator: 'is', value: 'Change' }],
      any: RATED_SCORES[score].map((value) => ({ field: 'satisfaction_score', operator: 'value', value })),
    },
    actions: [{ field: 'notification_webhook', value: [webhookId, csatTriggerBody(score)] }],
  };
}
