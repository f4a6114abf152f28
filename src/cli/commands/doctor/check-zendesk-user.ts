import { z } from 'zod';
import { isZendeskError } from '../../../app/zendesk-api-error.js';
import { API_TOKEN_DEPRECATION, type Env } from '../../../config/env-schema.js';
import { redactUrl } from '../../../config/redact-url.js';
import { describeError, failed, passed, skipped, warned, type DoctorResult } from './doctor-result.js';
import { excerptOf, type HttpAnswer } from './fetch-answer.js';
import { getZendesk, zendeskAccessOf } from './zendesk-access.js';

const TOKEN_FIX =
  'check that ZENDESK_EMAIL is the API user\'s email and ZENDESK_API_TOKEN one of its active API tokens; better, switch to an OAuth client (ZENDESK_OAUTH_CLIENT_ID, ZENDESK_OAUTH_CLIENT_SECRET)';
const OAUTH_FIX =
  'check ZENDESK_OAUTH_CLIENT_ID and ZENDESK_OAUTH_CLIENT_SECRET against the client in Admin Center > Apps and integrations > APIs > OAuth clients (kind confidential, created by an admin)';

/** https://developer.zendesk.com/api-reference/ticketing/users/users/#show-the-currently-authenticated-user */
const meSchema = z.object({
  user: z.object({ id: z.number().nullable(), name: z.string().nullish(), role: z.string().nullish() }),
});

export interface ZendeskIdentity {
  readonly result: DoctorResult;
  /** True when Zendesk confirmed an agent or admin, so further reads with these credentials make sense. */
  readonly verified: boolean;
}

/**
 * Who the credentials are, from GET /api/v2/users/me. Zendesk may answer 200 with an anonymous
 * end-user (id null) instead of 401 when the credentials are not accepted, so the role is judged,
 * not just the status.
 */
export async function checkZendeskUser(env: Env): Promise<ZendeskIdentity> {
  const access = zendeskAccessOf(env);
  if (access === null) return { result: skipped('zendesk', 'no Zendesk credentials set (dry-run)'), verified: false };
  const where = redactUrl(access.baseUrl);
  const oauth = access.auth.kind === 'oauth';
  let answer: HttpAnswer;
  try {
    answer = await getZendesk(access, '/api/v2/users/me.json');
  } catch (error) {
    // The OAuth token request's own verdict (a refused secret names ZENDESK_OAUTH_CLIENT_SECRET).
    if (isZendeskError(error, 'REJECTED')) return { result: failed('zendesk', `${where}: ${error.message}`, OAUTH_FIX), verified: false };
    const reason = `cannot reach ${where}: ${describeError(error)}`;
    return { result: failed('zendesk', reason, 'check ZENDESK_SUBDOMAIN (or ZENDESK_API_URL) and that this host may make outbound HTTPS calls (proxy, firewall)'), verified: false };
  }
  if (answer.status !== 200) return { result: judgeZendeskFailure(where, answer, oauth), verified: false };
  const parsed = meSchema.safeParse(answer.body);
  if (!parsed.success) {
    const reason = `${where} answered GET /api/v2/users/me with something else than a user: ${excerptOf(answer.text)}`;
    return { result: failed('zendesk', reason, 'check ZENDESK_SUBDOMAIN (or ZENDESK_API_URL)'), verified: false };
  }
  const { user } = parsed.data;
  const verified = user.id !== null && (user.role === 'admin' || user.role === 'agent');
  const judged = judgeZendeskUser(where, user, oauth);
  // The deprecated API token works until Zendesk turns every one off: say so while it still does.
  if (!oauth && judged.status === 'ok') return { result: warned('zendesk', `${judged.detail}, with an API token`, API_TOKEN_DEPRECATION), verified };
  return { result: oauth && judged.status === 'ok' ? passed('zendesk', `${judged.detail}, OAuth client ${env.ZENDESK_OAUTH_CLIENT_ID ?? ''}`) : judged, verified };
}

function judgeZendeskFailure(where: string, answer: HttpAnswer, oauth: boolean): DoctorResult {
  const said = excerptOf(answer.text);
  if (answer.status === 401) {
    return oauth
      ? failed('zendesk', `${where} refused the OAuth access token it just issued (HTTP 401)`, OAUTH_FIX)
      : failed('zendesk', `ZENDESK_EMAIL/ZENDESK_API_TOKEN rejected by ${where} (HTTP 401)`, TOKEN_FIX);
  }
  if (answer.status === 403) return failed('zendesk', `${where} refused the API user (HTTP 403: ${said})`, 'check the API user is an active agent or admin, and any IP restrictions (Admin Center > Account > Security)');
  if (answer.status === 404) return failed('zendesk', `no Zendesk API at ${where} (HTTP 404)`, 'set ZENDESK_SUBDOMAIN to the subdomain only ("acme" for acme.zendesk.com)');
  if (answer.status === 429) return warned('zendesk', `${where} is rate limiting this account (HTTP 429); the credentials were not checked`, 'run cxloop doctor again in a minute');
  return failed('zendesk', `${where} answered HTTP ${answer.status} to GET /api/v2/users/me${said ? `: ${said}` : ''}`, 'try again later; https://status.zendesk.com shows incidents');
}

function judgeZendeskUser(where: string, user: z.infer<typeof meSchema>['user'], oauth: boolean): DoctorResult {
  if (user.id === null) {
    const which = oauth ? 'the OAuth access token was' : 'ZENDESK_EMAIL/ZENDESK_API_TOKEN were';
    return failed('zendesk', `${where} answered as an anonymous user: ${which} not accepted`, oauth ? OAUTH_FIX : TOKEN_FIX);
  }
  const who = `${where} as ${user.name ?? 'user'} (id ${user.id}, ${user.role ?? 'no role'})`;
  if (user.role === 'admin') return passed('zendesk', who);
  if (user.role === 'agent') {
    const fix = oauth ? 'have an admin create the OAuth client (its tokens act as the admin who created it), or have an admin run cxloop install zendesk' : 'run cxloop install zendesk with an admin\'s credentials, or have an admin run it';
    return warned('zendesk', `${who}: routing works, but cxloop install zendesk needs an admin`, fix);
  }
  const fix = oauth ? 'the OAuth client must be created by an admin (or an agent, for routing only)' : 'set ZENDESK_EMAIL (and ZENDESK_API_TOKEN) to an admin\'s, or an agent\'s for routing only';
  return failed('zendesk', `${who}: cxloop needs an agent or admin to update tickets`, fix);
}
