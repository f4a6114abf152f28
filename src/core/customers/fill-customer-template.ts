import { CUSTOMER_PLACEHOLDERS, type CustomerLanguage, type CustomerPlaceholder, type CustomerUpdateKind } from './customer-texts.js';
import { CUSTOMER_LANGUAGES, FALLBACK_LANGUAGE } from './texts/index.js';

export type CustomerValues = Readonly<Record<CustomerPlaceholder, string | null>>;

/** Policy replacements of the built-in comments: language code -> kind -> template. */
export type TemplateOverrides = Readonly<Record<string, Readonly<Partial<Record<CustomerUpdateKind, string>>>>>;

const PLACEHOLDER = /\{([A-Za-z_]+)\}/g;

/**
 * A template with its placeholders filled. A line holding a placeholder whose value is null is left
 * out (no ETA while the ticket waits on the requester), so the comment never shows a hole.
 */
export function fillCustomerTemplate(template: string, values: CustomerValues): string {
  return template
    .split('\n')
    .flatMap((line) => {
      let missing = false;
      const filled = line.replace(PLACEHOLDER, (whole, name: string) => {
        if (!(CUSTOMER_PLACEHOLDERS as readonly string[]).includes(name)) return whole;
        const value = values[name as CustomerPlaceholder];
        if (value === null) missing = true;
        return value ?? '';
      });
      return missing ? [] : [filled];
    })
    .join('\n')
    .trim();
}

/** Placeholders a template names that cxloop does not fill (a typo such as {ETA}). */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] as string).filter((name) => !(CUSTOMER_PLACEHOLDERS as readonly string[]).includes(name));
}

/** "pt-BR" -> "pt", "en-us" -> "en"; null for no locale or one that is not a language code. */
export function languageOfLocale(locale: string | null | undefined): string | null {
  const match = /^([a-z]{2,3})(?:[-_][a-z0-9]+)*$/i.exec(locale?.trim() ?? '');
  return match ? (match[1] as string).toLowerCase() : null;
}

export function builtInLanguage(code: string): CustomerLanguage | undefined {
  return CUSTOMER_LANGUAGES.find((language) => language.code === code);
}

/**
 * The template of `kind` in `language`: the policy's, else the built-in one, else English (the
 * policy's English, else the built-in). `language` says which was used; `fellBack` that it was not
 * the requester's.
 */
export function pickCustomerTemplate(kind: CustomerUpdateKind, language: string | null, overrides: TemplateOverrides): { template: string; language: string; fellBack: boolean } {
  const own = language === null ? undefined : (overrides[language]?.[kind] ?? builtInLanguage(language)?.updates[kind]);
  if (own !== undefined && language !== null) return { template: own, language, fellBack: false };
  const english = FALLBACK_LANGUAGE.code;
  return { template: overrides[english]?.[kind] ?? FALLBACK_LANGUAGE.updates[kind], language: english, fellBack: language !== english };
}

/**
 * A time as the requester reads it: their language's (or locale's) format, in their time zone,
 * with the zone named ("24 Nov 2026, 09:00 GMT-3").
 */
export function formatCustomerTime(at: number, where: { readonly locale: string; readonly timeZone: string }): string {
  const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short', timeZone: where.timeZone };
  return new Intl.DateTimeFormat(supportedLocale(where.locale), options).format(at);
}

function supportedLocale(locale: string): string {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale])[0] ?? 'en';
  } catch {
    return 'en';
  }
}

/** Whether Intl knows the IANA time zone. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
