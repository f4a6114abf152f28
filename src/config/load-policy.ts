import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { InvalidTermError, TermMatcher } from '../core/classify/term-matcher.js';
import { closestMatch } from '../core/closest-match.js';
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
  // Every problem in one pass: the schema's, the cross-references' and the terms', even when the
  // schema already failed (zod skips its refinements then, which would hide the others).
  const raw: unknown = document.toJS();
  const parsed = policySchema.safeParse(raw);
  const problems = [...(parsed.success ? [] : formatIssues(parsed.error.issues, { schema: policySchema, input: raw })), ...checkTeamReferences(raw), ...checkTerms(raw)];
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  return { ok: true, policy: deepFreeze(parsed.data) };
}

/** Each category's `team` must be one of `teams` (checked only where both are written as they should be). */
function checkTeamReferences(raw: unknown): ConfigProblem[] {
  const categories = objectAt(raw, 'categories');
  const teams = objectAt(raw, 'teams');
  if (categories === null || teams === null) return [];
  const defined = Object.keys(teams);
  return CATEGORY_IDS.flatMap((id) => {
    const owner = objectAt(categories, id)?.team;
    if (typeof owner !== 'string' || owner === '' || Object.hasOwn(teams, owner)) return [];
    const meant = closestMatch(owner, defined);
    return [{ path: `categories.${id}.team`, message: `team "${owner}" is not defined under teams (defined: ${defined.join(', ') || 'none'})${meant ? `; did you mean "${meant}"?` : ''}` }];
  });
}

/** Term syntax is the classifier's (term-matcher.ts); compile each custom term to report its path. */
function checkTerms(raw: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const id of CATEGORY_IDS) {
    const match = objectAt(objectAt(objectAt(raw, 'categories'), id), 'match');
    for (const key of ['terms', 'weak_terms'] as const) {
      const list = match?.[key];
      if (!Array.isArray(list)) continue;
      list.forEach((term: unknown, index) => {
        if (typeof term !== 'string' || term === '') return; // the schema reports those
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

/** `value[key]` when it is a plain object (a YAML mapping), else null. */
function objectAt(value: unknown, key: string): Record<string, unknown> | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const child = (value as Record<string, unknown>)[key];
  return child !== null && typeof child === 'object' && !Array.isArray(child) ? (child as Record<string, unknown>) : null;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
