import { writeFileSync } from 'node:fs';
import { seededRandom } from '../../src/core/learn/seeded-random.js';
import type { CategoryId } from '../../src/core/taxonomy.js';

/**
 * Small labelled ticket sets the learning tests make themselves: each ticket mixes a few words of
 * its category, in one of four languages, with everyday filler. `content_communication` is an
 * account's own jargon ("zorblat", "kwix") that no built-in lexicon knows: only a model can learn it.
 */
const WORDS: Readonly<Record<string, Readonly<Partial<Record<CategoryId, readonly string[]>>>>> = {
  en: {
    billing_issue: ['invoice', 'charged twice', 'refund', 'payment failed', 'receipt', 'subscription price'],
    bug_report: ['crash', 'error message', 'broken button', 'stops working', 'blank screen', 'freezes'],
    feature_request: ['would love', 'please add', 'dark mode', 'export option', 'new integration', 'suggestion'],
    content_communication: ['zorblat', 'kwix digest', 'blorp wording', 'zorblat issue', 'kwix sender'],
  },
  de: {
    billing_issue: ['Rechnung', 'doppelt abgebucht', 'Erstattung', 'Zahlung', 'Lastschrift', 'Abo Preis'],
    bug_report: ['stürzt ab', 'Fehlermeldung', 'funktioniert nicht', 'leerer Bildschirm', 'hängt'],
    feature_request: ['wäre toll', 'bitte hinzufügen', 'Dunkelmodus', 'Exportfunktion', 'Vorschlag'],
    content_communication: ['zorblat', 'kwix Ausgabe', 'blorp Formulierung', 'zorblat Versand'],
  },
  tr: {
    billing_issue: ['fatura', 'iki kez ücret', 'iade', 'ödeme', 'makbuz', 'abonelik ücreti'],
    bug_report: ['çöküyor', 'hata mesajı', 'çalışmıyor', 'boş ekran', 'donuyor'],
    feature_request: ['eklenmesini', 'karanlık mod', 'öneri', 'dışa aktarma seçeneği', 'harika olur'],
    content_communication: ['zorblat', 'kwix bülteni', 'blorp metni', 'zorblat gönderimi'],
  },
  es: {
    billing_issue: ['factura', 'cobro doble', 'reembolso', 'pago', 'recibo', 'precio de suscripción'],
    bug_report: ['se cierra', 'mensaje de error', 'no funciona', 'pantalla en blanco', 'se congela'],
    feature_request: ['me encantaría', 'por favor añadir', 'modo oscuro', 'opción de exportar', 'sugerencia'],
    content_communication: ['zorblat', 'kwix boletín', 'blorp texto', 'zorblat envío'],
  },
};
const FILLER: Readonly<Record<string, readonly string[]>> = {
  en: ['hello', 'team', 'today', 'my account', 'the app', 'thanks', 'since yesterday', 'on my phone'],
  de: ['Hallo', 'heute', 'mein Konto', 'danke', 'seit gestern', 'auf dem Handy', 'die App'],
  tr: ['merhaba', 'bugün', 'hesabım', 'teşekkürler', 'dünden beri', 'telefonumda', 'uygulama'],
  es: ['hola', 'hoy', 'mi cuenta', 'gracias', 'desde ayer', 'en mi teléfono', 'la aplicación'],
};

export const LEARNED_CATEGORIES = ['billing_issue', 'bug_report', 'feature_request', 'content_communication'] as const satisfies readonly CategoryId[];

export interface MadeTicket {
  readonly id: string;
  readonly subject: string;
  readonly body: string;
  readonly language: string;
  readonly category: CategoryId;
}

/** `perCategory` tickets of each of LEARNED_CATEGORIES (or `categories`), deterministic for a seed. */
export function makeTickets(perCategory: number, options: { seed?: number; categories?: readonly CategoryId[]; languages?: readonly string[] } = {}): MadeTicket[] {
  const random = seededRandom(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const languages = options.languages ?? Object.keys(WORDS);
  const tickets: MadeTicket[] = [];
  for (const category of options.categories ?? LEARNED_CATEGORIES) {
    for (let index = 0; index < perCategory; index++) {
      const language = pick(languages);
      const words = WORDS[language]![category]!;
      const filler = FILLER[language]!;
      const subject = `${pick(words)} ${pick(filler)}`;
      const body = `${pick(filler)}, ${pick(words)} ${pick(filler)}. ${pick(words)} ${pick(filler)} ${pick(filler)}.`;
      tickets.push({ id: `t-${category}-${index}`, subject, body, language, category });
    }
  }
  return tickets;
}

/** Writes tickets as a labelled CSV in the `cxloop eval` format. */
export function writeTicketsCsv(path: string, tickets: readonly MadeTicket[]): void {
  const quote = (value: string): string => `"${value.replace(/"/g, '""')}"`;
  const lines = ['id,subject,body,language,category', ...tickets.map((ticket) => [ticket.id, ticket.subject, ticket.body, ticket.language, ticket.category].map(quote).join(','))];
  writeFileSync(path, `${lines.join('\n')}\n`);
}
