import type { Policy } from '../config/policy-schema.js';
import type { Classifier } from '../core/classify/classifier.js';
import { crossValidate, type CrossValidation } from '../core/learn/cross-validate.js';
import type { InstallIdentity, LearnedModel } from '../core/learn/learned-model.js';
import { encodeModel } from '../core/learn/model-codec.js';
import { TRAIN_DEFAULTS, TrainingSet, type LabeledTicket, type TrainOptions } from '../core/learn/training-set.js';
import { CATEGORY_IDS, type CategoryId } from '../core/taxonomy.js';

/** A labelled ticket as the CSV files and the corrections give it. */
export interface TrainingRow {
  readonly subject: string;
  readonly body: string;
  readonly category: CategoryId;
  readonly language?: string;
}

export interface TrainingRun {
  readonly cv: CrossValidation;
  readonly model: LearnedModel;
  readonly bytes: Uint8Array;
  /** Milliseconds spent: reading the rows with the rules, cross-validating, fitting the final model. */
  readonly timings: { readonly rules: number; readonly crossValidation: number; readonly fit: number };
}

export class TrainingDataError extends Error {
  readonly code = 'TRAINING_DATA_INSUFFICIENT';
  constructor(message: string) {
    super(message);
    this.name = 'TrainingDataError';
  }
}

/**
 * Cross-validates the rules, a model and their combination on the rows, then fits the model on
 * every row with the combination settings cross-validation chose, ready to store.
 */
export function trainModel(
  rows: readonly TrainingRow[],
  rules: Classifier,
  options: {
    readonly install: InstallIdentity;
    readonly trainedAt: string;
    readonly folds: number;
    readonly seed: number;
    readonly train?: TrainOptions;
    readonly clock?: () => number;
    readonly onProgress?: (stage: string) => void;
  },
): TrainingRun {
  const categories = new Set(rows.map((row) => row.category));
  if (categories.size < 2) throw new TrainingDataError(`a model needs labelled tickets of at least two categories; these rows have ${categories.size === 0 ? 'none' : `only ${[...categories].join('')}`}`);
  if (rows.length < 2 * options.folds) throw new TrainingDataError(`${rows.length} labelled rows are too few for ${options.folds}-fold cross-validation (at least ${2 * options.folds})`);
  const clock = options.clock ?? (() => 0);
  let at = clock();
  const lap = (): number => {
    const then = at;
    at = clock();
    return at - then;
  };
  const tickets: LabeledTicket[] = rows.map((row) => ({
    subject: row.subject,
    body: row.body,
    category: row.category,
    language: row.language ?? 'unknown',
    rules: rules.classify({ subject: row.subject, description: row.body }),
  }));
  const set = new TrainingSet(tickets, options.train ?? TRAIN_DEFAULTS);
  const rulesMs = lap();
  options.onProgress?.(`read ${rows.length.toLocaleString('en')} rows; cross-validating (${options.folds} folds)`);
  const cv = crossValidate(set, { k: options.folds, seed: options.seed, onFold: (done, k) => options.onProgress?.(`fold ${done}/${k} done`) });
  const crossValidationMs = lap();
  const all = [...tickets.keys()];
  const model = set.modelOf(set.fit(all), all, { install: options.install, trainedAt: options.trainedAt, combination: cv.settings });
  const bytes = encodeModel(model.data);
  return { cv, model, bytes, timings: { rules: rulesMs, crossValidation: crossValidationMs, fit: lap() } };
}

/** Group id -> the category routed to it, for corrections that moved a ticket to a group (ids two categories share are left out). */
export function groupCategoriesOf(policy: Policy): Map<number, CategoryId> {
  const byGroup = new Map<number, CategoryId | null>();
  for (const category of CATEGORY_IDS) {
    const group = policy.categories[category].zendesk_group_id;
    if (group === null || group === undefined) continue;
    byGroup.set(group, byGroup.has(group) ? null : category);
  }
  return new Map([...byGroup].filter((entry): entry is [number, CategoryId] => entry[1] !== null));
}
