import { LogLevel, WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError, WebClient, type AuthTestResponse } from '@slack/web-api';
import type { Env } from '../../../config/env-schema.js';
import { redactUrl } from '../../../config/redact-url.js';
import { describeError, failed, passed, skipped, warned, type DoctorResult } from './doctor-result.js';
import { MANIFEST, readManifestBotScopes } from './read-manifest-bot-scopes.js';

const SLACK_TIMEOUT_MS = 5_000;
const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';
const TOKEN_FIX = 'copy the Bot User OAuth Token (xoxb-...) from api.slack.com/apps > your app > OAuth & Permissions into SLACK_BOT_TOKEN';
const REINSTALL_FIX = 'reinstall the app to the workspace (api.slack.com/apps > your app > Install App) and copy its new Bot User OAuth Token into SLACK_BOT_TOKEN';
/** auth.test errors that mean the token itself is wrong or void, with what to tell the admin. */
const TOKEN_ERRORS: Readonly<Record<string, { readonly meaning: string; readonly fix: string }>> = {
  invalid_auth: { meaning: 'not a valid token (mistyped, or replaced when the app was reinstalled)', fix: TOKEN_FIX },
  not_authed: { meaning: 'Slack received no token (a proxy may strip the Authorization header)', fix: TOKEN_FIX },
  account_inactive: { meaning: 'the app was uninstalled or its bot user deactivated', fix: REINSTALL_FIX },
  token_revoked: { meaning: 'the token was revoked', fix: REINSTALL_FIX },
  token_expired: { meaning: 'the token expired (token rotation is on)', fix: REINSTALL_FIX },
};

export interface SlackFindings {
  readonly auth: DoctorResult;
  readonly scopes: DoctorResult;
}

/** auth.test with SLACK_BOT_TOKEN (no retries, 5 s): which workspace and bot, and whether every scope of the manifest was granted. */
export async function checkSlack(env: Env): Promise<SlackFindings> {
  if (env.SLACK_BOT_TOKEN === undefined) return { auth: skipped('slack', 'no Slack credentials set (dry-run)'), scopes: skipped('slack-scopes', 'no Slack credentials set') };
  const apiUrl = env.SLACK_API_URL ? (env.SLACK_API_URL.endsWith('/') ? env.SLACK_API_URL : `${env.SLACK_API_URL}/`) : DEFAULT_SLACK_API_URL;
  const client = new WebClient(env.SLACK_BOT_TOKEN, { slackApiUrl: apiUrl, retryConfig: { retries: 0 }, timeout: SLACK_TIMEOUT_MS, rejectRateLimitedCalls: true, logLevel: LogLevel.ERROR });
  let answer: AuthTestResponse;
  try {
    answer = await client.auth.test();
  } catch (error) {
    return { auth: judgeSlackFailure(redactUrl(apiUrl), error), scopes: skipped('slack-scopes', 'auth.test failed') };
  }
  const who = `workspace ${answer.team ?? '?'} (${answer.team_id ?? '?'}) as @${answer.user ?? '?'} (${answer.user_id ?? '?'})`;
  const scopes = await checkScopes(answer.response_metadata?.scopes);
  // Sign in with Slack admits the accounts of SLACK_TEAM_ID only: another workspace's id would refuse everyone.
  if (env.SLACK_TEAM_ID !== undefined && answer.team_id !== undefined && env.SLACK_TEAM_ID !== answer.team_id) {
    return { auth: failed('slack', `SLACK_TEAM_ID is ${env.SLACK_TEAM_ID} but the bot token is of ${who}: Sign in with Slack would refuse every account of it`, `set SLACK_TEAM_ID to ${answer.team_id}`), scopes };
  }
  return { auth: passed('slack', who), scopes };
}

function judgeSlackFailure(apiUrl: string, error: unknown): DoctorResult {
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    const known = TOKEN_ERRORS[code];
    if (known) return failed('slack', `SLACK_BOT_TOKEN rejected (${code}): ${known.meaning}`, known.fix);
    return failed('slack', `auth.test answered ${code}`, TOKEN_FIX);
  }
  if (error instanceof WebAPIRateLimitedError) return warned('slack', `Slack is rate limiting auth.test (retry after ${error.retryAfter} s); the token was not checked`, 'run cxloop doctor again in a minute');
  if (error instanceof WebAPIHTTPError) return failed('slack', `${apiUrl} answered HTTP ${error.statusCode} to auth.test`, 'try again later; https://slack-status.com shows incidents (or check SLACK_API_URL)');
  const reason = error instanceof WebAPIRequestError ? describeError(error.original) : describeError(error);
  return failed('slack', `cannot reach Slack at ${apiUrl}: ${reason}`, 'check that this host may make outbound HTTPS calls to slack.com (proxy, firewall), or SLACK_API_URL');
}

/** Granted scopes come from auth.test's x-oauth-scopes header (web-api puts them in response_metadata.scopes). */
async function checkScopes(granted: readonly string[] | undefined): Promise<DoctorResult> {
  let wanted: string[];
  try {
    wanted = await readManifestBotScopes();
  } catch (error) {
    return warned('slack-scopes', `cannot read the bot scopes of ${MANIFEST}: ${describeError(error)}`);
  }
  if (granted === undefined) return warned('slack-scopes', 'Slack did not say which scopes the token has (no x-oauth-scopes header)');
  const missing = wanted.filter((scope) => !granted.includes(scope));
  if (missing.length === 0) return passed('slack-scopes', `all ${wanted.length} bot scopes of ${MANIFEST} granted`);
  return failed(
    'slack-scopes',
    `the token lacks ${missing.join(', ')} (${MANIFEST} asks for ${wanted.join(', ')})`,
    `add the missing scopes (api.slack.com/apps > your app > OAuth & Permissions, or update the app from ${MANIFEST}), then reinstall the app to the workspace`,
  );
}
