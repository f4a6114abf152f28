import { describeProblems } from '../config/format-issues.js';
import { DEFAULT_POLICY_PATH, loadPolicyFile } from '../config/load-policy.js';
import type { Policy } from '../config/policy-schema.js';
import { CliError } from './io.js';

/** Policy path precedence: --config, then CXLOOP_CONFIG, then the shipped default. */
export function policyPathOf(option: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  return option ?? (env.CXLOOP_CONFIG?.trim() || DEFAULT_POLICY_PATH);
}

export async function loadPolicyOrFail(path: string): Promise<Policy> {
  const result = await loadPolicyFile(path);
  if (!result.ok) throw new CliError(`invalid policy ${path}:\n${describeProblems(result.problems)}`);
  return result.policy;
}
