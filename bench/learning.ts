/**
 * The learned model (issue 15): training time on 10,000 rows, classification rate with the model,
 * its size in Redis, 5-fold figures of the rules, the model and the combination on each labelled
 * file in ../shared/datasets (read by path, never copied), learning curves at 50, 200 and 1,000
 * labelled rows, and the NLBSE held-out target. Without those files it reports that it cannot run.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { createRedisKeys, deleteInstallKeys } from '../src/adapters/redis/redis-keys.js';
import { RedisModelStore } from '../src/adapters/redis/redis-model-store.js';
import { createClassifier } from '../src/app/create-classifier.js';
import { trainModel, type TrainingRow } from '../src/app/train-model.js';
import { readLabeledCsv } from '../src/cli/read-labeled-csv.js';
import type { Policy } from '../src/config/policy-schema.js';
import type { Classifier } from '../src/core/classify/classifier.js';
import { evaluate } from '../src/core/evaluate.js';
import { crossValidate } from '../src/core/learn/cross-validate.js';
import { LearnedClassifier } from '../src/core/learn/learned-classifier.js';
import { seededRandom, shuffleInPlace } from '../src/core/learn/seeded-random.js';
import { stratifiedFolds } from '../src/core/learn/stratified-folds.js';
import { TRAIN_DEFAULTS, TrainingSet } from '../src/core/learn/training-set.js';
import { measureLearnedRateIsolated } from './learned-rate.js';
import { round } from './support.js';

const round3 = (value: number): number => Math.round(value * 1000) / 1000;

export const TRAIN_10K_MAX_SECONDS = 30;
export const MODEL_RATE_FLOOR = 10_000;
export const MODEL_MAX_BYTES = 20 * 1_048_576;
export const NLBSE_TARGET = 0.8;
export const CURVE_SIZES = [50, 200, 1_000] as const;
const INSTALL = { zendesk: null, prefix: 'bench-learning' };
const TRAINED_AT = '2026-12-01T00:00:00.000Z';

interface Figures {
  readonly rules: number;
  readonly model: number;
  readonly combination: number;
}

export interface DatasetFigures {
  readonly file: string;
  readonly rows: number;
  /** 5-fold CV, seed 1: macro-F1, and per category for the combination. */
  readonly crossValidation: Figures & { readonly textOnlyModel: number; readonly perCategory: Readonly<Record<string, Figures>> };
  /** Trained on n rows of a 75 % split, measured on the other 25 %. */
  readonly curve: ReadonlyArray<Figures & { readonly rows: number; readonly combinationOn: readonly string[] }>;
}

export interface LearningBenchResult {
  readonly source: string;
  readonly datasets: readonly DatasetFigures[];
  readonly nlbseHeldOut: (Figures & { readonly trainRows: number; readonly testRows: number }) | null;
  readonly training10k: { readonly rows: number; readonly categories: number; readonly fitSeconds: number; readonly fitCpuSeconds: number; readonly trainCommandSeconds: number } | null;
  readonly rate: { readonly modelPerSecond: number; readonly rulesPerSecond: number; readonly averageChars: number } | null;
  readonly redisBytes: number | null;
  readonly fileBytes: number | null;
}

type Row = TrainingRow & { readonly language: string };

export async function benchLearning(options: { policy: Policy; root: string; redisUrl: string; log: (line: string) => void }): Promise<LearningBenchResult> {
  const directory = process.env.BENCH_DATASETS ?? join(options.root, '..', 'shared', 'datasets');
  const files = existsSync(directory) ? readdirSync(directory).filter((name) => name.endsWith('.csv')).sort() : [];
  const rules = createClassifier(options.policy);
  const empty: LearningBenchResult = { source: `${directory}: no labelled CSV files`, datasets: [], nlbseHeldOut: null, training10k: null, rate: null, redisBytes: null, fileBytes: null };
  if (files.length === 0) return empty;
  const byFile = new Map<string, Row[]>();
  for (const file of files) byFile.set(file, (await readLabeledCsv(join(directory, file))).rows.map((row) => ({ subject: row.subject, body: row.body, category: row.category, language: row.language })));

  const datasets: DatasetFigures[] = [];
  for (const [file, rows] of byFile) {
    options.log(`learning: ${file}: 5-fold cross-validation and learning curve`);
    datasets.push({ file, rows: rows.length, crossValidation: crossValidationOf(rows, rules), curve: curveOf(rows, rules) });
  }
  const nlbse = [...byFile].find(([file]) => file.startsWith('nlbse'))?.[1];
  const nlbseHeldOut = nlbse ? heldOutOf(nlbse, rules, 5) : null;

  const all = [...byFile.values()].flat();
  options.log('learning: training on 10,000 rows');
  const tenK = Array.from({ length: 10_000 }, (_, index) => all[index % all.length]!);
  const startedCpu = process.cpuUsage();
  const started = performance.now();
  const set = new TrainingSet(tenK.map((row) => ({ ...row, rules: rules.classify({ subject: row.subject, description: row.body }) })));
  set.fit([...tenK.keys()]);
  const fitSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(startedCpu);
  const commandStarted = performance.now();
  const run = trainModel(tenK, rules, { install: INSTALL, trainedAt: TRAINED_AT, folds: 5, seed: 1 });
  const trainCommandSeconds = (performance.now() - commandStarted) / 1000;

  const tickets = all.map((row) => ({ subject: row.subject, description: row.body }));
  const { modelPerSecond, rulesPerSecond } = await measureLearnedRateIsolated(run.bytes, INSTALL, tickets);
  const averageChars = Math.round(tickets.reduce((sum, ticket) => sum + ticket.subject.length + ticket.description.length, 0) / tickets.length);

  const redisBytes = await storedSize(options.redisUrl, run.bytes);
  return {
    source: `${directory}/*.csv (${files.join(', ')})`,
    datasets,
    nlbseHeldOut,
    training10k: { rows: tenK.length, categories: run.model.meta.classes.length, fitSeconds: round(fitSeconds), fitCpuSeconds: round((cpu.user + cpu.system) / 1e6), trainCommandSeconds: round(trainCommandSeconds) },
    rate: { modelPerSecond, rulesPerSecond, averageChars },
    redisBytes,
    fileBytes: run.bytes.length,
  };
}

function ticketsOf(rows: readonly Row[], rules: Classifier) {
  return rows.map((row) => ({ ...row, rules: rules.classify({ subject: row.subject, description: row.body }) }));
}

function crossValidationOf(rows: readonly Row[], rules: Classifier): DatasetFigures['crossValidation'] {
  const tickets = ticketsOf(rows, rules);
  const cv = crossValidate(new TrainingSet(tickets), { k: 5, seed: 1 });
  const textOnly = crossValidate(new TrainingSet(tickets, { ...TRAIN_DEFAULTS, ruleSignals: false }), { k: 5, seed: 1 });
  const f1 = (evaluation: typeof cv.rules, category: string): number => round3(evaluation.perCategory.find((score) => score.category === category)?.f1 ?? 0);
  return {
    rules: round3(cv.rules.macroF1),
    model: round3(cv.model.macroF1),
    combination: round3(cv.combination.macroF1),
    textOnlyModel: round3(textOnly.model.macroF1),
    perCategory: Object.fromEntries(cv.rules.categoriesPresent.map((category) => [category, { rules: f1(cv.rules, category), model: f1(cv.model, category), combination: f1(cv.combination, category) }])),
  };
}

/** Rows split by stratified folds: fold 0 of `k` is the test part, the rest the training pool (shuffled). */
function split(rows: readonly Row[], k: number): { pool: Row[]; test: Row[] } {
  const folds = stratifiedFolds(rows.map((row) => row.category), k, 2026);
  return { pool: shuffleInPlace(rows.filter((_, index) => folds[index] !== 0), seededRandom(7)), test: rows.filter((_, index) => folds[index] === 0) };
}

/** Trains `train train` (its own 5-fold CV choosing the combination) and measures rules, model and combination on `test`. */
function measureOn(train: readonly Row[], test: readonly Row[], rules: Classifier): Figures & { combinationOn: readonly string[] } {
  const run = trainModel(train, rules, { install: INSTALL, trainedAt: TRAINED_AT, folds: 5, seed: 1 });
  const learned = new LearnedClassifier(rules, run.model);
  const scored = (predict: (ticket: { subject: string; description: string }) => Row['category']): number =>
    round3(evaluate(test.map((row) => ({ gold: row.category, predicted: predict({ subject: row.subject, description: row.body }), language: row.language }))).macroF1);
  return {
    rules: scored((ticket) => rules.classify(ticket).category),
    model: scored((ticket) => run.model.predict(ticket, rules.classify(ticket)).category),
    combination: scored((ticket) => learned.classify(ticket).category),
    combinationOn: run.model.meta.combination.categories,
  };
}

function curveOf(rows: readonly Row[], rules: Classifier): DatasetFigures['curve'] {
  const { pool, test } = split(rows, 4);
  return CURVE_SIZES.filter((size) => size <= pool.length).map((size) => ({ rows: size, ...measureOn(stratifiedSample(pool, size), test, rules) }));
}

function heldOutOf(rows: readonly Row[], rules: Classifier, k: number): LearningBenchResult['nlbseHeldOut'] {
  const { pool, test } = split(rows, k);
  const { rules: rulesF1, model, combination } = measureOn(pool, test, rules);
  return { rules: rulesF1, model, combination, trainRows: pool.length, testRows: test.length };
}

/** `size` rows of the (shuffled) pool, each category in proportion to its share (largest remainders first). */
function stratifiedSample(pool: readonly Row[], size: number): Row[] {
  const byCategory = new Map<string, Row[]>();
  for (const row of pool) byCategory.set(row.category, [...(byCategory.get(row.category) ?? []), row]);
  const quotas = [...byCategory].map(([category, rows]) => ({ category, rows, exact: (size * rows.length) / pool.length }));
  const taken = new Map(quotas.map((quota) => [quota.category, Math.floor(quota.exact)]));
  let left = size - [...taken.values()].reduce((sum, count) => sum + count, 0);
  for (const quota of quotas.toSorted((a, b) => (b.exact % 1) - (a.exact % 1) || a.category.localeCompare(b.category))) {
    if (left-- <= 0) break;
    taken.set(quota.category, taken.get(quota.category)! + 1);
  }
  return quotas.flatMap((quota) => quota.rows.slice(0, taken.get(quota.category)));
}

async function storedSize(redisUrl: string, bytes: Uint8Array): Promise<number | null> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const prefix = `bench-learning-${Math.random().toString(36).slice(2, 10)}`;
  try {
    await redis.connect();
    const store = new RedisModelStore(redis, createRedisKeys(prefix));
    await store.save(bytes, 'bench');
    return await store.memoryUsage();
  } finally {
    await deleteInstallKeys(redis, prefix).catch(() => undefined);
    redis.disconnect();
  }
}
