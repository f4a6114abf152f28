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
  const isReplyHeader = compileHeaderTest(lexicons.flatMap((lexicon) => lexicon.quoteHeaders));
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
        if ((line.includes(':') || line.startsWith('--')) && line.length <= 300 && isReplyHeader(line)) break;
        if (index >= lines.length - SIGNATURE_TAIL_LINES && line.length <= 40 && closings.has(normalizeClosing(line))) break;
      }
      kept.push(raw);
      if (line.length > 0) contentLines++;
    }
    return contentLines > 0 ? kept.join('\n') : text;
  };
}

/**
 * Whether a line is one of the headers (each a regex source, matched case-insensitively). Headers
 * that must end in a colon ("^.{1,120} schrieb am .{4,120}:$") are only tried on a line that does:
 * those that open with any text are the costly ones, and most lines do not end in a colon (all
 * headers in one regex took about 9 us a ticket on the shared issue reports, split 2 us).
 */
function compileHeaderTest(sources: readonly string[]): (line: string) => boolean {
  const endsInColon = (source: string): boolean => source.endsWith(':$') && !hasTopLevelAlternative(source);
  const either = (list: readonly string[]) => (list.length > 0 ? new RegExp(list.map((source) => `(?:${source})`).join('|'), 'iu') : null);
  const colonEnded = either(sources.filter(endsInColon));
  const others = either(sources.filter((source) => !endsInColon(source)));
  return (line) => (others?.test(line) ?? false) || (colonEnded !== null && line.endsWith(':') && colonEnded.test(line));
}

/** Whether a regex source has a `|` outside every group and character class ("a|b:$" need not end in a colon). */
function hasTopLevelAlternative(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let index = 0; index < source.length; index++) {
    const character = source[index];
    if (character === '\\') index++;
    else if (inClass) inClass = character !== ']';
    else if (character === '[') inClass = true;
    else if (character === '(') depth++;
    else if (character === ')') depth--;
    else if (character === '|' && depth === 0) return true;
  }
  return false;
}

function normalizeClosing(line: string): string {
  return normalizeText(line).replace(TRAILING_PUNCTUATION, '').replace(/\s+/g, ' ');
}
