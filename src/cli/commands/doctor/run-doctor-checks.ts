import { parseEnv } from '../../../config/env-schema.js';
import { findUnknownEnvKeys } from '../../../config/find-unknown-env-keys.js';
import { policyPathOf } from '../../load-policy-or-fail.js';
import { checkCsat } from './check-csat.js';
import { checkEnvironment } from './check-environment.js';
import { checkMode } from './check-mode.js';
import { checkOldTickets } from './check-old-tickets.js';
import { checkPolicyFile } from './check-policy.js';
import { checkPublicUrl } from './check-public-url.js';
import { checkRedis } from './check-redis.js';
import { checkSlack } from './check-slack.js';
import { checkWebhookSecret } from './check-webhook-secret.js';
import { checkZendeskGroups } from './check-zendesk-groups.js';
import { checkZendeskUser } from './check-zendesk-user.js';
import { skipped, type DoctorResult } from './doctor-result.js';

/** The checks in the order they are printed. */
export const DOCTOR_CHECKS = [
  'env',
  'mode',
  'redis',
  'workers',
  'dead-letters',
  'model',
  'old-tickets',
  'policy',
  'policy-groups',
  'policy-slack',
  'policy-access',
  'zendesk',
  'zendesk-groups',
  'zendesk-webhook',
  'zendesk-csat',
  'slack',
  'slack-scopes',
  'public-url',
] as const;

/**
 * Runs every check, the independent ones concurrently (Redis, policy, Zendesk, Slack, public URL),
 * and returns the results in DOCTOR_CHECKS order. A check that needs what an earlier one found
 * broken is skipped with the reason rather than failing again.
 */
export async function runDoctorChecks(source: Readonly<Record<string, string | undefined>>, configPath?: string): Promise<DoctorResult[]> {
  const parsed = parseEnv(source);
  const unknown = findUnknownEnvKeys(source);
  const policy = checkPolicyFile(policyPathOf(configPath, source));
  if (!parsed.ok) {
    const { file, groups, slack, access } = await policy;
    const own: Partial<Record<(typeof DOCTOR_CHECKS)[number], DoctorResult>> = { env: checkEnvironment(parsed, unknown), policy: file, 'policy-groups': groups, 'policy-slack': slack, 'policy-access': access };
    return DOCTOR_CHECKS.map((name) => own[name] ?? skipped(name, 'the environment is invalid'));
  }
  const { env } = parsed;
  const redis = checkRedis(env);
  const zendesk = checkZendeskUser(env);
  const zendeskGroups = Promise.all([zendesk, policy]).then(([identity, found]) => checkZendeskGroups(env, identity, found.policy));
  const slack = checkSlack(env);
  return Promise.all([
    checkEnvironment(parsed, unknown),
    checkMode(env),
    redis.then((found) => found.redis),
    redis.then((found) => found.workers),
    redis.then((found) => found.deadLetters),
    redis.then((found) => found.model),
    redis.then((found) => (found.redis.status === 'fail' ? skipped('old-tickets', 'Redis is not usable') : checkOldTickets(env, Date.now()))),
    policy.then((found) => found.file),
    policy.then((found) => found.groups),
    policy.then((found) => found.slack),
    policy.then((found) => found.access),
    zendesk.then((identity) => identity.result),
    zendeskGroups,
    checkWebhookSecret(env),
    zendesk.then((identity) => checkCsat(env, identity, Date.now())),
    slack.then((found) => found.auth),
    slack.then((found) => found.scopes),
    checkPublicUrl(env),
  ]);
}
