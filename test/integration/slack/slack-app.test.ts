import { Queue } from 'bullmq';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Policy } from '../../../src/config/policy-schema.js';
import { settle as settleQueues, type Cxloop } from '../../../src/main.js';
import { blockAction, postSlack, slackArgs, SLACK_API, slashCommand } from '../../support/slack-fixtures.js';
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

  function policy(): Policy {
    const base = policyWithGroups();
    base.teams.billing = {
      ...base.teams.billing!,
      members: ['U0MEMBER1'],
      escalation: { ...base.teams.billing!.escalation, usergroup_id: 'S0BILLING1', lead_user_id: 'U0LEAD001' },
    };
    return base;
  }

  beforeEach(async () => {
    prefix = uniquePrefix();
    clock = Date.parse('2026-11-23T09:00:00Z');
    calls = [];
    responses = [];
    zendeskPuts = [];
    rateLimitNextPost = 0;
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
      .reply(function (uri, body) {
        const method = uri.replace('/api/', '');
        const args = slackArgs(body);
        if (method === 'chat.postMessage' && rateLimitNextPost > 0) {
          rateLimitNextPost -= 1;
          calls.push({ method: 'rate_limited', args });
          return [429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' }];
        }
        calls.push({ method, args });
        ts += 1;
        const channel = args.channel?.startsWith('#') ? `C${args.channel.slice(1).replace(/[^a-z]/g, '').toUpperCase()}` : args.channel;
        if (method === 'chat.postMessage') return [200, { ok: true, channel, ts: `1700000000.${String(ts).padStart(6, '0')}` }];
        if (method === 'usergroups.users.list') return [200, { ok: true, users: ['U0GROUP01'] }];
        return [200, { ok: true }];
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

  async function openTicket(id: number, subject = 'Charged twice for my subscription'): Promise<void> {
    const response = await postSigned(app!.http.url, ticketEvent('created', { id, status: 'new', subject, created_at: iso(clock), updated_at: iso(clock) }), { timestamp: new Date(clock).toISOString() });
    expect(response.status).toBe(200);
    await settle();
    await waitFor(() => posts('#cx-billing').some((call) => call.args.text?.includes(`#${id}`)), 5_000, `card of ${id}`);
  }

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
    await waitFor(() => zendeskPuts.some((put) => put.body.ticket?.comment?.body === 'Acknowledged in Slack by <U0MEMBER1>.'), 5_000, 'zendesk note');
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
    const reply = await waitFor(() => responses.find((response) => response.text.includes('304')), 5_000, 'status reply');
    expect(reply.response_type).toBe('ephemeral');

    await slack(slashCommand('ack 304', 'U0MEMBER1'));
    await waitFor(async () => (await app!.loops.get(304))?.state.stage === 'acknowledged', 5_000, 'acknowledged by command');
    await waitFor(() => responses.some((response) => response.text === 'Acknowledged ticket #304.'), 5_000, 'ack reply');
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

  it('answers Slack url_verification with the challenge', async () => {
    const response = await slack({ json: { type: 'url_verification', token: 'legacy', challenge: 'c-123' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: 'c-123' });
  });
});
