import { afterEach, describe, expect, it } from 'vitest';
import { SlackApiError } from '../../../src/adapters/slack/slack-api.js';
import { WebSlackApi } from '../../../src/adapters/slack/web-slack-api.js';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions } from '../../../bench/fake-slack.js';

let server: FakeSlack | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options?: FakeSlackOptions): Promise<FakeSlack> {
  server = await startFakeSlack(options);
  return server;
}

/** A Web API call as @slack/web-api v8 sends it: form-encoded, nested values as JSON strings. */
async function call(slack: FakeSlack, method: string, args: Record<string, unknown>, token = 'xoxb-test') {
  const form = new URLSearchParams(Object.entries(args).map(([key, value]): [string, string] => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
  const response = await fetch(`${slack.apiUrl}${method}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' }, body: form });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), json: (await response.json()) as Record<string, unknown> };
}

const post = (slack: FakeSlack, channel: string, text = 'hello') => call(slack, 'chat.postMessage', { channel, text, blocks: [{ type: 'section', block_id: 'cx_t_7', text: { type: 'mrkdwn', text } }] });

describe('fake Slack', () => {
  it('allows one message per second per channel and answers 429 with Retry-After in between', async () => {
    let clock = 1_700_000_000_000;
    const slack = await start({ now: () => clock });
    expect((await post(slack, '#cx-billing')).status).toBe(200);

    clock += 400;
    const limited = await post(slack, '#cx-billing');
    expect(limited).toMatchObject({ status: 429, retryAfter: '1', json: { ok: false, error: 'ratelimited' } });
    // Another channel has its own budget.
    expect((await post(slack, '#cx-support')).status).toBe(200);

    clock += 600;
    expect((await post(slack, '#cx-billing')).status).toBe(200);
    expect(slack.stats).toEqual({ posted: 3, updated: 0, rateLimited: 1 });
    expect(slack.calls.map((entry) => `${entry.method} ${entry.status}`)).toEqual(['chat.postMessage 200', 'chat.postMessage 429', 'chat.postMessage 200', 'chat.postMessage 200']);
  });

  it('lets a burst through up to the bucket size, then refills at the sustained rate', async () => {
    let clock = 0;
    const slack = await start({ now: () => clock, burst: 3 });
    const statuses = [];
    for (let index = 0; index < 4; index += 1) statuses.push((await post(slack, '#cx-status')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    clock += 999;
    expect((await post(slack, '#cx-status')).status).toBe(429);
    clock += 1;
    expect((await post(slack, '#cx-status')).status).toBe(200);
  });

  it('says how many whole seconds to wait when the rate is below one a second', async () => {
    let clock = 0;
    const slack = await start({ now: () => clock, postsPerSecond: 0.25 });
    await post(slack, '#slow');
    clock += 1_500;
    expect((await post(slack, '#slow')).retryAfter).toBe('3');
  });

  it('records accepted messages with their channel id, ts and parsed blocks', async () => {
    let clock = 0;
    const slack = await start({ now: () => clock });
    const first = await post(slack, '#cx-billing', 'Ticket #7');
    const channel = slack.channelId('#cx-billing');
    expect(channel).toMatch(/^C[A-Z0-9]+$/);
    expect(first.json).toMatchObject({ ok: true, channel, ts: expect.stringMatching(/^\d+\.\d{6}$/) });
    const dm = await post(slack, 'U0LEAD');
    expect(dm.json.channel).toBe('D0LEAD');
    expect(slack.posts[0]).toMatchObject({ channel, sentTo: '#cx-billing', text: 'Ticket #7', threadTs: null, blocks: [{ block_id: 'cx_t_7' }] });

    clock += 1_000; // a threaded reply counts against its channel too
    const reply = await call(slack, 'chat.postMessage', { channel, text: 'reply', thread_ts: first.json.ts });
    expect(reply.status).toBe(200);
    expect(slack.posts.at(-1)).toMatchObject({ channel, threadTs: first.json.ts });
  });

  it('edits a posted message with chat.update and refuses unknown ones', async () => {
    const slack = await start();
    const posted = await post(slack, '#cx-billing', 'before');
    const edited = await call(slack, 'chat.update', { channel: posted.json.channel, ts: posted.json.ts, text: 'after', blocks: [] });
    expect(edited.json).toMatchObject({ ok: true });
    expect(slack.updates).toMatchObject([{ text: 'after', ts: posted.json.ts }]);
    expect((await call(slack, 'chat.update', { channel: posted.json.channel, ts: '1.000001', text: 'x' })).json).toEqual({ ok: false, error: 'message_not_found' });
  });

  it('limits chat.update to its Tier 3 budget over a sliding minute, across channels', async () => {
    let clock = 0;
    const slack = await start({ now: () => clock, updatesPerMinute: 2 });
    const a = await post(slack, '#a');
    const b = await post(slack, '#b');
    const edit = (message: typeof a) => call(slack, 'chat.update', { channel: message.json.channel, ts: message.json.ts, text: 'x' });
    expect((await edit(a)).status).toBe(200);
    clock += 10_000;
    expect((await edit(b)).status).toBe(200);
    const limited = await edit(a);
    expect(limited).toMatchObject({ status: 429, retryAfter: '50' });
    clock += 50_000;
    expect((await edit(a)).status).toBe(200);
  });

  it('answers auth.test, usergroups.users.list, views.publish and conversations.open, and refuses a wrong token', async () => {
    const slack = await start({ token: 'xoxb-right', usergroups: { S0TEAM: ['U1', 'U2'] } });
    expect((await call(slack, 'auth.test', {}, 'xoxb-right')).json).toMatchObject({ ok: true, user_id: 'U0BENCHBOT' });
    expect((await call(slack, 'auth.test', {}, 'xoxb-wrong')).json).toEqual({ ok: false, error: 'invalid_auth' });
    expect((await call(slack, 'usergroups.users.list', { usergroup: 'S0TEAM' }, 'xoxb-right')).json).toEqual({ ok: true, users: ['U1', 'U2'] });
    expect((await call(slack, 'usergroups.users.list', { usergroup: 'S0NONE' }, 'xoxb-right')).json).toEqual({ ok: false, error: 'no_such_subteam' });
    expect((await call(slack, 'views.publish', { user_id: 'U1', view: { type: 'home', blocks: [] } }, 'xoxb-right')).json).toMatchObject({ ok: true });
    expect((await call(slack, 'conversations.open', { users: 'U1' }, 'xoxb-right')).json).toEqual({ ok: true, channel: { id: 'D1' } });
    expect((await call(slack, 'chat.nope', {}, 'xoxb-right')).json).toEqual({ ok: false, error: 'unknown_method' });
  });

  it('sends the token\'s scopes in x-oauth-scopes with every answer made with it, none with a wrong token', async () => {
    const slack = await start({ token: 'xoxb-test', scopes: ['chat:write', 'users:read'] });
    const scopesOf = async (token: string) => {
      const response = await fetch(`${slack.apiUrl}auth.test`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      return [response.headers.get('x-oauth-scopes'), ((await response.json()) as { ok: boolean }).ok];
    };
    expect(await scopesOf('xoxb-test')).toEqual(['chat:write,users:read', true]);
    expect(await scopesOf('xoxb-wrong')).toEqual([null, false]);
  });

  it('speaks the wire format of cxloop\'s real Slack client, whose 429 becomes RATE_LIMITED with Retry-After', async () => {
    const slack = await start({ token: 'xoxb-bench' });
    const api = new WebSlackApi({ token: 'xoxb-bench', apiUrl: slack.apiUrl });
    const message = { channel: '#cx-support', text: 'Ticket #42', blocks: [{ type: 'section' as const, block_id: 'cx_t_42', text: { type: 'mrkdwn' as const, text: '#42' } }] };
    const ref = await api.post(message);
    expect(ref.channel).toBe(slack.channelId('#cx-support'));
    expect(slack.posts[0]?.blocks).toEqual(message.blocks);
    const error = await api.post(message).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SlackApiError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 1000 });
    await api.update({ ...ref, text: 'edited', blocks: [] });
    expect(slack.updates).toHaveLength(1);
    expect(await api.usergroupMembers('S0NONE').catch((caught: unknown) => (caught as SlackApiError).code)).toBe('REJECTED');
  });
});
