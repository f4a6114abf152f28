import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NAME_TTL_MS } from '../../../src/app/cached-people-directory.js';
import type { Policy } from '../../../src/config/policy-schema.js';
import { settle as settleQueues, type Cxloop } from '../../../src/main.js';
import { blockAction, postSlack, slackAnswer, postMessageAnswer, slackArgs, SLACK_API, slackUserInfo } from '../../support/slack-fixtures.js';
import { dropPrefix, nockZendeskReads, policyWithGroups, postSigned, REDIS_URL, startLive, ticketEvent, uniquePrefix, waitFor, ZENDESK_URL } from '../../support/zendesk-fixtures.js';

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** Zendesk's Show User answer (test/fixtures/zendesk/rest-user.json), for another agent. */
const REST_USER = JSON.parse(readFileSync(new URL('../../fixtures/zendesk/rest-user.json', import.meta.url), 'utf8')) as { user: Record<string, unknown> };

interface SlackCall {
  method: string;
  args: Record<string, string>;
}

/**
 * People by name, end to end: Slack's users.info and Zendesk's Show User faked at their HTTP
 * boundary, the exact chat.postMessage / chat.update requests and Zendesk notes read back.
 */
describe('people by name (real server, Redis, BullMQ; users.info and Show User faked with nock)', () => {
  let prefix: string;
  let app: Cxloop | undefined;
  let clock: number;
  let calls: SlackCall[];
  let notes: { ticket: number; body: string }[];
  let userLookups: number[];
  /** users.info per user: a display name, 'not_found', or 'down' (HTTP 503). */
  let slackUsers: Record<string, string>;
  /** Show User per agent id: a name, or 'down' (HTTP 500). */
  let zendeskUsers: Record<number, string>;

  function policy(): Policy {
    const base = policyWithGroups();
    base.teams.billing = { ...base.teams.billing!, members: ['U0MEMBER1', 'U0MEMBER2', 'U0MEMBER3'] };
    return base;
  }

  beforeEach(async () => {
    prefix = uniquePrefix();
    clock = Date.parse('2026-11-23T09:00:00Z');
    calls = [];
    notes = [];
    userLookups = [];
    slackUsers = { U0MEMBER1: 'Mia Member', U0MEMBER3: 'not_found' };
    zendeskUsers = { 7001: 'Ben Keller' };
    let ts = 0;
    nockZendeskReads();
    nock(ZENDESK_URL)
      .persist()
      .put(/\/api\/v2\/tickets\/\d+\.json/)
      .reply(function (uri, body) {
        const comment = (body as { ticket?: { comment?: { body?: string } } }).ticket?.comment?.body;
        if (comment !== undefined && !comment.startsWith('cxloop routed')) notes.push({ ticket: Number(/(\d+)\.json$/.exec(uri)![1]), body: comment });
        return [200, { ticket: {} }];
      });
    nock(ZENDESK_URL)
      .persist()
      .get(/\/api\/v2\/users\/\d+\.json/)
      .reply(function (uri) {
        const id = Number(/users\/(\d+)\.json$/.exec(uri)![1]);
        userLookups.push(id);
        const name = zendeskUsers[id];
        if (name === 'down') return [500, { error: 'InternalError' }];
        if (name === undefined) return [404, { error: 'RecordNotFound', description: 'Not found' }];
        return [200, { user: { ...REST_USER.user, id, name } }];
      });
    nock(SLACK_API)
      .persist()
      .post(/\/api\/.+/)
      .reply(function (uri, body) {
        const method = uri.replace('/api/', '');
        const args = slackArgs(body);
        calls.push({ method, args });
        if (method === 'users.info') {
          const name = slackUsers[args.user!];
          if (name === 'down') return [503, 'upstream unavailable'];
          if (name === undefined || name === 'not_found') return [200, slackAnswer('users.info user_not_found')];
          return [200, slackUserInfo(args.user!, name, `${name} (real)`)];
        }
        ts += 1;
        if (method === 'chat.postMessage') return [200, postMessageAnswer(args.channel, ts)];
        return [200, { ok: true }];
      });
    app = await startLive(prefix, { now: () => clock, policy: policy(), slack: { sender: { intervalMs: 10 } } });
  });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    nock.cleanAll();
    nock.enableNetConnect();
    await dropPrefix(prefix);
  });

  const settle = () => settleQueues(app!, 15_000);
  const posts = (channel: string) => calls.filter((call) => call.method === 'chat.postMessage' && call.args.channel === channel);
  const statusReplies = () => posts('CCXSTATUS').filter((call) => call.args.thread_ts !== undefined).map((call) => call.args.text);
  const lastUpdate = (channel: string) => calls.filter((call) => call.method === 'chat.update' && call.args.channel === channel).at(-1)?.args;
  const usersInfo = (user: string) => calls.filter((call) => call.method === 'users.info' && call.args.user === user).length;

  async function send(type: string, detail: Parameters<typeof ticketEvent>[1], event?: Record<string, unknown>): Promise<void> {
    const response = await postSigned(app!.http.url, ticketEvent(type, { created_at: iso(clock), updated_at: iso(clock), ...detail }, event ? { event } : {}), { timestamp: new Date(clock).toISOString() });
    expect(response.status).toBe(200);
    await settle();
  }

  async function openTicket(id: number): Promise<void> {
    await send('created', { id, status: 'new', subject: 'Charged twice for my subscription' });
    await waitFor(() => posts('#cx-billing').some((call) => call.args.text?.includes(`#${id}`)), 5_000, `card of ${id}`);
    await waitFor(() => posts('#cx-status').some((call) => call.args.text?.includes(`#${id}`)), 5_000, `status message of ${id}`);
  }

  async function press(user: string, ticketId: number, actionId: string, extra: { selected?: string; actionTs?: string } = {}): Promise<void> {
    const response = await postSlack(app!.http.url, blockAction({ user, channel: 'CCXBILLING', actionId, ticketId, ...extra }), { nowMs: clock });
    expect(response.status).toBe(200);
  }

  it('names a Slack user in the Zendesk note and the public status channel, mentions them on the card, and asks users.info once per user', async () => {
    await openTicket(401);
    await press('U0MEMBER1', 401, 'cx_ack');
    await waitFor(() => notes.some((note) => note.ticket === 401), 5_000, 'note of 401');
    await settle();
    expect(notes).toEqual([{ ticket: 401, body: 'Acknowledged in Slack by Mia Member.' }]);
    await waitFor(() => statusReplies().length === 1, 5_000, 'status reply');
    expect(statusReplies()).toEqual(['#401: Picked up by Mia Member.']);
    const statusReply = posts('CCXSTATUS').find((call) => call.args.thread_ts !== undefined)!.args;
    expect(JSON.parse(statusReply.blocks!)[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'Picked up by Mia Member.' } });
    // The public status message names the owner; no mention pings them from there.
    await waitFor(() => lastUpdate('CCXSTATUS'), 5_000, 'status message edited');
    expect(lastUpdate('CCXSTATUS')!.blocks).toContain('*Owner*\\nMia Member');
    expect(lastUpdate('CCXSTATUS')!.blocks).not.toContain('<@U0MEMBER1>');
    // The team card mentions them: Slack shows the name and it is their team's channel.
    await waitFor(() => lastUpdate('CCXBILLING'), 5_000, 'card edited');
    expect(lastUpdate('CCXBILLING')!.blocks).toContain('*Owner*\\n<@U0MEMBER1>');

    // More messages naming the same person: no new lookup while the cached name lives.
    await press('U0MEMBER1', 401, 'cx_snooze', { selected: '60', actionTs: '1700000000.000300' });
    await openTicket(402);
    await press('U0MEMBER1', 402, 'cx_ack', { actionTs: '1700000000.000400' });
    await waitFor(() => notes.length === 3, 5_000, 'three notes');
    await settle();
    expect(notes).toEqual([
      { ticket: 401, body: 'Acknowledged in Slack by Mia Member.' },
      { ticket: 401, body: 'Reminders snoozed in Slack by Mia Member until 2026-11-23 10:00 UTC.' },
      { ticket: 402, body: 'Acknowledged in Slack by Mia Member.' },
    ]);
    expect(statusReplies()).toEqual(['#401: Picked up by Mia Member.', '#402: Picked up by Mia Member.']);
    expect(usersInfo('U0MEMBER1')).toBe(1);
    const redis = new Redis(REDIS_URL);
    try {
      expect(await redis.get(`${prefix}:name:U0MEMBER1`)).toBe('Mia Member');
      const ttl = await redis.pttl(`${prefix}:name:U0MEMBER1`);
      expect(ttl).toBeGreaterThan(NAME_TTL_MS - MINUTE);
      expect(ttl).toBeLessThanOrEqual(NAME_TTL_MS);
    } finally {
      redis.disconnect();
    }
  });

  it("names a Zendesk agent from Show User, asked once, in Slack's status channel and on the card", async () => {
    await openTicket(403);
    await send('agent_assignment_changed', { id: 403, status: 'open', assignee_id: 7001, actor_id: 7001 });
    await waitFor(() => statusReplies().length === 1, 5_000, 'status reply');
    clock += 10 * MINUTE;
    await send('comment_added', { id: 403, status: 'open', assignee_id: 7001, actor_id: 7001 }, { comment: { id: '1', body: 'Refund issued', is_public: true, author: { id: '7001' } } });
    await waitFor(() => statusReplies().length === 2, 5_000, 'second status reply');
    await settle();
    expect(statusReplies()).toEqual(['#403: Picked up by Ben Keller.', '#403: Ben Keller replied to the customer.']);
    expect(lastUpdate('CCXBILLING')!.blocks).toContain('*Owner*\\nBen Keller');
    expect(lastUpdate('CCXSTATUS')!.blocks).toContain('*Owner*\\nBen Keller');
    expect(userLookups).toEqual([7001]);
  });

  it('falls back to the id when a lookup fails, sends the message anyway, fails no job, and tries again for the next message', async () => {
    slackUsers.U0MEMBER2 = 'down';
    zendeskUsers[7002] = 'down';
    await openTicket(404);
    await press('U0MEMBER2', 404, 'cx_ack');
    await waitFor(() => notes.length === 1, 5_000, 'note of 404');
    await waitFor(() => statusReplies().length === 1, 5_000, 'status reply');
    await settle();
    expect(notes).toEqual([{ ticket: 404, body: 'Acknowledged in Slack by U0MEMBER2.' }]);
    expect(statusReplies()).toEqual(['#404: Picked up by U0MEMBER2.']);

    // Zendesk's Show User failing: the agent is "Zendesk agent <id>".
    await openTicket(405);
    await send('agent_assignment_changed', { id: 405, status: 'open', assignee_id: 7002, actor_id: 7002 });
    await waitFor(() => statusReplies().length === 2, 5_000, 'status reply of 405');
    expect(statusReplies()[1]).toBe('#405: Picked up by Zendesk agent 7002.');

    // A failure is not cached: once Slack answers again, the next message has the name.
    slackUsers.U0MEMBER2 = 'Max Second';
    await press('U0MEMBER2', 404, 'cx_snooze', { selected: '60', actionTs: '1700000000.000500' });
    await waitFor(() => notes.length === 2, 5_000, 'snooze note');
    expect(notes[1]).toEqual({ ticket: 404, body: 'Reminders snoozed in Slack by Max Second until 2026-11-23 10:00 UTC.' });

    // A user Slack does not know is remembered as such: one lookup for two messages.
    await press('U0MEMBER3', 405, 'cx_take', { actionTs: '1700000000.000600' });
    await waitFor(() => notes.length === 3, 5_000, 'take note');
    await settle();
    expect(notes[2]).toEqual({ ticket: 405, body: 'Taken in Slack by U0MEMBER3.' });
    expect(usersInfo('U0MEMBER3')).toBe(1);

    for (const queue of [app!.queues.effects, app!.queues.routes]) expect(await queue.getFailedCount()).toBe(0);
  });
});
