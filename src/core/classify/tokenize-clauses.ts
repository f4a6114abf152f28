import { normalizeText } from './normalize-text.js';

export interface ClauseTokens {
  readonly tokens: string[];
  /** Clause number of each token; a clause ends at . , ; : ! ? ( ) or a line break. */
  readonly clauses: number[];
}

const TOKEN_OR_BREAK = /[\p{L}\p{N}]+|[.,;:!?()\n\r]+/gu;

/**
 * Tokenises like `tokenize` and also numbers the clauses, so that negation ("not a bug") is only
 * looked for within the clause of the term it would negate ("it does not work, bug in login").
 */
export function tokenizeClauses(text: string): ClauseTokens {
  const tokens: string[] = [];
  const clauses: number[] = [];
  let clause = 0;
  for (const piece of normalizeText(text).match(TOKEN_OR_BREAK) ?? []) {
    const code = piece.charCodeAt(0);
    if (isBreak(code)) {
      clause++;
      continue;
    }
    tokens.push(piece);
    clauses.push(clause);
  }
  return { tokens, clauses };
}

function isBreak(code: number): boolean {
  // . , ; : ! ? ( ) \n \r
  return code === 46 || code === 44 || code === 59 || code === 58 || code === 33 || code === 63 ||
    code === 40 || code === 41 || code === 10 || code === 13;
}
