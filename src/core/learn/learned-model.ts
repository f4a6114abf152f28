import type { Decision } from '../classify/classifier.js';
import { createSurfaceReader } from '../classify/surface-words.js';
import type { CategoryId } from '../taxonomy.js';
import type { CombinationSettings } from './combination.js';
import { RULE_SIGNAL_COUNT, writeRuleSignals } from './rule-signals.js';
import { predictFromRows, type LinearWeights } from './softmax-regression.js';
import { FeatureBuffer, prepareText, TextFeaturizer, weightEntriesInto, WordFeatures, type FeatureSpec, type PreparedText, type StridedIdf } from './text-features.js';

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
/** The last explanation stamp an Int32Array holds; the stamps start over after it. */
const MAX_STAMP = 2 ** 31 - 1;
/** Sums picked one by one (each pick a pass over them) before the rest are sorted instead. */
const PICKS_BEFORE_SORTING = 8;

/**
 * Calls `visit` with the indices of the positive values, highest first, ties in index order (as a
 * stable sort would give them), until it returns true. A decision shows three words, so the first
 * few are picked by a pass each; only a ticket whose best words keep overlapping sorts the rest.
 */
function forEachByContribution(values: Float64Array, size: number, visit: (index: number) => boolean): void {
  const taken = new Uint8Array(size);
  for (let pick = 0; pick < PICKS_BEFORE_SORTING; pick++) {
    let best = -1;
    for (let index = 0; index < size; index++) {
      if (taken[index] === 0 && values[index]! > 0 && (best === -1 || values[index]! > values[best]!)) best = index;
    }
    if (best === -1) return;
    taken[best] = 1;
    if (visit(best)) return;
  }
  const rest: number[] = [];
  for (let index = 0; index < size; index++) if (taken[index] === 0 && values[index]! > 0) rest.push(index);
  rest.sort((a, b) => values[b]! - values[a]!);
  for (const index of rest) if (visit(index)) return;
}

/**
 * One ticket as the model read it: the prediction, and the words behind it on demand. Explaining
 * reuses the model's buffers, so it must come before the model reads another ticket.
 */
export interface Reading {
  readonly prediction: Prediction;
  /** The ticket's words that pushed `prediction` (or the one given) ahead of its runner-up the most, as written. */
  explain(prediction?: Prediction): string[];
}

export class StaleReadingError extends Error {
  readonly code = 'STALE_READING';
  constructor() {
    super('a reading was explained after the model read another ticket: explain it before the next read');
    this.name = 'StaleReadingError';
  }
}

/**
 * A trained model, ready to predict. Not safe to share between threads (it reuses its buffers);
 * within one process, calls are synchronous and may come from any request.
 */
export class LearnedModel {
  private readonly featurizer: TextFeaturizer;
  private readonly probabilities: Float64Array;
  private readonly counts = new FeatureBuffer();
  private readonly words = new WordFeatures();
  /** The ticket's weighted features, then the rules' signals. */
  private vector = { indices: new Int32Array(0), values: new Float32Array(0) };
  /** Per entry of the ticket's counts: what one occurrence adds to the winner's lead. */
  private share = new Float64Array(4_096);
  private reads = 0;
  /** Explaining: per token id, the sum it feeds, valid where its stamp is this explanation's. */
  private sumOfToken = new Int32Array(0);
  private sumStamps = new Int32Array(0);
  /** Explaining: per token id and part (2 * id + part), one occurrence's share, valid where its stamp is this explanation's. */
  private occurrenceShares = new Float64Array(0);
  private occurrenceStamps = new Int32Array(0);
  private explanations = 0;
  /**
   * Explaining: an open-addressing table from a pair of token ids (first * tokenIdBound + second)
   * to the sum it feeds; a slot is filled in this explanation where its stamp says so.
   */
  private pairKeys = new Int32Array(1_024);
  private pairSums = new Int32Array(1_024);
  private pairStamps = new Int32Array(1_024);
  private sums = { contributions: new Float64Array(1_024), words: new Int32Array(1_024) };
  /**
   * Per row of the weights (each bucket, then each rule signal): its idf (0 for a signal), then its
   * weight per class. A ticket's thousand buckets lie scattered over megabytes of weights and idf;
   * side by side, each costs one cache miss instead of two. A copy: `data` stays as stored.
   */
  private readonly table: Float32Array;
  /** Floats per row of `table`: 1 + classes. */
  private readonly stride: number;
  /** The idf column of `table`, as the featurizer reads it. */
  private readonly idf: StridedIdf;

  constructor(readonly data: ModelData) {
    this.featurizer = new TextFeaturizer(data.meta.features);
    this.probabilities = new Float64Array(data.weights.classes);
    this.stride = data.weights.classes + 1;
    this.table = interleave(data.idf, data.weights);
    this.idf = { values: this.table, stride: this.stride };
  }

  get meta(): ModelMeta {
    return this.data.meta;
  }

  /** How many labelled tickets of `category` it learnt from. */
  examplesOf(category: CategoryId): number {
    return this.data.meta.examples[category] ?? 0;
  }

  predict(ticket: TicketText, rules: Pick<Decision, 'scores' | 'category'>): Prediction {
    return this.read(ticket, rules).prediction;
  }

  /**
   * The ticket's words that pushed `prediction` ahead of its runner-up the most, as the customer
   * wrote them (lower-cased): a word's share is its own feature plus its character n-grams, a
   * pair's is the pair's feature.
   */
  explain(ticket: TicketText, rules: Pick<Decision, 'scores' | 'category'>, prediction: Prediction): string[] {
    return this.read(ticket, rules).explain(prediction);
  }

  /** Reads the ticket once: tokens, hashed features (with the buckets each word fed), the prediction. */
  read(ticket: TicketText, rules: Pick<Decision, 'scores' | 'category'>): Reading {
    const text = prepareText(ticket.subject, ticket.description, this.data.meta.features);
    const { counts } = this;
    this.featurizer.countInto(text, counts, this.words, this.idf);
    const size = this.vectorOf(rules);
    const probabilities = this.probabilitiesOf(size);
    let best = 0;
    let second = -1;
    for (let c = 1; c < probabilities.length; c++) {
      if (probabilities[c]! > probabilities[best]!) {
        second = best;
        best = c;
      } else if (second === -1 || probabilities[c]! > probabilities[second]!) second = c;
    }
    const { classes } = this.data.meta;
    const prediction: Prediction = { category: classes[best]!, probability: probabilities[best]!, runnerUp: second === -1 ? null : classes[second]! };
    const read = ++this.reads;
    return {
      prediction,
      explain: (chosen = prediction) => {
        if (read !== this.reads) throw new StaleReadingError();
        return this.wordsBehind(text, chosen);
      },
    };
  }

  private wordsBehind(text: PreparedText, prediction: Prediction): string[] {
    const { counts, words, vector } = this;
    const { classes } = this.data.meta;
    const { table, stride } = this;
    const winner = classes.indexOf(prediction.category);
    const other = prediction.runnerUp === null ? -1 : classes.indexOf(prediction.runnerUp);
    if (this.share.length < counts.size) this.share = new Float64Array(counts.size * 2);
    const { share } = this;
    for (let index = 0; index < counts.size; index++) {
      const base = counts.indices[index]! * stride + 1;
      const difference = table[base + winner]! - (other === -1 ? 0 : table[base + other]!);
      share[index] = (vector.values[index]! / counts.counts[index]!) * difference;
    }
    const sums = this.sumByWord();
    const readers = { subject: createSurfaceReader(text.subject.text, text.subject.tokens), body: createSurfaceReader(text.body.text, text.body.tokens) };
    const shown: string[] = [];
    const shownSums: number[] = [];
    const show = (sum: number): boolean => {
      // A pair already shown says its words; a word already shown makes the pair around it redundant.
      if (shownSums.some((other) => this.overlaps(other, sum))) return false;
      shownSums.push(sum);
      const word = sums.words[sum]!;
      shown.push(readers[words.parts[word] === 0 ? 'subject' : 'body'](words.starts[word]!, words.lengths[word]!));
      return shown.length === MAX_WORDS;
    };
    forEachByContribution(sums.contributions, sums.size, show);
    return shown;
  }

  /**
   * The ticket's shares summed by (folded) word or pair, in order of first appearance (which breaks
   * ties): per sum its contribution and its first occurrence (index in WordFeatures). Words are told
   * apart by their token ids, so no string is compared or built.
   */
  private sumByWord(): { readonly size: number; readonly contributions: Float64Array; readonly words: Int32Array } {
    const { words, share } = this;
    if (this.sumOfToken.length < this.featurizer.tokenIdBound) {
      this.sumOfToken = new Int32Array(this.featurizer.tokenIdBound * 2);
      this.sumStamps = new Int32Array(this.featurizer.tokenIdBound * 2);
      this.occurrenceShares = new Float64Array(this.featurizer.tokenIdBound * 4);
      this.occurrenceStamps = new Int32Array(this.featurizer.tokenIdBound * 4);
    }
    if (this.sums.contributions.length < words.size) this.sums = { contributions: new Float64Array(words.size * 2), words: new Int32Array(words.size * 2) };
    const { sumOfToken, sumStamps } = this;
    const { contributions, words: firstOccurrences } = this.sums;
    if (this.pairKeys.length < words.size * 2) {
      const slots = 1 << Math.ceil(Math.log2(words.size * 2));
      this.pairKeys = new Int32Array(slots);
      this.pairSums = new Int32Array(slots);
      this.pairStamps = new Int32Array(slots);
    }
    if (this.explanations === MAX_STAMP) {
      sumStamps.fill(0);
      this.pairStamps.fill(0);
      this.occurrenceStamps.fill(0);
      this.explanations = 0;
    }
    const stamp = ++this.explanations;
    const { pairKeys, pairSums, pairStamps, occurrenceShares, occurrenceStamps } = this;
    const pairShift = 32 - Math.log2(pairKeys.length);
    const pairMask = pairKeys.length - 1;
    const idBound = this.featurizer.tokenIdBound;
    let size = 0;
    for (let word = 0; word < words.size; word++) {
      const first = words.firsts[word]!;
      // Every occurrence of a word in one part feeds the same entries (text-features.ts), so has the same share.
      const occurrence = words.lengths[word] === 1 ? 2 * first + words.parts[word]! : -1;
      let contribution = 0;
      if (occurrence !== -1 && occurrenceStamps[occurrence] === stamp) contribution = occurrenceShares[occurrence]!;
      else {
        for (let at = words.begin(word); at < words.ends[word]!; at++) contribution += share[words.entries[at]!]!;
        if (occurrence !== -1) {
          occurrenceStamps[occurrence] = stamp;
          occurrenceShares[occurrence] = contribution;
        }
      }
      let sum: number;
      if (words.lengths[word] === 1) {
        if (sumStamps[first] === stamp) sum = sumOfToken[first]!;
        else {
          sumStamps[first] = stamp;
          sumOfToken[first] = sum = size++;
          contributions[sum] = 0;
          firstOccurrences[sum] = word;
        }
      } else {
        const key = first * idBound + words.seconds[word]!;
        let slot = Math.imul(key, 0x9e3779b1) >>> pairShift;
        while (pairStamps[slot] === stamp && pairKeys[slot] !== key) slot = (slot + 1) & pairMask;
        if (pairStamps[slot] === stamp) sum = pairSums[slot]!;
        else {
          pairStamps[slot] = stamp;
          pairKeys[slot] = key;
          pairSums[slot] = sum = size++;
          contributions[sum] = 0;
          firstOccurrences[sum] = word;
        }
      }
      contributions[sum]! += contribution;
    }
    return { size, contributions, words: firstOccurrences };
  }

  /** Whether two sums (sumByWord) overlap: a word and a pair that holds it. */
  private overlaps(a: number, b: number): boolean {
    const { words } = this;
    const wordA = this.sums.words[a]!;
    const wordB = this.sums.words[b]!;
    const aIsWord = words.lengths[wordA] === 1;
    if (aIsWord === (words.lengths[wordB] === 1)) return false;
    const [word, pair] = aIsWord ? [wordA, wordB] : [wordB, wordA];
    return words.firsts[word] === words.firsts[pair] || words.firsts[word] === words.seconds[pair];
  }

  /** Weighs the counts and appends the rules' signals into `vector`; returns its length. */
  private vectorOf(rules: Pick<Decision, 'scores' | 'category'>): number {
    const { counts } = this;
    const size = counts.size + (this.data.meta.ruleSignals ? RULE_SIGNAL_COUNT : 0);
    if (this.vector.indices.length < size) this.vector = { indices: new Int32Array(size * 2), values: new Float32Array(size * 2) };
    const { indices, values } = this.vector;
    for (let index = 0; index < counts.size; index++) indices[index] = counts.indices[index]!;
    weightEntriesInto(counts.counts, counts.idf, counts.size, values);
    if (this.data.meta.ruleSignals) writeRuleSignals(rules, this.featurizer.dimension, indices, values, counts.size);
    return size;
  }

  /** Class probabilities of the first `size` entries of `vector`, read from `table` (past each row's idf). */
  private probabilitiesOf(size: number): Float64Array {
    return predictFromRows(this.table, this.stride, 1, this.data.weights.bias, this.vector, this.probabilities, size);
  }
}

/** The model's idf and weights row by row: see LearnedModel's `table`. */
function interleave(idf: Float32Array, weights: LinearWeights): Float32Array {
  const { classes } = weights;
  const stride = classes + 1;
  const rows = weights.weights.length / classes;
  const table = new Float32Array(rows * stride);
  for (let row = 0; row < rows; row++) {
    table[row * stride] = row < idf.length ? idf[row]! : 0;
    for (let c = 0; c < classes; c++) table[row * stride + 1 + c] = weights.weights[row * classes + c]!;
  }
  return table;
}
