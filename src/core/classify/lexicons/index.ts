import type { LanguageLexicon } from '../lexicon.js';
import { en } from './en.js';

/** Every built-in lexicon; the policy's `classifier.languages` picks which are loaded. */
export const LEXICONS: readonly LanguageLexicon[] = [en];
