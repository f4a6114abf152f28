import { mkdirSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { connectRedis, createRedis, type RedisClient } from '../../adapters/redis/redis-connection.js';
import { readCorrections } from '../../adapters/redis/redis-corrections.js';
import { installRedisKeys } from '../../adapters/redis/redis-keys.js';
import { RedisModelStore } from '../../adapters/redis/redis-model-store.js';
import { createClassifier } from '../../app/create-classifier.js';
import { MODEL_CHECK_EVERY_MS } from '../../app/reloading-classifier.js';
import { parseDuration } from '../../core/duration.js';
import { groupCategoriesOf, trainModel, TrainingDataError, type TrainingRow, type TrainingRun } from '../../app/train-model.js';
import { parseEnv, type Env } from '../../config/env-schema.js';
import { describeProblems } from '../../config/format-issues.js';
import { installIdentityOf } from '../../config/install-identity.js';
import type { Policy } from '../../config/policy-schema.js';
import { MIN_EXAMPLES, MIN_GAIN } from '../../core/learn/combination.js';
import { correctionRows } from '../../core/learn/correction-rows.js';
import { describeInstall } from '../../core/learn/model-codec.js';
import { CATEGORY_IDS } from '../../core/taxonomy.js';
import { describeCombination, formatComparison } from '../format-comparison.js';
import { CliError, type CliIo } from '../io.js';
import { loadPolicyOrFail, policyPathOf } from '../load-policy-or-fail.js';
import { readLabeledRowsOrFail } from '../read-labeled-rows.js';
import { assertCanExport } from '../zendesk-training-rows.js';
import { describeExport, describeLabels, exportTrainingFile, type TrainingFileExport } from './export-training.js';

export const TRAIN_USAGE = `Usage: cxloop train <file.csv>... | --from-zendesk [--since 180d] [--rows <file.csv>] [--restart] [--out <model file>] [--no-store] [--if-better] [--no-corrections] [--folds 5] [--seed 1] [--json] [--config <policy>]
Learns this install's tickets: labelled CSV files (columns id,subject,body,language,category, as
for cxloop eval) and the agents' corrections kept in Redis. Prints, with k-fold cross-validation,
macro-F1 and per-category F1 of the rules alone, the model alone and the two combined; turns the
combination on only for the categories where it beats the rules, and says so.
  --from-zendesk     learn from the account in ZENDESK_SUBDOMAIN too: its solved and closed tickets,
                     labelled as cxloop export-training labels them, read within its rate limit
                     (progress on stderr; tickets nothing labels are skipped and counted). An
                     interrupted read (Ctrl-C, a crash, Zendesk failing) continues where it stopped
                     when the command runs again
  --since <duration> with --from-zendesk: tickets changed in this window before now (default 180d)
  --rows <file.csv>  with --from-zendesk: where the tickets read are kept, as export-training writes
                     them (owner-only: customer text), and kept after training; by default a file
                     in ~/.cache/cxloop (XDG_CACHE_HOME), removed once the model is trained
  --restart          with --from-zendesk: forget a read under way and start over
  --out <file>       also write the model to this file (cxloop eval --model reads it)
  --no-store         do not store the model in Redis (by default every cxloop process of the
                     install picks up the stored model within ${MODEL_CHECK_EVERY_MS / 1000} s, no restart)
  --if-better        store the model in Redis only when the combination beats the rules (is on for
                     some category); otherwise the stored model stays as it was. The scheduled run
                     (CXLOOP_TRAIN_EVERY) trains this way
  --no-corrections   leave out the agents' corrections (<prefix>:corrections); by default they are
                     read from Redis and count as labelled rows, a ticket's correction replacing a
                     CSV row with its ticket id
  --folds <k>        cross-validation folds (default 5); --seed <n> the folds' shuffle (default 1)
  --json             the figures and what was decided as JSON`;

const DEFAULT_FOLDS = 5;
const DEFAULT_SEED = 1;

export async function runTrain(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      'from-zendesk': { type: 'boolean', default: false },
      since: { type: 'string', default: '180d' },
      rows: { type: 'string' },
      restart: { type: 'boolean', default: false },
      'no-store': { type: 'boolean', default: false },
      'if-better': { type: 'boolean', default: false },
      'no-corrections': { type: 'boolean', default: false },
      folds: { type: 'string', default: String(DEFAULT_FOLDS) },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      json: { type: 'boolean', default: false },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(`${TRAIN_USAGE}\n`);
    return 0;
  }
  const folds = Number(values.folds);
  if (!Number.isInteger(folds) || folds < 2 || folds > 20) throw new CliError(`--folds: "${values.folds}" is not a whole number from 2 to 20`, 2);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new CliError(`--seed: "${values.seed}" is not a whole number`, 2);
  const store = !values['no-store'];
  const withCorrections = !values['no-corrections'];
  const fromZendesk = values['from-zendesk'];
  const window = parseDuration(values.since);
  if (!window.ok) throw new CliError(`--since: ${window.reason}`, 2);
  if (positionals.length === 0 && !withCorrections && !fromZendesk) throw new CliError(`no CSV file given and --no-corrections: nothing to learn from\n${TRAIN_USAGE}`, 2);
  const parsed = parseEnv(io.env);
  if (!parsed.ok) throw new CliError(`invalid environment:\n${describeProblems(parsed.problems)}`);
  const env = parsed.env;
  const policy = await loadPolicyOrFail(policyPathOf(values.config, io.env));

  const rows: Array<TrainingRow & { id: string }> = [];
  for (const file of positionals) rows.push(...(await readLabeledRowsOrFail(file, io)));
  if (fromZendesk) assertCanExport(env);
  const redis = store || withCorrections || fromZendesk ? await connect(env, { required: store ? 'model' : fromZendesk ? 'zendesk' : false }, io) : null;
  try {
    let exported: { rows: number; path: string; remove: boolean } | null = null;
    if (redis !== null && fromZendesk) {
      const path = resolve(values.rows ?? defaultRowsPath(env, io.env));
      const read = await readZendesk({ redis, env, policy, path, option: '--rows', minutes: window.minutes, withCorrections, restart: values.restart, io, clock: { now: io.now ?? Date.now, sleep: io.sleep ?? ((ms) => sleepFor(ms)) } });
      rows.push(...read);
      exported = { rows: read.length, path, remove: values.rows === undefined };
    } else if (values.rows !== undefined || values.restart) {
      throw new CliError(`${values.rows !== undefined ? '--rows' : '--restart'} goes with --from-zendesk\n${TRAIN_USAGE}`, 2);
    }
    const corrected = redis !== null && withCorrections ? await addCorrections(rows, redis, env, policy, io) : null;
    if (rows.length === 0) throw new CliError('no labelled rows to learn from (the CSV files and the corrections stream are empty)');
    io.stderr.write(`learning from ${rows.length.toLocaleString('en')} rows: ${describeExamples(rows)}\n`);
    const started = (io.now ?? Date.now)();
    let run: TrainingRun;
    try {
      run = trainModel(rows, createClassifier(policy), {
        install: installIdentityOf(env),
        trainedAt: new Date(started).toISOString(),
        folds,
        seed,
        clock: () => Date.now(),
        onProgress: (stage) => io.stderr.write(`${stage}\n`),
      });
    } catch (error) {
      if (error instanceof TrainingDataError) throw new CliError(error.message, 1, { cause: error });
      throw error;
    }
    const kept: string[] = [];
    if (values.out !== undefined) {
      await writeFile(values.out, run.bytes);
      kept.push(`written to ${values.out}`);
    }
    const beatsRules = run.model.meta.combination.categories.length > 0;
    const stored = redis !== null && store && (beatsRules || !values['if-better']);
    if (redis !== null && store && !stored) kept.push(`not stored in Redis (--if-better): the combination does not beat the rules, so the stored model stays as it was`);
    if (stored) {
      const keys = installRedisKeys(env);
      await new RedisModelStore(redis, keys).save(run.bytes, run.model.meta.fingerprint);
      kept.push(`stored in Redis as ${keys.model} (version ${run.model.meta.fingerprint}); every cxloop process of ${describeInstall(run.model.meta.install)} uses it within ${MODEL_CHECK_EVERY_MS / 1000} s`);
    }
    // The tickets read are in the model now; the file kept them only until it was trained.
    if (exported?.remove) await rm(exported.path, { force: true });
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ rows: rows.length, corrections: corrected, meta: run.model.meta, crossValidation: run.cv, timings: run.timings, bytes: run.bytes.length, stored, kept }, null, 2)}\n`);
    } else {
      io.stdout.write(formatTraining(run, exported === null ? positionals : [...positionals, `${exported.rows} Zendesk tickets`], corrected, kept));
    }
    return 0;
  } finally {
    redis?.disconnect();
  }
}

async function connect(env: Env, options: { required: false | 'model' | 'zendesk' }, io: CliIo): Promise<RedisClient | null> {
  const redis = createRedis(env, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  try {
    // Says why (refused, a wrong password, a cluster seed that does not answer) and what to check.
    await connectRedis(redis, env);
    return redis;
  } catch (error) {
    const why = (error as Error).message;
    if (options.required === 'model') throw new CliError(`${why}. The model is stored there: start Redis, or pass --no-store (with --out) to keep it in a file only`);
    if (options.required === 'zendesk') throw new CliError(`${why}. A read from Zendesk keeps its place and its read budget there: start Redis`);
    io.stderr.write(`${why}. The agents' corrections are left out\n`);
    return null;
  }
}

/**
 * The account's labelled tickets, read page by page through the incremental export within
 * ZENDESK_EXPORTS_PER_MINUTE (a 429 is waited out) into the rows file, as export-training writes
 * it: a read that stops keeps its place, and the next run continues it.
 */
async function readZendesk(options: TrainingFileExport): Promise<Array<TrainingRow & { id: string }>> {
  const { counts, startTime } = await exportTrainingFile(options);
  options.io.stderr.write(`from Zendesk: ${counts.labelled.toLocaleString('en-US')} labelled rows (${describeExport(counts, startTime)})\n${describeLabels(counts)}`);
  return readLabeledRowsOrFail(options.path, options.io);
}

/** ~/.cache/cxloop/training-<prefix>.csv (XDG_CACHE_HOME if set), its folder created owner-only. */
function defaultRowsPath(env: Env, variables: CliIo['env']): string {
  const cache = variables.XDG_CACHE_HOME || join(homedir(), '.cache');
  const dir = join(cache, 'cxloop');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new CliError(`cannot create ${dir} for the tickets read from Zendesk (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): name a file with --rows <file.csv>`, 1, { cause: error });
  }
  return join(dir, `training-${env.CXLOOP_REDIS_PREFIX.replace(/[^\w.-]/g, '_')}.csv`);
}

/** Adds the corrections stream's rows; a corrected ticket replaces a CSV row with its ticket id. */
async function addCorrections(rows: Array<TrainingRow & { id: string }>, redis: RedisClient, env: Env, policy: Policy, io: CliIo): Promise<{ rows: number; withoutText: number; withoutCategory: number }> {
  const keys = installRedisKeys(env);
  const found = correctionRows(await readCorrections(redis, keys, (read) => io.stderr.write(`read ${read.toLocaleString('en')} corrections\n`)), groupCategoriesOf(policy));
  const corrected = new Set(found.rows.map((row) => row.id));
  const replaced = rows.filter((row) => corrected.has(row.id)).length;
  rows.splice(0, rows.length, ...rows.filter((row) => !corrected.has(row.id)), ...found.rows.map((row) => ({ ...row, language: 'unknown' })));
  const skipped = found.skipped.withoutText + found.skipped.withoutCategory;
  io.stderr.write(
    `${found.rows.length.toLocaleString('en')} agent corrections from ${keys.corrections}${replaced > 0 ? ` (replacing ${replaced} CSV rows)` : ''}${skipped > 0 ? `; ${found.skipped.withoutText} without text and ${found.skipped.withoutCategory} naming no category skipped` : ''}\n`,
  );
  return { rows: found.rows.length, ...found.skipped };
}

function describeExamples(rows: readonly TrainingRow[]): string {
  return CATEGORY_IDS.map((category) => [category, rows.filter((row) => row.category === category).length] as const)
    .filter(([, count]) => count > 0)
    .map(([category, count]) => `${category} ${count.toLocaleString('en')}`)
    .join(', ');
}

function formatTraining(run: TrainingRun, files: readonly string[], corrected: { rows: number } | null, kept: readonly string[]): string {
  const { cv, model } = run;
  const { meta } = model;
  const sources = [...files.map((file) => basename(file)), ...(corrected && corrected.rows > 0 ? [`${corrected.rows} corrections`] : [])].join(', ');
  const few = CATEGORY_IDS.filter((category) => (meta.examples[category] ?? 0) > 0 && (meta.examples[category] ?? 0) < MIN_EXAMPLES);
  const gain = cv.combination.macroF1 - cv.rules.macroF1;
  const lines = [
    formatComparison(`${cv.k}-fold cross-validation (stratified, seed ${cv.seed}) on ${sources}`, cv),
    `Combination: ${describeCombination(meta.combination)}.`,
    meta.combination.categories.length === 0
      ? `  In cross-validation the combination did not beat the rules by ${MIN_GAIN} macro-F1 (rules ${cv.rules.macroF1.toFixed(3)}, combination ${cv.combination.macroF1.toFixed(3)}, model alone ${cv.model.macroF1.toFixed(3)}); label more tickets and train again.`
      : `  In cross-validation it ${gain >= 0 ? 'gains' : 'loses'} ${Math.abs(gain).toFixed(3)} macro-F1 over the rules alone (its settings tuned on the other folds each time).`,
    ...(few.length > 0 ? [`  Too few examples (< ${MIN_EXAMPLES}) for the model to decide ${few.join(', ')}: the rules decide them.`] : []),
    `Model: ${meta.rows.toLocaleString('en')} rows, ${meta.classes.length} categories, ${(run.bytes.length / 1_048_576).toFixed(1)} MB; trained in ${((run.timings.rules + run.timings.crossValidation + run.timings.fit) / 1000).toFixed(1)} s (final fit ${(run.timings.fit / 1000).toFixed(1)} s).`,
    ...(kept.length > 0 ? kept.map((line) => `  ${line.charAt(0).toUpperCase()}${line.slice(1)}.`) : ['  Not kept (--no-store without --out): these figures are all this run leaves.']),
  ];
  return `${lines.join('\n')}\n`;
}
