import type { Policy } from '../config/policy-schema.js';
import type { LabelRules } from '../core/learning/training-label.js';
import { CATEGORY_IDS, type CategoryId } from '../core/taxonomy.js';

/** The labelling rules of a policy: each category's zendesk_group_id, and training_labels. */
export function labelRulesFrom(policy: Pick<Policy, 'categories' | 'training_labels'>): LabelRules {
  const groups = new Map<number, CategoryId[]>();
  for (const category of CATEGORY_IDS) {
    const groupId = policy.categories[category].zendesk_group_id;
    if (groupId !== null) groups.set(groupId, [...(groups.get(groupId) ?? []), category]);
  }
  const fields = new Map<number, ReadonlyMap<string, CategoryId>>();
  for (const [fieldId, values] of Object.entries(policy.training_labels.ticket_fields)) fields.set(Number(fieldId), new Map(Object.entries(values)));
  return { groups, tags: new Map(Object.entries(policy.training_labels.tags)), fields };
}
