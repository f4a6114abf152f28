import type { CategoryRules, ClassifierRules } from '../core/classify/classifier-rules.js';
import { CATEGORY_IDS, type CategoryId } from '../core/taxonomy.js';
import type { Policy } from './policy-schema.js';

/** Maps the policy file's snake_case classifier settings onto the core's ClassifierRules. */
export function classifierRulesFromPolicy(policy: Policy): ClassifierRules {
  const { classifier } = policy;
  const categories = Object.fromEntries(
    CATEGORY_IDS.map((id): [CategoryId, CategoryRules] => {
      const { match } = policy.categories[id];
      return [
        id,
        {
          terms: match.terms,
          weakTerms: match.weak_terms,
          regexes: match.regexes,
          tags: match.tags,
          channels: match.channels,
          forms: match.forms,
          organizations: match.organizations,
          ...(match.min_tier ? { minTier: match.min_tier } : {}),
        },
      ];
    }),
  ) as Record<CategoryId, CategoryRules>;
  return {
    threshold: classifier.threshold,
    languages: classifier.languages,
    subjectWeight: classifier.subject_weight,
    conditionWeight: classifier.condition_weight,
    regexWeight: classifier.regex_weight,
    repeatContactThreshold: classifier.repeat_contact_threshold,
    categories,
    tierRules: classifier.tier_rules,
  };
}
