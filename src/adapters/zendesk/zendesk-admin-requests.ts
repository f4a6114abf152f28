import type { TriggerDefinition, WebhookDefinition } from './zendesk-install-definitions.js';

/**
 * The Zendesk admin requests `cxloop install zendesk` sends, built in one place so the live client
 * sends and --dry-run prints the same thing.
 * https://developer.zendesk.com/api-reference/webhooks/webhooks-api/webhooks/ (no .json suffix)
 * https://developer.zendesk.com/api-reference/ticketing/business-rules/triggers/
 */
export interface AdminRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** Absolute path, e.g. /api/v2/webhooks. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** A page after the first: a cursor (page[after]) or an offset page number, as the answer said. */
export type PageRef = { readonly after: string } | { readonly page: string };

const pageQuery = (page: PageRef | undefined): Record<string, string> =>
  page === undefined ? {} : 'after' in page ? { 'page[after]': page.after } : { page: page.page };

const segment = (id: string): string => encodeURIComponent(id);

export const zendeskAdminRequests = {
  /** https://developer.zendesk.com/api-reference/webhooks/webhooks-api/webhooks/#list-webhooks */
  listWebhooks: (nameContains: string, page?: PageRef): AdminRequest => ({
    method: 'GET',
    path: '/api/v2/webhooks',
    query: { 'filter[name_contains]': nameContains, 'page[size]': '100', ...pageQuery(page) },
  }),
  createWebhook: (definition: WebhookDefinition): AdminRequest => ({ method: 'POST', path: '/api/v2/webhooks', body: { webhook: definition } }),
  /** A full update: every field of the definition is sent, so the webhook ends up exactly as defined. */
  updateWebhook: (id: string, definition: WebhookDefinition): AdminRequest => ({
    method: 'PUT',
    path: `/api/v2/webhooks/${segment(id)}`,
    body: { webhook: definition },
  }),
  /** https://developer.zendesk.com/api-reference/ticketing/account-configuration/account_settings/#show-settings */
  showAccountSettings: (): AdminRequest => ({ method: 'GET', path: '/api/v2/account/settings.json' }),
  /** https://developer.zendesk.com/api-reference/webhooks/webhooks-api/webhooks/#show-webhook-signing-secret */
  showSigningSecret: (id: string): AdminRequest => ({ method: 'GET', path: `/api/v2/webhooks/${segment(id)}/signing_secret` }),
  /** https://developer.zendesk.com/api-reference/ticketing/business-rules/triggers/#search-triggers (active and inactive) */
  searchTriggers: (query: string, page?: PageRef): AdminRequest => ({
    method: 'GET',
    path: '/api/v2/triggers/search.json',
    query: { query, ...pageQuery(page) },
  }),
  createTrigger: (definition: TriggerDefinition): AdminRequest => ({ method: 'POST', path: '/api/v2/triggers.json', body: { trigger: definition } }),
  updateTrigger: (id: string, definition: TriggerDefinition): AdminRequest => ({
    method: 'PUT',
    path: `/api/v2/triggers/${segment(id)}.json`,
    body: { trigger: definition },
  }),
};

export function adminRequestUrl(baseUrl: string, request: AdminRequest): string {
  const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : '';
  return `${baseUrl.replace(/\/+$/, '')}${request.path}${query}`;
}

/** "GET /api/v2/webhooks": what progress lines and error messages name (never the query or body). */
export function requestLabel(request: AdminRequest): string {
  return `${request.method} ${request.path}`;
}
