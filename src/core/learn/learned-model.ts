import type { Decision } from '../classify/classifier.js';
import { createSurfaceReader } from '../classify/surface-words.js';
import type { CategoryId } from '../taxonomy.js';
import type { CombinationSettings } from './combination.js';
import { RULE_SIGNAL_COUNT, writeRuleSignals } from './rule-signals.js';
import { softmaxInPlace, type LinearWeights } from './softmax-regression.js';
import { nextStamp } from './stamps.js';
import { prepareText, TextFeaturizer, TokenBuckets, unitWeight, wordScale, type FeatureSpec, type PreparedText, type TextVisitor } from './text-features.js';

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
/** Words whose scores a model keeps (their scores 2 MB with 8 categories, the table 2 MB, the per-ticket marks 0.5 MB); when full, it starts over. */
const CACHED_WORDS = 1 << 16;
/** Ints per slot of the word cache's table: hash, key, entry and one to align slots to 16 bytes. */
const SLOT_INTS = 4;
/** Leading shares kept in order in one pass over them, before the rest are sorted instead. */
const PICKS_BEFORE_SORTING = 8;

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
 *
 * A ticket's score is the sum of what each of its units scores on its own (text-features.ts), so
 * the model scores each distinct word once and keeps the score: a word's buckets are hashed and
 * their weights read the first time the process meets it, and after that a ticket costs a lookup
 * per word, a weight row per pair of words, and a few additions per category.
 */
export class LearnedModel {
  private readonly featurizer: TextFeaturizer;
  private readonly probabilities: Float64Array;
  /**
   * Per row of the weights (each bucket, then each rule signal): its idf (0 for a signal), then its
   * weight per class. A copy: `data` stays as stored.
   */
  private readonly table: Float32Array;
  /** Floats per row of `table`: 1 + classes. */
  private readonly stride: number;
  private readonly classCount: number;
  private readonly words: WordScores;
  private readonly ticket: TicketReading;
  private readonly signals = { indices: new Int32Array(RULE_SIGNAL_COUNT), values: new Float32Array(RULE_SIGNAL_COUNT) };
  private reads = 0;

  constructor(readonly data: ModelData) {
    this.featurizer = new TextFeaturizer(data.meta.features);
    this.classCount = data.weights.classes;
    this.probabilities = new Float64Array(this.classCount);
    this.stride = this.classCount + 1;
    this.table = interleave(data.idf, data.weights);
    this.words = new WordScores(this.featurizer, this.table, this.classCount);
    this.ticket = new TicketReading(this.words, this.featurizer.dimension, 2 * data.meta.features.maxTokens);
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
   * wrote them (lower-cased): a word's share is its unit's (its own feature and its character
   * n-grams), summed over its parts; a pair's is the pair's.
   */
  explain(ticket: TicketText, rules: Pick<Decision, 'scores' | 'category'>, prediction: Prediction): string[] {
    return this.read(ticket, rules).explain(prediction);
  }

  /** Reads the ticket once: its units, their scores (from the word cache where it can), the prediction. */
  read(ticket: TicketText, rules: Pick<Decision, 'scores' | 'category'>): Reading {
    const text = prepareText(ticket.subject, ticket.description, this.data.meta.features);
    const { ticket: units, classCount, table, stride } = this;
    this.words.makeRoom(2 * this.data.meta.features.maxTokens);
    units.clear();
    this.featurizer.walk(text, units);
    const scores = this.probabilities;
    scores.fill(0);
    let squares = 0;
    const wordScores = this.words.scores;
    for (let index = 0; index < units.wordCount; index++) {
      const weight = unitWeight(units.wordCounts[index]!);
      squares += weight * weight;
      const base = units.words[index]! * classCount;
      for (let c = 0; c < classCount; c++) scores[c]! += weight * wordScores[base + c]!;
    }
    for (let index = 0; index < units.pairCount; index++) {
      const weight = unitWeight(units.pairCounts[index]!);
      squares += weight * weight;
      const base = units.pairs[index]! * stride + 1;
      for (let c = 0; c < classCount; c++) scores[c]! += weight * table[base + c]!;
    }
    const norm = squares > 0 ? 1 / Math.sqrt(squares) : 0;
    for (let c = 0; c < classCount; c++) scores[c]! *= norm;
    if (this.data.meta.ruleSignals) {
      const { indices, values } = this.signals;
      writeRuleSignals(rules, this.featurizer.dimension, indices, values, 0);
      for (let index = 0; index < RULE_SIGNAL_COUNT; index++) {
        const base = indices[index]! * stride + 1;
        for (let c = 0; c < classCount; c++) scores[c]! += values[index]! * table[base + c]!;
      }
    }
    const { bias } = this.data.weights;
    for (let c = 0; c < classCount; c++) scores[c]! += bias[c]!;
    const probabilities = softmaxInPlace(scores);
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
        return this.wordsBehind(text, chosen, norm);
      },
    };
  }

  /** The ticket's words (or pairs) with the largest positive share of the winner's lead over the runner-up, first appearance breaking ties. */
  private wordsBehind(text: PreparedText, prediction: Prediction, norm: number): string[] {
    const { classes } = this.data.meta;
    const winner = classes.indexOf(prediction.category);
    const other = prediction.runnerUp === null ? -1 : classes.indexOf(prediction.runnerUp);
    const { classCount, table, stride } = this;
    const wordScores = this.words.scores;
    const lead = (scores: Float32Array, base: number): number => scores[base + winner]! - (other === -1 ? 0 : scores[base + other]!);
    const { ticket } = this;
    ticket.share(
      (index, count) => unitWeight(count) * norm * lead(wordScores, ticket.words[index]! * classCount),
      (index, count) => unitWeight(count) * norm * lead(table, ticket.pairs[index]! * stride + 1),
    );
    const readers = { subject: createSurfaceReader(text.subject.text, text.subject.tokens), body: createSurfaceReader(text.body.text, text.body.tokens) };
    const shown: string[] = [];
    const shownUnits: number[] = [];
    const { firsts } = ticket;
    // A word and a pair that holds it overlap: a pair already shown says its words, a word already shown makes the pair around it redundant.
    const overlaps = (a: number, b: number): boolean => {
      const aIsWord = firsts.length[a] === 1;
      if (aIsWord === (firsts.length[b] === 1)) return false;
      const [word, pair] = aIsWord ? [a, b] : [b, a];
      return firsts.first[word] === firsts.first[pair] || firsts.first[word] === firsts.second[pair];
    };
    ticket.forEachByShare((unit) => {
      if (shownUnits.some((other) => overlaps(other, unit))) return false;
      shownUnits.push(unit);
      shown.push(readers[firsts.part[unit] === 0 ? 'subject' : 'body'](firsts.position[unit]!, firsts.length[unit]!));
      return shown.length === MAX_WORDS;
    });
    return shown;
  }
}

/**
 * Scores of the words the model has met (per class: the weights of the word's unit, summed), in an
 * open-addressing table keyed by the word hash and key TextFeaturizer.walk gives (per slot side by
 * side: hash, key, index of the scores plus one, 0 for an empty slot).
 */
class WordScores {
  scores: Float32Array;
  /** 2 * CACHED_WORDS slots of SLOT_INTS each (one probe reads one cache line). */
  private readonly slots = new Int32Array(2 * CACHED_WORDS * SLOT_INTS);
  private size = 0;
  private readonly buckets = new TokenBuckets();

  constructor(
    private readonly featurizer: TextFeaturizer,
    private readonly table: Float32Array,
    private readonly classes: number,
  ) {
    this.scores = new Float32Array(CACHED_WORDS * classes);
  }

  /** Starts over when fewer than `words` more would fit, so a ticket's words stay put while it is read. */
  makeRoom(words: number): void {
    if (this.size + words <= CACHED_WORDS) return;
    this.slots.fill(0);
    this.size = 0;
  }

  /** The index of the word's scores, scoring it if it is new. */
  indexOf(token: string, wordHash: number, key: number, part: 0 | 1): number {
    const { slots } = this;
    const mask = 2 * CACHED_WORDS - 1;
    let slot = (Math.imul(wordHash ^ key, 0x9e3779b1) >>> 0) & mask;
    for (;;) {
      const at = slot * SLOT_INTS;
      const entry = slots[at + 2]!;
      if (entry === 0) break;
      if (slots[at] === (wordHash | 0) && slots[at + 1] === (key | 0)) return entry - 1;
      slot = (slot + 1) & mask;
    }
    const index = this.size++;
    const at = slot * SLOT_INTS;
    slots[at] = wordHash;
    slots[at + 1] = key;
    slots[at + 2] = index + 1;
    this.score(token, wordHash, part, index);
    return index;
  }

  private score(token: string, wordHash: number, part: 0 | 1, index: number): void {
    const { buckets, table, classes, scores } = this;
    const stride = classes + 1;
    this.featurizer.wordBuckets(token, wordHash, part, buckets);
    const scale = wordScale(buckets.buckets, buckets.counts, 0, buckets.size, table, stride);
    const base = index * classes;
    for (let c = 0; c < classes; c++) scores[base + c] = 0;
    for (let at = 0; at < buckets.size; at++) {
      const row = buckets.buckets[at]! * stride;
      const value = scale * buckets.counts[at]! * table[row]!;
      for (let c = 0; c < classes; c++) scores[base + c]! += value * table[row + 1 + c]!;
    }
  }
}

/** One ticket's units (text-features.ts) as the model reads it: words as indices into WordScores, pairs as buckets, with their counts and first places. */
class TicketReading implements TextVisitor {
  wordCount = 0;
  readonly words: Int32Array;
  readonly wordCounts: Int32Array;
  pairCount = 0;
  readonly pairs: Int32Array;
  readonly pairCounts: Int32Array;
  /** Per unit (words, then pairs from `words.length` on): where it first appears (order, part, position, words), and its words' hashes (a word's twice). */
  readonly firsts: { order: Int32Array; part: Uint8Array; position: Int32Array; length: Uint8Array; first: Int32Array; second: Int32Array };
  /** Explaining: per unit its share of the lead, and per word hash its first unit. */
  private readonly shares: Float64Array;
  /** The leading units of one explanation, best first (forEachByShare). */
  private readonly leaders = new Int32Array(PICKS_BEFORE_SORTING);
  private readonly sameWord: FirstUnits;
  private order = 0;
  /** Per word index (WordScores) and per bucket: the unit it is in this ticket, valid where its stamp is this ticket's. */
  private unitOfWord = new Int32Array(CACHED_WORDS);
  private wordStamps = new Int32Array(CACHED_WORDS);
  private readonly unitOfPair: Int32Array;
  private readonly pairStamps: Int32Array;
  private stamp = 0;

  /** A ticket has at most `units` words and as many pairs (two parts of maxTokens words). */
  constructor(
    private readonly scores: WordScores,
    dimension: number,
    units: number,
  ) {
    this.words = new Int32Array(units);
    this.wordCounts = new Int32Array(units);
    this.pairs = new Int32Array(units);
    this.pairCounts = new Int32Array(units);
    this.firsts = { order: new Int32Array(2 * units), part: new Uint8Array(2 * units), position: new Int32Array(2 * units), length: new Uint8Array(2 * units), first: new Int32Array(2 * units), second: new Int32Array(2 * units) };
    this.sameWord = new FirstUnits(units);
    this.shares = new Float64Array(2 * units);
    this.unitOfPair = new Int32Array(dimension);
    this.pairStamps = new Int32Array(dimension);
  }

  clear(): void {
    this.wordCount = 0;
    this.pairCount = 0;
    this.order = 0;
    this.stamp = nextStamp(this.stamp, this.wordStamps, this.pairStamps);
  }

  word(part: 0 | 1, position: number, token: string, wordHash: number, key: number): void {
    const index = this.scores.indexOf(token, wordHash, key, part);
    if (this.wordStamps[index] === this.stamp) {
      this.wordCounts[this.unitOfWord[index]!]! += 1;
      return;
    }
    this.wordStamps[index] = this.stamp;
    const unit = this.wordCount++;
    this.unitOfWord[index] = unit;
    this.words[unit] = index;
    this.wordCounts[unit] = 1;
    this.placed(unit, part, position, 1, wordHash, wordHash);
  }

  pair(part: 0 | 1, position: number, bucket: number, firstHash: number, secondHash: number): void {
    if (this.pairStamps[bucket] === this.stamp) {
      this.pairCounts[this.unitOfPair[bucket]!]! += 1;
      return;
    }
    this.pairStamps[bucket] = this.stamp;
    const unit = this.pairCount++;
    this.unitOfPair[bucket] = unit;
    this.pairs[unit] = bucket;
    this.pairCounts[unit] = 1;
    this.placed(this.words.length + unit, part, position - 1, 2, firstHash, secondHash);
  }

  /**
   * Every unit's share of a lead (`word` and `pair` compute one from the unit's index and count),
   * a word's summed over its parts (the same word in subject and body) onto its first unit.
   */
  share(word: (index: number, count: number) => number, pair: (index: number, count: number) => number): void {
    const { firsts, shares, sameWord } = this;
    sameWord.begin();
    for (let unit = 0; unit < this.wordCount; unit++) {
      const value = word(unit, this.wordCounts[unit]!);
      const first = sameWord.firstOf(firsts.first[unit]!, unit);
      if (first === unit) shares[unit] = value;
      else {
        shares[first]! += value;
        shares[unit] = -Infinity;
      }
    }
    for (let unit = 0; unit < this.pairCount; unit++) shares[this.words.length + unit] = pair(unit, this.pairCounts[unit]!);
  }

  /**
   * Calls `visit` with the units of positive share (indices into `firsts`), highest first, ties in
   * order of first appearance, until it returns true. A decision shows three words, so one pass
   * keeps the few leading units in order; only a ticket whose best words keep overlapping sorts
   * the rest.
   */
  forEachByShare(visit: (unit: number) => boolean): void {
    const { shares, firsts, leaders } = this;
    const pairsFrom = this.words.length;
    const pairsTo = pairsFrom + this.pairCount;
    // A strict order: no two units share a first appearance.
    const ahead = (a: number, b: number): boolean => shares[a]! > shares[b]! || (shares[a] === shares[b] && firsts.order[a]! < firsts.order[b]!);
    // Words are units 0 .. wordCount - 1, pairs pairsFrom .. pairsTo - 1.
    const first = this.wordCount === 0 ? pairsFrom : 0;
    const next = (unit: number): number => (unit + 1 === this.wordCount ? pairsFrom : unit + 1);
    let count = 0;
    for (let unit = first; unit < pairsTo; unit = next(unit)) {
      if (!(shares[unit]! > 0) || (count === PICKS_BEFORE_SORTING && !ahead(unit, leaders[count - 1]!))) continue;
      let at = count < PICKS_BEFORE_SORTING ? count++ : count - 1;
      for (; at > 0 && ahead(unit, leaders[at - 1]!); at--) leaders[at] = leaders[at - 1]!;
      leaders[at] = unit;
    }
    for (let index = 0; index < count; index++) if (visit(leaders[index]!)) return;
    if (count < PICKS_BEFORE_SORTING) return;
    const last = leaders[count - 1]!;
    const rest: number[] = [];
    for (let unit = first; unit < pairsTo; unit = next(unit)) if (shares[unit]! > 0 && ahead(last, unit)) rest.push(unit);
    rest.sort((a, b) => (ahead(a, b) ? -1 : 1));
    for (const unit of rest) if (visit(unit)) return;
  }

  private placed(at: number, part: 0 | 1, position: number, length: 1 | 2, first: number, second: number): void {
    const { firsts } = this;
    firsts.order[at] = this.order++;
    firsts.part[at] = part;
    firsts.position[at] = position;
    firsts.length[at] = length;
    firsts.first[at] = first;
    firsts.second[at] = second;
  }
}

/**
 * Word hashes met since begin(), each with the first unit it was met in: open addressing over
 * slots valid where stamped since begin(), so starting over costs nothing (a Map cleared and
 * filled for every explanation cost a few µs a ticket).
 */
class FirstUnits {
  private readonly hashes: Int32Array;
  private readonly units: Int32Array;
  private readonly stamps: Int32Array;
  private readonly mask: number;
  private stamp = 0;

  /** Room for `capacity` hashes, at most half the slots full. */
  constructor(capacity: number) {
    const slots = 2 ** Math.ceil(Math.log2(2 * Math.max(1, capacity)));
    this.hashes = new Int32Array(slots);
    this.units = new Int32Array(slots);
    this.stamps = new Int32Array(slots);
    this.mask = slots - 1;
  }

  begin(): void {
    this.stamp = nextStamp(this.stamp, this.stamps);
  }

  /** The first unit `hash` was met in since begin(); `unit` (now recorded) if none. */
  firstOf(hash: number, unit: number): number {
    const { hashes, stamps, mask } = this;
    let slot = (Math.imul(hash, 0x9e3779b1) >>> 16) & mask;
    while (stamps[slot] === this.stamp) {
      if (hashes[slot] === hash) return this.units[slot]!;
      slot = (slot + 1) & mask;
    }
    stamps[slot] = this.stamp;
    hashes[slot] = hash;
    this.units[slot] = unit;
    return unit;
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
