import { accentForm, normalizeText } from './normalize-text.js';

/** What a compiled term stands for; the matcher hands it back untouched on every match. */
export interface TermEntry<T> {
  /** Term source as written ("stürzt ab", "crash*"). */
  readonly term: string;
  readonly payload: T;
}

export interface TermMatch<T> {
  readonly entry: TermEntry<T>;
  /** Index of the first token of the match. */
  readonly start: number;
  /** Number of tokens matched, from the first word to the last (a gap's words included). */
  readonly length: number;
  /** For a term with a gap ("stürzt … ab"): the indices of the tokens its own words matched. */
  readonly words?: readonly number[];
}

/**
 * A term word "…" (or "...") stands for a gap of up to MAX_GAP words within one clause, so a
 * separable verb is read whatever stands between its parts: "meldet … ab" matches "meldet ab",
 * "meldet mich ständig ab" and "meldet mich seit dem letzten Update immer ab". The word after a
 * gap is taken at its last place in reach: a separable prefix closes its clause, and may also be
 * an article on the way ("friert nach ein paar Sekunden ein").
 */
export const GAP = '…';
export const MAX_GAP = 6;

export class InvalidTermError extends Error {
  readonly code = 'INVALID_TERM';
  constructor(readonly term: string, reason: string) {
    super(`invalid term "${term}": ${reason}`);
    this.name = 'InvalidTermError';
  }
}

type PatternKind = 'exact' | 'prefix' | 'suffix' | 'contains';

interface CompiledTerm<T> {
  readonly entry: TermEntry<T>;
  /** Pattern id per word. */
  readonly patterns: readonly number[];
  /** Per word, whether a gap comes before it (absent: the term has none). */
  readonly gapBefore?: readonly boolean[];
  /** Per whole word written with Latin diacritics ("schön"): the word as a token must be written (accentForm). */
  readonly accents?: ReadonlyArray<string | undefined>;
}

const MIN_AFFIX_LENGTH = 3;
const MIN_CONTAINS_LENGTH = 5;
/** Distinct tokens remembered between calls; cleared when full (a cheap bound, not an LRU). */
const TOKEN_CACHE_LIMIT = 200_000;
const NO_PATTERNS: readonly number[] = [];

/**
 * Finds every occurrence of many word-pattern terms in a token sequence. Each distinct token is
 * resolved once to the pattern ids it satisfies (exact, prefix, suffix and contains lookups), and
 * remembered, so matching a ticket costs about one map lookup per token once the vocabulary is warm.
 */
export class TermMatcher<T> {
  private readonly patternIds = new Map<string, number>();
  private readonly exact = new Map<string, number>();
  private readonly prefixes = new Map<string, number[]>();
  private readonly suffixes = new Map<string, number[]>();
  private readonly contains: Array<{ part: string; id: number }> = [];
  private prefixLengths: number[] = [];
  /** First / last MIN_AFFIX_LENGTH letters of every stem / tail: a token failing these skips the lookups. */
  private readonly prefixHeads = new Set<string>();
  private readonly suffixTails = new Set<string>();
  private suffixLengths: number[] = [];
  private readonly termsByFirstPattern = new Map<number, CompiledTerm<T>[]>();
  private readonly tokenCache = new Map<string, readonly number[]>();

  constructor(entries: Iterable<TermEntry<T>>) {
    const prefixLengths = new Set<number>();
    const suffixLengths = new Set<number>();
    for (const entry of entries) {
      const { words, gapBefore } = wordsOf(entry.term);
      if (words.length === 0) throw new InvalidTermError(entry.term, 'it is empty');
      const patterns = words.map((word) => this.internPattern(entry.term, word, prefixLengths, suffixLengths));
      const first = patterns[0] as number;
      const bucket = this.termsByFirstPattern.get(first);
      const accents = accentedWords(entry.term);
      const compiled: CompiledTerm<T> = { entry, patterns, ...(accents ? { accents } : {}), ...(gapBefore ? { gapBefore } : {}) };
      if (bucket) bucket.push(compiled);
      else this.termsByFirstPattern.set(first, [compiled]);
    }
    this.prefixLengths = [...prefixLengths].sort((a, b) => a - b);
    this.suffixLengths = [...suffixLengths].sort((a, b) => a - b);
  }

  /**
   * Every match of every term, in token order. Overlapping matches are all reported.
   *
   * With `written` (the tokens as written, see tokenize-clauses.ts), matching is accent-aware: a
   * term written with diacritics matches only a token written with the same ones. Pass it when
   * the writer types diacritics, so that German "schon" (already) is not "schön" (nice) nor
   * Spanish "esta" (this) "está"; a text typed without any still meets every term folded.
   */
  match(tokens: readonly string[], written?: ReadonlyArray<string | undefined>, clauses?: readonly number[]): Array<TermMatch<T>> {
    return this.matchResolved(tokens, tokens.map((token) => this.patternsOf(token)), written, clauses);
  }

  /**
   * match() with each token's pattern ids (resolve) looked up by the caller: the classifier runs a
   * dozen matchers over the same tokens and remembers what each token is to all of them at once.
   */
  matchResolved(tokens: readonly string[], patternsAt: ReadonlyArray<readonly number[]>, written?: ReadonlyArray<string | undefined>, clauses?: readonly number[]): Array<TermMatch<T>> {
    const matches: Array<TermMatch<T>> = [];
    for (let start = 0; start < tokens.length; start++) {
      for (const pattern of patternsAt[start] as readonly number[]) {
        const candidates = this.termsByFirstPattern.get(pattern);
        if (!candidates) continue;
        for (const candidate of candidates) {
          if (candidate.gapBefore) {
            const words = gappedMatchAt(candidate.patterns, candidate.gapBefore, patternsAt, start, clauses);
            if (words && (!written || !candidate.accents || showsAccentsAt(candidate.accents, tokens, written, words))) {
              matches.push({ entry: candidate.entry, start, length: words[words.length - 1]! - start + 1, words });
            }
          } else if (matchesAt(candidate.patterns, patternsAt, start) && (!written || !candidate.accents || showsAccents(candidate.accents, tokens, written, start))) {
            matches.push({ entry: candidate.entry, start, length: candidate.patterns.length });
          }
        }
      }
    }
    return matches;
  }

  private patternsOf(token: string): readonly number[] {
    const cached = this.tokenCache.get(token);
    if (cached) return cached;
    const result = this.resolve(token);
    if (this.tokenCache.size >= TOKEN_CACHE_LIMIT) this.tokenCache.clear();
    this.tokenCache.set(token, result);
    return result;
  }

  /** The ids of the patterns the token satisfies, worked out afresh (match() remembers them). */
  resolve(token: string): readonly number[] {
    const found: number[] = [];
    const exact = this.exact.get(token);
    if (exact !== undefined) found.push(exact);
    const gated = token.length >= MIN_AFFIX_LENGTH;
    for (const length of gated && this.prefixHeads.has(token.slice(0, MIN_AFFIX_LENGTH)) ? this.prefixLengths : NO_PATTERNS) {
      if (length > token.length) break;
      const ids = this.prefixes.get(token.slice(0, length));
      if (ids) found.push(...ids);
    }
    for (const length of gated && this.suffixTails.has(token.slice(-MIN_AFFIX_LENGTH)) ? this.suffixLengths : NO_PATTERNS) {
      if (length > token.length) break;
      const ids = this.suffixes.get(token.slice(token.length - length));
      if (ids) found.push(...ids);
    }
    for (const { part, id } of this.contains) {
      if (token.length >= part.length && token.includes(part)) found.push(id);
    }
    return found.length > 0 ? found : NO_PATTERNS;
  }

  private internPattern(term: string, word: string, prefixLengths: Set<number>, suffixLengths: Set<number>): number {
    const known = this.patternIds.get(word);
    if (known !== undefined) return known;
    const leading = word.startsWith('*');
    const trailing = word.endsWith('*') && word.length > 1;
    const core = word.slice(leading ? 1 : 0, trailing ? -1 : undefined);
    if (!/^[\p{L}\p{N}]+$/u.test(core)) {
      throw new InvalidTermError(term, `"${word}" must be letters or digits with an optional * at either end`);
    }
    const kind: PatternKind = leading && trailing ? 'contains' : leading ? 'suffix' : trailing ? 'prefix' : 'exact';
    const minimum = kind === 'contains' ? MIN_CONTAINS_LENGTH : MIN_AFFIX_LENGTH;
    if (kind !== 'exact' && core.length < minimum) {
      throw new InvalidTermError(term, `"${word}" needs at least ${minimum} letters besides the *`);
    }
    const id = this.patternIds.size;
    this.patternIds.set(word, id);
    switch (kind) {
      case 'exact':
        this.exact.set(core, id);
        break;
      case 'prefix':
        pushTo(this.prefixes, core, id);
        prefixLengths.add(core.length);
        this.prefixHeads.add(core.slice(0, MIN_AFFIX_LENGTH));
        break;
      case 'suffix':
        pushTo(this.suffixes, core, id);
        suffixLengths.add(core.length);
        this.suffixTails.add(core.slice(-MIN_AFFIX_LENGTH));
        break;
      case 'contains':
        this.contains.push({ part: core, id });
        break;
    }
    return id;
  }
}

/** A term's words as normalised, and where its gaps are (undefined: none). */
function wordsOf(term: string): { words: string[]; gapBefore?: boolean[] } {
  const raw = term.trim().split(/\s+/).filter((word) => word.length > 0);
  const words: string[] = [];
  const gapBefore: boolean[] = [];
  let gap = false;
  for (const word of raw) {
    if (word === GAP || word === '...') {
      if (words.length === 0 || gap) throw new InvalidTermError(term, `a gap (${GAP}) must stand between two words`);
      gap = true;
      continue;
    }
    for (const part of normalizeText(word).split(/\s+/).filter((each) => each.length > 0)) {
      words.push(part);
      gapBefore.push(gap);
      gap = false;
    }
  }
  if (gap) throw new InvalidTermError(term, `a gap (${GAP}) must stand between two words`);
  return gapBefore.includes(true) ? { words, gapBefore } : { words };
}

/**
 * The token indices a gapped term's words match from `start`: each word right after the one
 * before, or after a gap at the last place it fits within MAX_GAP tokens in the same clause; or null.
 */
function gappedMatchAt(patterns: readonly number[], gapBefore: readonly boolean[], patternsAt: ReadonlyArray<readonly number[]>, start: number, clauses: readonly number[] | undefined): number[] | null {
  const words = [start];
  let at = start;
  for (let index = 1; index < patterns.length; index++) {
    const reach = gapBefore[index] ? MAX_GAP + 1 : 1;
    let found = -1;
    for (let next = at + 1; next <= at + reach && next < patternsAt.length; next++) {
      if (clauses && clauses[next] !== clauses[start]) break;
      if ((patternsAt[next] as readonly number[]).includes(patterns[index] as number)) found = next;
    }
    if (found === -1) return null;
    words.push(found);
    at = found;
  }
  return words;
}

function matchesAt(patterns: readonly number[], patternsAt: ReadonlyArray<readonly number[]>, start: number): boolean {
  if (start + patterns.length > patternsAt.length) return false;
  for (let offset = 1; offset < patterns.length; offset++) {
    if (!(patternsAt[start + offset] as readonly number[]).includes(patterns[offset] as number)) return false;
  }
  return true;
}

/**
 * The term's whole words that carry Latin diacritics, or undefined when none does. Only whole
 * words: the false friends are short words ("schön"/"schon", "está"/"esta", "cómo"/"como"), while
 * a stem spans forms whose accents differ ("paramétr*": paramétrer, paramètres).
 */
function accentedWords(term: string): Array<string | undefined> | undefined {
  let any = false;
  const words = accentForm(term).trim().split(/\s+/).filter((word) => word !== GAP && word !== '...').map((word) => {
    if (word.startsWith('*') || word.endsWith('*')) return undefined;
    const folded = normalizeText(word);
    if (word === folded || !/^[a-z0-9]+$/.test(folded)) return undefined;
    any = true;
    return word;
  });
  return any ? words : undefined;
}

function showsAccents(accents: ReadonlyArray<string | undefined>, tokens: readonly string[], written: ReadonlyArray<string | undefined>, start: number): boolean {
  for (let offset = 0; offset < accents.length; offset++) {
    const accented = accents[offset];
    if (accented !== undefined && (written[start + offset] ?? tokens[start + offset]) !== accented) return false;
  }
  return true;
}

/** showsAccents for a gapped match: the term's words at the tokens they matched. */
function showsAccentsAt(accents: ReadonlyArray<string | undefined>, tokens: readonly string[], written: ReadonlyArray<string | undefined>, words: readonly number[]): boolean {
  for (let offset = 0; offset < accents.length; offset++) {
    const accented = accents[offset];
    const at = words[offset]!;
    if (accented !== undefined && (written[at] ?? tokens[at]) !== accented) return false;
  }
  return true;
}

function pushTo(map: Map<string, number[]>, key: string, id: number): void {
  const ids = map.get(key);
  if (ids) ids.push(id);
  else map.set(key, [id]);
}
