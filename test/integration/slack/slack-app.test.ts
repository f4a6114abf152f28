import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCorrections } from '../../../src/adapters/redis/redis-corrections.js';
import { createRedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { RedisTicketStore } from '../../../src/adapters/redis/redis-ticket-store.js';
import type { Policy } from '../../../src/config/policy-schema.js';
import { correctionRows } from '../../../src/core/learn/correction-rows.js';
import { settle as settleQueues, type Cxloop } from '../../../src/main.js';
import { blockAction, postSlack, slackAnswer, postMessageAnswer, slackArgs, SLACK_API, slackUserInfo, slashCommand, updateSubmission } from '../../support/slack-fixtures.js';
import { REDIS_URL, dropPrefix, policyWithGroups, postSigned, startLive, ticketEvent, uniquePrefix, waitFor, ZENDESK_URL, nockZendeskReads } from '../../support/zendesk-fixtures.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface SlackCall {
  method: string;
  args: Record<string, string>;
}

const HOSTILE_SUBJECT = '<!channel> refund now <@U0EVIL99> <https://evil.example/login|Zendesk password reset> &amp; charged twice';

/**
 * The Slack app end to end: signed Zendesk webhooks and signed Slack requests into the real server,
 * real Redis, BullMQ workers and the Slack sender; Slack and Zendesk faked at their HTTP boundary.
 */
describe('Slack app (real server, Redis, BullMQ; Slack and Zendesk faked with nock)', () => {
  let prefix: string;
  let app: Cxloop | undefined;
  let clock: number;
  let calls: SlackCall[];
  let responses: { text: string; response_type?: string }[];
  let zendeskPuts: { path: string; body: { ticket?: { comment?: { body: string } } } }[];
  let rateLimitNextPost: number;
  /** conversations.members pages per channel id (Slack's example answer, with these members). */
  let channelPages: Record<string, string[][]>;
  /** Slack methods that answer only after this many ms (a slow Slack). */
  let slowMethods: Record<string, number>;
  /** Users chat.postEphemeral refuses to reach in the channel (user_not_in_channel). */
  let ephemeralRefused: Set<string>;

  /** billing lists its people (members, user group, lead); engineering lists nobody: its channel decides. */
  function policy(): Policy {
    const base = policyWithGroups();
    base.teams.billing = {
      ...base.teams.billing!,
      members: ['U0MEMBER1'],
      escalation: { ...base.teams.billing!.escalation, usergroup_id: 'S0BILLING1', lead_user_id: 'U0LEAD001' },
    };
    base.slack.admins = ['U0ADMIN01'];
    return base;
  }

  beforeEach(async () => {
    prefix = uniquePrefix();
    clock = Date.parse('2026-11-23T09:00:00Z');
    calls = [];
    responses = [];
    zendeskPuts = [];
    rateLimitNextPost = 0;
    channelPages = {};
    slowMethods = {};
    ephemeralRefused = new Set();
    let ts = 0;
    nockZendeskReads();
    nock(ZENDESK_URL)
      .persist()
      .put(/\/api\/v2\/tickets\/\d+\.json/)
      .reply(function (uri, body) {
        zendeskPuts.push({ path: uri, body: body as (typeof zendeskPuts)[number]['body'] });
        return [200, { ticket: {} }];
      });
    nock(SLACK_API)
      .persist()
      .post(/\/api\/.+/)
      .reply(function (uri, body, callback) {
        const method = uri.replace('/api/', '');
        const args = slackArgs(body);
        const answer = (): nock.ReplyFnResult => {
          if (method === 'chat.postMessage' && rateLimitNextPost > 0) {
            rateLimitNextPost -= 1;
            calls.push({ method: 'rate_limited', args });
            return [429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' }];
          }
          calls.push({ method, args });
          ts += 1;
          if (method === 'chat.postMessage') return [200, postMessageAnswer(args.channel, ts)];
          if (method === 'usergroups.users.list') return [200, slackAnswer('usergroups.users.list', { users: ['U0GROUP01'] })];
          if (method === 'conversations.members') {
            const pages = channelPages[args.channel!] ?? [[]];
            const page = args.cursor === undefined ? 0 : Number(Buffer.from(args.cursor, 'base64').toString());
            const next = page + 1 < pages.length ? Buffer.from(String(page + 1)).toString('base64') : '';
            return [200, slackAnswer('conversations.members', { members: pages[page], response_metadata: { next_cursor: next } })];
          }
          if (method === 'chat.postEphemeral') return [200, slackAnswer(ephemeralRefused.has(args.user!) ? 'chat.postEphemeral user_not_in_channel' : 'chat.postEphemeral')];
          if (method === 'users.info') return [200, args.user === 'U0MEMBER1' ? slackUserInfo('U0MEMBER1', 'Mia Member') : slackAnswer('users.info user_not_found')];
          return [200, { ok: true }];
        };
        setTimeout(() => callback(null, answer()), slowMethods[method] ?? 0);
      });
    nock('https://hooks.slack.com')
      .persist()
      .post('/actions/T0TEST/1/abc')
      .reply(function (_uri, body) {
        responses.push(body as (typeof responses)[number]);
        return [200, 'ok'];
      });
    app = await startLive(prefix, { now: () => clock, policy: policy(), slack: { sender: { intervalMs: 10 } } });
  });
  let slackQueue: Queue | undefined;
  beforeEach(() => {
    slackQueue = new Queue('cxloop-slack', { connection: { url: REDIS_URL }, prefix: `${prefix}:q` });
  });
  afterEach(async () => {
    await slackQueue?.close();
    await app?.stop();
    app = undefined;
    nock.cleanAll();
    nock.enableNetConnect();
    await dropPrefix(prefix);
  });

  const settle = () => settleQueues(app!, 15_000);
  const posts = (channel?: string) => calls.filter((call) => call.method === 'chat.postMessage' && (channel === undefined || call.args.channel === channel));
  const updates = () => calls.filter((call) => call.method === 'chat.update');

  async function openTicket(id: number, subject = 'Charged twice for my subscription', description?: string, channel = '#cx-billing'): Promise<void> {
    const detail = { id, status: 'new', subject, ...(description ? { description } : {}), created_at: iso(clock), updated_at: iso(clock) };
    const response = await postSigned(app!.http.url, ticketEvent('created', detail), { timestamp: new Date(clock).toISOString() });
    expect(response.status).toBe(200);
    await settle();
    await waitFor(() => posts(channel).some((call) => call.args.text?.includes(`#${id}`)), 5_000, `card of ${id}`);
  }

  /** A bug report: its card goes to #cx-engineering (Slack answers CCXENGINEERING), team engineering. */
  const openEngineeringTicket = (id: number) => openTicket(id, 'App crashes on login', 'The app crashes every time I log in since the last update.', '#cx-engineering');

  async function slack(body: Parameters<typeof postSlack>[1]): Promise<Response> {
    const response = await postSlack(app!.http.url, body, { nowMs: clock });
    return response;
  }

  it('posts a card with escaped customer text, a status message, and acts on an Acknowledge press in place', async () => {
    await openTicket(301, HOSTILE_SUBJECT);
    const card = posts('#cx-billing')[0]!;
    const blocks = JSON.parse(card.args.blocks!) as unknown[];
    const rendered = JSON.stringify(blocks) + card.args.text;
    for (const hostile of ['<!channel>', '<@U0EVIL99>', '<https://evil.example']) expect(rendered).not.toContain(hostile);
    expect(rendered).toContain('&lt;!channel&gt;');
    expect(rendered).toContain('https://acme.zendesk.com/agent/tickets/301');
    expect(JSON.stringify(blocks)).toContain('"action_id":"cx_ack"');
    expect(card.args).toMatchObject({ unfurl_links: 'false', unfurl_media: 'false' });
    expect(card.args).not.toHaveProperty('link_names');
    await waitFor(() => posts('#cx-status').length === 1, 5_000, 'status parent');

    const pressed = await slack(blockAction({ user: 'U0MEMBER1', channel: 'CCXBILLING', actionId: 'cx_ack', ticketId: 301 }));
    expect(pressed.status).toBe(200);
    expect(await pressed.text()).toBe('');
    await waitFor(async () => (await app!.loops.get(301))?.state.stage === 'acknowledged', 5_000, 'acknowledged');
    await settle();
    expect((await app!.loops.get(301))!.state.owner).toBe('U0MEMBER1');
    await waitFor(() => zendeskPuts.some((put) => put.body.ticket?.comment?.body === 'Acknowledged in Slack by Mia Member.'), 5_000, 'zendesk note');
    // The card and the status message are edited in place; the status channel gets a threaded reply.
    await waitFor(() => updates().some((call) => call.args.channel === 'CCXBILLING'), 5_000, 'card edited');
    const edited = updates().find((call) => call.args.channel === 'CCXBILLING')!;
    expect(edited.args.ts).toBe('1700000000.000001');
    expect(edited.args.blocks).toContain('U0MEMBER1');
    expect(edited.args.blocks).not.toContain('"action_id":"cx_ack"');
    await waitFor(() => posts('CCXSTATUS').some((call) => call.args.thread_ts !== undefined), 5_000, 'status thread reply');

    // The same interaction delivered again is applied once.
    const version = (await app!.loops.get(301))!.state.version;
    expect((await slack(blockAction({ user: 'U0MEMBER1', channel: 'CCXBILLING', actionId: 'cx_ack', ticketId: 301 }))).status).toBe(200);
    await settle();
    expect((await app!.loops.get(301))!.state.version).toBe(version);
  });

  it('refuses actions from outside the owning team with an ephemeral explanation, and accepts its user group', async () => {
    await openTicket(302);
    await slack(blockAction({ user: 'U0OUTSIDE', channel: 'C0ELSEWHERE', actionId: 'cx_snooze', ticketId: 302, selected: '60' }));
    await waitFor(() => responses.length === 1, 5_000, 'ephemeral reply');
    expect(responses[0]).toMatchObject({ response_type: 'ephemeral' });
    expect(responses[0]!.text).toContain('Only members of team *billing*');
    expect((await app!.loops.get(302))!.state.snoozedUntil).toBeNull();

    await slack(blockAction({ user: 'U0GROUP01', channel: 'C0ELSEWHERE', actionId: 'cx_snooze', ticketId: 302, selected: '60', actionTs: '1700000000.000300' }));
    await waitFor(async () => (await app!.loops.get(302))?.state.snoozedUntil === clock + HOUR, 5_000, 'snoozed by a user-group member');
    expect(calls.some((call) => call.method === 'usergroups.users.list' && call.args.usergroup === 'S0BILLING1')).toBe(true);
  });

  it('mentions the user group at escalation level 1 in a broadcast thread reply, and DMs the lead at level 2', async () => {
    await openTicket(303);
    const card = posts('#cx-billing')[0]!;
    clock += 2 * HOUR; // billing acknowledge breach; level 1 at once
    await settle();
    const escalation = await waitFor(() => posts('CCXBILLING').find((call) => call.args.text?.includes('<!subteam^S0BILLING1>')), 5_000, 'level 1 reply');
    expect(escalation.args).toMatchObject({ thread_ts: '1700000000.000001', reply_broadcast: 'true' });
    expect(card.args.text).not.toContain('subteam');
    clock += 30 * MINUTE;
    await settle();
    await waitFor(() => posts('U0LEAD001').length === 1, 5_000, 'lead DM');
  });

  it('answers /cxloop: bad input at once, status through response_url', async () => {
    await openTicket(304);
    const bad = await slack(slashCommand('snooze 304 soon', 'U0MEMBER1'));
    expect(bad.status).toBe(200);
    const body = (await bad.json()) as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('invalid duration');
    expect(body.text).toContain('/cxloop status <ticket>');

    const status = await slack(slashCommand('status 304', 'U0MEMBER1'));
    expect(status.status).toBe(200);
    const reply = await waitFor(() => responses.find((response) => response.text.includes('304')), 15_000, 'status reply');
    expect(reply.response_type).toBe('ephemeral');

    await slack(slashCommand('ack 304', 'U0MEMBER1'));
    await waitFor(async () => (await app!.loops.get(304))?.state.stage === 'acknowledged', 15_000, 'acknowledged by command');
    await waitFor(() => responses.some((response) => response.text === 'Acknowledged ticket #304.'), 15_000, 'ack reply');
  });

  it('answers /cxloop dashboard with a sign-in link for the caller alone, which signs in once', async () => {
    const answer = await slack(slashCommand('dashboard', 'U0MEMBER1'));
    const body = (await answer.json()) as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    const link = /<(http[^|>]+)\|Open the cxloop dashboard>/.exec(body.text)?.[1];
    expect(link).toMatch(new RegExp(`^${app!.http.url}/dashboard/login\\?t=v1\\.U0MEMBER1\\.`));
    const token = new URL(link!).searchParams.get('t')!;
    const signIn = (origin = app!.http.url) =>
      fetch(`${app!.http.url}/dashboard/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin }, body: new URLSearchParams({ t: token }).toString() });
    // CSRF: a form posted from another site is refused, and does not use the link up.
    expect((await signIn('https://evil.example')).status).toBe(403);
    const first = await signIn();
    expect(first.status).toBe(303);
    expect(first.headers.get('set-cookie')).toMatch(/^cxloop_session=[\w-]{32}; Path=\/dashboard; Max-Age=28800; HttpOnly; SameSite=Lax$/);
    expect((await signIn()).status).toBe(401);
  });

  it('rejects unsigned, tampered and stale Slack requests with 401', async () => {
    const payload = slashCommand('help', 'U0MEMBER1');
    const unsigned = await fetch(`${app!.http.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(payload.form).toString() });
    expect(unsigned.status).toBe(401);
    const wrongSecret = await postSlack(app!.http.url, payload, { nowMs: clock, secret: 'not-the-secret' });
    expect(wrongSecret.status).toBe(401);
    const stale = await postSlack(app!.http.url, payload, { nowMs: clock, timestampSeconds: Math.floor((clock - 6 * MINUTE) / 1000) });
    expect(stale.status).toBe(401);
    expect(await stale.json()).toEqual({ error: 'stale or future x-slack-request-timestamp' });
    const future = await postSlack(app!.http.url, payload, { nowMs: clock, timestampSeconds: Math.floor((clock + 6 * MINUTE) / 1000) });
    expect(future.status).toBe(401);
    const ok = await postSlack(app!.http.url, payload, { nowMs: clock });
    expect(ok.status).toBe(200);
    const huge = await postSlack(app!.http.url, { form: { payload: 'x'.repeat(600 * 1024) } }, { nowMs: clock });
    expect(huge.status).toBe(413);
    const metrics = await (await fetch(`${app!.http.url}/metrics`)).text();
    expect(metrics).toContain('cxloop_slack_requests_total{outcome="unauthorized"} 4');
    expect(metrics).toContain('cxloop_slack_requests_total{outcome="accepted"} 1');
    expect(metrics).toContain('cxloop_slack_requests_total{outcome="too_large"} 1');
  });

  it('waits out a 429 on chat.postMessage for Retry-After and then posts the message once', async () => {
    rateLimitNextPost = 1;
    const response = await postSigned(app!.http.url, ticketEvent('created', { id: 305, status: 'new', created_at: iso(clock), updated_at: iso(clock) }), { timestamp: new Date(clock).toISOString() });
    expect(response.status).toBe(200);
    // Not settle(): it would wait for the Slack outbox too, past the Retry-After this test times.
    await waitFor(() => calls.some((call) => call.method === 'rate_limited'), 15_000, 'the 429');
    const limitedAt = Date.now();
    await waitFor(() => posts('#cx-billing').length === 1, 5_000, 'card after Retry-After');
    expect(Date.now() - limitedAt).toBeGreaterThanOrEqual(900);
    expect(posts('#cx-billing')).toHaveLength(1);
    const metrics = await (await fetch(`${app!.http.url}/metrics`)).text();
    expect(metrics).toContain('cxloop_slack_calls_total{kind="message",outcome="rate_limited"} 1');
  });

  it('opens the update modal on Post update, and a submitted update becomes a status update with its ETA', async () => {
    await openTicket(306);
    await slack(blockAction({ user: 'U0MEMBER1', channel: 'CCXBILLING', actionId: 'cx_update', ticketId: 306 }));
    const opened = await waitFor(() => calls.find((call) => call.method === 'views.open'), 5_000, 'views.open');
    expect(opened.args.trigger_id).toBe('123.456.abc');
    const modal = JSON.parse(opened.args.view!) as { callback_id: string; private_metadata: string };
    expect(modal).toMatchObject({ callback_id: 'cx_update_modal', private_metadata: '306' });

    const submission = (text: string) => ({
      form: {
        payload: JSON.stringify({
          type: 'view_submission',
          user: { id: 'U0MEMBER1' },
          team: { id: 'T0TEST' },
          view: {
            id: 'V0MODAL1',
            hash: `h-${text.length}`,
            callback_id: 'cx_update_modal',
            private_metadata: '306',
            state: { values: { cx_update_text: { cx_update_text_input: { type: 'plain_text_input', value: text } }, cx_update_eta: { cx_update_eta_select: { type: 'static_select', selected_option: { value: '4' } } } } },
          },
        }),
      },
    });
    const empty = await slack(submission('   '));
    expect(await empty.json()).toEqual({ response_action: 'errors', errors: { cx_update_text: 'Write the update the customer and the status channel will see.' } });
    const sent = await slack(submission('Refund issued <!here>, lands in 3 days'));
    expect(sent.status).toBe(200);
    await waitFor(async () => (await app!.loops.get(306))?.state.lastUpdateAt === clock, 5_000, 'status update applied');
    await settle();
    const note = await waitFor(() => zendeskPuts.find((put) => put.body.ticket?.comment?.body?.startsWith('Status update posted in Slack')), 5_000, 'zendesk note');
    expect(note.path).toBe('/api/v2/tickets/306.json');
    const reply = await waitFor(() => posts('CCXSTATUS').find((call) => call.args.thread_ts !== undefined && call.args.blocks?.includes('Refund issued')), 5_000, 'status reply');
    expect(reply.args.blocks).not.toContain('<!here>');
  });

  it('publishes App Home for a team member when the Home tab opens', async () => {
    await openTicket(307);
    const response = await slack({ json: { type: 'event_callback', team_id: 'T0TEST', api_app_id: 'A0TEST', event_id: 'Ev01', event_time: Math.floor(clock / 1000), event: { type: 'app_home_opened', user: 'U0MEMBER1', channel: 'D0HOME', tab: 'home' } } });
    expect(response.status).toBe(200);
    const published = await waitFor(() => calls.find((call) => call.method === 'views.publish'), 5_000, 'views.publish');
    expect(published.args.user_id).toBe('U0MEMBER1');
    const view = JSON.parse(published.args.view!) as { type: string; blocks: unknown[] };
    expect(view.type).toBe('home');
    expect(JSON.stringify(view.blocks)).toContain('307');
  });

  it('posts the weekly digest to each team channel from its scheduled job', async () => {
    await openTicket(308);
    const schedulers = await slackQueue!.getJobSchedulers();
    expect(schedulers).toEqual([expect.objectContaining({ key: 'weekly-digest', pattern: '0 9 * * 1', tz: 'UTC' })]);
    await slackQueue!.add('weekly_digest', { v: 1, kind: 'weekly_digest' });
    const billing = await waitFor(() => posts('#cx-billing').find((call) => call.args.text?.startsWith('Weekly cxloop digest for team billing')), 5_000, 'billing digest');
    expect(billing.args.text).toBe('Weekly cxloop digest for team billing: 1 ticket opened');
    await waitFor(() => posts('#cx-engineering').some((call) => call.args.text?.startsWith('Weekly cxloop digest for team engineering')), 5_000, 'engineering digest');
  });

  describe('permissions: one rule for card buttons, the update modal, /cxloop and App Home', () => {
    let redis: Redis;
    beforeEach(() => {
      redis = new Redis(REDIS_URL);
      // Slack's own example answer of conversations.members, in two pages: who is in #cx-engineering.
      channelPages = { CCXENGINEERING: [['U0ENG0001'], ['U0CHANNEL1']] };
    });
    afterEach(() => redis.disconnect());

    /** What a refusal through response_url looks like on the wire. */
    const ephemeral = (text: string) => ({ response_type: 'ephemeral', replace_original: false, text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
    const ROSTER_REFUSAL = (action: string) => `Only members of team *billing* and cxloop admins can ${action}. Ask someone in the team, or ask an admin to add you to teams.billing.members.`;
    const CHANNEL_REFUSAL = (action: string) =>
      `Only people in team *engineering*'s channel #cx-engineering and cxloop admins can ${action}. Join #cx-engineering, or ask an admin to add you to teams.engineering.members.`;
    const membersCalls = () => calls.filter((call) => call.method === 'conversations.members').map((call) => call.args);

    it("refuses a non-member's press on the card in the team's own channel, ephemerally; the loop gets no owner", async () => {
      await openTicket(310);
      const opened = (await app!.loops.get(310))!.state.version;
      const pressed = await slack(blockAction({ user: 'U0OUTSIDE', channel: 'CCXBILLING', actionId: 'cx_take', ticketId: 310 }));
      expect(pressed.status).toBe(200);
      await waitFor(() => responses.length === 1, 5_000, 'the refusal');
      expect(responses).toEqual([ephemeral(ROSTER_REFUSAL('take ticket #310'))]);
      expect((await app!.loops.get(310))!.state).toMatchObject({ stage: 'routed', owner: null, version: opened });
      // Billing lists its people: its channel counts for nothing, only its user group was read.
      expect(calls.filter((call) => call.method === 'usergroups.users.list').map((call) => call.args)).toEqual([{ usergroup: 'S0BILLING1' }]);
      expect(membersCalls()).toEqual([]);
      // Cached in Redis (every process shares it) for a short while, with a marker for "cached".
      expect((await redis.smembers(`${prefix}:slack:members:usergroup:S0BILLING1`)).sort()).toEqual(['', 'U0GROUP01']);
      const ttl = await redis.pttl(`${prefix}:slack:members:usergroup:S0BILLING1`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(2 * MINUTE);

      // On a team without members or user group, presence in its channel is the rule: Slack is asked who is in it.
      await openEngineeringTicket(311);
      await slack(blockAction({ user: 'U0OUTSIDE', channel: 'CCXENGINEERING', actionId: 'cx_ack', ticketId: 311 }));
      await waitFor(() => responses.length === 2, 5_000, 'the second refusal');
      expect(responses[1]).toEqual(ephemeral(CHANNEL_REFUSAL('acknowledge ticket #311')));
      expect((await app!.loops.get(311))!.state).toMatchObject({ stage: 'routed', owner: null });
      expect(membersCalls()).toEqual([
        { channel: 'CCXENGINEERING', limit: '200' },
        { channel: 'CCXENGINEERING', limit: '200', cursor: Buffer.from('1').toString('base64') },
      ]);
      await settle();
      expect(zendeskPuts.filter((put) => put.body.ticket?.comment?.body?.includes('U0OUTSIDE'))).toEqual([]);
    });

    it("posts a channel member's update from the modal (no channel in it), and refuses a non-member's in the modal", async () => {
      await openEngineeringTicket(312);
      // The person in #cx-engineering acknowledges on the card, then posts an update through the modal.
      await slack(blockAction({ user: 'U0CHANNEL1', channel: 'CCXENGINEERING', actionId: 'cx_ack', ticketId: 312 }));
      await waitFor(async () => (await app!.loops.get(312))?.state.owner === 'U0CHANNEL1', 5_000, 'acknowledged by the channel member');
      await slack(blockAction({ user: 'U0CHANNEL1', channel: 'CCXENGINEERING', actionId: 'cx_update', ticketId: 312, actionTs: '1700000000.000400' }));
      await waitFor(() => calls.some((call) => call.method === 'views.open'), 5_000, 'views.open');
      const submitted = await slack(updateSubmission({ user: 'U0CHANNEL1', ticketId: 312, text: 'Fix deployed, rolling out now', etaHours: 4 }));
      expect(submitted.status).toBe(200);
      expect(await submitted.text()).toBe('');
      await waitFor(async () => (await app!.loops.get(312))?.state.lastUpdateAt === clock, 5_000, 'the update applied');
      const reply = await waitFor(() => posts('CCXSTATUS').find((call) => call.args.thread_ts !== undefined && call.args.blocks?.includes('Fix deployed, rolling out now')), 5_000, 'the status reply');
      expect(reply.args.text).toContain('#312');
      // Slack was asked once: the presses and the submission read the list cached in Redis.
      expect(membersCalls()).toHaveLength(2);

      // Someone else submits the modal: it stays open and says why, and nothing is queued.
      const version = (await app!.loops.get(312))!.state.version;
      const refused = await slack(updateSubmission({ user: 'U0OUTSIDE', ticketId: 312, text: 'Not my team, posting anyway' }));
      expect(await refused.json()).toEqual({
        response_action: 'errors',
        errors: { cx_update_text: CHANNEL_REFUSAL('post an update on ticket #312').replace(/\*/g, '') },
      });
      // Their Post update press is refused before any modal opens.
      const opened = calls.filter((call) => call.method === 'views.open').length;
      await slack(blockAction({ user: 'U0OUTSIDE', channel: 'CCXENGINEERING', actionId: 'cx_update', ticketId: 312, actionTs: '1700000000.000500' }));
      await waitFor(() => responses.length === 1, 5_000, 'the refusal of the press');
      expect(responses).toEqual([ephemeral(CHANNEL_REFUSAL('post an update on ticket #312'))]);
      expect(calls.filter((call) => call.method === 'views.open')).toHaveLength(opened);
      await settle();
      expect((await app!.loops.get(312))!.state.version).toBe(version);
    });

    it('answers a refusal the job finds after the modal closed (Slack too slow to check at submission): ephemerally under the card, else by DM', async () => {
      await openEngineeringTicket(313);
      channelPages = { CCXENGINEERING: [['U0CHANNEL1']] };
      slowMethods['conversations.members'] = 2_500; // longer than the submission may wait
      // U0OTHER01 is someone Slack will not show an ephemeral message to in that channel (user_not_in_channel).
      ephemeralRefused.add('U0OTHER01');
      const submitted = await Promise.all([
        slack(updateSubmission({ user: 'U0OUTSIDE', ticketId: 313, text: 'Posting before anyone could check' })),
        slack(updateSubmission({ user: 'U0OTHER01', ticketId: 313, text: 'Me too' })),
      ]);
      for (const response of submitted) expect(await response.text()).toBe(''); // closed: the job decides
      const text = CHANNEL_REFUSAL('post an update on ticket #313');
      const blocks = JSON.stringify([{ type: 'section', text: { type: 'mrkdwn', text } }]);
      const told = await waitFor(() => calls.find((call) => call.method === 'chat.postEphemeral' && call.args.user === 'U0OUTSIDE'), 10_000, 'chat.postEphemeral');
      expect(told.args).toEqual({ channel: 'CCXENGINEERING', user: 'U0OUTSIDE', text, blocks });
      const dm = await waitFor(() => posts('U0OTHER01')[0], 10_000, 'the DM');
      expect(dm.args).toEqual({ channel: 'U0OTHER01', text, blocks, unfurl_links: 'false', unfurl_media: 'false' });
      expect(calls.filter((call) => call.method === 'chat.postEphemeral').map((call) => call.args.user).sort()).toEqual(['U0OTHER01', 'U0OUTSIDE']);
      expect((await app!.loops.get(313))!.state.lastUpdateAt).toBeNull();
    });

    it('refuses /cxloop ack from a non-member through response_url; the loop stays unacknowledged', async () => {
      await openTicket(314);
      const command = await slack(slashCommand('ack 314', 'U0OUTSIDE', 'C0RANDOM'));
      expect(command.status).toBe(200);
      await waitFor(() => responses.length === 1, 5_000, 'the refusal');
      expect(responses).toEqual([ephemeral(ROSTER_REFUSAL('acknowledge ticket #314'))]);
      expect((await app!.loops.get(314))!.state).toMatchObject({ stage: 'routed', owner: null });
    });

    it('lets admins act on every team from anywhere, and App Home shows each person the teams the same rule grants', async () => {
      await openTicket(315);
      await openEngineeringTicket(316);
      await slack(slashCommand('ack 315', 'U0ADMIN01', 'C0RANDOM'));
      await waitFor(() => responses.some((response) => response.text === 'Acknowledged ticket #315.'), 5_000, 'the admin ack');
      await slack(blockAction({ user: 'U0ADMIN01', channel: 'C0ELSEWHERE', actionId: 'cx_take', ticketId: 316 }));
      await waitFor(async () => (await app!.loops.get(316))?.state.owner === 'U0ADMIN01', 5_000, 'taken by the admin');
      expect((await app!.loops.get(315))!.state).toMatchObject({ stage: 'acknowledged', owner: 'U0ADMIN01' });
      // An admin needs no member list.
      expect(membersCalls()).toEqual([]);
      expect(calls.filter((call) => call.method === 'usergroups.users.list')).toEqual([]);

      const home = async (user: string, eventId: string): Promise<string> => {
        const before = calls.filter((call) => call.method === 'views.publish').length;
        await slack({ json: { type: 'event_callback', team_id: 'T0TEST', api_app_id: 'A0TEST', event_id: eventId, event_time: Math.floor(clock / 1000), event: { type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home' } } });
        const published = await waitFor(() => calls.filter((call) => call.method === 'views.publish')[before], 5_000, `App Home of ${user}`);
        expect(published.args.user_id).toBe(user);
        return published.args.view!;
      };
      const admin = await home('U0ADMIN01', 'Ev10');
      expect(admin).toContain('#315');
      expect(admin).toContain('#316');
      const channelMember = await home('U0CHANNEL1', 'Ev11');
      expect(channelMember).toContain('#316');
      expect(channelMember).not.toContain('#315');
      const billingMember = await home('U0MEMBER1', 'Ev12');
      expect(billingMember).toContain('#315');
      expect(billingMember).not.toContain('#316');
    });
  });

  it("keeps a team owner's reassignment as a training row in the corrections stream, with the card's text, once however often Slack delivers it", async () => {
    await openTicket(305, 'Charged twice for my subscription', 'The app charges me twice and then crashes when I open the invoice.');
    const press = () => slack(blockAction({ user: 'U0MEMBER1', channel: 'CCXBILLING', actionId: 'cx_reassign', ticketId: 305, selected: 'bug_report' }));
    expect((await press()).status).toBe(200);
    await waitFor(async () => (await app!.loops.get(305))?.state.category === 'bug_report', 5_000, 'reassigned');
    await settle();
    expect((await press()).status).toBe(200);
    await settle();

    const redis = new Redis(REDIS_URL);
    try {
      const keys = createRedisKeys(prefix);
      const recorded = await readCorrections(redis, keys);
      expect(recorded).toEqual([{ ticketId: 305, field: 'category', to: 'bug_report', text: { subject: 'Charged twice for my subscription', body: 'The app charges me twice and then crashes when I open the invoice.' } }]);
      // cxloop train reads it as a labelled row, as it reads an agent's tag correction.
      expect(correctionRows(recorded, new Map()).rows).toEqual([{ id: '305', subject: 'Charged twice for my subscription', body: 'The app charges me twice and then crashes when I open the invoice.', category: 'bug_report' }]);
      // Routing accuracy reads Slack reassignments from the loops' histories: the stream's copy is not counted twice.
      expect(await new RedisTicketStore(redis, keys).correctionsSince(0)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it('answers Slack url_verification with the challenge', async () => {
    const response = await slack({ json: { type: 'url_verification', token: 'legacy', challenge: 'c-123' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: 'c-123' });
  });
});
