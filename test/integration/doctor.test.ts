import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import nock from 'nock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { QUEUE_NAMES } from '../../src/app/job-catalogue.js';
import { runCli } from '../../src/cli/main.js';
import { DOCTOR_CHECKS } from '../../src/cli/commands/doctor/run-doctor-checks.js';
import type { DoctorResult } from '../../src/cli/commands/doctor/doctor-result.js';
import { DEFAULT_POLICY_PATH } from '../../src/config/load-policy.js';
import { CATEGORY_IDS } from '../../src/core/taxonomy.js';
import { RedisModelStore } from '../../src/adapters/redis/redis-model-store.js';
import { createRedisKeys } from '../../src/adapters/redis/redis-keys.js';
import { trainModel } from '../../src/app/train-model.js';
import { encodeModel } from '../../src/core/learn/model-codec.js';
import { defaultClassifier } from '../support/default-classifier.js';
import { fakeIo } from '../support/fake-io.js';
import { makeTickets } from '../support/labeled-tickets.js';
import { startRedisServer } from '../support/redis-server.js';
import { dropPrefix, nockZendeskToken, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, uniquePrefix } from '../support/zendesk-fixtures.js';

/** A Redis of this file's own, set up as production needs it (append-only file, noeviction), so "all good" can be all good. */
const redisServer = await startRedisServer(['--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec']);
const REDIS_URL = redisServer.url;
afterAll(() => redisServer.remove());

const ZENDESK_URL = 'https://acme.zendesk.test';
const SLACK_API = 'https://slack.test';
const PUBLIC_URL = 'https://cxloop.example.test';
const ZENDESK_TOKEN = 'zd-token-Sup3rS3cret';
const SLACK_TOKEN = 'xoxb-slack-Sup3rS3cret';
const ACCESS_TOKEN = 'zd-access-Sup3rS3cret-1';
const SECRETS = [ZENDESK_TOKEN, OAUTH_CLIENT_SECRET, ACCESS_TOKEN, SLACK_TOKEN, 'slack-signing-Sup3rS3cret', 'whsec-one-Sup3rS3cret', 'whsec-two-Sup3rS3cret', 'redis-Sup3rS3cret'];
const ALL_SCOPES = 'chat:write,chat:write.public,commands,usergroups:read,users:read,channels:read,groups:read,pins:write';
const groupOf = (index: number) => 1001 + index;

/** The shipped policy with a Zendesk group per category (1001..1008), and a lead and members for every team. */
function writeCompletePolicy(): string {
  const policy = parse(readFileSync(DEFAULT_POLICY_PATH, 'utf8')) as {
    categories: Record<string, { zendesk_group_id: number | null }>;
    teams: Record<string, { escalation: { lead_user_id?: string }; members?: string[] }>;
  };
  CATEGORY_IDS.forEach((id, index) => (policy.categories[id]!.zendesk_group_id = groupOf(index)));
  // The shipped teams share one block through a YAML anchor: each gets its own copy here.
  for (const [name, team] of Object.entries(policy.teams)) policy.teams[name] = { ...team, escalation: { ...team.escalation, lead_user_id: 'U0LEAD0001' }, members: ['U0MEMBER01'] };
  const file = join(mkdtempSync(join(tmpdir(), 'cxloop-doctor-')), 'policy.yaml');
  writeFileSync(file, stringify(policy));
  return file;
}

const completePolicy = writeCompletePolicy();

function liveEnv(prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL,
    CXLOOP_REDIS_PREFIX: prefix,
    CXLOOP_CONFIG: completePolicy,
    ZENDESK_SUBDOMAIN: 'acme',
    ZENDESK_OAUTH_CLIENT_ID: OAUTH_CLIENT_ID,
    ZENDESK_OAUTH_CLIENT_SECRET: OAUTH_CLIENT_SECRET,
    ZENDESK_API_URL: ZENDESK_URL,
    ZENDESK_WEBHOOK_SECRET: 'whsec-one-Sup3rS3cret,whsec-two-Sup3rS3cret',
    SLACK_BOT_TOKEN: SLACK_TOKEN,
    SLACK_SIGNING_SECRET: 'slack-signing-Sup3rS3cret',
    SLACK_API_URL: `${SLACK_API}/api/`,
    CXLOOP_PUBLIC_URL: PUBLIC_URL,
    ...extra,
  };
}

interface DoctorRun {
  readonly code: number;
  readonly out: string;
  readonly byName: Readonly<Record<string, DoctorResult>>;
}

/** Runs `cxloop doctor --json` in-process; asserts that no secret of the environment was printed. */
async function doctor(env: Record<string, string>, args: string[] = []): Promise<DoctorRun> {
  const io = fakeIo({ env });
  const code = await runCli(['doctor', '--json', ...args], io);
  const out = io.out();
  for (const secret of SECRETS) expect(out + io.err()).not.toContain(secret);
  const report = JSON.parse(out) as { checks: DoctorResult[] };
  return { code, out, byName: Object.fromEntries(report.checks.map((check) => [check.name, check])) };
}

/** The same run as text, as an admin reads it. */
async function doctorText(env: Record<string, string>): Promise<{ code: number; out: string }> {
  const io = fakeIo({ env });
  const code = await runCli(['doctor'], io);
  for (const secret of SECRETS) expect(io.out() + io.err()).not.toContain(secret);
  return { code, out: io.out() };
}

const basicAuth = `Basic ${Buffer.from(`cxloop@acme.test/token:${ZENDESK_TOKEN}`).toString('base64')}`;
/** The deprecated credential pair, instead of the OAuth client. */
const API_TOKEN_ENV = { ZENDESK_OAUTH_CLIENT_ID: '', ZENDESK_OAUTH_CLIENT_SECRET: '', ZENDESK_EMAIL: 'cxloop@acme.test', ZENDESK_API_TOKEN: ZENDESK_TOKEN };
/** What doctor sends: the token it just obtained with the client-credentials grant (nockZendeskToken). */
let zendeskAuth = `Bearer ${ACCESS_TOKEN}`;

function nockZendeskMe(status: number, body: unknown): nock.Scope {
  return nock(ZENDESK_URL).matchHeader('authorization', (value) => value === zendeskAuth).get('/api/v2/users/me.json').reply(status, body as nock.Body);
}

/** Two pages of groups (cursor pagination), 1001..1008 unless `ids` says otherwise. */
function nockZendeskGroups(ids: number[] = CATEGORY_IDS.map((_, index) => groupOf(index))): nock.Scope {
  const groups = ids.map((id) => ({ id, name: `Group ${id}`, deleted: false }));
  const next = `${ZENDESK_URL}/api/v2/groups.json?page%5Bsize%5D=100&page%5Bafter%5D=cursor1`;
  return nock(ZENDESK_URL)
    .matchHeader('authorization', (value) => value === zendeskAuth)
    .get('/api/v2/groups.json')
    .query({ 'page[size]': '100' })
    .reply(200, { groups: groups.slice(0, 4), meta: { has_more: true, after_cursor: 'cursor1' }, links: { next } })
    .get('/api/v2/groups.json')
    .query({ 'page[size]': '100', 'page[after]': 'cursor1' })
    .reply(200, { groups: groups.slice(4), meta: { has_more: false, after_cursor: null }, links: { next: null } });
}

function nockSlackAuth(body: Record<string, unknown>, scopes: string | null = ALL_SCOPES): nock.Scope {
  return nock(SLACK_API)
    .matchHeader('authorization', `Bearer ${SLACK_TOKEN}`)
    .post('/api/auth.test')
    .reply(200, body, scopes === null ? {} : { 'x-oauth-scopes': scopes });
}

const SLACK_OK = { ok: true, url: 'https://acme.slack.com/', team: 'Acme', team_id: 'T0ACME001', user: 'cxloop', user_id: 'U0BOT0001', bot_id: 'B0BOT0001' };

function nockHealthz(status: number, body: unknown): nock.Scope {
  return nock(PUBLIC_URL).get('/healthz').reply(status, body as nock.Body);
}

/** Everything answers as it should; each test then breaks one thing. */
/** GET /api/v2/account/settings.json, trimmed to the part doctor reads: whether legacy CSAT (good/bad ratings) is on. */
function nockAccountSettings(status: number, legacyCsat: boolean): nock.Scope {
  return nock(ZENDESK_URL)
    .matchHeader('authorization', (value) => value === zendeskAuth)
    .get('/api/v2/account/settings.json')
    .reply(status, status === 200 ? { settings: { active_features: { customer_satisfaction: legacyCsat, on_hold_status: false, ticket_tagging: true } } } : { error: 'Forbidden', description: 'You do not have access to this page.' });
}

function nockAllGood(settings: { status: number; legacyCsat: boolean } = { status: 200, legacyCsat: true }): void {
  nockZendeskMe(200, { user: { id: 9001, name: 'cxloop bot', role: 'admin' } });
  nockZendeskGroups();
  nockAccountSettings(settings.status, settings.legacyCsat);
  nockSlackAuth(SLACK_OK);
  nockHealthz(200, { status: 'ok', dryRun: false, checks: { redis: 'ok' } });
}

/** A real HTTP server on 127.0.0.1, port 0, answering /healthz with `status` and `body`. */
async function startHealthz(status: number, body: string): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    response.writeHead(request.url === '/healthz' ? status : 404, { 'content-type': 'application/json' });
    response.end(request.url === '/healthz' ? body : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('cxloop doctor (real Redis; Zendesk and Slack faked at HTTP with nock)', () => {
  let prefix: string;
  let closers: (() => Promise<unknown>)[];

  let grants: ReturnType<typeof nockZendeskToken>;
  beforeEach(() => {
    prefix = uniquePrefix();
    closers = [];
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    zendeskAuth = `Bearer ${ACCESS_TOKEN}`;
    grants = nockZendeskToken({ baseUrl: ZENDESK_URL, prefix: 'zd-access-Sup3rS3cret' });
  });
  afterEach(async () => {
    for (const close of closers.reverse()) await close();
    nock.cleanAll();
    nock.enableNetConnect();
    await dropPrefix(prefix);
  });

  /** A BullMQ worker on the events queue under the test's prefix, as a running `cxloop serve` has. */
  async function startEventsWorker(): Promise<void> {
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const worker = new Worker(QUEUE_NAMES.events, async () => undefined, { connection, prefix: `${prefix}:q` });
    await worker.waitUntilReady();
    closers.push(async () => {
      await worker.close();
      connection.disconnect();
    });
  }

  it('all good: every check ok, in the fixed order, one line each, exit 0', async () => {
    nockAllGood();
    await startEventsWorker();
    const { code, out } = await doctorText(liveEnv(prefix));
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    const checkLines = lines.slice(0, DOCTOR_CHECKS.length);
    expect(checkLines.map((line) => line.split(/\s+/)[1])).toEqual([...DOCTOR_CHECKS]);
    expect(checkLines.every((line) => line.startsWith('ok    '))).toBe(true);
    expect(out).toMatch(/^ok +redis +redis:\/\/\S+, Redis \d+\.\d+\.\d+, noeviction$/m);
    expect(out).toMatch(/^ok +workers +\d+ worker connections? on zendesk-events \(prefix cxtest-[0-9a-f]+:q\)$/m);
    expect(out).toContain('live: Zendesk (https://acme.zendesk.test) and Slack calls are sent');
    expect(out).toContain('https://acme.zendesk.test as cxloop bot (id 9001, admin)');
    expect(out).toContain('all 8 zendesk_group_ids of the policy exist');
    expect(out).toContain('2 signing secrets set (ZENDESK_WEBHOOK_SECRET)');
    expect(out).toContain('workspace Acme (T0ACME001) as @cxloop (U0BOT0001)');
    expect(out).toContain('all 8 bot scopes of manifests/slack-app.yaml granted');
    expect(out).toContain('https://cxloop.example.test/healthz answers ok, live');
    expect(out).not.toContain('fix:');
    expect(lines.at(-1)).toBe(`${DOCTOR_CHECKS.length} ok, 0 warnings, 0 failed, 0 skipped: everything checked is fine`);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('--json: ok, a summary by status and every check with name, status, detail and fix', async () => {
    nockZendeskMe(200, { user: { id: 9001, name: 'cxloop bot', role: 'admin' } });
    nockZendeskGroups();
    nockAccountSettings(200, true);
    nockSlackAuth(SLACK_OK);
    const io = fakeIo({ env: liveEnv(prefix, { CXLOOP_PUBLIC_URL: '' }) });
    expect(await runCli(['doctor', '--json'], io)).toBe(0);
    const report = JSON.parse(io.out()) as { ok: boolean; summary: Record<string, number>; checks: DoctorResult[] };
    expect(report.ok).toBe(true);
    expect(report.summary).toEqual({ ok: DOCTOR_CHECKS.length - 2, warn: 2, fail: 0, skip: 0 });
    expect(report.checks.map((check) => check.name)).toEqual([...DOCTOR_CHECKS]);
    expect(report.checks.find((check) => check.name === 'workers')).toEqual({
      name: 'workers',
      status: 'warn',
      detail: `no worker connected to zendesk-events (prefix ${prefix}:q): webhooks are queued but nothing routes them`,
      fix: 'start cxloop serve (role all or worker) with the same REDIS_URL (or REDIS_CLUSTER_NODES) and CXLOOP_REDIS_PREFIX',
    });
    for (const check of report.checks) expect(Object.keys(check).sort()).toEqual(check.fix ? ['detail', 'fix', 'name', 'status'] : ['detail', 'name', 'status']);
  });

  it('Redis unreachable: FAIL naming the redacted URL, workers skipped, the rest still checked, exit 1', async () => {
    nockAllGood();
    const { code, byName } = await doctor(liveEnv(prefix, { REDIS_URL: 'redis://:redis-Sup3rS3cret@127.0.0.1:1' }));
    expect(code).toBe(1);
    expect(byName.redis).toMatchObject({ status: 'fail', detail: 'cannot connect to Redis at redis://***@127.0.0.1:1 (connect ECONNREFUSED 127.0.0.1:1)' });
    expect(byName.redis!.fix).toContain('start redis-server');
    expect(byName.workers).toEqual({ name: 'workers', status: 'skip', detail: 'skipped: Redis is not usable' });
    expect(byName.model).toEqual({ name: 'model', status: 'skip', detail: 'skipped: Redis is not usable' });
    expect(byName.zendesk!.status).toBe('ok');
    expect(byName.slack!.status).toBe('ok');
  });

  /** A model trained for the test's install (Zendesk account acme, its prefix), stored as `cxloop train` stores it; `formatVersion` rewrites its header. */
  async function storeModel(formatVersion?: number): Promise<void> {
    const run = trainModel(makeTickets(20, { seed: 2 }), defaultClassifier, { install: { zendesk: 'acme', prefix }, trainedAt: '2026-12-01T10:00:00.000Z', folds: 2, seed: 1 });
    const bytes = formatVersion === undefined ? run.bytes : encodeModel({ ...run.model.data, meta: { ...run.model.meta, formatVersion } });
    const redis = new Redis(REDIS_URL);
    try {
      await new RedisModelStore(redis, createRedisKeys(prefix)).save(bytes, 'v-test');
    } finally {
      redis.disconnect();
    }
  }

  it('model: none stored is ok (the rules decide alone); a stored one says what it learnt from and where it decides', async () => {
    nockAllGood();
    expect((await doctor(liveEnv(prefix))).byName.model).toEqual({ name: 'model', status: 'ok', detail: 'no learned model stored: the rules decide alone (cxloop train learns your tickets)' });
    await storeModel();
    nockAllGood();
    const { byName } = await doctor(liveEnv(prefix));
    expect(byName.model!.status).toBe('ok');
    expect(byName.model!.detail).toMatch(/^learned model trained 2026-12-01T10:00:00\.000Z on 80 tickets: (it decides [a-z_, ]+|the rules decide everywhere)$/);
  });

  it('model: one of the format before this release is a warning naming the versions, with how to train a new one (exit 0)', async () => {
    await storeModel(1);
    nockAllGood();
    const { code, byName } = await doctor(liveEnv(prefix));
    expect(code).toBe(0);
    expect(byName.model).toEqual({
      name: 'model',
      status: 'warn',
      detail: 'the stored model is refused, so the rules decide alone: the model has format version 1, this cxloop reads version 2; train it again with this cxloop (`cxloop train`)',
      fix: 'run cxloop train (labelled CSV files, or --from-zendesk) with this cxloop to store a model it reads',
    });
  });

  it('model: one trained for another install is a warning naming both', async () => {
    await storeModel();
    nockAllGood();
    const { byName } = await doctor(liveEnv(prefix, { ZENDESK_SUBDOMAIN: 'globex', ZENDESK_API_URL: ZENDESK_URL }));
    expect(byName.model!.status).toBe('warn');
    expect(byName.model!.detail).toContain('the model was trained for another install: Zendesk account "acme"');
    expect(byName.model!.detail).toContain('Zendesk account "globex"');
  });

  it('requests a token with the scopes serve asks for, and says the OAuth client is in use', async () => {
    nockAllGood();
    const { code, byName } = await doctor(liveEnv(prefix));
    expect(code).toBe(0);
    expect(grants.bodies).toEqual([
      { grant_type: 'client_credentials', client_id: OAUTH_CLIENT_ID, client_secret: OAUTH_CLIENT_SECRET, scope: 'tickets:read tickets:write users:read organizations:read hc:read' },
    ]);
    expect(byName.zendesk).toEqual({ name: 'zendesk', status: 'ok', detail: `https://acme.zendesk.test as cxloop bot (id 9001, admin), OAuth client ${OAUTH_CLIENT_ID}` });
  });

  it('a refused OAuth client secret: FAIL naming ZENDESK_OAUTH_CLIENT_SECRET; the group check is skipped', async () => {
    nock.removeInterceptor({ hostname: 'acme.zendesk.test', proto: 'https', method: 'POST', path: '/oauth/tokens' });
    nock(ZENDESK_URL).post('/oauth/tokens').reply(401, { error: 'invalid_client', error_description: 'Client authentication failed.' });
    nockSlackAuth(SLACK_OK);
    nockHealthz(200, { status: 'ok', dryRun: false });
    const { code, byName } = await doctor(liveEnv(prefix));
    expect(code).toBe(1);
    expect(byName.zendesk).toMatchObject({ status: 'fail', detail: expect.stringContaining('(invalid_client) (HTTP 401): check ZENDESK_OAUTH_CLIENT_SECRET') });
    expect(byName.zendesk!.fix).toContain('Admin Center > Apps and integrations > APIs > OAuth clients');
    expect(byName['zendesk-groups']).toMatchObject({ status: 'skip', detail: 'skipped: the Zendesk credentials were not confirmed' });
  });

  it('the deprecated API token: works, and warns with the day Zendesk turns API tokens off', async () => {
    zendeskAuth = basicAuth;
    nockAllGood();
    const { code, byName } = await doctor(liveEnv(prefix, API_TOKEN_ENV));
    expect(code).toBe(0);
    expect(grants.bodies).toEqual([]);
    expect(byName.zendesk).toEqual({
      name: 'zendesk',
      status: 'warn',
      detail: 'https://acme.zendesk.test as cxloop bot (id 9001, admin), with an API token',
      fix: 'ZENDESK_EMAIL/ZENDESK_API_TOKEN: Zendesk API tokens stop working on 2027-04-30; create an OAuth client (Admin Center > Apps and integrations > APIs > OAuth clients, confidential) and set ZENDESK_OAUTH_CLIENT_ID and ZENDESK_OAUTH_CLIENT_SECRET instead',
    });
  });

  it('Zendesk 401 to an API token: FAIL saying which credentials to check; the group check is skipped', async () => {
    zendeskAuth = basicAuth;
    nockZendeskMe(401, { error: 'Couldn\'t authenticate you' });
    nockSlackAuth(SLACK_OK);
    nockHealthz(200, { status: 'ok', dryRun: false });
    const { code, byName } = await doctor(liveEnv(prefix, API_TOKEN_ENV));
    expect(code).toBe(1);
    expect(byName.zendesk).toEqual({
      name: 'zendesk',
      status: 'fail',
      detail: 'ZENDESK_EMAIL/ZENDESK_API_TOKEN rejected by https://acme.zendesk.test (HTTP 401)',
      fix: "check that ZENDESK_EMAIL is the API user's email and ZENDESK_API_TOKEN one of its active API tokens; better, switch to an OAuth client (ZENDESK_OAUTH_CLIENT_ID, ZENDESK_OAUTH_CLIENT_SECRET)",
    });
    expect(byName['zendesk-groups']).toMatchObject({ status: 'skip', detail: 'skipped: the Zendesk credentials were not confirmed' });
  });

  it('Zendesk answering 200 as the anonymous user: FAIL, the credentials were not accepted', async () => {
    nockZendeskMe(200, { user: { id: null, name: 'Anonymous user', role: 'end-user' } });
    nockSlackAuth(SLACK_OK);
    nockHealthz(200, { status: 'ok', dryRun: false });
    const { code, byName } = await doctor(liveEnv(prefix));
    expect(code).toBe(1);
    expect(byName.zendesk).toMatchObject({ status: 'fail', detail: 'https://acme.zendesk.test answered as an anonymous user: the OAuth access token was not accepted' });
    expect(byName['zendesk-groups']!.status).toBe('skip');
  });

  it('a Zendesk agent: warn that install needs an admin, groups still checked', async () => {
    nockZendeskMe(200, { user: { id: 9002, name: 'Agent Smith', role: 'agent' } });
    nockZendeskGroups();
    nockAccountSettings(200, true);
    nockSlackAuth(SLACK_OK);
    nockHealthz(200, { status: 'ok', dryRun: false });
    const { code, byName } = await doctor(liveEnv(prefix));
    expect(code).toBe(0);
    expect(byName.zendesk).toMatchObject({ status: 'warn', detail: 'https://acme.zendesk.test as Agent Smith (id 9002, agent): routing works, but cxloop install zendesk needs an admin' });
    expect(byName['zendesk-groups']!.status).toBe('ok');
  });

  it('Zendesk rate limiting: warn, not a credentials failure; groups are not asked for', async () => {
    nockZendeskMe(429, { error: 'TooManyRequests' });
    const groups = nockZendeskGroups();
    nockSlackAuth(SLACK_OK);
    nockHealthz(200, { status: 'ok', dryRun: false });
    const { code, byName } = await doctor(liveEnv(prefix));
    expect(code).toBe(0);
    expect(byName.zendesk).toMatchObject({ status: 'warn', detail: 'https://acme.zendesk.test is rate limiting this account (HTTP 429); the credentials were not checked' });
    expect(byName['zendesk-groups']).toMatchObject({ status: 'skip', detail: 'skipped: the Zendesk credentials were not confirmed' });
    expect(groups.isDone()).toBe(false);
  });

  it('a zendesk_group_id that is not a group of the account: FAIL naming it and its category', async () => {
    nockZendeskMe(200, { user: { id: 9001, name: 'cxloop bot', role: 'admin' } });
    nockZendeskGroups(CATEGORY_IDS.map((_, index) => groupOf(index)).filter((id) => id !== 1003));
    nockAccountSettings(200, true);
    nockSlackAuth(SLACK_OK);
    nockHealthz(200, { status: 'ok', dryRun: false });
    const { code, byName } = await doctor(liveEnv(prefix));
    expect(code).toBe(1);
    expect(byName['zendesk-groups']).toMatchObject({ status: 'fail', detail: 'no such Zendesk group: 1003 (feature_request)' });
    expect(byName['zendesk-groups']!.fix).toContain('1001 Group 1001');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('Slack invalid_auth: FAIL saying where to copy the bot token; scopes skipped', async () => {
    nockZendeskMe(200, { user: { id: 9001, name: 'cxloop bot', role: 'admin' } });
    nockZendeskGroups();
    nockAccountSettings(200, true);
    nockSlackAuth({ ok: false, error: 'invalid_auth' }, null);
    nockHealthz(200, { status: 'ok', dryRun: false });
    const { code, byName } = await doctor(liveEnv(prefix));
    expect(code).toBe(1);
    expect(byName.slack).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^SLACK_BOT_TOKEN rejected \(invalid_auth\)/) });
    expect(byName.slack!.fix).toContain('Bot User OAuth Token');
    expect(byName['slack-scopes']).toMatchObject({ status: 'skip', detail: 'skipped: auth.test failed' });
  });

  it('a bot scope of the manifest not granted: FAIL naming it, fix says reinstall', async () => {
    nockZendeskMe(200, { user: { id: 9001, name: 'cxloop bot', role: 'admin' } });
    nockZendeskGroups();
    nockAccountSettings(200, true);
    nockSlackAuth(SLACK_OK, 'chat:write,commands,users:read,channels:read,groups:read');
    nockHealthz(200, { status: 'ok', dryRun: false });
    const { code, byName } = await doctor(liveEnv(prefix));
    expect(code).toBe(1);
    expect(byName.slack!.status).toBe('ok');
    expect(byName['slack-scopes']).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^the token lacks chat:write\.public, usergroups:read, pins:write /) });
    expect(byName['slack-scopes']!.fix).toContain('reinstall the app to the workspace');
  });

  it('SLACK_TEAM_ID of another workspace than the bot token\'s: FAIL, fix names the token\'s team id', async () => {
    nockAllGood();
    const { code, byName } = await doctor(liveEnv(prefix, { SLACK_CLIENT_ID: '111.222', SLACK_CLIENT_SECRET: 'oidc-Sup3rS3cret', SLACK_TEAM_ID: 'T0OTHER01' }));
    expect(code).toBe(1);
    expect(byName.slack).toEqual({
      name: 'slack',
      status: 'fail',
      detail: 'SLACK_TEAM_ID is T0OTHER01 but the bot token is of workspace Acme (T0ACME001) as @cxloop (U0BOT0001): Sign in with Slack would refuse every account of it',
      fix: 'set SLACK_TEAM_ID to T0ACME001',
    });
    nockAllGood();
    const right = await doctor(liveEnv(prefix, { SLACK_CLIENT_ID: '111.222', SLACK_CLIENT_SECRET: 'oidc-Sup3rS3cret', SLACK_TEAM_ID: 'T0ACME001' }));
    expect(right.byName.slack).toMatchObject({ status: 'ok', detail: 'workspace Acme (T0ACME001) as @cxloop (U0BOT0001)' });
  });

  it('public URL unset: warn with how to set it, nothing requested', async () => {
    nockZendeskMe(200, { user: { id: 9001, name: 'cxloop bot', role: 'admin' } });
    nockZendeskGroups();
    nockAccountSettings(200, true);
    nockSlackAuth(SLACK_OK);
    const { code, byName } = await doctor(liveEnv(prefix, { CXLOOP_PUBLIC_URL: '' }));
    expect(code).toBe(0);
    expect(byName['public-url']).toMatchObject({ status: 'warn', detail: expect.stringContaining('CXLOOP_PUBLIC_URL is not set: Zendesk and Slack cannot reach cxloop') });
    expect(byName['public-url']!.fix).toMatch(/^set CXLOOP_PUBLIC_URL to the https:\/\/ address/);
  });

  it('public URL not https (and not local): FAIL without calling it', async () => {
    nockAllGood();
    const http = nock('http://cxloop.example.test').get('/healthz').reply(200, { status: 'ok' });
    const { code, byName } = await doctor(liveEnv(prefix, { CXLOOP_PUBLIC_URL: 'http://cxloop.example.test' }));
    expect(code).toBe(1);
    expect(byName['public-url']).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^CXLOOP_PUBLIC_URL must be https .*got http:\/\/cxloop\.example\.test$/) });
    expect(http.isDone()).toBe(false);
  });

  it('public URL on localhost over http answering ok: warn, reporting its mode from /healthz', async () => {
    nockAllGood();
    const { url, server } = await startHealthz(200, JSON.stringify({ status: 'ok', dryRun: false, checks: { redis: 'ok' } }));
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    const { code, byName } = await doctor(liveEnv(prefix, { CXLOOP_PUBLIC_URL: url }));
    expect(code).toBe(0);
    expect(byName['public-url']).toMatchObject({ status: 'warn', detail: `${url}/healthz answers ok, live; but ${url} is a local http address: Zendesk cannot call it; use an https tunnel or the public address for a real account` });
  });

  it('zendesk-csat: legacy ratings on and none received yet is ok, saying where they come from', async () => {
    nockAllGood();
    const { byName } = await doctor(liveEnv(prefix, { CXLOOP_PUBLIC_URL: '' }));
    expect(byName['zendesk-csat']).toEqual({
      name: 'zendesk-csat',
      status: 'ok',
      detail: 'legacy good/bad satisfaction ratings, sent by the "CSAT rated good/bad" triggers of `cxloop install zendesk`; received: none yet (a rating arrives once a customer answers a survey of a ticket cxloop routed)',
    });
  });

  /** What the workers count as they apply ratings (RedisTicketStore.recordSatisfaction). */
  async function received(count: number, hoursAgo: number): Promise<void> {
    const redis = new Redis(REDIS_URL);
    await redis.hset(`${prefix}:csat:received`, 'survey:at', Date.now() - hoursAgo * 3_600_000, 'survey:count', count);
    redis.disconnect();
  }

  it('zendesk-csat: survey responses (legacy off), with how many cxloop received and when the last came', async () => {
    await received(12, 3);
    nockAllGood({ status: 200, legacyCsat: false });
    const { byName } = await doctor(liveEnv(prefix, { CXLOOP_PUBLIC_URL: '' }));
    expect(byName['zendesk-csat']).toMatchObject({
      status: 'ok',
      detail: "CSAT survey responses (legacy ratings are off), read from the ticket event export every 10 min (ZENDESK_RECONCILE_EVERY) and scored by the policy's loop.csat_survey; received: 12 survey responses, the last 3 h ago",
    });
  });

  it('zendesk-csat: account settings not readable is a warning that still says what was received', async () => {
    await received(1, 1);
    nockAllGood({ status: 403, legacyCsat: false });
    const { byName } = await doctor(liveEnv(prefix, { CXLOOP_PUBLIC_URL: '' }));
    expect(byName['zendesk-csat']).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/^cannot tell which CSAT the account uses \(GET \/api\/v2\/account\/settings: HTTP 403 .*\); received so far: 1 survey response, the last 1 h ago$/),
    });
  });

  it('public URL answering 503: FAIL with what came back', async () => {
    nockAllGood();
    const { url, server } = await startHealthz(503, JSON.stringify({ status: 'degraded', dryRun: false, checks: { redis: 'connection is closed' } }));
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    const { code, byName } = await doctor(liveEnv(prefix, { CXLOOP_PUBLIC_URL: url }));
    expect(code).toBe(1);
    expect(byName['public-url']).toMatchObject({ status: 'fail', detail: `${url}/healthz answered HTTP 503 degraded (redis: connection is closed)` });
  });

  it('public URL unreachable: FAIL naming the error and suggesting the tunnel or proxy', async () => {
    nockAllGood();
    const { url, server } = await startHealthz(200, '{}');
    await new Promise((resolve) => server.close(resolve)); // a port nobody listens on (fetch refuses port 1 outright)
    const { code, byName } = await doctor(liveEnv(prefix, { CXLOOP_PUBLIC_URL: url }));
    expect(code).toBe(1);
    expect(byName['public-url']).toMatchObject({ status: 'fail', detail: `cannot reach ${url}/healthz: fetch failed (ECONNREFUSED)` });
    expect(byName['public-url']!.fix).toContain('tunnel or reverse proxy');
  });

  it('invalid environment: FAIL listing every bad key, checks that need it skipped, the policy still checked', async () => {
    const { code, byName, out } = await doctor({ REDIS_URL: 'http://127.0.0.1:6379', ZENDESK_SUBDOMAIN: 'acme', SLACK_BOT_TOKEN: SLACK_TOKEN, CXLOOP_CONFIG: completePolicy });
    expect(code).toBe(1);
    expect(byName.env!.status).toBe('fail');
    for (const key of ['REDIS_URL must be a redis:// or rediss:// URL', 'ZENDESK_OAUTH_CLIENT_ID is required', 'SLACK_SIGNING_SECRET is required']) {
      expect(byName.env!.detail).toContain(key);
    }
    expect(byName.env!.fix).toContain('.env');
    for (const name of ['mode', 'redis', 'workers', 'zendesk', 'zendesk-groups', 'zendesk-webhook', 'zendesk-csat', 'slack', 'slack-scopes', 'public-url']) {
      expect(byName[name]).toEqual({ name, status: 'skip', detail: 'skipped: the environment is invalid' });
    }
    expect(byName.policy!.status).toBe('ok');
    expect(Object.keys(JSON.parse(out).checks)).toHaveLength(DOCTOR_CHECKS.length);
  });

  it('dry-run with the shipped policy: warns why it is dry-run and what the policy leaves unset, exit 0', async () => {
    const { code, byName } = await doctor({ REDIS_URL, CXLOOP_REDIS_PREFIX: prefix });
    expect(code).toBe(0);
    expect(byName.mode).toMatchObject({ status: 'warn', detail: expect.stringMatching(/^dry-run because the Zendesk credentials \(.*\) and the Slack credentials \(.*\) are not set/) });
    expect(byName['policy-groups']).toMatchObject({ status: 'warn', detail: expect.stringContaining('no zendesk_group_id for 8 of 8 categories (bug_report, billing_issue,') });
    expect(byName['policy-slack']).toMatchObject({ status: 'warn', detail: expect.stringContaining('the shipped example policy is in use') });
    expect(byName['policy-slack']!.detail).toContain('no escalation.lead_user_id for engineering, billing');
    expect(byName['policy-access']).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/^7 of 7 teams \(engineering, billing, .*\) list no members and no user group: anyone in their Slack channels \(#cx-engineering, #cx-billing, .*\) may act on their loops$/),
    });
    for (const name of ['zendesk', 'zendesk-groups', 'zendesk-webhook', 'slack', 'slack-scopes']) expect(byName[name]!.status).toBe('skip');
  });

  it('CXLOOP_DRY_RUN=false without credentials, and live without a webhook secret: both FAIL', async () => {
    const forced = await doctor({ REDIS_URL, CXLOOP_REDIS_PREFIX: prefix, CXLOOP_DRY_RUN: 'false' });
    expect(forced.code).toBe(1);
    expect(forced.byName.mode).toMatchObject({ status: 'fail', detail: expect.stringContaining('CXLOOP_DRY_RUN=false but the Zendesk credentials') });

    nockAllGood();
    const noSecret = await doctor(liveEnv(prefix, { ZENDESK_WEBHOOK_SECRET: '' }));
    expect(noSecret.code).toBe(1);
    expect(noSecret.byName['zendesk-webhook']).toMatchObject({ status: 'fail', detail: 'ZENDESK_WEBHOOK_SECRET is not set: cxloop serve refuses to start live without it' });
  });
});
