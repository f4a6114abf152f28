import { normalizeText } from './normalize-text.js';

/**
 * Frequent function words per language, folded like ticket text (normalize-text.ts). Enough to tell
 * which lexicons apply to a text, so that a Spanish "no" or a German "also" is not read into an
 * English ticket. A word shared by n languages ("de", "no", "to") gives each of them 1/n of a hit.
 */
const STOPWORDS: Readonly<Record<string, string>> = {
  en: 'the and is are was were to of in it this that for with on my you i have has not but be can do does would there what when they your we an from at or as all',
  de: 'der die das und ist nicht ich ein eine mit auf den dem zu es sie wir bei auch wird sind wenn noch nur kann habe haben ihr mein meine sich oder aber wie bitte',
  es: 'el la los las de que y en es un una por con para no se lo mi su al del pero como muy esta este hay tengo puedo cuando porque tambien',
  fr: 'le la les de des et est un une pour dans que qui pas ne n j qu je vous nous il elle sur avec ce cette au aux mais ou mon ma mes tres est',
  pt: 'o a os as de do da dos das e em um uma que para com nao no na por se mais mas meu minha esta voce ao ele ela muito tambem',
  it: 'il lo la gli le di che e un una per con non in del della sono mi ho ma anche come questo questa piu nel sul alla gia perche',
  nl: 'de het een en van is niet ik dat die op te met voor zijn er maar ook als bij naar wordt kan mijn wij jullie dit om',
  tr: 've bir bu da de ile icin ama cok ben sen ne var yok gibi daha olarak olan mi mu en her sonra nasil neden',
  ru: 'и в не на что я с как это по но из у за от так же все для вы мы он она при уже или если есть мне меня',
  pl: 'i w nie na sie z ze jest to do jak co ale po tak za od dla czy juz mnie mam jestem przez bardzo tylko moze',
  cs: 'a v se na je to ze s z do jak ale po tak za od pro jsem mam uz mi me by jen muze nebo jsou byl velmi',
};

const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  Object.values(STOPWORDS)
    .flatMap((words) => normalizeText(words).split(' '))
    .filter((word) => word !== ''),
);

/** A frequent function word of any lexicon language ("the", "und", "pour"), folded like ticket text. */
export function isFunctionWord(folded: string): boolean {
  return FUNCTION_WORDS.has(folded);
}

const FALLBACK_SHARE = 0.5;
const MIN_HITS = 2;
const MAX_TOKENS = 200;

/** Takes the token lists of a ticket's parts (subject, body). */
export type LanguageDetector = (parts: ReadonlyArray<readonly string[]>) => ReadonlySet<string>;

/**
 * Builds a detector over the given languages. It returns the languages whose stop-word count is
 * at least half the best one's (mixed-language tickets get both), or every language when the text
 * is too short to tell.
 */
export function compileLanguageDetector(languages: readonly string[]): LanguageDetector {
  const everyLanguage: ReadonlySet<string> = new Set(languages);
  const byWord = new Map<string, number[]>();
  languages.forEach((language, index) => {
    for (const word of normalizeText(STOPWORDS[language] ?? '').split(' ')) {
      if (word === '') continue;
      const list = byWord.get(word) ?? [];
      if (!list.includes(index)) list.push(index);
      byWord.set(word, list);
    }
  });

  return function detectLanguages(parts: ReadonlyArray<readonly string[]>): ReadonlySet<string> {
    const hits = new Array<number>(languages.length).fill(0);
    let budget = MAX_TOKENS;
    for (const tokens of parts) {
      const limit = Math.min(tokens.length, budget);
      budget -= limit;
      for (let index = 0; index < limit; index++) {
        const list = byWord.get(tokens[index] as string);
        if (list) for (const language of list) hits[language]! += 1 / list.length;
      }
    }
    let best = 0;
    for (const count of hits) if (count > best) best = count;
    if (best < MIN_HITS) return everyLanguage;
    const detected = new Set<string>();
    hits.forEach((count, index) => {
      if (count >= best * FALLBACK_SHARE) detected.add(languages[index] as string);
    });
    return detected;
  };
}
