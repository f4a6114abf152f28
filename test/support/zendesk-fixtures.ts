import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import nock from 'nock';
import { createRedisKeys, deleteInstallKeys } from '../../src/adapters/redis/redis-keys.js';
import { RedisLoopStore } from '../../src/adapters/redis/redis-loop-store.js';
import { loopPolicyFrom } from '../../src/app/loop-policy.js';
import { NO_LOOP_METRICS } from '../../src/app/ports.js';
import type { LoopDeps } from '../../src/app/run-loop.js';
import { signZendeskPayload } from '../../src/adapters/zendesk/verify-signature.js';
import { parseEnv, type Env } from '../../src/config/env-schema.js';
import { DEFAULT_POLICY_PATH, parsePolicyText } from '../../src/config/load-policy.js';
import type { Policy } from '../../src/config/policy-schema.js';
import { CATEGORY_IDS } from '../../src/core/taxonomy.js';
import { startCxloop, type Cxloop, type StartOptions } from '../../src/main.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ZENDESK_URL = 'https://acme.zendesk.test';
export const WEBHOOK_SECRET = 'whsec-test-0123456789';
/** The Zendesk user cxloop's API token belongs to (GET /users/me). */
export const SELF_ID = 9001;
export const silent = { log: () => undefined };
export const OAUTH_CLIENT_ID = 'cxloop_test';
export const OAUTH_CLIENT_SECRET = 'oauth-secret-0123456789abcdef';

/**
 * Zendesk's token endpoint for the client-credentials grant, answering access tokens `<prefix>-1`,
 * `<prefix>-2`... (https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/).
 * Returns the grant requests it received.
 */
export function nockZendeskToken(options: { baseUrl?: string; expiresIn?: number; prefix?: string } = {}): { bodies: Record<string, unknown>[]; tokens: string[] } {
  const bodies: Record<string, unknown>[] = [];
  const tokens: string[] = [];
  nock(options.baseUrl ?? ZENDESK_URL)
    .persist()
    .post('/oauth/tokens')
    .reply(200, (_uri, body) => {
      bodies.push(body as Record<string, unknown>);
      const token = `${options.prefix ?? 'zd-access'}-${bodies.length}`;
      tokens.push(token);
      return { access_token: token, token_type: 'bearer', scope: (body as { scope?: string }).scope, expires_in: options.expiresIn ?? 7_200 };
    });
  return { bodies, tokens };
}

/** Group id the test policy gives each category: 1001 bug_report ... 1008 other. */
export function groupOf(category: (typeof CATEGORY_IDS)[number]): number {
  return 1001 + CATEGORY_IDS.indexOf(category);
}

/** The shipped policy with a Zendesk group per category. */
export function policyWithGroups(): Policy {
  const parsed = parsePolicyText(readFileSync(DEFAULT_POLICY_PATH, 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const policy = structuredClone(parsed.policy);
  for (const category of CATEGORY_IDS) policy.categories[category].zendesk_group_id = groupOf(category);
  return policy;
}

export function liveEnv(prefix: string, extra: Record<string, string> = {}): Env {
  const result = parseEnv({
    REDIS_URL,
    PORT: '0',
    CXLOOP_REDIS_PREFIX: prefix,
    ZENDESK_SUBDOMAIN: 'acme',
    ZENDESK_OAUTH_CLIENT_ID: OAUTH_CLIENT_ID,
    ZENDESK_OAUTH_CLIENT_SECRET: OAUTH_CLIENT_SECRET,
    ZENDESK_WEBHOOK_SECRET: WEBHOOK_SECRET,
    ZENDESK_API_URL: ZENDESK_URL,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'slack-secret',
    ...extra,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.env;
}

export function uniquePrefix(): string {
  return `cxtest-${randomUUID().slice(0, 8)}`;
}

export async function startLive(prefix: string, options: Partial<StartOptions> & { extraEnv?: Record<string, string> } = {}): Promise<Cxloop> {
  const { extraEnv, ...rest } = options;
  return startCxloop({ env: liveEnv(prefix, extraEnv), policy: policyWithGroups(), logger: silent, host: '127.0.0.1', ...rest });
}

/** Deletes every key of a test's prefix. */
export async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    await deleteInstallKeys(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

export { ticketEvent, type TicketDetail } from '../../src/adapters/zendesk/sample-webhooks.js';

export async function postSigned(
  baseUrl: string,
  body: string,
  options: { secret?: string; timestamp?: string; signature?: string; headers?: Record<string, string>; at?: number } = {},
): Promise<Response> {
  // `at`: the clock of an app started with an injected `now`, so the signature window agrees with it.
  const timestamp = options.timestamp ?? new Date(options.at ?? Date.now()).toISOString();
  const signature = options.signature ?? signZendeskPayload(body, timestamp, options.secret ?? WEBHOOK_SECRET);
  return fetch(`${baseUrl}/webhooks/zendesk`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-zendesk-webhook-id': '01F1KRFQ6BG29CNWFR60NK5FNY',
      'x-zendesk-webhook-signature-timestamp': timestamp,
      'x-zendesk-webhook-signature': signature,
      ...options.headers,
    },
    body,
  });
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Waits until no Zendesk work can still happen by itself: no job waiting, running or delayed in
 * the ingest, routing and batch queues (the ones that write to Zendesk). Tests that assert that
 * a write did NOT happen wait for this instead of sleeping.
 */
export async function waitForIdle(app: Pick<Cxloop, 'queues'>, timeoutMs = 10_000): Promise<void> {
  await waitFor(() => zendeskQueuesIdle(app), timeoutMs, 'the Zendesk queues to be idle').catch(async (error: Error) => {
    throw new Error(`${error.message}; still there: ${JSON.stringify(await zendeskWorkLeft(app))}`);
  });
}

/** What keeps the Zendesk queues from being idle: job counts per queue and state, and the routing backlog's size. */
export async function zendeskWorkLeft(app: Pick<Cxloop, 'queues'>): Promise<{ queues: Record<string, Record<string, number>>; backlog: number }> {
  const { events, routes, batches, backlog } = app.queues;
  const entries = await Promise.all(
    Object.entries({ events, routes, batches }).map(async ([name, queue]) => [name, await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'waiting-children')] as const),
  );
  return { queues: Object.fromEntries(entries), backlog: await backlog.size() };
}

/** Whether no job waits, runs or is delayed in the ingest, routing and batch queues, and no routing write is in the backlog (see waitForIdle). */
export async function zendeskQueuesIdle(app: Pick<Cxloop, 'queues'>): Promise<boolean> {
  const { queues, backlog } = await zendeskWorkLeft(app);
  return backlog === 0 && Object.values(queues).every((counts) => Object.values(counts).every((count) => count === 0));
}

/**
 * Only local connections, Zendesk's OAuth token endpoint, and the two Zendesk reads every started
 * app makes: GET /users/me (who cxloop's own writes come from), the incremental export the reconciliation reads
 * (empty) and the ticket event export where survey responses are read (`ticketEventPages`, else empty).
 */
export function nockZendeskReads(): void {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  nockZendeskToken();
  nock(ZENDESK_URL).persist().get('/api/v2/users/me.json').reply(200, { user: { id: SELF_ID } });
  nock(ZENDESK_URL).persist().get('/api/v2/incremental/tickets/cursor.json').query(true).reply(200, { tickets: [], after_cursor: null, end_of_stream: true });
  ticketEventPages.length = 0;
  ticketEventReads.length = 0;
  nock(ZENDESK_URL)
    .persist()
    .get('/api/v2/incremental/ticket_events.json')
    .query(true)
    .reply((uri) => {
      ticketEventReads.push(uri);
      return [200, ticketEventPages.shift() ?? { ticket_events: [], count: 0, end_of_stream: true, end_time: null }];
    });
}

/** Pages the faked ticket event export (survey responses) answers next, one per read; empty once used. */
export const ticketEventPages: unknown[] = [];
/** The paths (with query) of the ticket event export reads made since nockZendeskReads. */
export const ticketEventReads: string[] = [];

/** A routing write or note as the fake Zendesk received it. */
export interface RecordedPut {
  path: string;
  body: { ticket?: Record<string, unknown>; tickets?: Record<string, unknown>[] };
}

/** Answers every Update Ticket call with 200 and records it in `puts`. */
export function nockZendeskWrites(puts: RecordedPut[]): void {
  nock(ZENDESK_URL)
    .persist()
    .put(/\/api\/v2\/tickets\/\d+\.json/)
    .reply(function (uri, body) {
      puts.push({ path: uri, body: body as RecordedPut['body'] });
      return [200, { ticket: {} }];
    });
}

/** After a test: stops the app, forgets every nock interceptor, allows the network again, deletes the prefix. */
export async function tearDown(app: Cxloop | undefined, prefix: string): Promise<void> {
  await app?.stop();
  nock.cleanAll();
  nock.enableNetConnect();
  await dropPrefix(prefix);
}

/**
 * What the loop use-cases need to write loops into the real Redis (the store), with timers and
 * effects dropped and the shipped policy with groups: for tests that read loops' histories back.
 */
export function historyLoopDeps(redis: Redis, prefix: string, now: () => number): LoopDeps {
  return {
    store: new RedisLoopStore(redis, createRedisKeys(prefix)),
    timers: { schedule: async () => true, cancel: async () => undefined },
    effects: { enqueue: async () => undefined },
    policy: loopPolicyFrom(policyWithGroups()),
    metrics: NO_LOOP_METRICS,
    logger: silent,
    now,
  };
}
