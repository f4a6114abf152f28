import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/core/classify/classifier.js';
import { tuneCombination, whoDecides, type CombinationSettings, type HeldOutRow } from '../../../src/core/learn/combination.js';
import type { CategoryId } from '../../../src/core/taxonomy.js';

const on: CombinationSettings = { categories: ['bug_report', 'billing_issue'], threshold: 0.6, minExamples: 20, rulesOwn: ['performance_issue'] };
const examples = { bug_report: 300, billing_issue: 120, performance_issue: 4 };
const term = (category: CategoryId): Evidence => ({ rule: 'term', for: category, value: 'crash*', source: 'en', part: 'body', weight: 3, count: 1, words: ['crashes'] });
const tag = (category: CategoryId): Evidence => ({ rule: 'tag', for: category, value: 'tag:payments', source: 'policy', weight: 4, count: 1 });
const regex = (category: CategoryId): Evidence => ({ rule: 'regex', for: category, value: 'INV-\\d+', source: 'policy', part: 'subject', weight: 4, count: 1, words: ['INV-42'] });

describe('whoDecides', () => {
  it.each([
    ['the model, sure of a category it beat the rules on', { category: 'bug_report', evidence: [term('bug_report')] }, { category: 'billing_issue', probability: 0.9 }, { by: 'model' }],
    ['the model, when the rules found nothing', { category: 'other', evidence: [] }, { category: 'bug_report', probability: 0.61 }, { by: 'model' }],
    ['the rules, when an admin tag rule names their category', { category: 'billing_issue', evidence: [tag('billing_issue')] }, { category: 'bug_report', probability: 0.99 }, { by: 'rules', why: 'policy' }],
    ['the rules, when an admin regex names their category', { category: 'billing_issue', evidence: [regex('billing_issue')] }, { category: 'bug_report', probability: 0.99 }, { by: 'rules', why: 'policy' }],
    ['the model, when the admin rule names another category than the rules chose', { category: 'bug_report', evidence: [term('bug_report'), tag('billing_issue')] }, { category: 'billing_issue', probability: 0.9 }, { by: 'model' }],
    ['the rules, in a category the model learnt from too few tickets', { category: 'performance_issue', evidence: [term('performance_issue')] }, { category: 'bug_report', probability: 0.95 }, { by: 'rules', why: 'few_examples' }],
    ['the rules, when the model chose a category it did not beat them on', { category: 'bug_report', evidence: [] }, { category: 'feature_request', probability: 0.95 }, { by: 'rules', why: 'category_off' }],
    ['the rules, when the model is unsure', { category: 'bug_report', evidence: [] }, { category: 'billing_issue', probability: 0.59 }, { by: 'rules', why: 'unsure' }],
  ] as const)('%s', (_case, rules, prediction, verdict) => {
    expect(whoDecides(rules, prediction, examples, on)).toEqual(verdict);
  });
});

/** Held-out rows: `n` copies of one (gold, rules, model) situation. */
function rows(n: number, gold: CategoryId, rules: CategoryId, model: CategoryId, probability = 0.9): HeldOutRow[] {
  return Array.from({ length: n }, () => ({ gold, rules: { category: rules, evidence: [] }, prediction: { category: model, probability } }));
}

describe('tuneCombination', () => {
  it('stays off when the model is no better than the rules', () => {
    const held = [...rows(10, 'bug_report', 'bug_report', 'bug_report'), ...rows(10, 'billing_issue', 'billing_issue', 'bug_report')];
    expect(tuneCombination(held, { bug_report: 10, billing_issue: 10 }, 5)).toMatchObject({ categories: [], threshold: 1 });
  });

  it('turns on only for the categories where the model beats the rules', () => {
    // The model is right on billing where the rules are wrong, and wrong on bugs where the rules are right.
    const held = [
      ...rows(10, 'billing_issue', 'feature_request', 'billing_issue'),
      ...rows(10, 'bug_report', 'bug_report', 'feature_request'),
      ...rows(10, 'feature_request', 'feature_request', 'feature_request'),
    ];
    const settings = tuneCombination(held, { billing_issue: 10, bug_report: 10, feature_request: 10 }, 5);
    expect(settings.categories).toEqual(['billing_issue']);
  });

  it('keeps the rules for unsure predictions when that is better', () => {
    const held = [...rows(10, 'billing_issue', 'bug_report', 'billing_issue', 0.95), ...rows(10, 'bug_report', 'bug_report', 'billing_issue', 0.55), ...rows(5, 'billing_issue', 'billing_issue', 'billing_issue')];
    const settings = tuneCombination(held, { billing_issue: 15, bug_report: 10 }, 5);
    expect(settings.categories).toContain('billing_issue');
    expect(settings.threshold).toBeGreaterThan(0.55);
    expect(settings.threshold).toBeLessThanOrEqual(0.95);
  });

  it("takes a rare category from the rules' own when the rules are always wrong in it", () => {
    const held = [...rows(10, 'bug_report', 'performance_issue', 'bug_report'), ...rows(10, 'billing_issue', 'billing_issue', 'billing_issue')];
    const settings = tuneCombination(held, { bug_report: 10, billing_issue: 10 }, 5);
    expect(settings.rulesOwn).not.toContain('performance_issue');
    expect(settings.categories).toContain('bug_report');
  });
});
