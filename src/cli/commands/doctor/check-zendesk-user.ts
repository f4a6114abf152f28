import { z } from 'zod';
import type { Env } from '../../../config/env-schema.js';
import { redactUrl } from '../../../main.js';
import { describeError, failed, passed, skipped, warned, type DoctorResult } from './doctor-result.js';
import { excerptOf, type HttpAnswer } from './fetch-answer.js';
import { getZendesk, zendeskAccessOf } from './zendesk-access.js';

const TOKEN_FIX =
  'check that ZENDESK_EMAIL is the API user\'s email and ZENDESK_API_TOKEN one of its active API tokens; enable token access in Admin Center > Apps and integrations > Zendesk API';

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
  let answer: HttpAnswer;
  try {
    answer = await getZendesk(access, '/api/v2/users/me.json');
  } catch (error) {
    const reason = `cannot reach ${where}: ${describeError(error)}`;
    return { result: failed('zendesk', reason, 'check ZENDESK_SUBDOMAIN (or ZENDESK_API_URL) and that this host may make outbound HTTPS calls (proxy, firewall)'), verified: false };
  }
  if (answer.status !== 200) return { result: judgeZendeskFailure(where, answer), verified: false };
  const parsed = meSchema.safeParse(answer.body);
  if (!parsed.success) {
    const reason = `${where} answered GET /api/v2/users/me with something else than a user: ${excerptOf(answer.text)}`;
    return { result: failed('zendesk', reason, 'check ZENDESK_SUBDOMAIN (or ZENDESK_API_URL)'), verified: false };
  }
  const { user } = parsed.data;
  return { result: judgeZendeskUser(where, user), verified: user.id !== null && (user.role === 'admin' || user.role === 'agent') };
}

function judgeZendeskFailure(where: string, answer: HttpAnswer): DoctorResult {
  const said = excerptOf(answer.text);
  if (answer.status === 401) return failed('zendesk', `ZENDESK_EMAIL/ZENDESK_API_TOKEN rejected by ${where} (HTTP 401)`, TOKEN_FIX);
  if (answer.status === 403) return failed('zendesk', `${where} refused the API user (HTTP 403: ${said})`, 'check the API user is an active agent or admin, and any IP restrictions (Admin Center > Account > Security)');
  if (answer.status === 404) return failed('zendesk', `no Zendesk API at ${where} (HTTP 404)`, 'set ZENDESK_SUBDOMAIN to the subdomain only ("acme" for acme.zendesk.com)');
  if (answer.status === 429) return warned('zendesk', `${where} is rate limiting this account (HTTP 429); the credentials were not checked`, 'run cxloop doctor again in a minute');
  return failed('zendesk', `${where} answered HTTP ${answer.status} to GET /api/v2/users/me${said ? `: ${said}` : ''}`, 'try again later; https://status.zendesk.com shows incidents');
}

function judgeZendeskUser(where: string, user: z.infer<typeof meSchema>['user']): DoctorResult {
  if (user.id === null) {
    return failed('zendesk', `${where} answered as an anonymous user: ZENDESK_EMAIL/ZENDESK_API_TOKEN were not accepted`, TOKEN_FIX);
  }
  const who = `${where} as ${user.name ?? 'user'} (id ${user.id}, ${user.role ?? 'no role'})`;
  if (user.role === 'admin') return passed('zendesk', who);
  if (user.role === 'agent') {
    return warned('zendesk', `${who}: routing works, but cxloop install zendesk needs an admin`, 'run cxloop install zendesk with an admin\'s ZENDESK_EMAIL and API token, or have an admin run it');
  }
  return failed('zendesk', `${who}: cxloop needs an agent or admin to update tickets`, 'set ZENDESK_EMAIL (and ZENDESK_API_TOKEN) to an admin\'s, or an agent\'s for routing only');
}
