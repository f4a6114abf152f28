import { CUSTOMER_UPDATE_KINDS } from '../core/customers/customer-texts.js';
import { builtInLanguage } from '../core/customers/fill-customer-template.js';
import { CUSTOMER_LANGUAGES } from '../core/customers/texts/index.js';
import type { Policy } from './policy-schema.js';

/**
 * The comments a requester would get in English although the policy speaks their language: a
 * language the policy writes templates for, but not for every moment, with no built-in text to
 * fill the gap. One line each, for `config check`.
 */
export function missingCustomerTranslations(policy: Policy): string[] {
  return Object.entries(policy.customers.updates.templates).flatMap(([language, templates]) => {
    if (builtInLanguage(language)) return [];
    const missing = CUSTOMER_UPDATE_KINDS.filter((kind) => templates[kind] === undefined);
    return missing.length === 0 ? [] : [`customers.updates.templates.${language}: no ${missing.join(', ')}; requesters in ${language} get those in English`];
  });
}

/** The languages requesters get comments in, for `config check`. */
export function customerLanguages(policy: Policy): string[] {
  return [...new Set([...CUSTOMER_LANGUAGES.map((language) => language.code), ...Object.keys(policy.customers.updates.templates)])];
}
