import { accentForm, NON_ASCII, normalizeText } from './normalize-text.js';

/**
 * A text's tokens. Shared: the same object may be handed to several readers (see tokenizeClauses),
 * so nothing in it is ever modified.
 */
export interface ClauseTokens {
  readonly tokens: readonly string[];
  /** Clause number of each token; a clause ends at . , ; : ! ? ( ) or a line break. */
  readonly clauses: readonly number[];
  /** Where each token starts in the normalised text. */
  readonly starts: readonly number[];
  /** Normalising kept the text's length, so `starts` are (almost always) offsets in the original text too. */
  readonly sameLength: boolean;
  /**
   * Each token as written with its Latin diacritics ("schön" for the token "schon"), where folding
   * removed some; absent when no token of the text had any (see term-matcher.ts on accent-aware matching).
   */
  readonly written?: ReadonlyArray<string | undefined>;
  /** Line number of each token. */
  readonly lines: readonly number[];
  /** Clauses that end in a rhetorical run of marks ("??", "?!", "!?"): exasperation, not a question. */
  readonly rhetorical: ReadonlySet<number>;
}

/**
 * A token is a run of letters and digits, under_score names joined (/[\p{L}\p{N}]+(?:_[\p{L}\p{N}]+)*\/u),
 * scanned by hand: matching that regex allocated a match per token and was most of tokenising.
 */
const WORD_CHARACTER = /^[\p{L}\p{N}]$/u;
const UNDERSCORE = 95;
/** Per UTF-16 unit but surrogates: 0 not yet known, 1 a letter or digit, 2 not (WORD_CHARACTER, asked once per character). */
const WORD_UNITS = new Uint8Array(0x10000);
/** Tokens of the text before folding: a combining mark belongs to its letter ("İ" lower-cases to "i̇"). */
const WRITTEN_TOKEN = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:_[\p{L}\p{N}][\p{L}\p{N}\p{M}]*)*/gu;
const QUESTION = 63;
const EXCLAMATION = 33;
const NO_CLAUSES: ReadonlySet<number> = new Set();

/**
 * Normalises (normalize-text.ts), splits on anything that is not a letter or digit, and numbers the clauses, so that negation ("not a bug") is only
 * looked for within the clause of the term it would negate ("it does not work, bug in login").
 */
export function tokenizeClauses(text: string): ClauseTokens {
  for (let index = 0; index < recent.length; index++) if (recent[index]!.text === text) return recent[index]!.tokens;
  const tokens = tokenizeFresh(text);
  recent[next] = { text, tokens };
  next = (next + 1) % RECENT_TEXTS;
  return tokens;
}

/**
 * The last texts tokenised, and their tokens: the rules and the model read a ticket's subject (and
 * often its body) one after the other, and the rules its subject twice (openers).
 */
const RECENT_TEXTS = 4;
const recent: Array<{ readonly text: string; readonly tokens: ClauseTokens }> = [];
let next = 0;

function tokenizeFresh(text: string): ClauseTokens {
  const normalized = normalizeText(text);
  const length = normalized.length;
  const tokens: string[] = [];
  const clauses: number[] = [];
  const starts: number[] = [];
  const lines: number[] = [];
  let line = 0;
  let rhetorical: Set<number> | undefined;
  let clause = 0;
  // One pass: a gap between tokens is read as it is crossed (its line breaks, clause breaks and
  // runs of ? and !), a token is scanned to its end and cut out once.
  let broke = false;
  let marks = 0;
  let questions = 0;
  let index = 0;
  while (index < length) {
    const code = normalized.charCodeAt(index);
    const width = code < 128 ? ASCII_WORD[code]! : wordWidth(normalized, index, code);
    if (width === 0) {
      if (code === QUESTION || code === EXCLAMATION) {
        marks++;
        if (code === QUESTION) questions++;
      } else if (marks > 0 && code !== 32) {
        if (questions > 0 && marks > 1) (rhetorical ??= new Set()).add(clause);
        marks = 0;
        questions = 0;
      }
      if (code === 10) line++;
      if (!broke && isBreak(code)) broke = true;
      index += code >= 0xd800 && code <= 0xdbff && index + 1 < length && (normalized.charCodeAt(index + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
      continue;
    }
    if (index > 0) {
      // The gap before this token ends here (as a gap that reached a letter ends its run of marks).
      if (questions > 0 && marks > 1) (rhetorical ??= new Set()).add(clause);
      if (broke) clause++;
      broke = false;
      marks = 0;
      questions = 0;
    }
    let end = index + width;
    for (;;) {
      while (end < length) {
        const next = normalized.charCodeAt(end);
        const step = next < 128 ? ASCII_WORD[next]! : wordWidth(normalized, end, next);
        if (step === 0) break;
        end += step;
      }
      if (end + 1 < length && normalized.charCodeAt(end) === UNDERSCORE) {
        const after = normalized.charCodeAt(end + 1);
        if ((after < 128 ? ASCII_WORD[after]! : wordWidth(normalized, end + 1, after)) !== 0) {
          end++;
          continue;
        }
      }
      break;
    }
    tokens.push(normalized.slice(index, end));
    clauses.push(clause);
    lines.push(line);
    starts.push(index);
    index = end;
  }
  if (questions > 0 && marks > 1) (rhetorical ??= new Set()).add(clause);
  const written = writtenForms(text, tokens);
  return {
    tokens,
    clauses,
    starts,
    lines,
    sameLength: normalized.length === text.length,
    rhetorical: rhetorical ?? NO_CLAUSES,
    ...(written ? { written } : {}),
  };
}

/**
 * The tokens as written (accentForm), aligned one to one with the folded tokens; undefined where
 * folding changed nothing, and altogether when no Latin token carried a diacritic or the two
 * tokenisations do not line up (a rare symbol that folds into letters).
 */
function writtenForms(text: string, tokens: readonly string[]): Array<string | undefined> | undefined {
  if (!mayFoldIntoLatin(text)) return undefined;
  const found = accentForm(text).match(WRITTEN_TOKEN) ?? [];
  if (found.length !== tokens.length) return undefined;
  let latin = false;
  const written = found.map((token, index) => {
    const folded = tokens[index] as string;
    if (token === folded) return undefined;
    if (/^[a-z0-9]+$/.test(folded)) latin = true;
    return token;
  });
  return latin ? written : undefined;
}

/**
 * Whether a character of the text folds (normalizeText) into Latin letters or digits other than
 * itself, or into nothing: é, ß, ﬁ, Ａ, a combining mark. A token as written differs from its
 * Latin folded form only through one of these, so a text with none (ASCII with curly quotes,
 * dashes and emoji; Cyrillic; Chinese) has no written forms to align, and is not read again.
 */
function mayFoldIntoLatin(text: string): boolean {
  // The scan starts where the text stops being ASCII (most texts are ASCII throughout).
  for (let index = text.search(NON_ASCII); index !== -1 && index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 128) continue;
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const point = text.codePointAt(index)!;
      index++;
      let known = ASTRAL_FOLDS.get(point);
      if (known === undefined) {
        if (ASTRAL_FOLDS.size >= ASTRAL_FOLDS_LIMIT) ASTRAL_FOLDS.clear();
        ASTRAL_FOLDS.set(point, (known = foldsIntoLatin(String.fromCodePoint(point))));
      }
      if (known) return true;
      continue;
    }
    let known = FOLDS_LATIN[code]!;
    if (known === 0) FOLDS_LATIN[code] = known = foldsIntoLatin(String.fromCharCode(code)) ? 1 : 2;
    if (known === 1) return true;
  }
  return false;
}

function foldsIntoLatin(character: string): boolean {
  return /^[a-z0-9]*$/.test(normalizeText(character));
}

/** Per UTF-16 unit of 128 or more (surrogates apart): 0 not yet known, 1 it folds into Latin (mayFoldIntoLatin), 2 not. */
const FOLDS_LATIN = new Uint8Array(0x10000);
/** The same for characters beyond the first plane (𝐀 folds into "a", emoji do not), as met; cleared when full. */
const ASTRAL_FOLDS = new Map<number, boolean>();
const ASTRAL_FOLDS_LIMIT = 4_096;

/** 1 for an ASCII letter or digit, else 0 (WORD_CHARACTER for the first 128 units). */
const ASCII_WORD = Uint8Array.from({ length: 128 }, (_, code) => ((code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90) ? 1 : 0));

/** The width in UTF-16 units of the letter or digit (code point) at `index`, a unit `code` of 128 or more; 0 when it is none. */
function wordWidth(text: string, index: number, code: number): number {
  if (code < 0xd800 || code > 0xdfff) {
    let known = WORD_UNITS[code]!;
    if (known === 0) WORD_UNITS[code] = known = WORD_CHARACTER.test(text[index]!) ? 1 : 2;
    return known === 1 ? 1 : 0;
  }
  const point = text.codePointAt(index)!;
  const width = point > 0xffff ? 2 : 1;
  return WORD_CHARACTER.test(text.slice(index, index + width)) ? width : 0;
}

function isBreak(code: number): boolean {
  // . , ; : ! ? ( ) \n \r
  return code === 46 || code === 44 || code === 59 || code === 58 || code === 33 || code === 63 ||
    code === 40 || code === 41 || code === 10 || code === 13;
}
