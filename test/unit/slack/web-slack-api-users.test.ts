import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { slackUserName, WebSlackApi } from '../../../src/adapters/slack/web-slack-api.js';
import { slackAnswer, slackArgs, slackUserInfo } from '../../support/slack-fixtures.js';

const API = 'https://slack.test';
const web = () => new WebSlackApi({ token: 'xoxb-test', apiUrl: `${API}/api/` });

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
});

describe('users.info: the name Slack shows for a user', () => {
  it("reads Slack's own example answer: the display name", async () => {
    const requests: Record<string, string>[] = [];
    nock(API)
      .post('/api/users.info')
      .reply(function (_uri, body) {
        requests.push(slackArgs(body));
        return [200, slackAnswer('users.info')];
      });
    expect(await web().userName('W012A3CDE')).toBe('spengler');
    expect(requests).toEqual([{ user: 'W012A3CDE' }]);
  });

  it.each([
    { name: 'display name', user: slackUserInfo('U0E2EMEM1', 'Ana', 'Ana Lima').user, result: 'Ana' },
    { name: 'no display name: the real name', user: slackUserInfo('U0E2EMEM1', '', 'Ana Lima').user, result: 'Ana Lima' },
    { name: 'neither: the username', user: { ...(slackUserInfo('U0E2EMEM1', ' ', '').user as object), real_name: '' }, result: 'spengler' },
    { name: 'nothing at all', user: undefined, result: null },
  ])('$name', ({ user, result }) => {
    expect(slackUserName(user as Parameters<typeof slackUserName>[0])).toBe(result);
  });

  it('answers null for a user Slack does not know', async () => {
    nock(API).post('/api/users.info').reply(200, slackAnswer('users.info user_not_found'));
    expect(await web().userName('U0GONE001')).toBeNull();
  });

  it.each([
    { name: 'a 5xx', reply: [503, 'unavailable'] as const, code: 'UNAVAILABLE' },
    { name: 'a missing scope (users:read)', reply: [200, { ok: false, error: 'missing_scope', needed: 'users:read' }] as const, code: 'AUTH' },
    { name: 'a rate limit', reply: [429, { ok: false, error: 'ratelimited' }, { 'retry-after': '2' }] as const, code: 'RATE_LIMITED' },
  ])('fails with a SlackApiError on $name, for the caller to fall back on', async ({ reply, code }) => {
    nock(API)
      .post('/api/users.info')
      .reply(...(reply as unknown as [number, nock.Body, Record<string, string>?]));
    await expect(web().userName('U0E2EMEM1')).rejects.toMatchObject({ name: 'SlackApiError', code });
  });
});
