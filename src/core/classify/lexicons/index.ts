import type { LanguageLexicon } from '../lexicon.js';
import { cs } from './cs.js';
import { de } from './de.js';
import { en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { it } from './it.js';
import { nl } from './nl.js';
import { pl } from './pl.js';
import { pt } from './pt.js';
import { ru } from './ru.js';
import { tr } from './tr.js';

/** Every built-in lexicon; the policy's `classifier.languages` picks which are loaded. */
export const LEXICONS: readonly LanguageLexicon[] = [en, de, es, fr, pt, it, nl, tr, ru, pl, cs];
