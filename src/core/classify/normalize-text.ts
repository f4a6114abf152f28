/**
 * Lower-cases, expands English negative contractions and folds diacritics, so that terms and
 * ticket text meet in one alphabet: "Doesn't" -> "does not", "Błąd" -> "blad", "İptal" -> "iptal".
 * Letters that Unicode does not decompose are mapped by hand (ı ł ß ø đ æ œ).
 */
const CONTRACTIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bcan['’]t\b/g, 'can not'],
  [/\bcannot\b/g, 'can not'],
  [/\bwon['’]t\b/g, 'will not'],
  [/n['’]t\b/g, ' not'],
];

const UNDECOMPOSED: Readonly<Record<string, string>> = {
  ı: 'i',
  ł: 'l',
  ß: 'ss',
  ø: 'o',
  đ: 'd',
  æ: 'ae',
  œ: 'oe',
};

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;
const COMBINING_MARKS = /\p{M}+/gu;
const UNDECOMPOSED_LETTERS = /[ıłßøđæœ]/g;

export function normalizeText(text: string): string {
  let out = text.toLowerCase();
  if (out.includes("'") || out.includes('’') || out.includes('cannot')) {
    for (const [pattern, replacement] of CONTRACTIONS) out = out.replace(pattern, replacement);
  }
  if (!NON_ASCII.test(out)) return out;
  out = out.normalize('NFKD').replace(COMBINING_MARKS, '');
  return out.replace(UNDECOMPOSED_LETTERS, (letter) => UNDECOMPOSED[letter] ?? letter);
}
