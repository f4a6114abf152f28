import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { createClassifier } from '../../app/create-classifier.js';
import type { Classifier } from '../../core/classify/classifier.js';
import { evaluate, type Evaluation, type LabeledPrediction } from '../../core/evaluate.js';
import { CATEGORY_IDS } from '../../core/taxonomy.js';
import { CliError, type CliIo } from '../io.js';
import { loadPolicyOrFail, policyPathOf } from '../load-policy-or-fail.js';
import type { RowProblem } from '../read-labeled-csv.js';
import { readLabeledRowsWithProblems, rowProgress } from '../read-labeled-rows.js';

export const EVAL_USAGE = `Usage: cxloop eval <file.csv>... [--model <model file>] [--json] [--config <policy>]
Classifies every row of labeled CSV files (columns id,subject,body,language,category) and prints
per-category precision, recall, F1 and support, macro-F1, a confusion matrix and a per-language table.
  --model <file>  a model from \`cxloop train --out\`: also measures the model alone and the rules
                  and the model combined (as cxloop serve decides), side by side with the rules`;

interface FileReport {
  readonly file: string;
  readonly skipped: readonly RowProblem[];
  readonly evaluation: Evaluation;
}

export async function runEval(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, config: { type: 'string' }, model: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout.write(`${EVAL_USAGE}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new CliError(`no CSV file given\n${EVAL_USAGE}`, 2);
  const classifier = createClassifier(await loadPolicyOrFail(policyPathOf(values.config, io.env)));
  if (values.model !== undefined) return (await import('./eval-model.js')).runEvalWithModel({ files: positionals, modelFile: values.model, rules: classifier, json: values.json === true }, io);

  const reports: FileReport[] = [];
  const all: LabeledPrediction[] = [];
  for (const file of positionals) {
    const { predictions, skipped } = await classifyFile(file, classifier, io);
    all.push(...predictions);
    reports.push({ file, skipped, evaluation: evaluate(predictions) });
  }
  const combined = reports.length > 1 ? evaluate(all) : undefined;

  if (values.json) {
    io.stdout.write(`${JSON.stringify({ files: reports, ...(combined ? { combined } : {}) }, null, 2)}\n`);
  } else {
    for (const report of reports) io.stdout.write(formatReport(basename(report.file), report.evaluation, report.skipped.length));
    if (combined) io.stdout.write(formatReport(`all ${reports.length} files`, combined, 0));
  }
  return 0;
}

async function classifyFile(file: string, classifier: Classifier, io: CliIo): Promise<{ predictions: LabeledPrediction[]; skipped: RowProblem[] }> {
  const { rows, skipped } = await readLabeledRowsWithProblems(file, io);
  const progress = rowProgress(file, io);
  const predictions = rows.map((row, index) => {
    if ((index + 1) % 1000 === 0) progress('classified', index + 1);
    const decision = classifier.classify({ subject: row.subject, description: row.body });
    return { gold: row.category, predicted: decision.category, language: row.language };
  });
  if (io.stderr.isTTY) io.stderr.write(`\r${basename(file)}: classified ${predictions.length} rows\n`);
  return { predictions, skipped };
}

const SHORT: Record<string, string> = {
  bug_report: 'bug',
  billing_issue: 'bill',
  feature_request: 'feat',
  onboarding_help: 'onb',
  performance_issue: 'perf',
  sentiment_experience: 'sent',
  content_communication: 'cont',
  other: 'other',
};

export function formatReport(title: string, evaluation: Evaluation, skipped: number): string {
  const f = (value: number): string => value.toFixed(3);
  const lines = [`== ${title}: ${evaluation.rows} rows${skipped > 0 ? `, ${skipped} skipped` : ''}`];
  lines.push(`${'category'.padEnd(24)}${'precision'.padStart(10)}${'recall'.padStart(8)}${'f1'.padStart(8)}${'support'.padStart(9)}${'predicted'.padStart(11)}`);
  for (const score of evaluation.perCategory) {
    lines.push(
      `${score.category.padEnd(24)}${f(score.precision).padStart(10)}${f(score.recall).padStart(8)}${f(score.f1).padStart(8)}${String(score.support).padStart(9)}${String(score.predicted).padStart(11)}`,
    );
  }
  lines.push(
    `macro-F1 ${f(evaluation.macroF1)} over ${evaluation.categoriesPresent.length} categories present (${evaluation.categoriesPresent.join(', ')}); accuracy ${f(evaluation.accuracy)}`,
  );
  const columns = CATEGORY_IDS.filter((category) => evaluation.perCategory.some((score) => score.category === category));
  lines.push('', 'confusion matrix (rows: gold, columns: predicted)');
  lines.push(`${'gold \\ predicted'.padEnd(24)}${columns.map((category) => (SHORT[category] ?? category).padStart(7)).join('')}`);
  for (const gold of columns) {
    lines.push(`${gold.padEnd(24)}${columns.map((predicted) => String(evaluation.confusion[gold][predicted]).padStart(7)).join('')}`);
  }
  lines.push('', `${'language'.padEnd(12)}${'rows'.padStart(7)}${'accuracy'.padStart(10)}${'macro-F1'.padStart(10)}`);
  for (const language of evaluation.perLanguage) {
    lines.push(`${language.language.padEnd(12)}${String(language.rows).padStart(7)}${f(language.accuracy).padStart(10)}${f(language.macroF1).padStart(10)}`);
  }
  return `${lines.join('\n')}\n\n`;
}
