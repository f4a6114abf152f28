import type { CategoryId, Tier } from '../taxonomy.js';

/** Conditions on ticket fields other than its text. Any listed value matching counts. */
export interface FieldConditions {
  readonly tags: readonly string[];
  readonly channels: readonly string[];
  readonly forms: readonly string[];
  readonly organizations: readonly string[];
}

/** What a policy file adds to the built-in lexicons for one category. */
export interface CategoryRules extends FieldConditions {
  /** Extra near-decisive terms, same syntax as the lexicons (lexicon.ts). */
  readonly terms: readonly string[];
  /** Extra indicative terms. */
  readonly weakTerms: readonly string[];
  /** Regex sources tested (flags `iu`) on the raw subject and body. */
  readonly regexes: readonly string[];
  /** The tier never goes below this for the category (e.g. performance issues at least high). */
  readonly minTier?: Tier;
}

export interface TierRule extends FieldConditions {
  readonly tier: Tier;
}

/** Everything the classifier takes from the policy file (config/policy-schema.ts maps onto this). */
export interface ClassifierRules {
  /** Below this confidence the category is `other`. */
  readonly threshold: number;
  /** Built-in lexicon languages to load (ISO 639-1). */
  readonly languages: readonly string[];
  /** Multiplier for terms found in the subject. */
  readonly subjectWeight: number;
  /** Score a matching tag/channel/form/organisation condition adds to its category. */
  readonly conditionWeight: number;
  /** Score a matching policy regex adds to its category. */
  readonly regexWeight: number;
  /** A requester with at least this many recent tickets raises the tier one step; 0 disables. */
  readonly repeatContactThreshold: number;
  readonly categories: Readonly<Record<CategoryId, CategoryRules>>;
  /** Field conditions that set a minimum tier whatever the category. */
  readonly tierRules: readonly TierRule[];
}

const NO_CONDITIONS: FieldConditions = { tags: [], channels: [], forms: [], organizations: [] };

export const EMPTY_CATEGORY_RULES: CategoryRules = { ...NO_CONDITIONS, terms: [], weakTerms: [], regexes: [] };
