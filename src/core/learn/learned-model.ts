import type { Decision } from '../classify/classifier.js';
import { createSurfaceReader } from '../classify/surface-words.js';
import type { CategoryId } from '../taxonomy.js';
import type { CombinationSettings } from './combination.js';
import { withRuleSignals } from './rule-signals.js';
import { predictProbabilities, type LinearWeights } from './softmax-regression.js';
import { prepareText, TextFeaturizer, weightFeatures, type FeatureSpec, type PreparedText, type SparseVector, type WordFeature } from './text-features.js';

/** Which install a model belongs to: the Zendesk account and the Redis prefix it was trained for. */
export interface InstallIdentity {
  /** ZENDESK_SUBDOMAIN, or null for an install without a Zendesk account (a dry run). */
  readonly zendesk: string | null;
  /** CXLOOP_REDIS_PREFIX. */
  readonly prefix: string;
}

/** Everything about a model but its numbers: stored in its header, shown by `cxloop train` and `eval --model`. */
export interface ModelMeta {
  readonly formatVersion: number;
  /** The category ids of the taxonomy it was trained under, in order. */
  readonly categorySet: readonly string[];
  readonly install: InstallIdentity;
  /** ISO time of training. */
  readonly trainedAt: string;
  /** Labelled rows it learnt from. */
  readonly rows: number;
  /** Labelled rows per category (categories without any are left out). */
  readonly examples: Readonly<Partial<Record<CategoryId, number>>>;
  /** The categories it has weights for, in weight order. */
  readonly classes: readonly CategoryId[];
  readonly features: FeatureSpec;
  /** Whether it reads the rules' scores as features (see rule-signals.ts). */
  readonly ruleSignals: boolean;
  /** When it decides instead of the rules (tuned by cross-validation at training). */
  readonly combination: CombinationSettings;
  /** Identifies this model among others of the install (changes with every training). */
  readonly fingerprint: string;
}

export interface ModelData {
  readonly meta: ModelMeta;
  readonly idf: Float32Array;
  readonly weights: LinearWeights;
}

export interface Prediction {
  readonly category: CategoryId;
  /** The model's probability for that category (0 .. 1). */
  readonly probability: number;
  readonly runnerUp: CategoryId | null;
}

/** What the model reads of a ticket. */
export interface TicketText {
  readonly subject: string;
  readonly description: string;
}

/** Words shown per learnt decision. */
const MAX_WORDS = 3;

/**
 * A trained model, ready to predict. Not safe to share between threads (it reuses a buffer);
 * within one process, calls are synchronous and may come from any request.
 */
export class LearnedModel {
  private readonly featurizer: TextFeaturizer;
  private readonly probabilities: Float64Array;

  constructor(readonly data: ModelData) {
    this.featurizer = new TextFeaturizer(data.meta.features);
    this.probabilities = new Float64Array(data.weights.classes);
  }

  get meta(): ModelMeta {
    return this.data.meta;
  }

  /** How many labelled tickets of `category` it learnt from. */
  examplesOf(category: CategoryId): number {
    return this.data.meta.examples[category] ?? 0;
  }

  predict(ticket: TicketText, rules: Pick<Decision, 'scores' | 'category'>): Prediction {
    const text = prepareText(ticket.subject, ticket.description, this.data.meta.features);
    return this.predictPrepared(text, rules);
  }

  predictPrepared(text: PreparedText, rules: Pick<Decision, 'scores' | 'category'>): Prediction {
    const probabilities = predictProbabilities(this.data.weights, this.vectorOf(this.featurizer.countFeatures(text), rules), this.probabilities);
    let best = 0;
    let second = -1;
    for (let c = 1; c < probabilities.length; c++) {
      if (probabilities[c]! > probabilities[best]!) {
        second = best;
        best = c;
      } else if (second === -1 || probabilities[c]! > probabilities[second]!) second = c;
    }
    const { classes } = this.data.meta;
    return { category: classes[best]!, probability: probabilities[best]!, runnerUp: second === -1 ? null : classes[second]! };
  }

  /**
   * The ticket's words that pushed `prediction` ahead of its runner-up the most, as the customer
   * wrote them (lower-cased): a word's share is its own feature plus its character n-grams, a
   * pair's is the pair's feature. Costs a second pass over the text; only run for decisions made.
   */
  explain(ticket: TicketText, rules: Pick<Decision, 'scores' | 'category'>, prediction: Prediction): string[] {
    const text = prepareText(ticket.subject, ticket.description, this.data.meta.features);
    const words: WordFeature[] = [];
    const counts = this.featurizer.countFeatures(text, (word) => words.push(word));
    const vector = this.vectorOf(counts, rules);
    const { classes } = this.data.meta;
    const { weights } = this.data;
    const winner = classes.indexOf(prediction.category);
    const other = prediction.runnerUp === null ? -1 : classes.indexOf(prediction.runnerUp);
    // Per bucket: what one occurrence adds to the winner's lead over the runner-up.
    const share = new Map<number, number>();
    counts.indices.forEach((bucket, index) => {
      const base = bucket * weights.classes;
      const difference = weights.weights[base + winner]! - (other === -1 ? 0 : weights.weights[base + other]!);
      share.set(bucket, (vector.values[index]! / counts.values[index]!) * difference);
    });
    // Summed by the (folded) words first; only the few shown are read back as written.
    const byWords = new Map<string, { contribution: number; word: WordFeature }>();
    for (const word of words) {
      let contribution = 0;
      for (const bucket of word.buckets) contribution += share.get(bucket) ?? 0;
      const tokens = text[word.part].tokens.tokens;
      const key = word.length === 1 ? tokens[word.start]! : `${tokens[word.start]!} ${tokens[word.start + 1]!}`;
      const seen = byWords.get(key);
      if (seen) seen.contribution += contribution;
      else byWords.set(key, { contribution, word });
    }
    const ranked = [...byWords].filter(([, found]) => found.contribution > 0).sort((a, b) => b[1].contribution - a[1].contribution);
    const readers = { subject: createSurfaceReader(text.subject.text, text.subject.tokens), body: createSurfaceReader(text.body.text, text.body.tokens) };
    const shown: string[] = [];
    const shownKeys: string[] = [];
    for (const [key, { word }] of ranked) {
      // A pair already shown says its words; a word already shown makes the pair around it redundant.
      if (shownKeys.some((other) => other.split(' ').includes(key) || key.split(' ').includes(other))) continue;
      shownKeys.push(key);
      shown.push(readers[word.part](word.start, word.length));
      if (shown.length === MAX_WORDS) break;
    }
    return shown;
  }

  private vectorOf(counts: SparseVector, rules: Pick<Decision, 'scores' | 'category'>): SparseVector {
    const text = weightFeatures(counts, this.data.idf);
    return this.data.meta.ruleSignals ? withRuleSignals(text, rules, this.featurizer.dimension) : text;
  }
}
