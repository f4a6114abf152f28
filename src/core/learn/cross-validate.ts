import { evaluate, type Evaluation } from '../evaluate.js';
import { combinedCategory, MIN_EXAMPLES, tuneCombination, type CombinationSettings, type HeldOutRow } from './combination.js';
import { stratifiedFolds } from './stratified-folds.js';
import type { TrainingSet } from './training-set.js';

export interface CrossValidation {
  readonly k: number;
  readonly seed: number | null;
  readonly rules: Evaluation;
  readonly model: Evaluation;
  readonly combination: Evaluation;
  /** The combination tuned on every held-out row: what a model trained on all rows is stored with. */
  readonly settings: CombinationSettings;
  /** The settings each fold's combination figure was made with (tuned without that fold's rows). */
  readonly foldSettings: readonly CombinationSettings[];
}

/**
 * Stratified k-fold cross-validation of the rules, the model and their combination. Each fold's
 * rows are predicted by a model fitted on the other folds. The combination's settings are tuned
 * on held-out rows too, and without the rows they are scored on: fold f's combination uses
 * settings tuned on the other folds' held-out predictions, so its figure is not flattered by
 * having picked the threshold on the very rows it reports.
 */
export function crossValidate(set: TrainingSet, options: { k: number; seed: number | null; minExamples?: number; onFold?: (done: number, k: number) => void }): CrossValidation {
  const { k, seed } = options;
  const minExamples = options.minExamples ?? MIN_EXAMPLES;
  const folds = stratifiedFolds(set.tickets.map((ticket) => ticket.category), k, seed);
  const all = [...set.tickets.keys()];
  const heldOut: HeldOutRow[] = new Array(set.size);
  for (let fold = 0; fold < k; fold++) {
    const train = all.filter((row) => folds[row] !== fold);
    const fit = set.fit(train);
    for (const row of all) {
      if (folds[row] !== fold) continue;
      heldOut[row] = { gold: set.tickets[row]!.category, rules: set.rulesOf(row), prediction: set.predict(fit, row) };
    }
    options.onFold?.(fold + 1, k);
  }
  const examples = set.examples();
  const foldSettings: CombinationSettings[] = [];
  const combined = new Array<HeldOutRow['gold']>(set.size);
  for (let fold = 0; fold < k; fold++) {
    // The gate's "too few examples" counts what a model trained without this fold would have seen.
    const foldExamples = set.examples(all.filter((row) => folds[row] !== fold));
    const settings = tuneCombination(all.filter((row) => folds[row] !== fold).map((row) => heldOut[row]!), foldExamples, minExamples);
    foldSettings.push(settings);
    for (const row of all) if (folds[row] === fold) combined[row] = combinedCategory(heldOut[row]!, foldExamples, settings);
  }
  const scored = (predicted: (row: number) => HeldOutRow['gold']): Evaluation =>
    evaluate(all.map((row) => ({ gold: heldOut[row]!.gold, predicted: predicted(row), language: set.tickets[row]!.language })));
  return {
    k,
    seed,
    rules: scored((row) => heldOut[row]!.rules.category),
    model: scored((row) => heldOut[row]!.prediction.category),
    combination: scored((row) => combined[row]!),
    settings: tuneCombination(heldOut, examples, minExamples),
    foldSettings,
  };
}
