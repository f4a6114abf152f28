import type { View } from '@slack/types';
import { LogLevel, WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError, WebClient } from '@slack/web-api';
import { parseRetryAfter } from '../../app/http-route.js';
import { SlackApiError, type SlackApi, type SlackMessageRef } from './slack-api.js';
import type { SlackMessage } from './slack-views.js';

/** Slack errors an operator must fix (token, scopes): retrying cannot help. */
const AUTH_ERRORS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'missing_scope', 'no_permission']);
const REQUEST_TIMEOUT_MS = 10_000;
const RESPONSE_URL = /^https:\/\/hooks\.slack\.com\//;
/** Slack's rate-limit errors: HTTP 429 answers `ratelimited`, chat.postMessage also documents `rate_limited`. */
const RATE_LIMIT_ERRORS = new Set(['ratelimited', 'rate_limited']);
/** web-api's message for a 429 whose Retry-After it could not read (it throws a plain Error then). */
const UNREADABLE_RETRY_AFTER = /^Retry header did not contain a valid timeout/;
/** conversations.members page size: Slack recommends at most 200. */
const MEMBERS_PAGE = 200;
/** A guard against a cursor that never ends (50,000 members at 200 a page). */
const MAX_MEMBER_PAGES = 250;

/**
 * SlackApi over @slack/web-api. Its client retries 429s by pausing every call on the client (all
 * channels) for up to ~30 minutes; cxloop turns that off (rejectRateLimitedCalls, no retries) and
 * paces per channel itself (SlackOutbox), so one busy channel never stalls the others.
 */
export class WebSlackApi implements SlackApi {
  private readonly client: WebClient;

  constructor(options: { token: string; apiUrl?: string }) {
    this.client = new WebClient(options.token, {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/` } : {}),
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      timeout: REQUEST_TIMEOUT_MS,
      logLevel: LogLevel.ERROR,
    });
  }

  async post(message: SlackMessage & { channel: string; threadTs?: string; broadcast?: boolean }): Promise<SlackMessageRef> {
    const base = { channel: message.channel, text: message.text, blocks: [...message.blocks], unfurl_links: false, unfurl_media: false };
    const result = await call('chat.postMessage', () =>
      this.client.chat.postMessage(message.threadTs ? { ...base, thread_ts: message.threadTs, reply_broadcast: message.broadcast === true } : base),
    );
    if (!result.channel || !result.ts) throw new SlackApiError('REJECTED', 'chat.postMessage answered without channel and ts');
    return { channel: result.channel, ts: result.ts };
  }

  async update(message: SlackMessage & SlackMessageRef): Promise<void> {
    await call('chat.update', () => this.client.chat.update({ channel: message.channel, ts: message.ts, text: message.text, blocks: [...message.blocks] }));
  }

  async pin(ref: SlackMessageRef): Promise<void> {
    await call('pins.add', async () => {
      try {
        await this.client.pins.add({ channel: ref.channel, timestamp: ref.ts });
      } catch (error) {
        if (!(error instanceof WebAPIPlatformError && error.data.error === 'already_pinned')) throw error;
      }
    });
  }

  async respond(responseUrl: string, message: SlackMessage): Promise<void> {
    // response_url comes in a signed payload; still, only Slack's own host gets our messages.
    if (!RESPONSE_URL.test(responseUrl)) throw new SlackApiError('REJECTED', 'response_url is not a hooks.slack.com URL');
    let response: Response;
    try {
      response = await fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new SlackApiError('UNAVAILABLE', `response_url: ${(error as Error).message}`, null, { cause: error });
    }
    if (response.status === 429) throw new SlackApiError('RATE_LIMITED', 'response_url: rate limited', parseRetryAfter(response.headers.get('retry-after')) || null);
    if (response.status >= 500) throw new SlackApiError('UNAVAILABLE', `response_url: HTTP ${response.status}`);
    if (!response.ok) throw new SlackApiError('REJECTED', `response_url: HTTP ${response.status} (used more than 5 times, or older than 30 minutes)`);
  }

  async postEphemeral(channel: string, user: string, message: SlackMessage): Promise<void> {
    await call('chat.postEphemeral', () => this.client.chat.postEphemeral({ channel, user, text: message.text, blocks: [...message.blocks] }));
  }

  async openView(triggerId: string, view: View): Promise<void> {
    await call('views.open', () => this.client.views.open({ trigger_id: triggerId, view }));
  }

  async publishHome(userId: string, view: View): Promise<void> {
    await call('views.publish', () => this.client.views.publish({ user_id: userId, view }));
  }

  async usergroupMembers(usergroupId: string): Promise<readonly string[]> {
    const result = await call('usergroups.users.list', () => this.client.usergroups.users.list({ usergroup: usergroupId }));
    return result.users ?? [];
  }

  async channelMembers(channelId: string): Promise<readonly string[]> {
    const members: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_MEMBER_PAGES; page += 1) {
      const result = await call('conversations.members', () => this.client.conversations.members({ channel: channelId, limit: MEMBERS_PAGE, ...(cursor ? { cursor } : {}) }));
      members.push(...(result.members ?? []));
      cursor = result.response_metadata?.next_cursor;
      if (!cursor) return members;
    }
    throw new SlackApiError('UNAVAILABLE', `conversations.members: more than ${MAX_MEMBER_PAGES} pages for ${channelId}`);
  }

  async userName(userId: string): Promise<string | null> {
    try {
      const result = await this.client.users.info({ user: userId });
      return slackUserName(result.user);
    } catch (error) {
      if (error instanceof WebAPIPlatformError && NO_SUCH_USER.has(error.data.error)) return null;
      throw translate('users.info', error);
    }
  }
}

/** users.info errors that mean "nobody by that id" (https://docs.slack.dev/reference/methods/users.info). */
const NO_SUCH_USER = new Set(['user_not_found', 'user_not_visible']);

/**
 * The name Slack itself shows for a user: the display name they chose, else their real name, else
 * the username. users.info answers with `profile.display_name` possibly empty or missing.
 */
export function slackUserName(user: { name?: string; real_name?: string; profile?: { display_name?: string; real_name?: string } } | undefined): string | null {
  const candidates = [user?.profile?.display_name, user?.profile?.real_name, user?.real_name, user?.name];
  return candidates.map((name) => name?.trim() ?? '').find((name) => name !== '') ?? null;
}

/** Runs one Web API call and translates its failure, once, into a SlackApiError. */
async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw translate(method, error);
  }
}

function translate(method: string, error: unknown): SlackApiError {
  const options = { cause: error };
  // A Retry-After of 0 or none at all leaves the wait to the caller's back-off (null), never a hot retry.
  if (error instanceof WebAPIRateLimitedError) return new SlackApiError('RATE_LIMITED', `${method}: rate limited`, error.retryAfter > 0 ? error.retryAfter * 1000 : null, options);
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    if (RATE_LIMIT_ERRORS.has(code)) {
      // An `ok: false` answer carries Retry-After, when Slack sent one, in response_metadata (seconds).
      const seconds = error.data.response_metadata?.retryAfter;
      return new SlackApiError('RATE_LIMITED', `${method}: ${code}`, seconds !== undefined && seconds > 0 ? seconds * 1000 : null, options);
    }
    if (AUTH_ERRORS.has(code)) return new SlackApiError('AUTH', `${method}: ${code} (check SLACK_BOT_TOKEN and the app's scopes)`, null, options);
    if (code === 'internal_error' || code === 'fatal_error' || code === 'service_unavailable') return new SlackApiError('UNAVAILABLE', `${method}: ${code}`, null, options);
    return new SlackApiError('REJECTED', `${method}: ${code}`, null, options);
  }
  if (error instanceof WebAPIHTTPError) {
    const code = error.statusCode >= 500 ? 'UNAVAILABLE' : 'REJECTED';
    return new SlackApiError(code, `${method}: HTTP ${error.statusCode}`, null, options);
  }
  if (error instanceof WebAPIRequestError) return new SlackApiError('UNAVAILABLE', `${method}: ${error.original.message}`, null, options);
  if (error instanceof Error && UNREADABLE_RETRY_AFTER.test(error.message)) return new SlackApiError('RATE_LIMITED', `${method}: rate limited (no usable Retry-After)`, null, options);
  return new SlackApiError('UNAVAILABLE', `${method}: ${(error as Error).message}`, null, options);
}
