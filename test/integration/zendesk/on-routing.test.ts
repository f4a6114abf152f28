import { Redis } from 'ioredis';
import nock from 'nock';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { RedisReadBudget } from '../../../src/adapters/redis/redis-read-budget.js';
import { ZENDESK_TEST_SECRET } from '../../../src/adapters/zendesk/webhook-route.js';
import type { Logger, Notifier, RecordedCall } from '../../../src/app/ports.js';
import { parseEnv } from '../../../src/config/env-schema.js';
import type { Policy } from '../../../src/config/policy-schema.js';
import type { Effect } from '../../../src/core/loop/loop-types.js';
import { settle, startCxloop, type Cxloop } from '../../../src/main.js';
import { inviteSearchResults, REQUESTER_ID, requestedTickets, showUserWithOrganizations, unrelatedSearchResults, VIP_ORGANIZATION_ID } from '../../fixtures/zendesk/on-routing-reads.js';
import { nockSlackApi, type SlackCall } from '../../support/slack-fixtures.js';
import {
  dropPrefix,
  groupOf,
  nockZendeskReads,
  nockZendeskWrites,
  policyWithGroups,
  postSigned,
  REDIS_URL,
  startLive,
  tearDown,
  ticketEvent,
  uniquePrefix,
  waitFor,
  waitForIdle,
  ZENDESK_URL,
  type RecordedPut,
} from '../../support/zendesk-fixtures.js';

interface Put extends RecordedPut {
  body: { ticket: { group_id?: number; tags: string[]; comment: { body: string; public: boolean } } };
}

/** The first access token nockZendeskToken issues (cxloop's OAuth client): every call carries it. */
const BEARER_AUTH = 'Bearer zd-access-1';
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** The routing note: 4 lines of decision and SLA, then what on_routing found, then how to correct it. */
const extrasOf = (put: Put) => put.body.ticket.comment.body.split('\n').slice(4, -1);

const TICKETS = {
  bug: { subject: 'App crashes when I upload a photo', description: 'Since the last update the app closes every time I pick a photo.' },
  onboarding: { subject: 'How do I invite my team?', description: 'I want to add colleagues to my account but cannot find the option in the settings.' },
  content: { subject: 'The documentation for webhooks is outdated and confusing', description: 'The webhooks page still describes the old signing scheme.' },
  feature: { subject: 'Please add dark mode', description: 'A dark theme would be easier on the eyes at night.' },
  billing: { subject: 'Charged twice for my subscription', description: 'I was charged twice this month, please refund the duplicate payment.' },
} as const;

/** The shipped policy with groups, the requester's organisation as a VIP one, and a second category that suggests articles. */
function onRoutingPolicy(): Policy {
  const policy = policyWithGroups();
  policy.classifier.tier_rules = [{ tier: 'critical', tags: [], channels: [], forms: [], organizations: [String(VIP_ORGANIZATION_ID)] }];
  policy.categories.onboarding_help.article_url = 'https://help.acme.test/getting-started';
  policy.categories.content_communication.on_routing = ['suggest_article'];
  return policy;
}

/**
 * The on_routing actions against Zendesk and Slack faked at their HTTP boundary (real server,
 * Redis, workers): the exact reads each action makes, the routing write they change, the card.
 */
describe('on_routing actions in the routing write (real server, Redis, BullMQ; Zendesk and Slack faked with nock)', () => {
  let prefix: string;
  let app: Cxloop | undefined;
  let puts: Put[];
  let slackCalls: SlackCall[];
  let logs: { level: string; message: string; fields: Record<string, unknown> }[];
  const logger: Logger = { log: (level, message, fields = {}) => void logs.push({ level, message, fields: { ...fields } }) };

  beforeEach(() => {
    prefix = uniquePrefix();
    puts = [];
    slackCalls = [];
    logs = [];
    nockZendeskReads();
    nockZendeskWrites(puts);
    nockSlackApi(slackCalls);
  });
  afterEach(async () => {
    await tearDown(app, prefix);
    app = undefined;
  });

  async function start(policy: Policy = onRoutingPolicy(), notifier?: Notifier): Promise<Cxloop> {
    app = await startLive(prefix, { policy, logger, slack: { sender: { intervalMs: 10 } }, ...(notifier ? { notifier } : {}) });
    return app;
  }

  async function route(id: number, ticket: { subject: string; description: string }): Promise<Put> {
    const response = await postSigned(app!.http.url, ticketEvent('created', { id, ...ticket, created_at: minutesAgo(2) }));
    expect(response.status).toBe(200);
    const put = await waitFor(() => puts.find((candidate) => candidate.path === `/api/v2/tickets/${id}.json`), 10_000, `the routing write of ${id}`);
    await settle(app!, 15_000);
    return put;
  }

  const cardOf = (id: number) => slackCalls.find((call) => call.method === 'chat.postMessage' && (call.args.blocks ?? '').includes(`"cx_t_${id}"`))?.args;

  it('attach_requester_context: two reads, then the organisation, VIP flag and latest tickets in the note and on the card', async () => {
    const user = nock(ZENDESK_URL).matchHeader('authorization', BEARER_AUTH).get(`/api/v2/users/${REQUESTER_ID}.json`).query({ include: 'organizations' }).reply(200, showUserWithOrganizations);
    const requested = nock(ZENDESK_URL)
      .matchHeader('authorization', BEARER_AUTH)
      .get(`/api/v2/users/${REQUESTER_ID}/tickets/requested.json`)
      .query({ sort_by: 'created_at', sort_order: 'desc', per_page: '4' })
      .reply(200, requestedTickets(801));
    await start();
    const put = await route(801, TICKETS.bug);
    expect(user.isDone() && requested.isDone()).toBe(true);
    expect(put.body.ticket.tags).toEqual(['web_widget', 'cxloop_bug_report', 'cxloop_tier_normal']);
    expect(put.body.ticket.group_id).toBe(groupOf('bug_report'));
    expect(extrasOf(put)).toEqual([
      "Requester: organisation Acme Corp; VIP: organisation Acme Corp (360001) is in the policy's critical tier rule; 12 earlier tickets, latest:",
      '  #790 "Export to CSV fails" https://acme.zendesk.com/agent/tickets/790',
      '  #785 "Help, my printer is on fire!" https://acme.zendesk.com/agent/tickets/785',
      '  #770 "Login <!channel> loop" https://acme.zendesk.com/agent/tickets/770',
    ]);
    const card = await waitFor(() => cardOf(801), 5_000, 'the card');
    expect(card.channel).toBe('#cx-engineering');
    expect(card.blocks).toContain(
      '*Requester:* Acme Corp · :star: VIP · 12 earlier tickets\\n*Latest:* <https://acme.zendesk.com/agent/tickets/790|#790> Export to CSV fails · <https://acme.zendesk.com/agent/tickets/785|#785> Help, my printer is on fire! · <https://acme.zendesk.com/agent/tickets/770|#770> Login &lt;!channel&gt; loop',
    );
  });

  it('attach_requester_context: failed reads do not hold the routing back; the note and the log say so', async () => {
    const user = nock(ZENDESK_URL).get(`/api/v2/users/${REQUESTER_ID}.json`).query(true).reply(503, { error: 'ServiceUnavailable' });
    nock(ZENDESK_URL).get(`/api/v2/users/${REQUESTER_ID}/tickets/requested.json`).query(true).reply(503, { error: 'ServiceUnavailable' });
    await start();
    const put = await route(802, TICKETS.bug);
    expect(user.isDone()).toBe(true);
    expect(extrasOf(put)).toEqual(['Requester context not attached: Zendesk did not answer (503).']);
    expect(put.body.ticket.tags).toEqual(['web_widget', 'cxloop_bug_report', 'cxloop_tier_normal']);
    expect(logs.filter((entry) => entry.message.startsWith('attach_requester_context:'))).toEqual([
      { level: 'warn', message: 'attach_requester_context: Zendesk read failed, routed without it', fields: { ticketId: 802, reason: 'Zendesk did not answer (503)', error: expect.stringContaining('503') } },
    ]);
    expect((await waitFor(() => cardOf(802), 5_000, 'the card')).blocks).not.toContain('Requester');
    await waitForIdle(app!);
    expect(puts.filter((candidate) => candidate.path === '/api/v2/tickets/802.json')).toHaveLength(1);
  });

  it("attach_requester_context: a 429 pauses every optional read for its Retry-After, and the next ticket is routed without reading", async () => {
    nock(ZENDESK_URL).get(`/api/v2/users/${REQUESTER_ID}.json`).query(true).reply(429, { error: 'APIRateLimitExceeded' }, { 'retry-after': '30' });
    nock(ZENDESK_URL).get(`/api/v2/users/${REQUESTER_ID}/tickets/requested.json`).query(true).reply(200, requestedTickets(803));
    await start();
    expect(extrasOf(await route(803, TICKETS.bug))).toEqual(["Requester context not attached: Zendesk's rate limit (429); optional reads wait 30 s."]);
    // No interceptor is left for these reads: had cxloop read, the note would say the read failed.
    expect(extrasOf(await route(804, TICKETS.bug))).toEqual(["Requester context not attached: not read (Zendesk's rate limit: reads wait for its Retry-After)."]);
    expect(extrasOf(await route(805, TICKETS.onboarding))).toEqual(["Suggested article (the category's article_url):", '  https://help.acme.test/getting-started']);
    const redis = new Redis(REDIS_URL);
    try {
      expect(await redis.pttl(`${prefix}:{zr}:paused`)).toBeGreaterThan(20_000);
    } finally {
      redis.disconnect();
    }
  });

  it('tag_for_pm_review: the tag in the routing write, only for a category that lists it', async () => {
    await start();
    expect((await route(811, TICKETS.feature)).body.ticket.tags).toEqual(['web_widget', 'cxloop_feature_request', 'cxloop_tier_normal', 'cxloop_pm_review']);
    expect((await route(812, TICKETS.billing)).body.ticket.tags).toEqual(['web_widget', 'cxloop_billing_issue', 'cxloop_tier_normal']);
    expect(extrasOf(await route(813, TICKETS.feature))).toEqual([]);
  });

  it('tag_for_pm_review: the tag the policy names', async () => {
    const policy = onRoutingPolicy();
    policy.actions.tag_for_pm_review.tag = 'pm_triage';
    await start(policy);
    expect((await route(814, TICKETS.feature)).body.ticket.tags).toEqual(['web_widget', 'cxloop_feature_request', 'cxloop_tier_normal', 'pm_triage']);
  });

  it("suggest_article: one search by the ticket's keywords in its language; the good matches in the note and on the card", async () => {
    const search = nock(ZENDESK_URL)
      .matchHeader('authorization', BEARER_AUTH)
      .get('/api/v2/help_center/articles/search.json')
      .query({ query: 'invite team add colleagues account option', locale: 'en-us', per_page: '5' })
      .reply(200, inviteSearchResults);
    await start();
    const put = await route(821, TICKETS.onboarding);
    expect(search.isDone()).toBe(true);
    expect(extrasOf(put)).toEqual([
      'Suggested articles (Help Center search):',
      '  Inviting team members https://acme.zendesk.com/hc/en-us/articles/360001',
      '  Add colleagues to your account https://acme.zendesk.com/hc/en-us/articles/360003',
    ]);
    expect((await waitFor(() => cardOf(821), 5_000, 'the card')).blocks).toContain(
      '*Suggested articles:* <https://acme.zendesk.com/hc/en-us/articles/360001|Inviting team members> · <https://acme.zendesk.com/hc/en-us/articles/360003|Add colleagues to your account>',
    );
  });

  it("suggest_article: no good match shows the category's article_url, or nothing when it has none; a failed search falls back too", async () => {
    nock(ZENDESK_URL).get('/api/v2/help_center/articles/search.json').query((query) => query.query === 'invite team add colleagues account option').reply(200, unrelatedSearchResults);
    nock(ZENDESK_URL)
      .get('/api/v2/help_center/articles/search.json')
      .query({ query: 'documentation webhooks outdated confusing page describes', locale: 'en-us', per_page: '5' })
      .reply(200, unrelatedSearchResults);
    nock(ZENDESK_URL).get('/api/v2/help_center/articles/search.json').query(true).reply(500, { error: 'InternalError' });
    await start();
    expect(extrasOf(await route(822, TICKETS.onboarding))).toEqual(["Suggested article (the category's article_url):", '  https://help.acme.test/getting-started']);
    const content = await route(823, TICKETS.content);
    expect(extrasOf(content)).toEqual([]);
    expect((await waitFor(() => cardOf(823), 5_000, 'the card')).blocks).not.toContain('Suggested');
    expect(extrasOf(await route(824, TICKETS.onboarding))).toEqual(["Suggested article (the category's article_url):", '  https://help.acme.test/getting-started']);
    expect(logs.some((entry) => entry.level === 'warn' && entry.message === 'suggest_article: Zendesk read failed, routed without it' && entry.fields.ticketId === 824)).toBe(true);
  });

  it('ping_incident_channel, start_csat_followup and flag_live_status happen because the policy says so, not because of the category id', async () => {
    const effects: { ticketId: number; effect: Effect }[] = [];
    const policy = onRoutingPolicy();
    policy.categories.performance_issue.on_routing = [];
    policy.categories.sentiment_experience.on_routing = [];
    policy.categories.billing_issue.on_routing = ['ping_incident_channel', 'start_csat_followup', 'flag_live_status'];
    await start(policy, { notify: async (ticketId, effect) => void effects.push({ ticketId, effect }) });
    await route(831, { subject: 'Outage: dashboard extremely slow', description: 'Since 09:00 the dashboard takes over a minute to load.' });
    await route(832, { subject: 'Nuova dashboard', description: 'La nuova dashboard è confusa e deludente, sono molto insoddisfatto.' });
    await route(833, TICKETS.billing);
    const loopEffects = (ticketId: number) => effects.filter((entry) => entry.ticketId === ticketId && ['incident', 'csat_follow_up', 'live_status'].includes(entry.effect.type)).map((entry) => entry.effect);
    expect((await app!.loops.get(831))?.state.category).toBe('performance_issue');
    expect((await app!.loops.get(832))?.state.category).toBe('sentiment_experience');
    expect(loopEffects(831)).toEqual([]);
    expect(loopEffects(832)).toEqual([]);
    expect(loopEffects(833)).toEqual([
      { type: 'incident', text: 'Billing issue on ticket 833, tier normal' },
      { type: 'csat_follow_up', reason: 'feedback' },
      { type: 'live_status', live: true },
    ]);
  });
});

describe('on_routing reads in a dry run', () => {
  const prefix = uniquePrefix();
  afterEach(() => dropPrefix(prefix));

  it('records the reads it would make, sends nothing, and says in the note that nothing was read', async () => {
    const calls: RecordedCall[] = [];
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    const env = parseEnv({ REDIS_URL, PORT: '0', CXLOOP_REDIS_PREFIX: prefix });
    if (!env.ok) throw new Error('env');
    const app = await startCxloop({ env: env.env, policy: onRoutingPolicy(), logger: { log: () => undefined }, host: '127.0.0.1', recorder: { record: (call) => void calls.push(call) } });
    try {
      const body = ticketEvent('created', { id: 841, ...TICKETS.bug, created_at: minutesAgo(1) });
      // A dry run verifies against Zendesk's published test secret.
      expect((await postSigned(app.http.url, body, { secret: ZENDESK_TEST_SECRET })).status).toBe(200);
      const put = await waitFor(() => calls.find((call) => call.call === 'PUT /api/v2/tickets/841.json'), 10_000, 'the recorded write');
      expect(calls.filter((call) => call.call.startsWith('GET')).map((call) => [call.call, call.request])).toEqual([
        [`GET /api/v2/users/${REQUESTER_ID}.json?include=organizations`, { method: 'GET', path: `/api/v2/users/${REQUESTER_ID}.json`, query: { include: 'organizations' } }],
        [
          `GET /api/v2/users/${REQUESTER_ID}/tickets/requested.json?sort_by=created_at&sort_order=desc&per_page=4`,
          { method: 'GET', path: `/api/v2/users/${REQUESTER_ID}/tickets/requested.json`, query: { sort_by: 'created_at', sort_order: 'desc', per_page: '4' } },
        ],
      ]);
      const note = (put.request as { body: Put['body'] }).body.ticket.comment.body.split('\n');
      expect(note.slice(4, -1)).toEqual(['Requester context not attached: a dry run reads nothing from Zendesk.']);
    } finally {
      await app.stop();
      nock.cleanAll();
      nock.enableNetConnect();
    }
  });
});

describe('the optional-read budget (real Redis, injected clock)', () => {
  const prefix = uniquePrefix();
  const redis = new Redis(REDIS_URL);
  afterAll(async () => {
    redis.disconnect();
    await dropPrefix(prefix);
  });

  it('grants reads up to the per-minute budget, refuses beyond it until the next minute, and waits out a 429', async () => {
    let clock = Date.UTC(2026, 10, 23, 9, 0, 10);
    const budget = new RedisReadBudget(redis, createRedisKeys(prefix), 3, () => clock);
    expect(await budget.take(2)).toBeNull();
    expect(await budget.take(2)).toBe("this minute's 3 optional Zendesk reads are spent (ZENDESK_READS_PER_MINUTE)");
    // Known spent for 2 reads this minute: refused again without a call to Redis; 1 read still asks.
    const sent = vi.spyOn(redis, 'sendCommand');
    expect(await budget.take(3)).toBe("this minute's 3 optional Zendesk reads are spent (ZENDESK_READS_PER_MINUTE)");
    expect(sent).not.toHaveBeenCalled();
    sent.mockRestore();
    expect(await budget.take(1)).toBeNull();
    clock += 60_000;
    expect(await budget.take(2)).toBeNull();
    await budget.pause(200);
    expect(await budget.take(1)).toBe("Zendesk's rate limit: reads wait for its Retry-After");
    await waitFor(async () => (await redis.exists(`${prefix}:{zr}:paused`)) === 0, 5_000, 'the pause to expire');
    expect(await budget.take(1)).toBeNull();
    expect(await new RedisReadBudget(redis, createRedisKeys(prefix), 0).take(1)).toBe('optional Zendesk reads are off (ZENDESK_READS_PER_MINUTE=0)');
  });
});
