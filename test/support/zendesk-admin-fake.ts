import nock from 'nock';

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

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly authorization: string | undefined;
}

export interface FakeZendeskAdmin {
  readonly webhooks: FakeWebhook[];
  readonly triggers: FakeTrigger[];
  /** Every request the fake answered, in order. */
  readonly requests: SeenRequest[];
  /** The POST and PUT requests among them. */
  writes(): SeenRequest[];
  secretOf(webhookId: string): string;
}

/**
 * A small stateful Zendesk admin API behind nock: webhooks (cursor pages: meta.has_more,
 * after_cursor, links.next) and trigger search (offset pages: next_page), so an install run against
 * it and then run again sees its own writes. `pageSize` forces several pages.
 * https://developer.zendesk.com/api-reference/webhooks/webhooks-api/webhooks/
 * https://developer.zendesk.com/api-reference/ticketing/business-rules/triggers/
 */
export function fakeZendeskAdmin(baseUrl: string, options: { pageSize?: number; webhooks?: FakeWebhook[]; triggers?: FakeTrigger[]; legacyCsat?: boolean } = {}): FakeZendeskAdmin {
  const pageSize = options.pageSize ?? 100;
  const webhooks: FakeWebhook[] = structuredClone(options.webhooks ?? []);
  const triggers: FakeTrigger[] = structuredClone(options.triggers ?? []);
  const requests: SeenRequest[] = [];
  let created = 0;
  const secretOf = (id: string) => `whsec-${id.toLowerCase()}`;

  function seen(this: nock.ReplyFnContext, method: string, uri: string, body: unknown): URL {
    const url = new URL(uri, baseUrl);
    const header = this.req.headers.authorization;
    requests.push({ method, path: url.pathname, body: body === '' ? undefined : body, authorization: Array.isArray(header) ? header[0] : header });
    return url;
  }

  const scope = nock(baseUrl).persist();
  scope.get('/api/v2/webhooks').query(true).reply(function (uri) {
    const url = seen.call(this, 'GET', uri, undefined);
    const nameContains = url.searchParams.get('filter[name_contains]') ?? '';
    const matching = webhooks.filter((webhook) => webhook.name.includes(nameContains));
    const start = Number(url.searchParams.get('page[after]') ?? '0');
    const end = start + Math.min(pageSize, Number(url.searchParams.get('page[size]') ?? '100'));
    const hasMore = end < matching.length;
    const next = new URL(url);
    next.searchParams.set('page[after]', String(end));
    return [
      200,
      {
        webhooks: matching.slice(start, end),
        meta: { has_more: hasMore, after_cursor: hasMore ? String(end) : null, before_cursor: null },
        links: { next: hasMore ? next.toString() : null, prev: null },
      },
    ];
  });
  scope.post('/api/v2/webhooks').reply(function (uri, body) {
    seen.call(this, 'POST', uri, body);
    created += 1;
    const webhook = { ...(body as { webhook: Omit<FakeWebhook, 'id'> }).webhook, id: `01JCXLOOPWEBHOOK${String(created).padStart(10, '0')}`, created_at: '2026-11-22T10:00:00Z' };
    webhooks.push(webhook);
    return [201, { webhook }];
  });
  scope.put(/^\/api\/v2\/webhooks\/[^/]+$/).reply(function (uri, body) {
    const url = seen.call(this, 'PUT', uri, body);
    const webhook = webhooks.find((candidate) => `/api/v2/webhooks/${candidate.id}` === url.pathname);
    if (!webhook) return [404, { errors: [{ code: 'WebhookNotFound', title: 'Webhook not found' }] }];
    Object.assign(webhook, (body as { webhook: Partial<FakeWebhook> }).webhook);
    return [204, ''];
  });
  scope.get(/^\/api\/v2\/webhooks\/[^/]+\/signing_secret$/).reply(function (uri) {
    const url = seen.call(this, 'GET', uri, undefined);
    const id = url.pathname.split('/')[4] ?? '';
    if (!webhooks.some((webhook) => webhook.id === id)) return [404, { errors: [{ code: 'WebhookNotFound', title: 'Webhook not found' }] }];
    return [200, { signing_secret: { algorithm: 'SHA256', secret: secretOf(id) } }];
  });
  // https://developer.zendesk.com/api-reference/ticketing/account-configuration/account_settings/ (trimmed to active_features)
  scope.get('/api/v2/account/settings.json').reply(function (uri) {
    seen.call(this, 'GET', uri, undefined);
    return [200, { settings: { active_features: { customer_satisfaction: options.legacyCsat ?? true, ticket_tagging: true } } }];
  });
  scope.get('/api/v2/triggers/search.json').query(true).reply(function (uri) {
    const url = seen.call(this, 'GET', uri, undefined);
    const query = (url.searchParams.get('query') ?? '').toLowerCase();
    const matching = triggers.filter((trigger) => trigger.title.toLowerCase().includes(query));
    const page = Number(url.searchParams.get('page') ?? '1');
    const items = matching.slice((page - 1) * pageSize, page * pageSize);
    const next = new URL(url);
    next.searchParams.set('page', String(page + 1));
    return [200, { triggers: items, count: matching.length, next_page: page * pageSize < matching.length ? next.toString() : null, previous_page: null }];
  });
  scope.post('/api/v2/triggers.json').reply(function (uri, body) {
    seen.call(this, 'POST', uri, body);
    created += 1;
    const trigger = { ...(body as { trigger: Omit<FakeTrigger, 'id'> }).trigger, id: 9_000 + created, position: 99 };
    triggers.push(trigger);
    return [201, { trigger }];
  });
  scope.put(/^\/api\/v2\/triggers\/\d+\.json$/).reply(function (uri, body) {
    const url = seen.call(this, 'PUT', uri, body);
    const trigger = triggers.find((candidate) => `/api/v2/triggers/${candidate.id}.json` === url.pathname);
    if (!trigger) return [404, { error: 'RecordNotFound', description: 'Not found' }];
    Object.assign(trigger, (body as { trigger: Partial<FakeTrigger> }).trigger);
    return [200, { trigger }];
  });

  return {
    webhooks,
    triggers,
    requests,
    writes: () => requests.filter((request) => request.method !== 'GET'),
    secretOf,
  };
}
