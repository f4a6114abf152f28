/** A webhook as the fake account stores it (the fields cxloop reads, plus what Zendesk adds). */
export interface FakeWebhook {
  id: string;
  name: string;
  description?: string | null;
  status: string;
  endpoint: string;
  http_method: string;
  request_format: string;
  subscriptions: string[];
  created_at?: string;
}

export interface FakeTrigger {
  id: number;
  title: string;
  description?: string | null;
  active: boolean;
  position?: number;
  conditions: { all: Record<string, unknown>[]; any: Record<string, unknown>[] };
  actions: { field: string; value: unknown }[];
}

export interface FakeGroup {
  id: number;
  name: string;
  deleted?: boolean;
}

export interface ZendeskAdminAccountOptions {
  /** Forces several pages of webhooks, triggers and groups (default 100 a page). */
  pageSize?: number;
  webhooks?: FakeWebhook[];
  triggers?: FakeTrigger[];
  groups?: FakeGroup[];
  /** `active_features.customer_satisfaction` of the account settings: legacy CSAT on (default) or off. */
  legacyCsat?: boolean;
  /** The signing secret of a webhook (default `whsec-<id in lower case>`). */
  secretOf?: (webhookId: string) => string;
}

/** An answer, as status and JSON body ('' for none). */
export interface AdminAnswer {
  status: number;
  body: unknown;
}

export interface ZendeskAdminAccount {
  readonly webhooks: FakeWebhook[];
  readonly triggers: FakeTrigger[];
  readonly groups: FakeGroup[];
  secretOf(webhookId: string): string;
  /** Whether `answer` serves this path (the admin endpoints below, groups only when the account has some). */
  serves(pathname: string): boolean;
  /** The answer to a request, or undefined when the path is not one of the account's. */
  answer(method: string, url: URL, body: unknown): AdminAnswer | undefined;
}

const ADMIN_PATHS = /^\/api\/v2\/(webhooks|triggers|account\/settings\.json)/;
const WEBHOOK_NOT_FOUND: AdminAnswer = { status: 404, body: { errors: [{ code: 'WebhookNotFound', title: 'Webhook not found' }] } };
const NOT_FOUND: AdminAnswer = { status: 404, body: { error: 'RecordNotFound', description: 'Not found' } };

/**
 * The state of a Zendesk account's admin API, whatever carries the requests (nock, or a loopback
 * server): webhooks (cursor pages: meta.has_more, after_cursor, links.next), their signing secrets,
 * trigger search (offset pages: next_page), the account settings and groups (cursor pages), so an
 * install run against it and then run again sees its own writes.
 * https://developer.zendesk.com/api-reference/webhooks/webhooks-api/webhooks/
 * https://developer.zendesk.com/api-reference/ticketing/business-rules/triggers/
 * https://developer.zendesk.com/api-reference/ticketing/groups/groups/#list-groups
 */
export function zendeskAdminAccount(options: ZendeskAdminAccountOptions = {}): ZendeskAdminAccount {
  const pageSize = options.pageSize ?? 100;
  const webhooks: FakeWebhook[] = structuredClone(options.webhooks ?? []);
  const triggers: FakeTrigger[] = structuredClone(options.triggers ?? []);
  const groups: FakeGroup[] = structuredClone(options.groups ?? []);
  const secretOf = options.secretOf ?? ((id: string) => `whsec-${id.toLowerCase()}`);
  let created = 0;

  /** Items after the `page[after]` offset, with the cursor links Zendesk's cursor pagination gives. */
  function cursorPage<T>(key: string, items: readonly T[], url: URL): AdminAnswer {
    const start = Number(url.searchParams.get('page[after]') ?? '0');
    const end = start + Math.min(pageSize, Number(url.searchParams.get('page[size]') ?? '100'));
    const hasMore = end < items.length;
    const next = new URL(url);
    next.searchParams.set('page[after]', String(end));
    return {
      status: 200,
      body: {
        [key]: items.slice(start, end),
        meta: { has_more: hasMore, after_cursor: hasMore ? String(end) : null, before_cursor: null },
        links: { next: hasMore ? next.toString() : null, prev: null },
      },
    };
  }

  function searchTriggers(url: URL): AdminAnswer {
    const query = (url.searchParams.get('query') ?? '').toLowerCase();
    const matching = triggers.filter((trigger) => trigger.title.toLowerCase().includes(query));
    const page = Number(url.searchParams.get('page') ?? '1');
    const next = new URL(url);
    next.searchParams.set('page', String(page + 1));
    return { status: 200, body: { triggers: matching.slice((page - 1) * pageSize, page * pageSize), count: matching.length, next_page: page * pageSize < matching.length ? next.toString() : null, previous_page: null } };
  }

  function createWebhook(body: unknown): AdminAnswer {
    created += 1;
    const webhook = { ...(body as { webhook: Omit<FakeWebhook, 'id'> }).webhook, id: `01JCXLOOPWEBHOOK${String(created).padStart(10, '0')}`, created_at: '2026-11-22T10:00:00Z' };
    webhooks.push(webhook);
    return { status: 201, body: { webhook } };
  }

  function createTrigger(body: unknown): AdminAnswer {
    created += 1;
    const trigger = { ...(body as { trigger: Omit<FakeTrigger, 'id'> }).trigger, id: 9_000 + created, position: 99 };
    triggers.push(trigger);
    return { status: 201, body: { trigger } };
  }

  function answer(method: string, url: URL, body: unknown): AdminAnswer | undefined {
    const path = url.pathname;
    const webhookId = /^\/api\/v2\/webhooks\/([^/]+)(\/signing_secret)?$/.exec(path);
    const webhook = webhookId ? webhooks.find((candidate) => candidate.id === webhookId[1]) : undefined;
    const triggerId = /^\/api\/v2\/triggers\/(\d+)\.json$/.exec(path)?.[1];
    const request = `${method} ${path}`;
    if (request === 'GET /api/v2/webhooks') return cursorPage('webhooks', webhooks.filter((candidate) => candidate.name.includes(url.searchParams.get('filter[name_contains]') ?? '')), url);
    if (request === 'POST /api/v2/webhooks') return createWebhook(body);
    if (webhookId && method === 'PUT' && webhookId[2] === undefined) {
      if (!webhook) return WEBHOOK_NOT_FOUND;
      Object.assign(webhook, (body as { webhook: Partial<FakeWebhook> }).webhook);
      return { status: 204, body: '' };
    }
    if (webhookId && method === 'GET' && webhookId[2] !== undefined) {
      return webhook ? { status: 200, body: { signing_secret: { algorithm: 'SHA256', secret: secretOf(webhook.id) } } } : WEBHOOK_NOT_FOUND;
    }
    // https://developer.zendesk.com/api-reference/ticketing/account-configuration/account_settings/ (trimmed to active_features)
    if (request === 'GET /api/v2/account/settings.json') return { status: 200, body: { settings: { active_features: { customer_satisfaction: options.legacyCsat ?? true, ticket_tagging: true } } } };
    if (request === 'GET /api/v2/triggers/search.json') return searchTriggers(url);
    if (request === 'POST /api/v2/triggers.json') return createTrigger(body);
    if (triggerId !== undefined && method === 'PUT') {
      const trigger = triggers.find((candidate) => String(candidate.id) === triggerId);
      if (!trigger) return NOT_FOUND;
      Object.assign(trigger, (body as { trigger: Partial<FakeTrigger> }).trigger);
      return { status: 200, body: { trigger } };
    }
    if (request === 'GET /api/v2/groups.json' && groups.length > 0) return cursorPage('groups', groups, url);
    return undefined;
  }

  return {
    webhooks,
    triggers,
    groups,
    secretOf,
    serves: (pathname) => ADMIN_PATHS.test(pathname) || (groups.length > 0 && pathname === '/api/v2/groups.json'),
    answer,
  };
}
