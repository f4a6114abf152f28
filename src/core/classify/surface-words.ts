import { normalizeText, normalizeWord } from './normalize-text.js';
import type { ClauseTokens } from './tokenize-clauses.js';

const TOKEN = /[\p{L}\p{N}]+(?:_[\p{L}\p{N}]+)*/gu;
/** A matched phrase as shown to people: longer ones are cut (the words are the customer's). */
const MAX_WORDS_LENGTH = 60;

/** The words of a token range as the customer wrote them. */
export type SurfaceReader = (start: number, length: number) => string;

/**
 * Reads matched token ranges back as the customer wrote them: "paramètres" for the folded token
 * "parametres", "comment puis-je" for the three tokens of the phrase "comment puis je", lower-cased.
 * `tokens` are tokenizeClauses(text). Most texts keep their length when normalised, so a token's
 * offset is its offset in the text; a text that does not ("doesn't" -> "does not", "ß" -> "ss") is
 * aligned word by word on the first read, as far as its words fold one to one, and the rest reads
 * as the folded tokens. Only read ranges cost anything: tokenising stays as fast as it was.
 */
export function createSurfaceReader(text: string, tokens: ClauseTokens): SurfaceReader {
  let aligned: WordAligner | undefined;
  const folded = (start: number, length: number): string => tokens.tokens.slice(start, start + length).join(' ');
  const spanOf = (start: number, length: number): readonly [number, number] | null => {
    if (tokens.sameLength) {
      const last = start + length - 1;
      const span = [tokens.starts[start]!, tokens.starts[last]! + tokens.tokens[last]!.length] as const;
      // Equal lengths almost always mean one-to-one characters; the check catches the rare text where they do not.
      const normalized = normalizeText(text.slice(span[0], span[1]));
      // A single word that normalises to its token is its token (no need to tokenise it).
      if ((length === 1 && normalized === tokens.tokens[start]) || tokenize(normalized) === folded(start, length)) return span;
    }
    aligned ??= new WordAligner(text, tokens.tokens);
    const first = aligned.at(start);
    const last = aligned.at(start + length - 1);
    return first && last ? [first[0], last[1]] : null;
  };
  return (start, length) => {
    const span = spanOf(start, length);
    const words = span === null ? folded(start, length) : text.slice(span[0], span[1]).toLowerCase().replace(/\s+/g, ' ');
    if (words.length <= MAX_WORDS_LENGTH) return words;
    const cut = words.slice(0, MAX_WORDS_LENGTH - 1);
    return `${/[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
  };
}

function tokenize(text: string): string {
  return (text.match(TOKEN) ?? []).join(' ');
}

/**
 * Offsets of the text's words that fold one to one into `tokens`, from the start up to the first
 * that does not: aligned as far as asked (normalising a word at a time costs), and kept.
 */
class WordAligner {
  private readonly found: Array<readonly [number, number]> = [];
  private readonly words: RegExp;
  private done = false;

  constructor(
    private readonly text: string,
    private readonly tokens: readonly string[],
  ) {
    this.words = new RegExp(TOKEN.source, TOKEN.flags);
  }

  /** The offsets of token `index`'s word, or undefined when the words stop folding one to one before it. */
  at(index: number): readonly [number, number] | undefined {
    const { found, tokens } = this;
    while (!this.done && found.length <= index && found.length < tokens.length) {
      const match = this.words.exec(this.text);
      if (match === null || normalizeWord(match[0]) !== tokens[found.length]) this.done = true;
      else found.push([match.index, match.index + match[0].length]);
    }
    return found[index];
  }
}
