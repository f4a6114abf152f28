import { isFunctionWord } from '../classify/detect-languages.js';
import { normalizeText } from '../classify/normalize-text.js';
import { stripMarkup } from '../classify/strip-markup.js';

/**
 * suggest_article, the pure half: the keywords a ticket is searched by in the account's Help
 * Center, and which of the articles Zendesk returns match the ticket well enough to show.
 * Customer text is untrusted: the query is made of the ticket's own words only (letters, no
 * quotes, operators, URLs, addresses or numbers), never the raw text.
 */

/** Keywords sent as the query: enough to find an article, few enough that each one matters. */
export const MAX_KEYWORDS = 6;
const MIN_LETTERS = 3;
const MAX_LETTERS = 30;
/** Words too long are not looked at (a pasted log line is one word). */
const MAX_TEXT = 3_000;
const WORD = /\p{L}[\p{L}\p{M}'’]*/gu;
/** French and Italian elisions ("l'option", "dell'app") and English possessives ("team's"). */
const ELISION = /^\p{L}{1,4}['’](?=\p{L}{2})/u;
const POSSESSIVE = /['’]s?$/u;

/**
 * Greetings, politeness and words every ticket has, in the lexicon languages (folded), on top of
 * the function words: they would match every article and say nothing about this one.
 */
const FILLER: ReadonlySet<string> = new Set(
  normalizeText(
    [
      'hello hi hey dear thanks thank please regards best help issue problem question ticket how why where which who could would should need want get know find any some see just like also still already',
      'hallo danke bitte gruss grusse freundlichen viele dank wie warum wo kann konnen mochte brauche problem frage',
      'hola gracias saludos favor como porque donde puedo quiero necesito problema pregunta ayuda',
      'bonjour merci cordialement salut madame monsieur comment pourquoi puis peux veux besoin probleme aide trouve',
      'ola obrigado obrigada favor como onde posso quero preciso problema ajuda',
      'ciao grazie salve buongiorno cortesia come dove posso voglio problema aiuto',
      'hallo bedankt groeten alstublieft hoe waarom waar probleem vraag hulp',
      'merhaba tesekkurler tesekkur lutfen nasil neden sorun yardim',
      'здравствуйте спасибо пожалуйста как почему где проблема помощь',
      'dzien dobry dziekuje prosze jak dlaczego gdzie problem pomoc',
      'dobry den dekuji prosim jak proc kde problem pomoc',
    ].join(' '),
  ).split(' '),
);

/**
 * The ticket's keywords: words of the subject first (people sum up their problem there), then the
 * description's most frequent ones; lower case, each once, at most MAX_KEYWORDS. Markup, URLs,
 * addresses, digits, function words and filler are left out.
 */
export function extractKeywords(subject: string, description: string, max: number = MAX_KEYWORDS): string[] {
  const seen = new Set<string>();
  const keywords: string[] = [];
  for (const word of wordsOf(subject)) {
    if (keywords.length >= max) return keywords;
    if (seen.has(word.folded)) continue;
    seen.add(word.folded);
    keywords.push(word.text);
  }
  const counts = new Map<string, { text: string; count: number; first: number }>();
  wordsOf(description).forEach((word, index) => {
    if (seen.has(word.folded)) return;
    const entry = counts.get(word.folded) ?? { text: word.text, count: 0, first: index };
    entry.count += 1;
    counts.set(word.folded, entry);
  });
  const ranked = [...counts.values()].sort((a, b) => b.count - a.count || a.first - b.first);
  for (const entry of ranked) {
    if (keywords.length >= max) break;
    keywords.push(entry.text);
  }
  return keywords;
}

function wordsOf(text: string): { text: string; folded: string }[] {
  const words: { text: string; folded: string }[] = [];
  for (const match of stripMarkup(text.slice(0, MAX_TEXT)).toLowerCase().matchAll(WORD)) {
    // "doesn't", "cannot": the folding spells out their "not"; they are never what a ticket is about.
    if (normalizeText(match[0]).includes(' ')) continue;
    const word = match[0].replace(POSSESSIVE, '').replace(ELISION, '');
    if (/['’]/.test(word)) continue;
    const folded = normalizeText(word);
    if (folded.length < MIN_LETTERS || folded.length > MAX_LETTERS || isFunctionWord(folded) || FILLER.has(folded)) continue;
    words.push({ text: word.normalize('NFC'), folded });
  }
  return words;
}

/** An article as Zendesk's Help Center search returns it (title, link, the matching passage). */
export interface HelpCenterArticle {
  readonly title: string;
  readonly url: string;
  /** Zendesk's snippet: the passage around the matched words, matches in <em></em>. */
  readonly snippet: string;
}

export interface ArticleLink {
  readonly title: string;
  readonly url: string;
}

/** Keywords an article must contain (in its title or Zendesk's snippet) to count as a good match. */
export const GOOD_MATCH_KEYWORDS = 2;

/**
 * The articles that match the ticket well, in Zendesk's order (relevance), at most `max`. "Well":
 * at least GOOD_MATCH_KEYWORDS of the ticket's keywords (all of them when it has fewer) occur in
 * the article's title or snippet. A keyword occurs when a word there is the same after folding
 * case and accents, or shares its start with it (all but the last two letters of the shorter, at
 * least four): "invite" finds "inviting", "équipe" finds "equipes", "car" does not find "card".
 * Zendesk ranks loosely (one common word is enough for it), so this is what keeps a search that
 * found nothing relevant from suggesting something anyway.
 */
export function pickArticles(keywords: readonly string[], articles: readonly HelpCenterArticle[], max: number): ArticleLink[] {
  const wanted = [...new Set(keywords.map((keyword) => normalizeText(keyword)))];
  const needed = Math.min(GOOD_MATCH_KEYWORDS, wanted.length);
  if (needed === 0) return [];
  const picked: ArticleLink[] = [];
  for (const article of articles) {
    if (picked.length >= max) break;
    const words = new Set(normalizeText(`${article.title} ${article.snippet.replace(/<[^<>]*>/g, ' ')}`).match(/\p{L}+/gu) ?? []);
    const found = wanted.filter((keyword) => [...words].some((word) => sameWord(keyword, word)));
    if (found.length >= needed) picked.push({ title: article.title, url: article.url });
  }
  return picked;
}

function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const shorter = Math.min(a.length, b.length);
  const needed = Math.max(4, shorter - 2);
  if (shorter < needed) return false;
  let common = 0;
  while (common < shorter && a[common] === b[common]) common += 1;
  return common >= needed;
}

/** Zendesk's Help Center locale for a lexicon language where it is not the language code itself. */
const HELP_CENTER_LOCALES: Readonly<Record<string, string>> = { en: 'en-us', pt: 'pt-br' };

/**
 * The locale to search: the policy's when set; else the ticket's language when exactly one was
 * detected ("de", "fr", en -> "en-us", pt -> "pt-br"); else none (Zendesk searches the Help
 * Center's default locale).
 */
export function helpCenterLocale(configured: string | null, detected: ReadonlySet<string>): string | null {
  if (configured !== null) return configured;
  if (detected.size !== 1) return null;
  const [language] = detected as Set<string>;
  return language === undefined ? null : (HELP_CENTER_LOCALES[language] ?? language);
}
