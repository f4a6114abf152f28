import type { CategoryId } from '../taxonomy.js';

/**
 * The writer's own answer to a form's "type" question: issue templates and web forms ask it
 * ("### Issue type" then "Support", "Type: Bug", "Do you want to request a feature or report a
 * bug?" then "bug"), and the answer names the kind of request in the writer's words, whatever the
 * rest of the text sounds like (a support question written up as a bug report).
 */
export interface TypeAnswer {
  readonly category: CategoryId;
  /** The answer as written (trimmed, at most MAX_ANSWER_CHARS). */
  readonly words: string;
}

/** Where the answer is looked for: forms put the type question first. */
const SEARCHED_CHARS = 1_500;
const MAX_ANSWER_WORDS = 6;
const MAX_ANSWER_CHARS = 40;

/** Markdown around an answer: headings, emphasis, quotes, list marks. */
const DECORATION = /^[\s#>*_`-]+|[\s*_`]+$/g;

/** "<issue|ticket|request> type", "type of request", "Art der Anfrage", "tipo de solicitud" ... and the React-style question. */
const PROMPT = [
  String.raw`(?:issue|ticket|request|report|problem|support)\s+(?:type|kind|category)`,
  String.raw`(?:type|kind|category)(?:\s+of\s+(?:issue|request|ticket|report|problem))?`,
  String.raw`(?:art|typ)(?:\s+der\s+anfrage|\s+des\s+problems)?|anfrage(?:typ|art)|kategorie`,
  String.raw`tipo(?:\s+de\s+(?:solicitud|problema|pedido|incidencia|chamado|richiesta))?`,
  String.raw`type\s+de\s+(?:demande|probl[eè]me|ticket)`,
  String.raw`(?:type|soort)\s+(?:verzoek|vraag|melding|aanvraag)`,
  String.raw`(?:talep|istek|sorun|kay[ıi]t)\s+t[üu]r[üu]|t[üu]r`,
  String.raw`тип(?:\s+(?:обращения|запроса|заявки|проблемы))?|категория`,
  String.raw`(?:typ|rodzaj)(?:\s+(?:zgłoszenia|problemu|prośby|požadavku|problému|dotazu))?|kategoria`,
  String.raw`do\s+you\s+want\s+to\s+request\s+a\s+[*_]?feature[*_]?\s+or\s+report\s+a\s+[*_]?bug[*_]?`,
]
  .map((alternative) => `(?:${alternative})`)
  .join('|');
/**
 * A line that is only the prompt, in its Markdown (a heading, bold), ending in ":" or "?" or
 * nothing; or "<prompt>: <answer>" on one line (group 1).
 */
const PROMPT_LINE = new RegExp(String.raw`^[ \t#>*_\x60-]*(?:${PROMPT})[ \t*_\x60]*[:?]?[ \t*_\x60\r]*(?::[ \t]*([^\r\n]*))?\r?$`, 'iu');
/** Longer lines are prose, not a prompt (with its answer, on one line): they are not matched. */
const MAX_PROMPT_LINE = 120;

/** Answer words per category, in the languages of the lexicons (matched whole, lower case). */
const ANSWERS: Readonly<Partial<Record<CategoryId, readonly string[]>>> = {
  bug_report: ['bug', 'bugs', 'defect', 'defekt', 'fehler', 'bogue', 'erreur', 'error', 'incident', 'fallo', 'falha', 'errore', 'fout', 'hata', 'ошибка', 'баг', 'błąd', 'chyba'],
  onboarding_help: [
    'support', 'question', 'help', 'how-to', 'howto', 'usage', 'frage', 'hilfe', 'aide', 'pregunta', 'duda', 'ayuda', 'soporte', 'dúvida', 'ajuda', 'suporte', 'domanda', 'aiuto', 'supporto',
    'vraag', 'ondersteuning', 'soru', 'destek', 'yardım', 'вопрос', 'поддержка', 'помощь', 'pytanie', 'wsparcie', 'pomoc', 'dotaz', 'otázka', 'podpora',
  ],
  feature_request: [
    'feature', 'enhancement', 'improvement', 'idea', 'suggestion', 'wish', 'funktionswunsch', 'wunsch', 'verbesserung', 'sugerencia', 'mejora', 'sugestão', 'melhoria', 'suggerimento',
    'miglioramento', 'amélioration', 'verbetering', 'suggestie', 'özellik', 'öneri', 'предложение', 'улучшение', 'sugestia', 'ulepszenie', 'návrh', 'vylepšení',
  ],
  performance_issue: ['performance', 'leistung', 'rendimiento', 'desempenho', 'prestazioni', 'prestaties', 'performans', 'производительность', 'wydajność', 'výkon'],
  billing_issue: [
    'billing', 'invoice', 'payment', 'rechnung', 'abrechnung', 'zahlung', 'facturation', 'facture', 'facturación', 'factura', 'faturamento', 'fatura', 'fatturazione', 'fattura',
    'factuur', 'betaling', 'ödeme', 'оплата', 'счёт', 'счет', 'płatność', 'faktura', 'platba',
  ],
};
const CATEGORY_OF = new Map<string, CategoryId>(Object.entries(ANSWERS).flatMap(([category, words]) => words.map((word) => [word, category as CategoryId] as const)));

/** The category a form's type answer names, or null when there is none or it names more than one ("a bug or a feature?"). */
export function typeAnswerOf(body: string): TypeAnswer | null {
  let text = body.slice(0, SEARCHED_CHARS);
  // A template's instructions in an HTML comment are not the writer's answer.
  if (text.includes('<!--')) text = text.replace(/<!--[\s\S]*?(?:-->|$)/g, ' ');
  // Line by line, each short one matched on its own: an anchored pattern fails at a line's first
  // characters, where one multiline pattern over the text would be tried at every character.
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const prompt = end - start <= MAX_PROMPT_LINE ? PROMPT_LINE.exec(text.slice(start, end)) : null;
    if (prompt) {
      const answer = prompt[1]?.trim() ? prompt[1] : nextLine(text.slice(end + 1).split('\n', 3));
      const read = answer === null ? null : readAnswer(answer);
      if (read) return read;
    }
    start = end + 1;
  }
  return null;
}

/** The first non-empty one of the lines after a prompt, unless it is another prompt (the question was left unanswered). */
function nextLine(lines: readonly string[]): string | null {
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    if (/^(?:#|\*\*|__)/.test(line) || line.endsWith('?') || line.endsWith(':')) return null;
    return line;
  }
  return null;
}

function readAnswer(answer: string): TypeAnswer | null {
  const text = answer.replace(DECORATION, '').trim();
  const words = text.toLowerCase().split(/[^\p{L}\p{N}-]+/u).filter((word) => word !== '');
  if (words.length === 0 || words.length > MAX_ANSWER_WORDS) return null;
  const named = new Set(words.flatMap((word) => CATEGORY_OF.get(word) ?? []));
  if (named.size !== 1) return null;
  const [category] = named;
  return category === undefined ? null : { category, words: text.slice(0, MAX_ANSWER_CHARS) };
}
