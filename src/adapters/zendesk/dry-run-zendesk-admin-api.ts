import type { ZendeskAdminApi, ZendeskTrigger, ZendeskWebhook } from './zendesk-admin-api.js';
import { zendeskAdminRequests, type AdminRequest } from './zendesk-admin-requests.js';
import type { TriggerDefinition, WebhookDefinition } from './zendesk-install-definitions.js';

/** What a dry run shows instead of a signing secret: secrets exist only once the webhooks do. */
export const SECRET_PLACEHOLDER = '<read after install>';

/**
 * `cxloop install zendesk --dry-run`: reads go to Zendesk (through `reads`) so the plan matches the
 * account; every write is handed to `record` instead of being sent. Without credentials
 * (`reads` null) the account looks empty, so the plan is the one for a fresh account. A created
 * webhook gets a placeholder id that the trigger's action then shows.
 */
export class DryRunZendeskAdminApi implements ZendeskAdminApi {
  constructor(
    private readonly reads: ZendeskAdminApi | null,
    private readonly record: (request: AdminRequest) => void,
  ) {}

  async listWebhooks(nameContains: string): Promise<ZendeskWebhook[]> {
    return this.reads ? this.reads.listWebhooks(nameContains) : [];
  }

  async createWebhook(definition: WebhookDefinition): Promise<string> {
    this.record(zendeskAdminRequests.createWebhook(definition));
    return `<webhook id of ${definition.name}>`;
  }

  async updateWebhook(id: string, definition: WebhookDefinition): Promise<void> {
    this.record(zendeskAdminRequests.updateWebhook(id, definition));
  }

  async signingSecret(): Promise<string> {
    return SECRET_PLACEHOLDER;
  }

  /** A dry run without credentials cannot know: it reports the current CSAT (survey responses). */
  async legacyCsatOn(): Promise<boolean> {
    return this.reads ? this.reads.legacyCsatOn() : false;
  }

  async searchTriggers(query: string): Promise<ZendeskTrigger[]> {
    return this.reads ? this.reads.searchTriggers(query) : [];
  }

  async createTrigger(definition: TriggerDefinition): Promise<string> {
    this.record(zendeskAdminRequests.createTrigger(definition));
    return `<trigger id of ${definition.title}>`;
  }

  async updateTrigger(id: string, definition: TriggerDefinition): Promise<void> {
    this.record(zendeskAdminRequests.updateTrigger(id, definition));
  }
}
