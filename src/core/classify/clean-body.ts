import type { LanguageLexicon } from './lexicon.js';
import { stripMarkup } from './strip-markup.js';
import { compileReplyStripper } from './strip-replies.js';

/**
 * The text of a ticket's description as the classifier reads it: markup, code, URLs and e-mail
 * addresses removed (stripMarkup), then quoted replies and the signature (the reply stripper of
 * the languages in use), trimmed. Training rows carry this, so a model learns from what the rules see.
 */
export function compileBodyCleaner(lexicons: readonly LanguageLexicon[]): (text: string) => string {
  const stripReplies = compileReplyStripper(lexicons);
  return (text) => stripReplies(stripMarkup(text)).trim();
}
