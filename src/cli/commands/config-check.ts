import { parseArgs } from 'node:util';
import { parseEnv } from '../../config/env-schema.js';
import { describeUnknownEnvKey, findUnknownEnvKeys } from '../../config/find-unknown-env-keys.js';
import { describeProblems } from '../../config/format-issues.js';
import { loadPolicyFile } from '../../config/load-policy.js';
import { customerLanguages, missingCustomerTranslations } from '../../config/describe-customer-languages.js';
import { CATEGORY_IDS } from '../../core/taxonomy.js';
import type { CliIo } from '../io.js';
import { policyPathOf } from '../load-policy-or-fail.js';

export const CONFIG_USAGE = `Usage: cxloop config check [policy-file]
Validates the policy file (default: $CXLOOP_CONFIG, else the shipped config/policy.yaml) and the
environment, printing every problem with its key path, and warns of CXLOOP_*, ZENDESK_* and
SLACK_* variables cxloop does not know (a typo). Says whether customer updates are on and lists
the comments that fall back to English (a policy language without a template for every moment).
Exits 1 when anything is invalid.`;

export async function runConfig(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  const [subcommand, file, ...extra] = positionals;
  if (values.help || subcommand !== 'check' || extra.length > 0) {
    (values.help ? io.stdout : io.stderr).write(`${CONFIG_USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const path = policyPathOf(file, io.env);
  const policy = await loadPolicyFile(path);
  const env = parseEnv(io.env);
  if (policy.ok) {
    const teams = Object.keys(policy.policy.teams).length;
    io.stdout.write(`policy ok: ${path} (${CATEGORY_IDS.length} categories, ${teams} teams)\n`);
    const { updates } = policy.policy.customers;
    const optedIn = updates.tiers.length > 0 && updates.categories.length > 0;
    io.stdout.write(
      optedIn
        ? `customer updates: on for tiers ${updates.tiers.join(', ')} x categories ${updates.categories.join(', ')}, in ${customerLanguages(policy.policy).join(' ')} (other languages: English)\n`
        : 'customer updates: off (customers.updates lists no tier or no category)\n',
    );
    for (const line of missingCustomerTranslations(policy.policy)) io.stdout.write(`missing translation: ${line}\n`);
  } else {
    io.stderr.write(`policy invalid: ${path}\n${describeProblems(policy.problems)}\n`);
  }
  if (env.ok) io.stdout.write('environment ok\n');
  else io.stderr.write(`environment invalid:\n${describeProblems(env.problems)}\n`);
  for (const unknown of findUnknownEnvKeys(io.env)) io.stderr.write(`warning: ${describeUnknownEnvKey(unknown)}\n`);
  return policy.ok && env.ok ? 0 : 1;
}
