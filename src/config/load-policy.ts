import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { InvalidTermError, TermMatcher } from '../core/classify/term-matcher.js';
import { CATEGORY_IDS } from '../core/taxonomy.js';
import { findPackageRoot } from './package-root.js';
import { formatIssues, type ConfigProblem } from './format-issues.js';
import { policySchema, type Policy } from './policy-schema.js';

/** The shipped default policy (config/policy.yaml at the package root). */
export const DEFAULT_POLICY_PATH = join(findPackageRoot(), 'config', 'policy.yaml');

export type PolicyResult = { ok: true; policy: Policy; path: string } | { ok: false; problems: ConfigProblem[]; path: string };

/**
 * Reads and validates a policy file (YAML, or JSON, which is YAML too). Returns every problem with
 * its key path rather than stopping at the first one.
 */
export async function loadPolicyFile(path: string = DEFAULT_POLICY_PATH): Promise<PolicyResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot be read (${code ?? String(error)})`;
    return { ok: false, path, problems: [{ path: '(file)', message: `${path}: ${reason}` }] };
  }
  return { ...parsePolicyText(text), path };
}

export function parsePolicyText(text: string): { ok: true; policy: Policy } | { ok: false; problems: ConfigProblem[] } {
  const document = parseDocument(text, { prettyErrors: true, merge: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => ({
        path: '(syntax)',
        message: `line ${error.linePos?.[0]?.line ?? '?'}: ${error.message.split('\n')[0] ?? error.code}`,
      })),
    };
  }
  const parsed = policySchema.safeParse(document.toJS());
  if (!parsed.success) return { ok: false, problems: formatIssues(parsed.error.issues) };
  const termProblems = checkTerms(parsed.data);
  if (termProblems.length > 0) return { ok: false, problems: termProblems };
  return { ok: true, policy: deepFreeze(parsed.data) };
}

/** Term syntax is the classifier's (term-matcher.ts); compile each custom term to report its path. */
function checkTerms(policy: Policy): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const id of CATEGORY_IDS) {
    const { terms, weak_terms: weakTerms } = policy.categories[id].match;
    for (const [key, list] of [['terms', terms], ['weak_terms', weakTerms]] as const) {
      list.forEach((term, index) => {
        try {
          new TermMatcher([{ term, payload: null }]);
        } catch (error) {
          if (!(error instanceof InvalidTermError)) throw error;
          problems.push({ path: `categories.${id}.match.${key}.${index}`, message: error.message });
        }
      });
    }
  }
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
