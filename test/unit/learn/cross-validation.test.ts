import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/core/classify/classifier.js';
import { crossValidate } from '../../../src/core/learn/cross-validate.js';
import { stratifiedFolds } from '../../../src/core/learn/stratified-folds.js';
import { TrainingSet, type LabeledTicket } from '../../../src/core/learn/training-set.js';
import { CATEGORY_IDS, type CategoryId } from '../../../src/core/taxonomy.js';

describe('stratifiedFolds', () => {
  it('deals each label round-robin, the deal carrying on across labels (unshuffled: by hand)', () => {
    // Labels sorted: "a" rows 1, 3, 4 -> folds 0, 1, 2; then "b" rows 0, 2, 5 -> folds 0, 1, 2.
    expect([...stratifiedFolds(['b', 'a', 'b', 'a', 'a', 'b'], 3, null)]).toEqual([0, 0, 1, 1, 2, 2]);
    // 3 "a" into 2 folds: 0, 1, 0; the deal goes on with "b" at fold 1: 1, 0.
    expect([...stratifiedFolds(['a', 'a', 'a', 'b', 'b'], 2, null)]).toEqual([0, 1, 0, 1, 0]);
  });

  it('keeps every label spread evenly and fold sizes within one when shuffled, the same for the same seed', () => {
    const labels = [...Array(17).fill('bug'), ...Array(9).fill('billing'), ...Array(4).fill('feature')] as string[];
    const folds = stratifiedFolds(labels, 5, 42);
    expect(stratifiedFolds(labels, 5, 42)).toEqual(folds);
    expect(stratifiedFolds(labels, 5, 43)).not.toEqual(folds);
    const sizes = [0, 1, 2, 3, 4].map((fold) => folds.filter((f) => f === fold).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    for (const label of ['bug', 'billing', 'feature']) {
      const perFold = [0, 1, 2, 3, 4].map((fold) => labels.filter((l, row) => l === label && folds[row] === fold).length);
      expect(Math.max(...perFold) - Math.min(...perFold), label).toBeLessThanOrEqual(1);
    }
  });

  it('refuses k below 2', () => {
    expect(() => stratifiedFolds(['a', 'b'], 1, 1)).toThrow(/k >= 2/);
  });
});

/** What the rules say of every row in these tests: billing, always. */
function rulesSay(category: CategoryId): Pick<Decision, 'category' | 'scores' | 'evidence'> {
  return { category, scores: Object.fromEntries(CATEGORY_IDS.map((id) => [id, id === category ? 3 : 0])) as Decision['scores'], evidence: [] };
}

describe('crossValidate', () => {
  it('gives the figures computed by hand for a set with one mislabelled row', () => {
    const ticket = (subject: string, category: CategoryId): LabeledTicket => ({ subject, body: subject, category, language: 'en', rules: rulesSay('billing_issue') });
    // Three clean bug rows, three clean billing rows, and a billing-worded row labelled bug (4 bug rows).
    const tickets = [
      ticket('app crash on start', 'bug_report'),
      ticket('crash when saving', 'bug_report'),
      ticket('crash and freeze', 'bug_report'),
      ticket('invoice payment wrong', 'billing_issue'),
      ticket('invoice payment missing', 'billing_issue'),
      ticket('invoice payment twice', 'billing_issue'),
      ticket('invoice please', 'bug_report'),
    ];
    const cv = crossValidate(new TrainingSet(tickets), { k: 3, seed: 7 });
    // Model, each row predicted by a fit without it: every clean row right, the odd one read as billing.
    //   bug: TP 3, FN 1 -> P 1, R 3/4, F1 6/7; billing: TP 3, FP 1 -> P 3/4, R 1, F1 6/7.
    expect(cv.model.confusion.bug_report).toMatchObject({ bug_report: 3, billing_issue: 1 });
    expect(cv.model.confusion.billing_issue).toMatchObject({ billing_issue: 3, bug_report: 0 });
    expect(cv.model.macroF1).toBeCloseTo(6 / 7, 10);
    // Rules: billing for all 7. bug: F1 0; billing: P 3/7, R 1, F1 0.6. Macro over the two present: 0.3.
    expect(cv.rules.macroF1).toBeCloseTo(0.3, 10);
    expect(cv.rules.accuracy).toBeCloseTo(3 / 7, 10);
    expect(cv.k).toBe(3);
    expect(cv.foldSettings).toHaveLength(3);
  });
});
