import type { CategoryId } from '../taxonomy.js';

/**
 * A term is one or more space-separated word patterns matched against consecutive tokens.
 * Tokens are lower-cased and diacritic-folded before matching (see normalize-text.ts), and terms
 * are folded the same way when compiled, so write them naturally ("stürzt ab", "błąd*").
 *
 * Word pattern syntax (per word):
 *   `word`    the whole token equals `word`
 *   `stem*`   the token starts with `stem` (inflection: `crash*` matches crashes, crashed, crashing)
 *   `*tail`   the token ends with `tail` (compounds: `*fehler` matches Anmeldefehler)
 *   `*part*`  the token contains `part` (use sparingly, min. 5 letters)
 * A stem/tail/part must have at least 3 letters so it cannot match half the language.
 */
export type Term = string;

export interface CategoryTerms {
  /** Near-decisive on their own ("feature request", "crash*", "refund*"). Weight 3. */
  readonly strong: readonly Term[];
  /** Indicative, decisive only together with others ("slow", "option"). Weight 1. */
  readonly weak: readonly Term[];
}

export interface LanguageLexicon {
  /** ISO 639-1 code. */
  readonly language: string;
  /** Words that negate a term that follows within three tokens ("not a bug", "kein Fehler"). */
  readonly negators: readonly Term[];
  /** Words that negate a term that precedes them within three tokens (Turkish "hata değil"). */
  readonly postNegators: readonly Term[];
  /**
   * Words that close a two-part negation (French "ne … pas", "ne … plus", "ne … aucun"; English
   * "not … anymore"). A term holding one states that negation itself ("s ouvre plus": no longer
   * opens; "aucun résultat"), so the negator before it ("l'appli ne s'ouvre plus") is its own first
   * part and does not negate it.
   */
  readonly negationCloses?: readonly string[];
  /**
   * How-to question openers that ask only at the start of a clause: a verb-first question ("Kann
   * ich …?", "Kan ik …?"). After a fronted phrase the same words state something ("Seit dem Update
   * kann ich keine Fotos mehr hochladen"), so there they count for nothing. Strong onboarding_help terms.
   */
  readonly clauseInitial?: readonly Term[];
  /** Category terms. Every category except `other` should have entries in every language. */
  readonly categories: Readonly<Partial<Record<CategoryId, CategoryTerms>>>;
  /**
   * Terms that count (as strong, in the subject) only when a subject starts with them: issue-style
   * imperative titles ("Add dark mode", "Support SAML") and question openers ("How to ...").
   */
  readonly subjectOpeners?: Readonly<Partial<Record<CategoryId, readonly Term[]>>>;
  /**
   * A service that is down or unreachable ("site down", "komplett ausgefallen", "sistem çöktü"):
   * it raises the tier to critical and counts for performance_issue, the incident category.
   */
  readonly outage: readonly Term[];
  /**
   * Urgency, scope and data-loss wording ("asap", "alle Nutzer", "veri kaybı"): it raises the tier
   * to critical and says nothing about the category.
   */
  readonly urgent: readonly Term[];
  /**
   * Salutations that open a message ("Dear support team", "Sehr geehrter Kundenservice", "Merhaba").
   * They and the weak terms in their clause count for nothing: they are form, not feedback.
   */
  readonly greetings: readonly Term[];
  /**
   * Thanks and sign-off formulas ("thanks in advance", "vielen Dank", "gracias", "saygılarımla").
   * Courtesy, not sentiment: like greetings, they and the weak terms of their clause count for
   * nothing; a short ticket that is only thanks counts them as (weak) feedback.
   */
  readonly thanks: readonly Term[];
  /**
   * Short ratings and verdicts ("ok", "not bad", "geht so", "fena değil"). They count as strong
   * sentiment, but only in a short ticket (a review, a one-line CSAT comment).
   */
  readonly ratings: readonly Term[];
  /**
   * Install, activation and sign-up words ("install*", "aktivier*", "lisans anahtar*"). Together
   * with a defect term in their clause, or negated ("can't install"), they are a bug report; alone
   * they are the topic of an onboarding question (and so not its form).
   */
  readonly setup: readonly Term[];
  /** Strongly negative wording ("unacceptable", "furious", "unverschämt"). */
  readonly negative: readonly Term[];
  /**
   * Regex sources (flags `iu`, tested against one trimmed line) for a line that introduces a quoted
   * earlier message ("On Mon, 3 Jun 2024, Ana wrote:"). The line and everything after it is dropped.
   */
  readonly quoteHeaders: readonly string[];
  /**
   * Closings that start a signature when they stand alone on a line ("Best regards", "Mit
   * freundlichen Grüßen"), matched case-insensitively ignoring trailing punctuation. The line and
   * everything after it is dropped, but only in the last part of the text.
   */
  readonly closings: readonly string[];
}
