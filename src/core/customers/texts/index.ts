import type { CustomerLanguage } from '../customer-texts.js';
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

/** The built-in texts: one per language the classifier reads (core/classify/lexicons), English first (the fallback). */
export const CUSTOMER_LANGUAGES: readonly CustomerLanguage[] = [en, de, es, fr, pt, it, nl, tr, ru, pl, cs];
export const FALLBACK_LANGUAGE: CustomerLanguage = en;
