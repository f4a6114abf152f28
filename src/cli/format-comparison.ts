import type { CombinationSettings } from '../core/learn/combination.js';
import type { Evaluation } from '../core/evaluate.js';
import { CATEGORY_IDS } from '../core/taxonomy.js';

export interface Compared {
  readonly rules: Evaluation;
  readonly model: Evaluation;
  readonly combination: Evaluation;
}

/** Macro-F1 and per-category F1 of the rules, the model and the combination, side by side. */
export function formatComparison(title: string, compared: Compared): string {
  const f = (value: number): string => value.toFixed(3).padStart(13);
  const f1Of = (evaluation: Evaluation, category: string): number => evaluation.perCategory.find((score) => score.category === category)?.f1 ?? 0;
  const present = compared.rules.categoriesPresent;
  const lines = [`== ${title}: ${compared.rules.rows.toLocaleString('en')} rows`, `${''.padEnd(24)}${'rules'.padStart(13)}${'model'.padStart(13)}${'combination'.padStart(13)}${'support'.padStart(9)}`];
  lines.push(`${'macro-F1'.padEnd(24)}${f(compared.rules.macroF1)}${f(compared.model.macroF1)}${f(compared.combination.macroF1)}`);
  for (const category of CATEGORY_IDS.filter((id) => present.includes(id))) {
    const support = compared.rules.perCategory.find((score) => score.category === category)?.support ?? 0;
    lines.push(`${`  ${category}`.padEnd(24)}${f(f1Of(compared.rules, category))}${f(f1Of(compared.model, category))}${f(f1Of(compared.combination, category))}${String(support).padStart(9)}`);
  }
  lines.push(`${'accuracy'.padEnd(24)}${f(compared.rules.accuracy)}${f(compared.model.accuracy)}${f(compared.combination.accuracy)}`);
  return `${lines.join('\n')}\n`;
}

/** What the combination does, in one sentence. */
export function describeCombination(settings: CombinationSettings): string {
  if (settings.categories.length === 0) return 'off: the rules decide every ticket';
  return `on for ${settings.categories.join(', ')}: the model decides when it is at least ${settings.threshold.toFixed(2)} sure of one of these; the rules decide the rest, every ticket an admin's policy match rule names, and categories the model learnt from fewer than ${settings.minExamples} tickets`;
}
