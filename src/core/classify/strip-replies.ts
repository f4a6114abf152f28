import type { LanguageLexicon } from './lexicon.js';
import { normalizeText } from './normalize-text.js';

/** How far from the end a stand-alone closing ("Best regards") may start a signature. */
const SIGNATURE_TAIL_LINES = 12;
const TRAILING_PUNCTUATION = /[\s,.;:!\-–—]+$/u;

export type ReplyStripper = (text: string) => string;

/**
 * Builds a function that keeps only the newest message of an email-style text: it drops quoted
 * lines (`> ...`), everything from a reply header on ("On Mon, Ana wrote:", "Am ... schrieb ...:"),
 * and a trailing signature (a `-- ` delimiter, or a stand-alone closing near the end). Nothing is
 * dropped when that would leave no text, so a message that is only a forwarded mail still counts.
 */
export function compileReplyStripper(lexicons: readonly LanguageLexicon[]): ReplyStripper {
  const headerSources = lexicons.flatMap((lexicon) => lexicon.quoteHeaders.map((source) => `(?:${source})`));
  const replyHeader = headerSources.length > 0 ? new RegExp(headerSources.join('|'), 'iu') : undefined;
  const closings = new Set(
    lexicons.flatMap((lexicon) => lexicon.closings.map((closing) => normalizeClosing(closing))),
  );

  return function stripReplies(text: string): string {
    if (!text.includes('\n')) return text;
    const lines = text.split(/\r?\n/);
    const kept: string[] = [];
    let contentLines = 0;
    for (let index = 0; index < lines.length; index++) {
      const raw = lines[index] ?? '';
      const line = raw.trim();
      if (line.startsWith('>')) continue;
      if (contentLines > 0) {
        if (line === '--' || raw === '-- ') break;
        // Every header form ends in ":" ("... wrote:", "From: ...") or is a "-----" banner.
        if ((line.includes(':') || line.startsWith('--')) && line.length <= 300 && replyHeader?.test(line)) break;
        if (index >= lines.length - SIGNATURE_TAIL_LINES && line.length <= 40 && closings.has(normalizeClosing(line))) break;
      }
      kept.push(raw);
      if (line.length > 0) contentLines++;
    }
    return contentLines > 0 ? kept.join('\n') : text;
  };
}

function normalizeClosing(line: string): string {
  return normalizeText(line).replace(TRAILING_PUNCTUATION, '').replace(/\s+/g, ' ');
}
