import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { fakeIo } from '../../support/fake-io.js';
import { fakeZendeskAdmin, type FakeTrigger, type FakeWebhook } from '../../support/zendesk-admin-fake.js';
import { nockZendeskToken, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET } from '../../support/zendesk-fixtures.js';

const ZENDESK = 'https://acme.zendesk.test';
const PUBLIC_URL = 'https://cxloop.example.com';
const ENV = { ZENDESK_SUBDOMAIN: 'acme', ZENDESK_OAUTH_CLIENT_ID: OAUTH_CLIENT_ID, ZENDESK_OAUTH_CLIENT_SECRET: OAUTH_CLIENT_SECRET, ZENDESK_API_URL: ZENDESK };
/** The deprecated API token pair, still accepted until Zendesk turns API tokens off. */
const TOKEN_ENV = { ZENDESK_SUBDOMAIN: 'acme', ZENDESK_EMAIL: 'admin@acme.test', ZENDESK_API_TOKEN: 'zd-token', ZENDESK_API_URL: ZENDESK };
const BASIC_AUTH = `Basic ${Buffer.from('admin@acme.test/token:zd-token').toString('base64')}`;
/** The first token nockZendeskToken hands out. */
const BEARER = 'Bearer zd-access-1';

const EVENT_TYPES = [
  'zen:event-type:ticket.created',
  'zen:event-type:ticket.status_changed',
  'zen:event-type:ticket.comment_added',
  'zen:event-type:ticket.priority_changed',
  'zen:event-type:ticket.group_assignment_changed',
  'zen:event-type:ticket.agent_assignment_changed',
  'zen:event-type:ticket.tags_changed',
];
/** What each trigger sends: a literal score, never the rating's display text (it is localized). */
const csatBody = (score: 'good' | 'bad') =>
  `{"cxloop_trigger":"satisfaction","ticket_id":"{{ticket.id}}","updated_at":"{{ticket.updated_at_with_timestamp}}","score":"${score}","comment":"{{satisfaction.current_comment}}"}`;
/** The single trigger an older cxloop installed, as an account still holds it. */
const LEGACY_BODY =
  '{"cxloop_trigger":"satisfaction","ticket_id":"{{ticket.id}}","updated_at":"{{ticket.updated_at_with_timestamp}}","rating":"{{satisfaction.current_rating}}","comment":"{{satisfaction.current_comment}}"}';

/** The exact request bodies a fresh account receives (written out, not built by the code under test). */
const EVENTS_WEBHOOK = {
  name: 'cxloop-events',
  description: 'cxloop: ticket events for routing and the closed loop (managed by `cxloop install zendesk`)',
  status: 'active',
  endpoint: 'https://cxloop.example.com/webhooks/zendesk',
  http_method: 'POST',
  request_format: 'json',
  subscriptions: EVENT_TYPES,
};
const CSAT_WEBHOOK = {
  name: 'cxloop-csat',
  description: 'cxloop: satisfaction ratings, called by its CSAT trigger (managed by `cxloop install zendesk`)',
  status: 'active',
  endpoint: 'https://cxloop.example.com/webhooks/zendesk',
  http_method: 'POST',
  request_format: 'json',
  subscriptions: ['conditional_ticket_events'],
};
const csatTrigger = (score: 'good' | 'bad', webhookId: string) => ({
  title: `cxloop: CSAT rated ${score}`,
  description: `Sends ${score} satisfaction ratings to cxloop (managed by \`cxloop install zendesk\`)`,
  active: true,
  conditions: {
    all: [{ field: 'update_type', operator: 'is', value: 'Change' }],
    any: [
      { field: 'satisfaction_score', operator: 'value', value: score },
      { field: 'satisfaction_score', operator: 'value', value: `${score}_with_comment` },
    ],
  },
  actions: [{ field: 'notification_webhook', value: [webhookId, csatBody(score)] }],
});
const legacyTrigger = (webhookId: string): FakeTrigger => ({
  id: 4242,
  position: 3,
  title: 'cxloop: CSAT rating received',
  description: 'Sends good and bad satisfaction ratings to cxloop (managed by `cxloop install zendesk`)',
  active: true,
  conditions: {
    all: [{ field: 'update_type', operator: 'is', value: 'Change' }],
    any: ['good', 'good_with_comment', 'bad', 'bad_with_comment'].map((value) => ({ field: 'satisfaction_score', operator: 'value', value })),
  },
  actions: [{ field: 'notification_webhook', value: [webhookId, LEGACY_BODY] }],
});

const EVENTS_ID = '01JEVENTSWEBHOOK0000000001';
const CSAT_ID = '01JCSATWEBHOOK000000000002';
const installedWebhooks = (): FakeWebhook[] => [
  { ...EVENTS_WEBHOOK, id: EVENTS_ID },
  { ...CSAT_WEBHOOK, id: CSAT_ID },
];
const installedTriggers = (): FakeTrigger[] => [
  { ...structuredClone(csatTrigger('good', CSAT_ID)), id: 4241, position: 3 },
  { ...structuredClone(csatTrigger('bad', CSAT_ID)), id: 4242, position: 4 },
];

async function install(args: string[], env: Record<string, string> = ENV) {
  const io = fakeIo({ env });
  const code = await runCli(['install', 'zendesk', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

/** Requests nock could not match: with net connect disabled they fail, and are listed here. */
const unmatched: string[] = [];
const recordUnmatched = (request: { method?: string; path?: string }) => void unmatched.push(`${request.method} ${request.path}`);

beforeAll(() => {
  nock.disableNetConnect();
  nock.emitter.on('no match', recordUnmatched);
});
let grants: ReturnType<typeof nockZendeskToken>;
beforeEach(() => {
  unmatched.length = 0;
  grants = nockZendeskToken({ baseUrl: ZENDESK });
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(() => {
  nock.emitter.removeListener('no match', recordUnmatched);
  nock.enableNetConnect();
});

describe('cxloop install zendesk (Zendesk faked with nock)', () => {
  it('on a fresh account creates both webhooks and the trigger, then prints the .env lines', async () => {
    const zendesk = fakeZendeskAdmin(ZENDESK);
    const run = await install(['--url', PUBLIC_URL]);
    expect(run.code).toBe(0);
    expect(unmatched).toEqual([]);

    const writes = zendesk.writes();
    expect(writes.map(({ method, path }) => `${method} ${path}`)).toEqual(['POST /api/v2/webhooks', 'POST /api/v2/webhooks', 'POST /api/v2/triggers.json', 'POST /api/v2/triggers.json']);
    expect(writes[0]!.body).toEqual({ webhook: EVENTS_WEBHOOK });
    expect(writes[1]!.body).toEqual({ webhook: CSAT_WEBHOOK });
    const [events, csat] = zendesk.webhooks;
    expect(writes[2]!.body).toEqual({ trigger: csatTrigger('good', csat!.id) });
    expect(writes[3]!.body).toEqual({ trigger: csatTrigger('bad', csat!.id) });
    // One token, by the client-credentials grant with the admin scopes, for every call.
    expect(grants.bodies).toEqual([
      { grant_type: 'client_credentials', client_id: OAUTH_CLIENT_ID, client_secret: OAUTH_CLIENT_SECRET, scope: 'read tickets:write webhooks:read webhooks:write triggers:read triggers:write' },
    ]);
    expect(zendesk.requests.every((request) => request.authorization === BEARER)).toBe(true);

    expect(run.out.trimEnd().split('\n').slice(-2)).toEqual([
      `ZENDESK_WEBHOOK_SECRET=${zendesk.secretOf(events!.id)},${zendesk.secretOf(csat!.id)}`,
      'CXLOOP_PUBLIC_URL=https://cxloop.example.com',
    ]);
    expect(run.err).toContain(`webhook cxloop-events: created (id ${events!.id})`);
    expect(run.err).toContain(`webhook cxloop-csat: created (id ${csat!.id})`);
    expect(run.err).toMatch(/trigger "cxloop: CSAT rated good": created \(id \d+\)/);
    expect(run.err).toMatch(/trigger "cxloop: CSAT rated bad": created \(id \d+\)/);
    expect(run.err).not.toContain(zendesk.secretOf(events!.id));
    expect(run.err).not.toContain(zendesk.secretOf(csat!.id));
    expect(run.err).toContain('CSAT: the account uses legacy good/bad satisfaction ratings: the two triggers above send them to cxloop');
  });

  it('on an account with CSAT survey responses (legacy ratings off) says where cxloop reads them, and installs the same webhooks and triggers', async () => {
    const zendesk = fakeZendeskAdmin(ZENDESK, { legacyCsat: false });
    const run = await install(['--url', PUBLIC_URL]);
    expect(run.code).toBe(0);
    expect(zendesk.writes()).toHaveLength(4);
    expect(run.err).toContain("CSAT: the account uses CSAT survey responses (legacy ratings are off): cxloop's worker reads them from Zendesk's ticket event export");
    expect(zendesk.requests.filter(({ path }) => path === '/api/v2/account/settings.json')).toHaveLength(1);
  });

  it('run twice in a row, the second run writes nothing and prints the same secrets', async () => {
    const zendesk = fakeZendeskAdmin(ZENDESK);
    const first = await install(['--url', PUBLIC_URL]);
    const writesAfterFirst = zendesk.writes().length;
    const second = await install(['--url', PUBLIC_URL]);
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(writesAfterFirst).toBe(4);
    expect(zendesk.writes()).toHaveLength(4);
    expect(unmatched).toEqual([]);
    expect(second.err.match(/: unchanged \(id /g)).toHaveLength(4);
    expect(second.out).toBe(first.out);
  });

  it('updates a drifted account (endpoint, inactive webhook, inactive trigger on an old webhook id) and says what changed', async () => {
    const zendesk = fakeZendeskAdmin(ZENDESK, {
      pageSize: 1,
      webhooks: [
        { ...CSAT_WEBHOOK, id: 'OTHER1', name: 'cxloop-csat-old', endpoint: 'https://old.example.com/hook' },
        { ...EVENTS_WEBHOOK, id: EVENTS_ID, endpoint: 'https://old.example.com/webhooks/zendesk', status: 'inactive' },
        { ...CSAT_WEBHOOK, id: CSAT_ID },
      ],
      triggers: [{ ...installedTriggers()[0]!, active: false, actions: [{ field: 'notification_webhook', value: ['01JOLDWEBHOOK', csatBody('good')] }] }, installedTriggers()[1]!],
    });
    const run = await install(['--url', PUBLIC_URL]);
    expect(run.code).toBe(0);
    expect(unmatched).toEqual([]);
    expect(zendesk.writes().map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      { method: 'PUT', path: `/api/v2/webhooks/${EVENTS_ID}`, body: { webhook: EVENTS_WEBHOOK } },
      { method: 'PUT', path: '/api/v2/triggers/4241.json', body: { trigger: csatTrigger('good', CSAT_ID) } },
    ]);
    expect(run.err).toContain(
      `webhook cxloop-events: updated (id ${EVENTS_ID}): endpoint https://old.example.com/webhooks/zendesk -> https://cxloop.example.com/webhooks/zendesk; status inactive -> active`,
    );
    expect(run.err).toContain(`webhook cxloop-csat: unchanged (id ${CSAT_ID})`);
    expect(run.err).toContain(`trigger "cxloop: CSAT rated good": updated (id 4241): inactive -> active; webhook id in the action 01JOLDWEBHOOK -> ${CSAT_ID}`);
    expect(run.err).toContain('trigger "cxloop: CSAT rated bad": unchanged (id 4242)');
    expect(run.out).toContain(`ZENDESK_WEBHOOK_SECRET=${zendesk.secretOf(EVENTS_ID)},${zendesk.secretOf(CSAT_ID)}\n`);
    // Three webhook pages were read (page size 1), so the webhook on page 2 was found, not created again.
    expect(zendesk.requests.filter((request) => request.path === '/api/v2/webhooks' && request.method === 'GET')).toHaveLength(3);

    const again = await install(['--url', PUBLIC_URL]);
    expect(again.code).toBe(0);
    expect(zendesk.writes()).toHaveLength(2);
  });

  it('on an account set up by an older cxloop, creates the good trigger, then turns the old single trigger into the bad one', async () => {
    const zendesk = fakeZendeskAdmin(ZENDESK, { webhooks: installedWebhooks(), triggers: [legacyTrigger(CSAT_ID)] });
    const run = await install(['--url', PUBLIC_URL]);
    expect(run.code).toBe(0);
    expect(unmatched).toEqual([]);
    expect(zendesk.writes().map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      { method: 'POST', path: '/api/v2/triggers.json', body: { trigger: csatTrigger('good', CSAT_ID) } },
      { method: 'PUT', path: '/api/v2/triggers/4242.json', body: { trigger: csatTrigger('bad', CSAT_ID) } },
    ]);
    expect(run.err).toMatch(/trigger "cxloop: CSAT rated good": created \(id \d+\)/);
    expect(run.err).toContain('trigger "cxloop: CSAT rated bad": updated (id 4242): title "cxloop: CSAT rating received" -> "cxloop: CSAT rated bad"; conditions; webhook body; description');
    expect(zendesk.triggers.map((trigger) => trigger.title).sort()).toEqual(['cxloop: CSAT rated bad', 'cxloop: CSAT rated good']);

    const again = await install(['--url', PUBLIC_URL]);
    expect(again.code).toBe(0);
    expect(zendesk.writes()).toHaveLength(2);
    expect(again.err).not.toContain('warning');
  });

  it('warns about an old single trigger left next to the two current ones, and changes nothing', async () => {
    const zendesk = fakeZendeskAdmin(ZENDESK, { webhooks: installedWebhooks(), triggers: [...installedTriggers(), { ...legacyTrigger(CSAT_ID), id: 4000 }] });
    const run = await install(['--url', PUBLIC_URL]);
    expect(run.code).toBe(0);
    expect(zendesk.writes()).toEqual([]);
    expect(run.err).toContain(
      'warning: trigger "cxloop: CSAT rating received" (id 4000) is from an older cxloop and sends ratings as display text: delete it in Admin Center > Objects and rules > Triggers (the two triggers above replace it)',
    );
  });

  it('--dry-run reads the account, sends no write and prints each request it would send, in order', async () => {
    const zendesk = fakeZendeskAdmin(ZENDESK, { webhooks: [{ ...EVENTS_WEBHOOK, id: EVENTS_ID, status: 'inactive' }] });
    const run = await install(['--url', PUBLIC_URL, '--dry-run']);
    expect(run.code).toBe(0);
    expect(unmatched).toEqual([]);
    expect(zendesk.writes()).toEqual([]);
    expect(zendesk.requests.map(({ method, path }) => `${method} ${path}`)).toEqual(['GET /api/v2/webhooks', 'GET /api/v2/triggers/search.json', 'GET /api/v2/account/settings.json']);
    const out = run.out;
    const order = ['PUT /api/v2/webhooks/01JEVENTSWEBHOOK0000000001\n', 'POST /api/v2/webhooks\n', 'POST /api/v2/triggers.json\n'].map((line) => out.indexOf(line));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(out).toContain(`POST /api/v2/webhooks\n${JSON.stringify({ webhook: CSAT_WEBHOOK }, null, 2)}\n`);
    for (const score of ['good', 'bad'] as const) expect(out).toContain(`POST /api/v2/triggers.json\n${JSON.stringify({ trigger: csatTrigger(score, '<webhook id of cxloop-csat>') }, null, 2)}\n`);
    expect(out.match(/^POST \/api\/v2\/triggers\.json$/gm)).toHaveLength(2);
    expect(out).toContain('ZENDESK_WEBHOOK_SECRET=<read after install>,<read after install>\n');
    expect(run.err).toContain(`webhook cxloop-events: would be updated (id ${EVENTS_ID}): status inactive -> active`);
    expect(run.err).toContain('webhook cxloop-csat: would be created');
  });

  it('--dry-run without credentials prints the create requests for a fresh account and calls nothing', async () => {
    const run = await install(['--dry-run'], { CXLOOP_PUBLIC_URL: 'https://cxloop.example.com/' });
    expect(run.code).toBe(0);
    expect(unmatched).toEqual([]);
    expect(run.err).toContain('dry run without Zendesk credentials (ZENDESK_SUBDOMAIN, ZENDESK_OAUTH_CLIENT_ID, ZENDESK_OAUTH_CLIENT_SECRET not set)');
    expect(run.out).toContain(`POST /api/v2/webhooks\n${JSON.stringify({ webhook: EVENTS_WEBHOOK }, null, 2)}\n`);
    expect(run.out).toContain(`POST /api/v2/webhooks\n${JSON.stringify({ webhook: CSAT_WEBHOOK }, null, 2)}\n`);
    for (const score of ['good', 'bad'] as const) expect(run.out).toContain(`POST /api/v2/triggers.json\n${JSON.stringify({ trigger: csatTrigger(score, '<webhook id of cxloop-csat>') }, null, 2)}\n`);
    expect(run.out.match(/^(POST|PUT|GET) /gm)).toHaveLength(4);
    expect(run.out).toContain('CXLOOP_PUBLIC_URL=https://cxloop.example.com\n');
  });

  it('--json prints the steps and the .env values as one JSON document', async () => {
    const zendesk = fakeZendeskAdmin(ZENDESK, { webhooks: installedWebhooks(), triggers: installedTriggers() });
    const run = await install(['--url', PUBLIC_URL, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toEqual({
      dryRun: false,
      steps: [
        { kind: 'webhook', name: 'cxloop-events', outcome: 'unchanged', id: EVENTS_ID, changes: [] },
        { kind: 'webhook', name: 'cxloop-csat', outcome: 'unchanged', id: CSAT_ID, changes: [] },
        { kind: 'trigger', name: 'cxloop: CSAT rated good', outcome: 'unchanged', id: '4241', changes: [] },
        { kind: 'trigger', name: 'cxloop: CSAT rated bad', outcome: 'unchanged', id: '4242', changes: [] },
      ],
      env: { ZENDESK_WEBHOOK_SECRET: `${zendesk.secretOf(EVENTS_ID)},${zendesk.secretOf(CSAT_ID)}`, CXLOOP_PUBLIC_URL: PUBLIC_URL },
    });
  });

  it('--name installs a second, separately named set (another environment on the same account)', async () => {
    const zendesk = fakeZendeskAdmin(ZENDESK, { webhooks: installedWebhooks(), triggers: installedTriggers() });
    const run = await install(['--url', 'https://staging.example.com', '--name', 'cxloop-staging']);
    expect(run.code).toBe(0);
    const bodies = zendesk.writes().map((write) => write.body as { webhook?: { name: string; endpoint: string }; trigger?: { title: string } });
    expect(bodies.map((body) => body.webhook?.name ?? body.trigger?.title)).toEqual(['cxloop-staging-events', 'cxloop-staging-csat', 'cxloop-staging: CSAT rated good', 'cxloop-staging: CSAT rated bad']);
    expect(bodies[0]!.webhook!.endpoint).toBe('https://staging.example.com/webhooks/zendesk');
  });

  it('stops, changing nothing, when a webhook of that name is connected the other way (events vs triggers)', async () => {
    const zendesk = fakeZendeskAdmin(ZENDESK, { webhooks: [{ ...CSAT_WEBHOOK, id: 'WRONGKIND', name: 'cxloop-events' }] });
    const run = await install(['--url', PUBLIC_URL]);
    expect(run.code).toBe(1);
    expect(zendesk.writes()).toEqual([]);
    expect(run.err).toBe(
      'cxloop install: webhook cxloop-events (id WRONGKIND) is connected to triggers but must be subscribed to events, and Zendesk cannot change that: ' +
        'delete it in Admin Center > Apps and integrations > Webhooks, then run again\n',
    );
  });
});

describe('cxloop install zendesk: Zendesk errors are one plain line', () => {
  const listWebhooks = () => nock(ZENDESK).get('/api/v2/webhooks').query(true);

  it('401: renews the token once and tries once more, then names the credentials to check', async () => {
    listWebhooks().twice().reply(401, { error: "Couldn't authenticate you" });
    const run = await install(['--url', PUBLIC_URL]);
    expect(run.code).toBe(1);
    expect(run.err).toBe('cxloop install: Zendesk rejected the credentials: check ZENDESK_OAUTH_CLIENT_ID and ZENDESK_OAUTH_CLIENT_SECRET (the token was refused twice)\n');
    expect(run.out).toBe('');
    expect(grants.tokens).toEqual(['zd-access-1', 'zd-access-2']);
    expect(unmatched).toEqual([]);
  });

  it('a refused OAuth client secret: one line naming ZENDESK_OAUTH_CLIENT_SECRET, nothing else called', async () => {
    nock.removeInterceptor({ hostname: 'acme.zendesk.test', proto: 'https', method: 'POST', path: '/oauth/tokens' });
    nock(ZENDESK).post('/oauth/tokens').reply(401, { error: 'invalid_client', error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.' });
    const run = await install(['--url', PUBLIC_URL]);
    expect(run.code).toBe(1);
    expect(run.err).toBe(
      "cxloop install: Zendesk refused cxloop's OAuth client (invalid_client) (HTTP 401): check ZENDESK_OAUTH_CLIENT_SECRET (and ZENDESK_OAUTH_CLIENT_ID): the client's secret from Admin Center > Apps and integrations > APIs > OAuth clients; the client must be confidential\n",
    );
    expect(run.err).not.toContain(OAUTH_CLIENT_SECRET);
  });

  it('the deprecated API token still works, with a warning giving the day it stops', async () => {
    const zendesk = fakeZendeskAdmin(ZENDESK, { webhooks: installedWebhooks(), triggers: installedTriggers() });
    const run = await install(['--url', PUBLIC_URL], TOKEN_ENV);
    expect(run.code).toBe(0);
    expect(run.err).toContain('warning: ZENDESK_EMAIL/ZENDESK_API_TOKEN: Zendesk API tokens stop working on 2027-04-30; create an OAuth client');
    expect(grants.bodies).toEqual([]);
    expect(zendesk.requests.length).toBeGreaterThan(0);
    expect(zendesk.requests.every((request) => request.authorization === BASIC_AUTH)).toBe(true);
  });

  it('403: says an admin is needed', async () => {
    listWebhooks().reply(403, { error: 'Forbidden', description: 'You do not have access to this page.' });
    const run = await install(['--url', PUBLIC_URL]);
    expect(run.code).toBe(1);
    expect(run.err).toBe(
      "cxloop install: Zendesk refused GET /api/v2/webhooks (403): the admin who created cxloop's OAuth client must still be a Zendesk admin, and the client must allow the webhooks and triggers scopes: Forbidden: You do not have access to this page.\n",
    );
  });

  it("422: shows Zendesk's error details", async () => {
    // Registered before the fake: nock answers with the first interceptor that matches.
    nock(ZENDESK)
      .post('/api/v2/triggers.json')
      .reply(422, { error: 'RecordInvalid', description: 'Record validation errors', details: { conditions: [{ description: 'Conditions: satisfaction_score is not valid', error: 'InvalidValue' }] } });
    fakeZendeskAdmin(ZENDESK, { webhooks: installedWebhooks() });
    const run = await install(['--url', PUBLIC_URL]);
    expect(run.code).toBe(1);
    expect(run.err.trimEnd().split('\n').at(-1)).toBe(
      'cxloop install: Zendesk rejected POST /api/v2/triggers.json (422): RecordInvalid: Record validation errors; conditions: Conditions: satisfaction_score is not valid',
    );
  });

  it('429: waits Retry-After and retries (twice at most)', async () => {
    // Registered before the fake, which answers the third attempt.
    listWebhooks().twice().reply(429, { error: 'TooManyRequests' }, { 'retry-after': '0' });
    fakeZendeskAdmin(ZENDESK, { webhooks: installedWebhooks(), triggers: installedTriggers() });
    const run = await install(['--url', PUBLIC_URL]);
    expect(run.code).toBe(0);
    expect(run.err.match(/Zendesk rate limit on GET \/api\/v2\/webhooks: waiting 0 s/g)).toHaveLength(2);
  });

  it('429 three times: gives up with a plain line', async () => {
    listWebhooks().times(3).reply(429, { error: 'TooManyRequests' }, { 'retry-after': '0' });
    const run = await install(['--url', PUBLIC_URL]);
    expect(run.code).toBe(1);
    expect(run.err.trimEnd().split('\n').at(-1)).toBe('cxloop install: Zendesk is still rate limiting GET /api/v2/webhooks after 2 retries: run again in a minute');
  });

  it('network error: names the URL it could not reach', async () => {
    listWebhooks().replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
    const run = await install(['--url', PUBLIC_URL]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^cxloop install: cannot reach Zendesk at https:\/\/acme\.zendesk\.test\/api\/v2\/webhooks \(.*ECONNREFUSED.*\): check ZENDESK_SUBDOMAIN or ZENDESK_API_URL and the network\n$/);
  });

  it('network error on the token request: names the token URL', async () => {
    nock.removeInterceptor({ hostname: 'acme.zendesk.test', proto: 'https', method: 'POST', path: '/oauth/tokens' });
    nock(ZENDESK).post('/oauth/tokens').replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
    const run = await install(['--url', PUBLIC_URL]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^cxloop install: cannot reach Zendesk at https:\/\/acme\.zendesk\.test\/oauth\/tokens \(.*ECONNREFUSED.*\): check ZENDESK_SUBDOMAIN or ZENDESK_API_URL and the network\n$/);
  });
});

describe('cxloop install zendesk: configuration and usage errors', () => {
  it('missing credentials: exit 1, naming what to set and where to find it', async () => {
    const run = await install(['--url', PUBLIC_URL], {});
    expect(run.code).toBe(1);
    expect(run.err).toBe(
      "cxloop install: set ZENDESK_SUBDOMAIN, ZENDESK_OAUTH_CLIENT_ID, ZENDESK_OAUTH_CLIENT_SECRET in .env: the Zendesk subdomain and cxloop's OAuth client, created by an admin in " +
        'Admin Center > Apps and integrations > APIs > OAuth clients (kind: confidential). Or add --dry-run to see the requests.\n',
    );
  });

  it('partial credentials: the environment is invalid, exit 1', async () => {
    const run = await install(['--url', PUBLIC_URL], { ZENDESK_SUBDOMAIN: 'acme' });
    expect(run.code).toBe(1);
    expect(run.err).toContain('ZENDESK_OAUTH_CLIENT_ID: is required when ZENDESK_SUBDOMAIN is set');
    const half = await install(['--url', PUBLIC_URL], { ZENDESK_SUBDOMAIN: 'acme', ZENDESK_OAUTH_CLIENT_ID: OAUTH_CLIENT_ID });
    expect(half.code).toBe(1);
    expect(half.err).toContain('ZENDESK_OAUTH_CLIENT_SECRET: is required with ZENDESK_OAUTH_CLIENT_ID (set both, or neither)');
  });

  it.each([
    { name: 'http on a public host', args: ['--url', 'http://cxloop.example.com'], env: ENV, code: 2, error: '--url: must be https (Zendesk calls it over the internet); got http://cxloop.example.com' },
    { name: 'not a URL', args: ['--url', 'cxloop.example.com'], env: ENV, code: 2, error: '--url: "cxloop.example.com" is not a URL (expected e.g. https://cxloop.example.com)' },
    { name: 'a query string', args: ['--url', 'https://cxloop.example.com/?x=1'], env: ENV, code: 2, error: '--url: must not contain a query (?...) or a fragment (#...)' },
    { name: 'no --url and no CXLOOP_PUBLIC_URL', args: [], env: ENV, code: 2, error: 'give the public https address of cxloop: --url https://cxloop.example.com (or set CXLOOP_PUBLIC_URL)' },
    { name: 'CXLOOP_PUBLIC_URL over http', args: [], env: { ...ENV, CXLOOP_PUBLIC_URL: 'http://cxloop.example.com' }, code: 1, error: 'CXLOOP_PUBLIC_URL: must be https (Zendesk calls it over the internet); got http://cxloop.example.com' },
    { name: '--name with a space', args: ['--url', PUBLIC_URL, '--name', 'cx loop'], env: ENV, code: 2, error: '--name: "cx loop" must be 1 to 40 letters, digits, _ or - (it prefixes the webhook names)' },
  ])('$name: exit $code with a clear line, nothing sent', async ({ args, env, code, error }) => {
    const run = await install(args, env);
    expect(run.code).toBe(code);
    expect(run.err).toBe(`cxloop install: ${error}\n`);
    expect(unmatched).toEqual([]);
  });

  it('http on localhost is allowed, with a warning', async () => {
    const run = await install(['--dry-run', '--url', 'http://127.0.0.1:3000'], {});
    expect(run.code).toBe(0);
    expect(run.err).toContain('warning: http://127.0.0.1:3000 is a local http address: Zendesk cannot call it');
    expect(run.out).toContain('"endpoint": "http://127.0.0.1:3000/webhooks/zendesk"');
  });

  it('"cxloop install" without a target is a usage error (exit 2); --help prints the options', async () => {
    const io = fakeIo({ env: ENV });
    expect(await runCli(['install'], io)).toBe(2);
    expect(io.err()).toContain('say what to install: "cxloop install zendesk"');
    const help = fakeIo();
    expect(await runCli(['install', '--help'], help)).toBe(0);
    expect(help.out()).toContain('Usage: cxloop install zendesk [--url <https://...>] [--dry-run] [--name cxloop] [--json]');
  });
});
