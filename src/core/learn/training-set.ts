import type { Decision } from '../classify/classifier.js';
import { CATEGORY_IDS, type CategoryId } from '../taxonomy.js';
import type { CombinationSettings, RulesView } from './combination.js';
import { LearnedModel, type InstallIdentity, type ModelData } from './learned-model.js';
import { RULE_SIGNAL_COUNT, withRuleSignals } from './rule-signals.js';
import { predictProbabilities, SOFTMAX_DEFAULTS, trainSoftmax, type SoftmaxOptions } from './softmax-regression.js';
import { FEATURE_SPEC, inverseDocumentFrequency, prepareText, TextFeaturizer, weightFeatures, type FeatureSpec, type SparseVector } from './text-features.js';

/** Bump when the layout of a stored model changes (model-codec.ts refuses other versions). */
export const MODEL_FORMAT_VERSION = 1;

/** One labelled ticket, and what the rules decided for it. */
export interface LabeledTicket {
  readonly subject: string;
  readonly body: string;
  readonly category: CategoryId;
  /** As labelled in the CSV (`unknown` when not); figures are also given per language. */
  readonly language: string;
  readonly rules: Pick<Decision, 'category' | 'scores' | 'evidence'>;
}

export interface TrainOptions {
  readonly features: FeatureSpec;
  readonly softmax: SoftmaxOptions;
  /** Read the rules' scores as features (stacking); off gives the text-only model. */
  readonly ruleSignals: boolean;
}

export const TRAIN_DEFAULTS: TrainOptions = { features: FEATURE_SPEC, softmax: SOFTMAX_DEFAULTS, ruleSignals: true };

/** A fitted model before it is named (install, time) and given its combination settings. */
export interface Fit {
  readonly classes: readonly CategoryId[];
  readonly idf: Float32Array;
  readonly weights: ModelData['weights'];
}

/**
 * Labelled tickets with their text read once: cross-validation fits many models on subsets of the
 * same rows, and tokenising is most of the work.
 */
export class TrainingSet {
  private readonly counts: readonly SparseVector[];
  private readonly featurizer: TextFeaturizer;

  constructor(
    readonly tickets: readonly LabeledTicket[],
    readonly options: TrainOptions = TRAIN_DEFAULTS,
  ) {
    this.featurizer = new TextFeaturizer(options.features);
    this.counts = tickets.map((ticket) => this.featurizer.countFeatures(prepareText(ticket.subject, ticket.body, options.features)));
  }

  get size(): number {
    return this.tickets.length;
  }

  /** Labelled tickets per category among `rows` (all when omitted); categories without any left out. */
  examples(rows?: readonly number[]): Partial<Record<CategoryId, number>> {
    const examples: Partial<Record<CategoryId, number>> = {};
    for (const row of rows ?? this.tickets.keys()) {
      const { category } = this.tickets[row]!;
      examples[category] = (examples[category] ?? 0) + 1;
    }
    return examples;
  }

  /** Fits a model on the tickets at `rows`. */
  fit(rows: readonly number[]): Fit {
    const examples = this.examples(rows);
    const classes = CATEGORY_IDS.filter((category) => (examples[category] ?? 0) > 0);
    const dimension = this.featurizer.dimension;
    const idf = inverseDocumentFrequency(rows.map((row) => this.counts[row]!), dimension);
    const vectors = rows.map((row) => this.vectorOf(row, idf));
    const labels = rows.map((row) => classes.indexOf(this.tickets[row]!.category));
    const width = dimension + (this.options.ruleSignals ? RULE_SIGNAL_COUNT : 0);
    return { classes, idf, weights: trainSoftmax(vectors, labels, classes.length, width, this.options.softmax) };
  }

  /** The fit as a model of `install`, so it can predict held-out rows or be stored. */
  modelOf(fit: Fit, rows: readonly number[], named: { install: InstallIdentity; trainedAt: string; combination: CombinationSettings }): LearnedModel {
    return new LearnedModel({
      meta: {
        formatVersion: MODEL_FORMAT_VERSION,
        categorySet: CATEGORY_IDS,
        install: named.install,
        trainedAt: named.trainedAt,
        rows: rows.length,
        examples: this.examples(rows),
        classes: fit.classes,
        features: this.options.features,
        ruleSignals: this.options.ruleSignals,
        combination: named.combination,
        fingerprint: `${named.trainedAt}/${fingerprintOf(fit.weights.weights)}`,
      },
      idf: fit.idf,
      weights: fit.weights,
    });
  }

  /** The fit's category and probability for the ticket at `row` (one it did not learn from, in cross-validation). */
  predict(fit: Fit, row: number): { category: CategoryId; probability: number } {
    const probabilities = predictProbabilities(fit.weights, this.vectorOf(row, fit.idf));
    let best = 0;
    for (let c = 1; c < probabilities.length; c++) if (probabilities[c]! > probabilities[best]!) best = c;
    return { category: fit.classes[best]!, probability: probabilities[best]! };
  }

  /** What the rules decided for a row, as the combination reads it. */
  rulesOf(row: number): RulesView {
    return this.tickets[row]!.rules;
  }

  private vectorOf(row: number, idf: Float32Array): SparseVector {
    const text = weightFeatures(this.counts[row]!, idf);
    return this.options.ruleSignals ? withRuleSignals(text, this.tickets[row]!.rules, this.featurizer.dimension) : text;
  }
}

/** FNV-1a over a sample of the weights: tells two trainings apart in a version string, cheaply. */
function fingerprintOf(weights: Float32Array): string {
  const bytes = new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength);
  let hash = 0x811c9dc5;
  const step = Math.max(1, Math.floor(bytes.length / 65_536));
  for (let index = 0; index < bytes.length; index += step) hash = Math.imul(hash ^ bytes[index]!, 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}
