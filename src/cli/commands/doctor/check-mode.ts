import { isDryRun, zendeskBaseUrl, zendeskCredentials, type Env } from '../../../config/env-schema.js';
import { redactUrl } from '../../../config/redact-url.js';
import { failed, passed, warned, type DoctorResult } from './doctor-result.js';

const GO_LIVE_KEYS = 'ZENDESK_SUBDOMAIN, ZENDESK_OAUTH_CLIENT_ID, ZENDESK_OAUTH_CLIENT_SECRET, ZENDESK_WEBHOOK_SECRET, SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET';

/** Dry-run or live, and why: the usual answer to "cxloop runs but nothing happens in Zendesk or Slack". */
export function checkMode(env: Env): DoctorResult {
  const missing = missingLiveCredentials(env);
  const recorded = env.CXLOOP_DRY_RUN_LOG === 'off' ? 'recorded in the log' : `recorded to ${env.CXLOOP_DRY_RUN_LOG}`;
  const notSet = `${missing.join(' and ')} are not set`;
  if (env.CXLOOP_DRY_RUN === false && missing.length > 0) {
    return failed('mode', `CXLOOP_DRY_RUN=false but ${notSet}: cxloop serve refuses to start`, `set ${GO_LIVE_KEYS}, or remove CXLOOP_DRY_RUN`);
  }
  if (!isDryRun(env)) return passed('mode', `live: Zendesk (${redactUrl(zendeskBaseUrl(env) ?? '?')}) and Slack calls are sent`);
  if (env.CXLOOP_DRY_RUN === true) return passed('mode', `dry-run because CXLOOP_DRY_RUN=true: Zendesk and Slack calls are ${recorded}, not sent`);
  return warned(
    'mode',
    `dry-run because ${notSet}: Zendesk and Slack calls are ${recorded}, not sent`,
    `to go live set ${GO_LIVE_KEYS} (see .env.example)`,
  );
}

/** The credential sets a live run lacks (env-schema already refuses half a set). */
function missingLiveCredentials(env: Env): string[] {
  const missing: string[] = [];
  if (zendeskCredentials(env) === null) missing.push('the Zendesk credentials (ZENDESK_SUBDOMAIN, ZENDESK_OAUTH_CLIENT_ID, ZENDESK_OAUTH_CLIENT_SECRET)');
  if (env.SLACK_BOT_TOKEN === undefined) missing.push('the Slack credentials (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET)');
  return missing;
}
