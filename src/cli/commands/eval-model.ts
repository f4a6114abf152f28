import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createLearnedClassifier } from '../../app/create-classifier.js';
import { parseEnv } from '../../config/env-schema.js';
import { describeProblems } from '../../config/format-issues.js';
import { installIdentityOf } from '../../config/install-identity.js';
import type { Classifier } from '../../core/classify/classifier.js';
import { evaluate, type LabeledPrediction } from '../../core/evaluate.js';
import { ModelRefusedError } from '../../core/learn/model-codec.js';
import { CATEGORY_IDS } from '../../core/taxonomy.js';
import { describeCombination, formatComparison, type Compared } from '../format-comparison.js';
import { CliError, type CliIo } from '../io.js';
import { readLabeledRowsWithProblems, rowProgress } from '../read-labeled-rows.js';
import { formatReport } from './eval.js';

interface Predictions {
  readonly rules: LabeledPrediction[];
  readonly model: LabeledPrediction[];
  readonly combination: LabeledPrediction[];
}

/** `cxloop eval --model`: the rules, the model alone and the combination on the same rows. */
export async function runEvalWithModel(options: { files: readonly string[]; modelFile: string; rules: Classifier; json: boolean }, io: CliIo): Promise<number> {
  const parsed = parseEnv(io.env);
  if (!parsed.ok) throw new CliError(`invalid environment:\n${describeProblems(parsed.problems)}`);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(options.modelFile);
  } catch (error) {
    throw new CliError(`${options.modelFile}: model file not found or not readable`, 1, { cause: error });
  }
  let learned;
  try {
    learned = createLearnedClassifier(options.rules, bytes, installIdentityOf(parsed.env));
  } catch (error) {
    if (error instanceof ModelRefusedError) throw new CliError(`${options.modelFile}: ${error.message}`, 1, { cause: error });
    throw error;
  }
  const { meta } = learned.model;
  const all: Predictions = { rules: [], model: [], combination: [] };
  const files: Array<{ file: string; skipped: number; compared: Compared }> = [];
  for (const file of options.files) {
    const { rows, skipped } = await readLabeledRowsWithProblems(file, io);
    const progress = rowProgress(file, io);
    const found: Predictions = { rules: [], model: [], combination: [] };
    rows.forEach((row, index) => {
      if ((index + 1) % 1000 === 0) progress('classified', index + 1);
      const ticket = { subject: row.subject, description: row.body };
      const rules = options.rules.classify(ticket);
      const labelled = (predicted: LabeledPrediction['predicted']): LabeledPrediction => ({ gold: row.category, predicted, language: row.language });
      found.rules.push(labelled(rules.category));
      found.model.push(labelled(learned.model.predict(ticket, rules).category));
      found.combination.push(labelled(learned.classify(ticket).category));
    });
    for (const key of ['rules', 'model', 'combination'] as const) all[key].push(...found[key]);
    files.push({ file, skipped: skipped.length, compared: compare(found) });
  }
  const combined = files.length > 1 ? compare(all) : undefined;
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ model: meta, files, ...(combined ? { combined } : {}) }, null, 2)}\n`);
    return 0;
  }
  const examples = CATEGORY_IDS.filter((category) => meta.examples[category]).map((category) => `${category} ${meta.examples[category]}`);
  io.stdout.write(`model ${basename(options.modelFile)}: trained ${meta.trainedAt} on ${meta.rows.toLocaleString('en')} rows (${examples.join(', ')}); combination ${describeCombination(meta.combination)}\n\n`);
  for (const { file, skipped, compared } of files) {
    io.stdout.write(`${formatComparison(`${basename(file)}${skipped > 0 ? ` (${skipped} skipped)` : ''}`, compared)}\n`);
    io.stdout.write(formatReport(`${basename(file)}: the combination`, compared.combination, skipped));
  }
  if (combined) io.stdout.write(`${formatComparison(`all ${files.length} files`, combined)}\n`);
  return 0;
}

function compare(predictions: Predictions): Compared {
  return { rules: evaluate(predictions.rules), model: evaluate(predictions.model), combination: evaluate(predictions.combination) };
}
