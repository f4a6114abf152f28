import { normalizeText } from './normalize-text.js';

export interface ClauseTokens {
  readonly tokens: string[];
  /** Clause number of each token; a clause ends at . , ; : ! ? ( ) or a line break. */
  readonly clauses: number[];
  /** Where each token starts in the normalised text. */
  readonly starts: number[];
  /** Normalising kept the text's length, so `starts` are (almost always) offsets in the original text too. */
  readonly sameLength: boolean;
}

const TOKEN = /[\p{L}\p{N}]+/gu;

/**
 * Normalises (normalize-text.ts), splits on anything that is not a letter or digit, and numbers the clauses, so that negation ("not a bug") is only
 * looked for within the clause of the term it would negate ("it does not work, bug in login").
 */
export function tokenizeClauses(text: string): ClauseTokens {
  const normalized = normalizeText(text);
  const tokens: string[] = [];
  const clauses: number[] = [];
  const starts: number[] = [];
  let clause = 0;
  let previousEnd = 0;
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(normalized); match !== null; match = TOKEN.exec(normalized)) {
    for (let index = previousEnd; index < match.index; index++) {
      if (isBreak(normalized.charCodeAt(index))) {
        clause++;
        break;
      }
    }
    tokens.push(match[0]);
    clauses.push(clause);
    starts.push(match.index);
    previousEnd = TOKEN.lastIndex;
  }
  return { tokens, clauses, starts, sameLength: normalized.length === text.length };
}

function isBreak(code: number): boolean {
  // . , ; : ! ? ( ) \n \r
  return code === 46 || code === 44 || code === 59 || code === 58 || code === 33 || code === 63 ||
    code === 40 || code === 41 || code === 10 || code === 13;
}
