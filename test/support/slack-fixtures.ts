import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { signSlackRequest } from '../../src/adapters/slack/slack-events-route.js';

export const SLACK_SECRET = 'slack-secret';
export const SLACK_API = 'https://slack.com';
export const RESPONSE_URL = 'https://hooks.slack.com/actions/T0TEST/1/abc';

/** Slack's v0 signature (https://docs.slack.dev/authentication/verifying-requests-from-slack), computed the way Slack does, for requests tests send. */
export function signSlack(body: string, timestampSeconds: number, secret = SLACK_SECRET): Record<string, string> {
  return signSlackRequest(body, timestampSeconds, secret);
}

/** POSTs a signed Slack request: `form` for interactions ({payload}) and commands, `json` for events. */
export function postSlack(
  baseUrl: string,
  body: { form: Record<string, string> } | { json: unknown },
  options: { nowMs: number; secret?: string; timestampSeconds?: number; headers?: Record<string, string> },
): Promise<Response> {
  const isForm = 'form' in body;
  const raw = isForm ? new URLSearchParams(body.form).toString() : JSON.stringify(body.json);
  const timestamp = options.timestampSeconds ?? Math.floor(options.nowMs / 1000);
  return fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': isForm ? 'application/x-www-form-urlencoded' : 'application/json', ...signSlack(raw, timestamp, options.secret), ...options.headers },
    body: raw,
  });
}

/**
 * chat.postMessage's success answer from a Slack faked with nock: a "#name" answers as the id
 * Slack would give it ("#cx-billing" -> "CCXBILLING"), and `ts` is the fake's `sequence`th message.
 */
export function postMessageAnswer(channel: string | undefined, sequence: number): { ok: true; channel: string | undefined; ts: string } {
  const id = channel?.startsWith('#') ? `C${channel.slice(1).replace(/[^a-z]/g, '').toUpperCase()}` : channel;
  return { ok: true, channel: id, ts: `1700000000.${String(sequence).padStart(6, '0')}` };
}

/** A fixture of Slack's own (test/fixtures/slack/<name>.json), a fresh copy each time. */
function slackFixture<T>(name: string, field: 'payload' | 'form' | 'answer', key?: string): T {
  const file = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, Record<string, unknown>>;
  return (key ? file[key]![field] : file[field]) as T;
}

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'slack');

type SlackAnswerName =
  | 'conversations.members'
  | 'usergroups.users.list'
  | 'chat.postEphemeral'
  | 'chat.postEphemeral user_not_in_channel'
  | 'chat.postMessage rate_limited'
  | 'users.info'
  | 'users.info user_not_found';

/**
 * users.info as Slack's method page shows it, for `userId`, with its display name (and real name)
 * replaced: what cxloop shows is the display name.
 */
export function slackUserInfo(userId: string, displayName: string, realName = displayName): Record<string, unknown> {
  const answer = slackAnswer('users.info') as { user: { profile: Record<string, unknown> } & Record<string, unknown> };
  return {
    ...answer,
    user: {
      ...answer.user,
      id: userId,
      real_name: realName,
      profile: { ...answer.user.profile, display_name: displayName, display_name_normalized: displayName, real_name: realName, real_name_normalized: realName },
    },
  };
}

/** An answer of Slack's Web API as its method page shows it (web-api-answers.json), with the test's own fields. */
export function slackAnswer(method: SlackAnswerName, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...slackFixture<Record<string, unknown>>('web-api-answers', 'answer', method), ...fields };
}

/**
 * A block_actions payload for a click on a ticket card: Slack's own example
 * (test/fixtures/slack/block-actions.json) with this test's user, channel, message and control.
 */
export function blockAction(input: { user: string; channel: string; actionId: string; ticketId: number; value?: string; selected?: string; messageTs?: string; actionTs?: string }): { form: Record<string, string> } {
  const payload = slackFixture<Record<string, Record<string, unknown>>>('block-actions', 'payload');
  const action = input.selected
    ? { type: 'static_select', action_id: input.actionId, block_id: `cx_t_${input.ticketId}`, selected_option: { value: input.selected, text: { type: 'plain_text', text: input.selected } }, action_ts: input.actionTs ?? '1700000000.000200' }
    : { type: 'button', action_id: input.actionId, block_id: `cx_t_${input.ticketId}`, text: { type: 'plain_text', text: 'Button', emoji: true }, value: input.value ?? String(input.ticketId), action_ts: input.actionTs ?? '1700000000.000100' };
  const team = { id: 'T0TEST', domain: 'acme' };
  return {
    form: {
      payload: JSON.stringify({
        ...payload,
        user: { ...payload.user, id: input.user, team_id: team.id },
        team,
        trigger_id: '123.456.abc',
        container: { ...payload.container, message_ts: input.messageTs ?? '1700000000.000001', channel_id: input.channel, is_ephemeral: false },
        channel: { id: input.channel, name: 'cx-billing' },
        response_url: RESPONSE_URL,
        actions: [action],
      }),
    },
  };
}

/** A view_submission of the Post update modal: Slack's own example (view-submission.json) with this test's user, ticket and text. No channel, no response_url. */
export function updateSubmission(input: { user: string; ticketId: number; text: string; etaHours?: number; hash?: string }): { form: Record<string, string> } {
  const payload = slackFixture<Record<string, Record<string, unknown>>>('view-submission', 'payload');
  const values = {
    cx_update_text: { cx_update_text_input: { type: 'plain_text_input', value: input.text } },
    cx_update_eta: { cx_update_eta_select: { type: 'static_select', selected_option: input.etaHours ? { value: String(input.etaHours) } : null } },
  };
  return {
    form: {
      payload: JSON.stringify({
        ...payload,
        user: { ...payload.user, id: input.user, team_id: 'T0TEST' },
        team: { id: 'T0TEST', domain: 'acme' },
        view: { ...payload.view, callback_id: 'cx_update_modal', private_metadata: String(input.ticketId), state: { values }, hash: input.hash ?? `1700000000.${input.text.length}` },
      }),
    },
  };
}

/** A slash command as Slack posts it: Slack's own example (slash-command.json) with this test's text, user and channel. */
export function slashCommand(text: string, user: string, channel = 'C0BILLING'): { form: Record<string, string> } {
  const form = slackFixture<Record<string, string>>('slash-command', 'form');
  return {
    form: { ...form, team_id: 'T0TEST', channel_id: channel, user_id: user, user_name: 'someone', command: '/cxloop', text, response_url: RESPONSE_URL, trigger_id: '789.012.def', api_app_id: 'A0TEST' },
  };
}

/** The arguments of a Slack Web API call as nock sees them (form-encoded; blocks is a JSON string). */
export function slackArgs(body: unknown): Record<string, string> {
  if (typeof body === 'string') return Object.fromEntries(new URLSearchParams(body));
  return body as Record<string, string>;
}

/** One Web API call as the fake Slack saw it; `ts` is what it answered a chat.postMessage with. */
export interface SlackCall {
  method: string;
  args: Record<string, string>;
  ts?: string;
}

/**
 * Fakes Slack's Web API at its HTTP boundary: every call is recorded in `calls` and answered ok; a
 * chat.postMessage gets a fresh ts and, for a "#name", the channel id "C<NAME>". `refuse` may answer
 * a call instead (its reply), which is then recorded without a ts.
 */
export function nockSlackApi(calls: SlackCall[], refuse: (call: SlackCall) => [number, unknown, Record<string, string>?] | undefined = () => undefined): void {
  let sequence = 0;
  nock(SLACK_API)
    .persist()
    .post(/\/api\/.+/)
    .reply(function (uri, body) {
      const call: SlackCall = { method: uri.replace('/api/', ''), args: slackArgs(body) };
      const refused = refuse(call);
      if (refused) {
        calls.push(call);
        return refused;
      }
      sequence += 1;
      const ts = `1700000000.${String(sequence).padStart(6, '0')}`;
      const channel = call.args.channel?.startsWith('#') ? `C${call.args.channel.slice(1).replace(/[^a-z]/g, '').toUpperCase()}` : call.args.channel;
      calls.push(call.method === 'chat.postMessage' ? { ...call, ts } : call);
      return [200, call.method === 'chat.postMessage' ? { ok: true, channel, ts } : { ok: true }];
    });
}
