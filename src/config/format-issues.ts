import type { z } from 'zod';
import { didYouMean } from '../core/closest-match.js';
import { knownKeysAt } from './known-keys-at.js';

/** One configuration problem: where (dotted key path) and what is wrong. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * zod issues as problems with a dotted key path. Given the schema and what it parsed, an unknown
 * key comes with the known key it most likely meant (`unknown key "escalaton" (did you mean
 * "escalation"?)`) and a key left out says it is missing.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], parsed?: { schema: z.core.$ZodType; input: unknown }): ConfigProblem[] {
  return issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const base = issue.path.map(String).join('.');
      const known = parsed ? knownKeysAt(parsed.schema, issue.path) : [];
      const keys = issue.keys.map((key) => `"${key}"${didYouMean(key, known)}`).join(', ');
      return { path: base === '' ? '(root)' : base, message: `unknown key${issue.keys.length === 1 ? '' : 's'} ${keys}` };
    }
    if (issue.code === 'invalid_key' && issue.issues[0]) {
      // A record key failed its own schema ("teams.Support"): say why, not "Invalid key in record".
      return { path: issue.path.map(String).join('.'), message: `invalid key: ${issue.issues[0].message}` };
    }
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    if (issue.code === 'invalid_type' && parsed && valueAt(parsed.input, issue.path) === undefined) {
      // zod's own wording ("expected object, received undefined") or the schema's ("must be a duration ...").
      return { path, message: / received undefined$/.test(issue.message) ? `is missing (expected ${issue.expected})` : `is missing: ${issue.message}` };
    }
    return { path, message: issue.message };
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

export function describeProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((problem) => `  ${problem.path}: ${problem.message}`).join('\n');
}
