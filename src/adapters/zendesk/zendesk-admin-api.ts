import type { TriggerAction, TriggerCondition, TriggerDefinition, WebhookDefinition } from './zendesk-install-definitions.js';

/** A webhook as Zendesk lists it; fields cxloop does not manage are left out. */
export interface ZendeskWebhook {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly status: string;
  readonly endpoint: string;
  readonly http_method: string;
  readonly request_format: string;
  readonly subscriptions: readonly string[];
}

/** A ticket trigger as Zendesk lists it; the id is kept as text (Zendesk sends a number). */
export interface ZendeskTrigger {
  readonly id: string;
  readonly title: string;
  readonly description: string | null;
  readonly active: boolean;
  readonly conditions: { readonly all: readonly TriggerCondition[]; readonly any: readonly TriggerCondition[] };
  readonly actions: readonly TriggerAction[];
}

/**
 * What `cxloop install zendesk` needs of the Zendesk admin API. NodeZendeskAdminApi sends the
 * requests; DryRunZendeskAdminApi reads through it and records the writes instead of sending them.
 * Failures throw ZendeskApiError whose message is one line saying what to fix.
 */
export interface ZendeskAdminApi {
  /** Every webhook whose name contains `nameContains`, all pages. */
  listWebhooks(nameContains: string): Promise<ZendeskWebhook[]>;
  /** Returns the new webhook's id. */
  createWebhook(definition: WebhookDefinition): Promise<string>;
  updateWebhook(id: string, definition: WebhookDefinition): Promise<void>;
  signingSecret(webhookId: string): Promise<string>;
  /** Every ticket trigger (active or not) matching `query`, all pages. */
  searchTriggers(query: string): Promise<ZendeskTrigger[]>;
  /** Returns the new trigger's id. */
  createTrigger(definition: TriggerDefinition): Promise<string>;
  updateTrigger(id: string, definition: TriggerDefinition): Promise<void>;
  /**
   * Whether the account has the legacy good/bad satisfaction ratings on (account settings,
   * `active_features.customer_satisfaction`); off means CSAT survey responses or no CSAT.
   */
  legacyCsatOn(): Promise<boolean>;
}
