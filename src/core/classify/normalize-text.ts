/**
 * Lower-cases, expands English negative contractions and folds diacritics, so that terms and
 * ticket text meet in one alphabet: "Doesn't" -> "does not", "Błąd" -> "blad", "İptal" -> "iptal".
 * Letters that Unicode does not decompose are mapped by hand (ı ł ß ø đ æ œ).
 */

/**
 * "can't", "cannot", "won't" and every other "n't" (straight or curly apostrophe), in one pass:
 * an alternative is tried where the text reaches it, so "can't" is "can not", not "ca not", and
 * no replacement makes another match.
 */
const CONTRACTION = /\b(?:can['’]t|cannot|won['’]t)\b|n['’]t\b/g;
/**
 * The same contractions with the apostrophe lost (app-store exports, some mail clients and
 * keyboards write "can t", "doesn t"): a stand-alone "t" after these words is "not".
 */
const BARE_CONTRACTION = /\b(can|won|(?:do|does|did|is|are|was|were|would|could|should|have|has|had|ai|must|need)n)[ \t]+t\b/g;
const BARE_CONTRACTION_HINT = /n[ \t]+t\b/;

const UNDECOMPOSED: Readonly<Record<string, string>> = {
  ı: 'i',
  ł: 'l',
  ß: 'ss',
  ø: 'o',
  đ: 'd',
  æ: 'ae',
  œ: 'oe',
};

/** Any character beyond ASCII (a text without one needs no folding). */
// eslint-disable-next-line no-control-regex
export const NON_ASCII = /[^\x00-\x7f]/;
const COMBINING_MARKS = /\p{M}+/gu;
const UNDECOMPOSED_LETTERS = /[ıłßøđæœ]/g;

export function normalizeText(text: string): string {
  let out = expandContractions(text.toLowerCase());
  if (!NON_ASCII.test(out)) return out;
  out = out.normalize('NFKD').replace(COMBINING_MARKS, '');
  return out.replace(UNDECOMPOSED_LETTERS, (letter) => UNDECOMPOSED[letter] ?? letter);
}

/**
 * normalizeText of one word (letters and digits, no space or apostrophe): an ASCII word is only
 * lower-cased, "cannot" apart, since every other contraction above needs an apostrophe or a space.
 */
export function normalizeWord(word: string): string {
  if (NON_ASCII.test(word)) return normalizeText(word);
  const lower = word.toLowerCase();
  return lower === 'cannot' ? 'can not' : lower;
}

function expandContractions(lower: string): string {
  let out = lower;
  if (out.includes("'") || out.includes('’') || out.includes('cannot')) out = out.replace(CONTRACTION, expandContraction);
  if (BARE_CONTRACTION_HINT.test(out)) out = out.replace(BARE_CONTRACTION, expandBare);
  return out;
}

function expandContraction(contraction: string): string {
  if (contraction.length === 3) return ' not';
  return contraction.startsWith('w') ? 'will not' : 'can not';
}

function expandBare(_match: string, word: string): string {
  if (word === 'can') return 'can not';
  if (word === 'won') return 'will not';
  return `${word.slice(0, -1)} not`;
}

const COMBINING_DOT_ABOVE = /\u0307/g;

/**
 * The text lower-cased as normalizeText does, contractions expanded, but with its diacritics kept
 * (composed): the form accent-aware matching compares with a term as written. "ß" is "ss" here
 * too (Swiss spelling), and the dot "İ" leaves on a lower-cased "i" is dropped.
 */
export function accentForm(text: string): string {
  return expandContractions(text.toLowerCase()).normalize('NFC').replace(COMBINING_DOT_ABOVE, '').replace(/ß/g, 'ss');
}
