import type { Decision, Evidence } from '../classify/classifier.js';
import { evaluate } from '../evaluate.js';
import { CATEGORY_IDS, type CategoryId } from '../taxonomy.js';

/** When the model decides instead of the rules; tuned by cross-validation when it is trained. */
export interface CombinationSettings {
  /** Categories the model may decide; empty: the rules decide every ticket. */
  readonly categories: readonly CategoryId[];
  /** Below this probability the model is unsure and the rules decide. */
  readonly threshold: number;
  /** A category the model learnt from fewer tickets than this is never the model's to decide. */
  readonly minExamples: number;
  /**
   * Categories the model learnt from fewer than minExamples tickets in which the rules' choice
   * stands whatever the model says (it cannot judge them). Tuned too: a category the account's
   * labelled tickets never show, the rules only ever choose wrongly there, and it is left out.
   */
  readonly rulesOwn: readonly CategoryId[];
}

/** The rules' side of one ticket, as the combination needs it. */
export type RulesView = Pick<Decision, 'category' | 'evidence'>;

export type Verdict =
  | { readonly by: 'model' }
  | { readonly by: 'rules'; readonly why: 'policy' | 'few_examples' | 'category_off' | 'unsure' };

/** Evidence an admin wrote in the policy that names the ticket's category outright. */
const POLICY_MATCH_RULES: ReadonlySet<Evidence['rule']> = new Set(['tag', 'channel', 'form', 'organization', 'regex']);

/** Below this many labelled tickets per category the model decides nothing in it (the learning curve's first point: 50 tickets, 3-4 categories). */
export const MIN_EXAMPLES = 20;
/** The combination is turned on only when cross-validation shows it ahead of the rules by at least this much macro-F1. */
export const MIN_GAIN = 0.01;
const THRESHOLDS = [0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];

/**
 * Who decides a ticket. The rules do when an admin's policy match rule (tag, channel, form,
 * organisation, regex) names their category, when they chose a category the model learnt from
 * too few tickets (one of `rulesOwn`), when the model's category is not one it beat the rules on,
 * or when the model is unsure. Otherwise the model does.
 */
export function whoDecides(
  rules: RulesView,
  prediction: { readonly category: CategoryId; readonly probability: number },
  examples: Readonly<Partial<Record<CategoryId, number>>>,
  settings: CombinationSettings,
): Verdict {
  if (rules.evidence.some((item) => item.for === rules.category && POLICY_MATCH_RULES.has(item.rule) && item.source === 'policy')) return { by: 'rules', why: 'policy' };
  if (settings.rulesOwn.includes(rules.category) && (examples[rules.category] ?? 0) < settings.minExamples) return { by: 'rules', why: 'few_examples' };
  if (!settings.categories.includes(prediction.category)) return { by: 'rules', why: 'category_off' };
  if (prediction.probability < settings.threshold) return { by: 'rules', why: 'unsure' };
  return { by: 'model' };
}

/** One labelled ticket seen by both, the model not having learnt from it (out of fold). */
export interface HeldOutRow {
  readonly gold: CategoryId;
  readonly rules: RulesView;
  readonly prediction: { readonly category: CategoryId; readonly probability: number };
}

export function combinedCategory(row: HeldOutRow, examples: Readonly<Partial<Record<CategoryId, number>>>, settings: CombinationSettings): CategoryId {
  return whoDecides(row.rules, row.prediction, examples, settings).by === 'model' ? row.prediction.category : row.rules.category;
}

export function macroF1Of(rows: readonly HeldOutRow[], predict: (row: HeldOutRow) => CategoryId): number {
  return evaluate(rows.map((row) => ({ gold: row.gold, predicted: predict(row), language: '' }))).macroF1;
}

/**
 * Picks the combination that does best on held-out rows: the threshold first; then, one change at
 * a time, the one that raises macro-F1 most (dropping a category the model may decide, or taking a
 * rarely labelled category from the rules' own), else dropping a category that makes no
 * difference; then the threshold again. If the best
 * is not at least MIN_GAIN ahead of the rules alone, the combination stays off. Deterministic:
 * ties keep the lower threshold and the earlier settings.
 */
export function tuneCombination(rows: readonly HeldOutRow[], examples: Readonly<Partial<Record<CategoryId, number>>>, minExamples: number = MIN_EXAMPLES): CombinationSettings {
  const rare = CATEGORY_IDS.filter((category) => category !== 'other' && (examples[category] ?? 0) < minExamples);
  const off: CombinationSettings = { categories: [], threshold: 1, minExamples, rulesOwn: rare };
  if (rows.length === 0) return off;
  const score = (settings: CombinationSettings): number => macroF1Of(rows, (row) => combinedCategory(row, examples, settings));
  const withBestThreshold = (from: CombinationSettings): { settings: CombinationSettings; f1: number } => {
    let best = { settings: from, f1: -1 };
    for (const threshold of THRESHOLDS) {
      const settings = { ...from, threshold };
      const f1 = score(settings);
      if (f1 > best.f1) best = { settings, f1 };
    }
    return best;
  };
  let best = withBestThreshold({ categories: CATEGORY_IDS.filter((category) => (examples[category] ?? 0) >= minExamples), threshold: THRESHOLDS[0]!, minExamples, rulesOwn: rare });
  for (;;) {
    const { categories, rulesOwn } = best.settings;
    // The change that raises macro-F1 most; failing one, a category the model may decide without it
    // making any difference is dropped (a category must earn its place). Taking a category from the
    // rules' own must strictly help.
    const candidates = [
      ...categories.map((category) => ({ settings: { ...best.settings, categories: categories.filter((other) => other !== category) }, onTie: true })),
      ...rulesOwn.map((category) => ({ settings: { ...best.settings, rulesOwn: rulesOwn.filter((other) => other !== category) }, onTie: false })),
    ].map((candidate) => ({ ...candidate, f1: score(candidate.settings) }));
    const better = candidates.reduce<(typeof candidates)[number] | null>((top, candidate) => (candidate.f1 > (top?.f1 ?? best.f1) ? candidate : top), null);
    const next = better ?? candidates.find((candidate) => candidate.onTie && candidate.f1 === best.f1) ?? null;
    if (next === null) break;
    best = { settings: next.settings, f1: next.f1 };
  }
  best = withBestThreshold(best.settings);
  const rulesF1 = macroF1Of(rows, (row) => row.rules.category);
  return best.settings.categories.length > 0 && best.f1 >= rulesF1 + MIN_GAIN ? best.settings : off;
}
