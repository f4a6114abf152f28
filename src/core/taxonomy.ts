/** The categories cxloop routes to, in display order. `other` is the fallback. */
export const CATEGORY_IDS = [
  'bug_report',
  'billing_issue',
  'feature_request',
  'onboarding_help',
  'performance_issue',
  'sentiment_experience',
  'content_communication',
  'other',
] as const;

export type CategoryId = (typeof CATEGORY_IDS)[number];

/** Priority tiers, most urgent first. */
export const TIERS = ['critical', 'high', 'normal'] as const;

export type Tier = (typeof TIERS)[number];

/** "bug_report" -> "Bug report": a category as people read it. */
export function categoryLabel(category: CategoryId): string {
  const words = category.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function isCategoryId(value: string): value is CategoryId {
  return (CATEGORY_IDS as readonly string[]).includes(value);
}

/** Lower index = more urgent. */
export function tierRank(tier: Tier): number {
  return TIERS.indexOf(tier);
}

export function mostUrgentTier(a: Tier, b: Tier): Tier {
  return tierRank(a) <= tierRank(b) ? a : b;
}
