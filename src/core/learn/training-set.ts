import type { Decision } from '../classify/classifier.js';
import { CATEGORY_IDS, type CategoryId } from '../taxonomy.js';
import type { CombinationSettings, RulesView } from './combination.js';
import { LearnedModel, type InstallIdentity, type ModelData } from './learned-model.js';
import { RULE_SIGNAL_COUNT, withRuleSignals } from './rule-signals.js';
import { predictProbabilities, SOFTMAX_DEFAULTS, trainSoftmax, type SoftmaxOptions } from './softmax-regression.js';
import { nextStamp } from './stamps.js';
import { FEATURE_SPEC, grown, inverseDocumentFrequency, prepareText, TextFeaturizer, TokenBuckets, unitWeight, wordScale, type FeatureSpec, type PreparedText, type SparseVector, type TextVisitor } from './text-features.js';

/** Bump when the layout of a stored model changes (model-codec.ts refuses other versions). */
export const MODEL_FORMAT_VERSION = 2;


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
  private readonly units: readonly TicketUnits[];
  private readonly featurizer: TextFeaturizer;
  private readonly vocabulary: Vocabulary;
  /** Per word of the vocabulary, wordScale under the last idf asked for. */
  private scales: { idf: Float32Array; values: Float64Array } = { idf: new Float32Array(0), values: new Float64Array(0) };
  /** A vector's values by bucket while it is summed, the buckets it has, and per bucket the last vector that had it (its stamp). */
  private readonly sum: Float64Array;
  private readonly touched: Int32Array;
  private readonly inVector: Int32Array;
  private vectorStamp = 0;
  /** Per bucket, the last row idfOf counted it for. */
  private readonly seen: Int32Array;

  constructor(
    readonly tickets: readonly LabeledTicket[],
    readonly options: TrainOptions = TRAIN_DEFAULTS,
  ) {
    this.featurizer = new TextFeaturizer(options.features);
    this.vocabulary = new Vocabulary(this.featurizer);
    const reader = new UnitReader(this.vocabulary);
    this.units = tickets.map((ticket) => reader.read(this.featurizer, prepareText(ticket.subject, ticket.body, options.features)));
    this.sum = new Float64Array(this.featurizer.dimension);
    this.touched = new Int32Array(this.featurizer.dimension);
    this.inVector = new Int32Array(this.featurizer.dimension);
    this.seen = new Int32Array(this.featurizer.dimension);
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
    const idf = this.idfOf(rows);
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

  /** The idf of every bucket over the tickets at `rows`: in how many of them it appears. */
  private idfOf(rows: readonly number[]): Float32Array {
    const frequency = new Float64Array(this.featurizer.dimension);
    const { seen, vocabulary } = this;
    seen.fill(-1);
    for (const row of rows) {
      const units = this.units[row]!;
      const count = (bucket: number): void => {
        if (seen[bucket] === row) return;
        seen[bucket] = row;
        frequency[bucket]! += 1;
      };
      for (const word of units.words) for (let at = vocabulary.begin(word); at < vocabulary.ends[word]!; at++) count(vocabulary.buckets[at]!);
      for (const bucket of units.pairs) count(bucket);
    }
    return inverseDocumentFrequency(frequency, rows.length);
  }

  /** The ticket at `row` as the model reads it (unitWeight in text-features.ts), then the rules' signals. */
  private vectorOf(row: number, idf: Float32Array): SparseVector {
    const units = this.units[row]!;
    const scales = this.scalesOf(idf);
    const { sum, touched, inVector, vocabulary } = this;
    const stamp = (this.vectorStamp = nextStamp(this.vectorStamp, inVector));
    let size = 0;
    let squares = 0;
    const add = (bucket: number, value: number): void => {
      if (inVector[bucket] !== stamp) {
        inVector[bucket] = stamp;
        touched[size++] = bucket;
      }
      sum[bucket]! += value;
    };
    for (let index = 0; index < units.words.length; index++) {
      const word = units.words[index]!;
      const weight = unitWeight(units.wordCounts[index]!);
      const scale = weight * scales[word]!;
      squares += weight * weight;
      for (let at = vocabulary.begin(word); at < vocabulary.ends[word]!; at++) add(vocabulary.buckets[at]!, scale * vocabulary.counts[at]! * idf[vocabulary.buckets[at]!]!);
    }
    for (let index = 0; index < units.pairs.length; index++) {
      const weight = unitWeight(units.pairCounts[index]!);
      squares += weight * weight;
      add(units.pairs[index]!, weight);
    }
    const norm = squares > 0 ? 1 / Math.sqrt(squares) : 0;
    const indices = touched.slice(0, size);
    const values = new Float32Array(size);
    for (let index = 0; index < size; index++) {
      values[index] = sum[indices[index]!]! * norm;
      sum[indices[index]!] = 0;
    }
    const text = { indices, values };
    return this.options.ruleSignals ? withRuleSignals(text, this.tickets[row]!.rules, this.featurizer.dimension) : text;
  }

  private scalesOf(idf: Float32Array): Float64Array {
    if (this.scales.idf !== idf) this.scales = { idf, values: this.vocabulary.scales(idf) };
    return this.scales.values;
  }
}

/** A ticket as units (see TextFeaturizer): its distinct words of each part (ids in the vocabulary) and pairs (buckets), each with its count. */
interface TicketUnits {
  readonly words: Int32Array;
  readonly wordCounts: Int32Array;
  readonly pairs: Int32Array;
  readonly pairCounts: Int32Array;
}

/** Every distinct word of each part of the labelled tickets, with its buckets, kept once for all of them. */
class Vocabulary {
  private readonly ids = [new Map<string, number>(), new Map<string, number>()] as const;
  size = 0;
  /** Per word, where its buckets end in `buckets` (and `counts`). */
  ends = new Int32Array(1_024);
  buckets = new Int32Array(16_384);
  counts = new Float32Array(16_384);
  private readonly scratch = new TokenBuckets();

  constructor(private readonly featurizer: TextFeaturizer) {}

  begin(word: number): number {
    return word === 0 ? 0 : this.ends[word - 1]!;
  }

  idOf(token: string, wordHash: number, part: 0 | 1): number {
    const known = this.ids[part].get(token);
    if (known !== undefined) return known;
    const { scratch } = this;
    this.featurizer.wordBuckets(token, wordHash, part, scratch);
    const start = this.begin(this.size);
    const end = start + scratch.size;
    if (end > this.buckets.length) {
      const length = Math.max(end, this.buckets.length * 2);
      this.buckets = grown(this.buckets, length);
      this.counts = grown(this.counts, length);
    }
    this.buckets.set(scratch.buckets.subarray(0, scratch.size), start);
    this.counts.set(scratch.counts.subarray(0, scratch.size), start);
    if (this.size === this.ends.length) this.ends = grown(this.ends);
    const id = this.size++;
    this.ends[id] = end;
    this.ids[part].set(token, id);
    return id;
  }

  /** wordScale of every word under `idf`. */
  scales(idf: Float32Array): Float64Array {
    const scales = new Float64Array(this.size);
    for (let word = 0; word < this.size; word++) scales[word] = wordScale(this.buckets, this.counts, this.begin(word), this.ends[word]!, idf);
    return scales;
  }
}

/** Reads tickets into units, words numbered by the vocabulary. */
class UnitReader implements TextVisitor {
  private words = new Map<number, number>();
  private pairs = new Map<number, number>();

  constructor(private readonly vocabulary: Vocabulary) {}

  read(featurizer: TextFeaturizer, text: PreparedText): TicketUnits {
    this.words = new Map();
    this.pairs = new Map();
    featurizer.walk(text, this);
    return {
      words: Int32Array.from(this.words.keys()),
      wordCounts: Int32Array.from(this.words.values()),
      pairs: Int32Array.from(this.pairs.keys()),
      pairCounts: Int32Array.from(this.pairs.values()),
    };
  }

  word(part: 0 | 1, _position: number, token: string, wordHash: number): void {
    const id = this.vocabulary.idOf(token, wordHash, part);
    this.words.set(id, (this.words.get(id) ?? 0) + 1);
  }

  pair(_part: 0 | 1, _position: number, bucket: number): void {
    this.pairs.set(bucket, (this.pairs.get(bucket) ?? 0) + 1);
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
