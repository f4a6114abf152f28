import { describe, expect, it } from 'vitest';
import { evaluate, type LabeledPrediction } from '../../../src/core/evaluate.js';
import type { CategoryId } from '../../../src/core/taxonomy.js';

const rows = (spec: Array<[CategoryId, CategoryId, number, string?]>): LabeledPrediction[] =>
  spec.flatMap(([gold, predicted, count, language = 'en']) => Array.from({ length: count }, () => ({ gold, predicted, language })));

describe('evaluate', () => {
  // Hand-computed: gold bug 10 (8 -> bug, 2 -> feature), gold feature 5 (1 -> bug, 4 -> feature).
  // bug: P = 8/9, R = 8/10, F1 = 2PR/(P+R) = 16/19. feature: P = 4/6, R = 4/5, F1 = 8/11.
  const twoClass = rows([
    ['bug_report', 'bug_report', 8],
    ['bug_report', 'feature_request', 2],
    ['feature_request', 'bug_report', 1],
    ['feature_request', 'feature_request', 4],
  ]);

  it('computes precision, recall, F1 and support per category', () => {
    const result = evaluate(twoClass);
    const bug = result.perCategory.find((score) => score.category === 'bug_report')!;
    const feature = result.perCategory.find((score) => score.category === 'feature_request')!;
    expect(bug.precision).toBeCloseTo(8 / 9, 10);
    expect(bug.recall).toBeCloseTo(0.8, 10);
    expect(bug.f1).toBeCloseTo(16 / 19, 10);
    expect(bug.support).toBe(10);
    expect(feature.precision).toBeCloseTo(4 / 6, 10);
    expect(feature.recall).toBeCloseTo(0.8, 10);
    expect(feature.f1).toBeCloseTo(8 / 11, 10);
    expect(result.macroF1).toBeCloseTo((16 / 19 + 8 / 11) / 2, 10);
    expect(result.accuracy).toBeCloseTo(12 / 15, 10);
  });

  it('builds the confusion matrix rows = gold, columns = predicted', () => {
    const { confusion } = evaluate(twoClass);
    expect(confusion.bug_report.bug_report).toBe(8);
    expect(confusion.bug_report.feature_request).toBe(2);
    expect(confusion.feature_request.bug_report).toBe(1);
    expect(confusion.feature_request.feature_request).toBe(4);
    expect(confusion.other.other).toBe(0);
  });

  it('averages macro-F1 over categories present in the gold labels only; predicted-only ones still cost precision', () => {
    // gold bug 4: 2 -> bug, 2 -> other. bug: P = 1, R = 0.5, F1 = 2/3. `other` has support 0 and is not averaged.
    const result = evaluate(rows([['bug_report', 'bug_report', 2], ['bug_report', 'other', 2]]));
    expect(result.categoriesPresent).toEqual(['bug_report']);
    expect(result.macroF1).toBeCloseTo(2 / 3, 10);
    const other = result.perCategory.find((score) => score.category === 'other')!;
    expect(other).toMatchObject({ support: 0, predicted: 2, precision: 0, recall: 0, f1: 0 });
  });

  it('gives 0, not NaN, for a category never predicted', () => {
    const result = evaluate(rows([['billing_issue', 'bug_report', 3]]));
    const billing = result.perCategory.find((score) => score.category === 'billing_issue')!;
    expect(billing).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 3 });
    expect(result.macroF1).toBe(0);
  });

  it('splits figures per language', () => {
    const result = evaluate(rows([
      ['bug_report', 'bug_report', 3, 'de'],
      ['bug_report', 'feature_request', 1, 'de'],
      ['feature_request', 'feature_request', 2, 'es'],
    ]));
    expect(result.perLanguage).toEqual([
      { language: 'de', rows: 4, accuracy: 0.75, macroF1: expect.closeTo(2 * 0.75 / 1.75, 10) },
      { language: 'es', rows: 2, accuracy: 1, macroF1: 1 },
    ]);
  });

  it('handles no rows', () => {
    expect(evaluate([])).toMatchObject({ rows: 0, accuracy: 0, macroF1: 0, perCategory: [], perLanguage: [] });
  });
});
