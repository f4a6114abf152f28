import type { EnvResult } from '../../../config/env-schema.js';
import { describeUnknownEnvKey, type UnknownEnvKey } from '../../../config/find-unknown-env-keys.js';
import { describeRedis } from '../../../adapters/redis/redis-connection.js';
import { redactUrl } from '../../../config/redact-url.js';
import { failed, passed, warned, type DoctorResult } from './doctor-result.js';

/**
 * parseEnv's verdict: every bad key with what it must be (parseEnv never echoes values, which may
 * be secrets), and a warning for each CXLOOP_/ZENDESK_/SLACK_ variable cxloop does not read.
 */
export function checkEnvironment(parsed: EnvResult, unknown: readonly UnknownEnvKey[] = []): DoctorResult {
  const ignored = unknown.map(describeUnknownEnvKey).join('; ');
  if (!parsed.ok) {
    const problems = parsed.problems.map((problem) => `${problem.path} ${problem.message}`).join('; ');
    return failed(
      'env',
      `${parsed.problems.length} invalid: ${problems}${ignored ? `; ${ignored}` : ''}`,
      'correct these keys in .env or the environment (blank counts as unset; .env.example lists every key), then run cxloop doctor again',
    );
  }
  const { env } = parsed;
  const redis =
    env.REDIS_CLUSTER_NODES !== undefined ? describeRedis(env) : env.REDIS_SENTINELS === undefined ? `REDIS_URL ${redactUrl(env.REDIS_URL)}` : `Redis ${describeRedis(env)}`;
  const valid = `valid (${redis}, prefix ${env.CXLOOP_REDIS_PREFIX}, port ${env.PORT})`;
  if (ignored) return warned('env', `${valid}; ${ignored}`, 'rename or remove these variables in .env or the environment (.env.example lists every key cxloop reads)');
  return passed('env', valid);
}
