import type { EnvResult } from '../../../config/env-schema.js';
import { redactUrl } from '../../../main.js';
import { failed, passed, type DoctorResult } from './doctor-result.js';

/** parseEnv's verdict: every bad key with what it must be (parseEnv never echoes values, which may be secrets). */
export function checkEnvironment(parsed: EnvResult): DoctorResult {
  if (!parsed.ok) {
    const problems = parsed.problems.map((problem) => `${problem.path} ${problem.message}`).join('; ');
    return failed(
      'env',
      `${parsed.problems.length} invalid: ${problems}`,
      'correct these keys in .env or the environment (blank counts as unset; .env.example lists every key), then run cxloop doctor again',
    );
  }
  const { env } = parsed;
  return passed('env', `valid (REDIS_URL ${redactUrl(env.REDIS_URL)}, prefix ${env.CXLOOP_REDIS_PREFIX}, port ${env.PORT})`);
}
