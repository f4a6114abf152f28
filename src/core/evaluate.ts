import { CATEGORY_IDS, type CategoryId } from './taxonomy.js';

export interface LabeledPrediction {
  readonly gold: CategoryId;
  readonly predicted: CategoryId;
  readonly language: string;
}

export interface CategoryScore {
  readonly category: CategoryId;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Rows whose gold label is this category. */
  readonly support: number;
  /** Rows predicted as this category. */
  readonly predicted: number;
}

export interface LanguageScore {
  readonly language: string;
  readonly rows: number;
  readonly accuracy: number;
  readonly macroF1: number;
}

export interface Evaluation {
  readonly rows: number;
  readonly accuracy: number;
  /** Mean F1 over the categories present in the gold labels (support > 0). */
  readonly macroF1: number;
  /** Categories with support > 0, in taxonomy order: the ones macroF1 averages over. */
  readonly categoriesPresent: readonly CategoryId[];
  /** Per category in taxonomy order, including ones only predicted (support 0). */
  readonly perCategory: readonly CategoryScore[];
  /** confusion[gold][predicted] = count, over every category. */
  readonly confusion: Readonly<Record<CategoryId, Readonly<Record<CategoryId, number>>>>;
  readonly perLanguage: readonly LanguageScore[];
}

/**
 * Precision, recall and F1 per category, macro-F1 and a confusion matrix. A category with no
 * predictions has precision 0 (not NaN); F1 is 0 when precision + recall is 0.
 */
export function evaluate(rows: readonly LabeledPrediction[]): Evaluation {
  const confusion = emptyMatrix();
  for (const row of rows) confusion[row.gold][row.predicted]++;
  const perCategory = CATEGORY_IDS.map((category) => scoreCategory(confusion, category)).filter(
    (score) => score.support > 0 || score.predicted > 0,
  );
  const present = perCategory.filter((score) => score.support > 0);
  const correct = CATEGORY_IDS.reduce((sum, category) => sum + confusion[category][category], 0);
  const languages = [...new Set(rows.map((row) => row.language))].sort();
  return {
    rows: rows.length,
    accuracy: ratio(correct, rows.length),
    macroF1: mean(present.map((score) => score.f1)),
    categoriesPresent: present.map((score) => score.category),
    perCategory,
    confusion,
    perLanguage: languages.map((language) => languageScore(language, rows.filter((row) => row.language === language))),
  };
}

function languageScore(language: string, rows: readonly LabeledPrediction[]): LanguageScore {
  const confusion = emptyMatrix();
  for (const row of rows) confusion[row.gold][row.predicted]++;
  const present = CATEGORY_IDS.map((category) => scoreCategory(confusion, category)).filter((score) => score.support > 0);
  const correct = rows.filter((row) => row.gold === row.predicted).length;
  return { language, rows: rows.length, accuracy: ratio(correct, rows.length), macroF1: mean(present.map((score) => score.f1)) };
}

function scoreCategory(confusion: Record<CategoryId, Record<CategoryId, number>>, category: CategoryId): CategoryScore {
  const truePositives = confusion[category][category];
  const support = CATEGORY_IDS.reduce((sum, predicted) => sum + confusion[category][predicted], 0);
  const predicted = CATEGORY_IDS.reduce((sum, gold) => sum + confusion[gold][category], 0);
  const precision = ratio(truePositives, predicted);
  const recall = ratio(truePositives, support);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { category, precision, recall, f1, support, predicted };
}

function emptyMatrix(): Record<CategoryId, Record<CategoryId, number>> {
  return Object.fromEntries(
    CATEGORY_IDS.map((gold) => [gold, Object.fromEntries(CATEGORY_IDS.map((predicted) => [predicted, 0]))]),
  ) as Record<CategoryId, Record<CategoryId, number>>;
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}
