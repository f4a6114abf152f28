import type { z } from 'zod';

/** One configuration problem: where (dotted key path) and what is wrong. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

export function formatIssues(issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  return issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const base = issue.path.map(String).join('.');
      return { path: base === '' ? '(root)' : base, message: `unknown key(s) ${issue.keys.map((key) => `"${key}"`).join(', ')}` };
    }
    if (issue.code === 'invalid_key' && issue.issues[0]) {
      // A record key failed its own schema ("teams.Support"): say why, not "Invalid key in record".
      return { path: issue.path.map(String).join('.'), message: `invalid key: ${issue.issues[0].message}` };
    }
    return { path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)', message: issue.message };
  });
}

export function describeProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((problem) => `  ${problem.path}: ${problem.message}`).join('\n');
}
