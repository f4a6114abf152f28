import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NodeZendeskAdminApi } from '../../../src/adapters/zendesk/node-zendesk-admin-api.js';
import { apiTokenAuth } from '../../../src/adapters/zendesk/zendesk-auth.js';
import { csatTriggerDefinition, zendeskWebhookDefinitions } from '../../../src/adapters/zendesk/zendesk-install-definitions.js';
import { ZendeskApiError } from '../../../src/app/zendesk-api-error.js';

const ZENDESK = 'https://acme.zendesk.test';

function api(overrides: { timeoutMs?: number } = {}) {
  const waits: number[] = [];
  const told: string[] = [];
  const client = new NodeZendeskAdminApi({
    baseUrl: `${ZENDESK}/`,
    auth: apiTokenAuth('admin@acme.test', 't'),
    timeoutMs: overrides.timeoutMs ?? 1_000,
    sleep: async (ms) => void waits.push(ms),
    onRateLimited: (ms, label) => void told.push(`${label} ${ms}`),
  });
  return { client, waits, told };
}

async function failureOf(call: Promise<unknown>): Promise<ZendeskApiError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ZendeskApiError) return error;
    throw error;
  }
  throw new Error('expected the call to reject');
}

const webhook = (id: string) => ({
  id,
  name: `cxloop-${id}`,
  status: 'active',
  endpoint: 'https://cxloop.example.com/webhooks/zendesk',
  http_method: 'POST',
  request_format: 'json',
  subscriptions: ['conditional_ticket_events'],
  created_at: '2026-11-01T00:00:00Z',
});

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
});

describe('NodeZendeskAdminApi: 429', () => {
  it('waits Retry-After capped at 60 s, retries twice, then fails with RATE_LIMITED', async () => {
    const scope = nock(ZENDESK).get('/api/v2/webhooks').query(true).times(3).reply(429, {}, { 'retry-after': '120' });
    const { client, waits, told } = api();
    const error = await failureOf(client.listWebhooks('cxloop'));
    expect(error.code).toBe('RATE_LIMITED');
    expect(waits).toEqual([60_000, 60_000]);
    expect(told).toEqual(['GET /api/v2/webhooks 60000', 'GET /api/v2/webhooks 60000']);
    expect(scope.isDone()).toBe(true);
  });

  it('waits 10 s when Retry-After is absent, and succeeds on the retry', async () => {
    nock(ZENDESK).get('/api/v2/webhooks').query(true).reply(429, {});
    nock(ZENDESK).get('/api/v2/webhooks').query(true).reply(200, { webhooks: [webhook('A')], meta: { has_more: false } });
    const { client, waits } = api();
    expect((await client.listWebhooks('cxloop')).map((found) => found.id)).toEqual(['A']);
    expect(waits).toEqual([10_000]);
  });
});

describe('NodeZendeskAdminApi: pages', () => {
  it('follows a cursor given only in links.next (page[after]) and keeps the name filter', async () => {
    const queries: Record<string, string>[] = [];
    nock(ZENDESK)
      .get('/api/v2/webhooks')
      .query((query) => {
        queries.push(query as Record<string, string>);
        return true;
      })
      .twice()
      .reply((uri) =>
        uri.includes('page%5Bafter%5D=c2')
          ? [200, { webhooks: [webhook('B')], meta: { has_more: false, after_cursor: null } }]
          : [200, { webhooks: [webhook('A')], meta: { has_more: true }, links: { next: `${ZENDESK}/api/v2/webhooks?page%5Bafter%5D=c2&page%5Bsize%5D=100` } }],
      );
    const { client } = api();
    expect((await client.listWebhooks('cxloop')).map((found) => found.id)).toEqual(['A', 'B']);
    expect(queries).toEqual([
      { 'filter[name_contains]': 'cxloop', 'page[size]': '100' },
      { 'filter[name_contains]': 'cxloop', 'page[size]': '100', 'page[after]': 'c2' },
    ]);
  });

  it('follows offset pages (next_page) of the trigger search and keeps ids as text', async () => {
    const trigger = (id: number) => ({ id, title: `cxloop ${id}`, active: true, conditions: { all: [{ field: 'status', operator: 'changed' }] }, actions: [] });
    nock(ZENDESK)
      .get('/api/v2/triggers/search.json')
      .query({ query: 'cxloop' })
      .reply(200, { triggers: [trigger(1)], next_page: `${ZENDESK}/api/v2/triggers/search.json?page=2&query=cxloop` });
    nock(ZENDESK).get('/api/v2/triggers/search.json').query({ query: 'cxloop', page: '2' }).reply(200, { triggers: [trigger(2)], next_page: null });
    const { client } = api();
    const found = await client.searchTriggers('cxloop');
    expect(found.map((item) => item.id)).toEqual(['1', '2']);
    expect(found[0]).toEqual({
      id: '1',
      title: 'cxloop 1',
      description: null,
      active: true,
      conditions: { all: [{ field: 'status', operator: 'changed', value: null }], any: [] },
      actions: [],
    });
  });

  it('stops with an error when Zendesk repeats a cursor instead of looping forever', async () => {
    nock(ZENDESK)
      .get('/api/v2/webhooks')
      .query(true)
      .times(3)
      .reply(200, { webhooks: [webhook('A')], meta: { has_more: true, after_cursor: 'same' } });
    const error = await failureOf(api().client.listWebhooks('cxloop'));
    expect(error.message).toBe('GET /api/v2/webhooks: Zendesk returned the same page cursor twice');
  });

  it('refuses an answer of an unexpected shape', async () => {
    nock(ZENDESK).get('/api/v2/webhooks').query(true).reply(200, { webhooks: [{ id: 'A', name: 'cxloop-A' }] });
    const error = await failureOf(api().client.listWebhooks('cxloop'));
    expect(error.message).toMatch(/^GET \/api\/v2\/webhooks: unexpected answer from Zendesk \(webhooks\.0\.status: /);
  });
});

describe('NodeZendeskAdminApi: writes and secrets', () => {
  it('creates a trigger with POST /api/v2/triggers.json and returns its id as text', async () => {
    const definition = csatTriggerDefinition('good', '01JCSAT');
    let sent: unknown;
    nock(ZENDESK)
      .post('/api/v2/triggers.json', (body) => {
        sent = body;
        return true;
      })
      .reply(201, { trigger: { id: 360001, ...definition } });
    expect(await api().client.createTrigger(definition)).toBe('360001');
    expect(sent).toEqual({ trigger: definition });
  });

  it('updates a webhook with PUT /api/v2/webhooks/{id}, the whole definition (204, no body)', async () => {
    const { csat } = zendeskWebhookDefinitions('https://cxloop.example.com');
    let sent: unknown;
    const scope = nock(ZENDESK)
      .put('/api/v2/webhooks/01JA', (body) => {
        sent = body;
        return true;
      })
      .reply(204);
    await api().client.updateWebhook('01JA', csat);
    expect(scope.isDone()).toBe(true);
    expect(sent).toEqual({ webhook: csat });
  });

  it('reads the signing secret', async () => {
    nock(ZENDESK).get('/api/v2/webhooks/01JA/signing_secret').reply(200, { signing_secret: { algorithm: 'SHA256', secret: 'whsec-A' } });
    expect(await api().client.signingSecret('01JA')).toBe('whsec-A');
  });
});

describe('NodeZendeskAdminApi: failures are one line saying what to fix', () => {
  it.each([
    { status: 404, body: { errors: [{ title: 'Not found' }] }, code: 'NOT_FOUND', message: 'Zendesk answered 404 to GET /api/v2/webhooks/01JA/signing_secret at https://acme.zendesk.test: check ZENDESK_SUBDOMAIN or ZENDESK_API_URL: Not found' },
    { status: 500, body: {}, code: 'UNAVAILABLE', message: 'Zendesk answered 500 to GET /api/v2/webhooks/01JA/signing_secret: try again later' },
    { status: 400, body: {}, code: 'REJECTED', message: 'Zendesk rejected GET /api/v2/webhooks/01JA/signing_secret (400): no details given' },
  ])('$status -> $code', async ({ status, body, code, message }) => {
    nock(ZENDESK).get('/api/v2/webhooks/01JA/signing_secret').reply(status, body);
    const error = await failureOf(api().client.signingSecret('01JA'));
    expect({ code: error.code, message: error.message, status: error.details.status }).toEqual({ code, message, status });
  });

  it('a request with no answer in time names the URL', async () => {
    nock(ZENDESK).get('/api/v2/webhooks').query(true).delay(500).reply(200, { webhooks: [] });
    const error = await failureOf(api({ timeoutMs: 50 }).client.listWebhooks('cxloop'));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toBe('cannot reach Zendesk at https://acme.zendesk.test/api/v2/webhooks (no answer within 0.05 s): check ZENDESK_SUBDOMAIN or ZENDESK_API_URL and the network');
  });
});
