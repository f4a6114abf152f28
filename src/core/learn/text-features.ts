import { tokenizeClauses, type ClauseTokens } from '../classify/tokenize-clauses.js';

/**
 * How a ticket's text becomes numbers. Nothing here knows a language: words are whatever lies
 * between non-letters once the text is normalised as the rules normalise it (lower case, accents
 * folded: normalize-text.ts), and every word also contributes its character n-grams, so Turkish
 * suffixes and German compounds ("Rechnungsadresse" shares "rechn" with "Rechnung") are learnt
 * without a stemmer. Features are hashed into a fixed number of buckets (no vocabulary to keep).
 * A model stores the spec it was trained with, so a model trained before a default changed keeps
 * reading tickets as it was trained to; changing how features are hashed needs a new format version.
 */
export interface FeatureSpec {
  /** log2 of the number of hash buckets. */
  readonly bits: number;
  /** Shortest and longest character n-gram taken inside a word (its edges marked). */
  readonly charGrams: readonly [number, number];
  /** Body characters read; the rest of a long ticket is logs and pasted mails. */
  readonly maxBodyChars: number;
  /** Words read per part (subject, body). */
  readonly maxTokens: number;
}

/**
 * 2^15 buckets, 3- to 5-grams and the body as far as the rules read it (3,000 characters, 400
 * words). Against 2^17 buckets, 2- to 5-grams and 4,000 characters: macro-F1 within 0.005 on
 * public issue reports and app reviews (held-out issue reports 0.807 -> 0.810), a model of 0.6 MB
 * instead of 2.5 MB whose weights stay in the CPU's caches, and `train` twice as fast.
 */
export const FEATURE_SPEC: FeatureSpec = { bits: 15, charGrams: [3, 5], maxBodyChars: 3_000, maxTokens: 400 };

/** A sparse feature vector: bucket indices (each once, in no particular order) and their values. */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/**
 * Which features each word and each pair of neighbouring words fed (as indices into the ticket's
 * counts, one per occurrence), so a decision can name the words behind it. Flat and reused from
 * ticket to ticket: recording costs a store per feature.
 */
export class WordFeatures {
  /** Words and pairs recorded. */
  size = 0;
  /** Per word or pair: 0 subject, 1 body; its first token; its token count (1 or 2); where its entries end in `entries`. */
  parts = new Uint8Array(256);
  starts = new Int32Array(256);
  lengths = new Uint8Array(256);
  ends = new Int32Array(256);
  /**
   * Per word or pair: the ids of its token and, for a pair, its second token (-1 for a word). Within
   * one ticket, two tokens have the same id exactly when they are the same (folded) token, so words
   * are told apart without comparing strings.
   */
  firsts = new Int32Array(256);
  seconds = new Int32Array(256);
  entries = new Int32Array(4_096);
  entryCount = 0;

  clear(): void {
    this.size = 0;
    this.entryCount = 0;
  }

  /** Where word or pair `index`'s entries begin in `entries`. */
  begin(index: number): number {
    return index === 0 ? 0 : this.ends[index - 1]!;
  }

  push(entry: number): void {
    if (this.entryCount === this.entries.length) this.entries = grown(this.entries);
    this.entries[this.entryCount++] = entry;
  }

  end(part: 0 | 1, start: number, length: number, first: number, second: number): void {
    if (this.size === this.parts.length) {
      this.parts = grown(this.parts);
      this.starts = grown(this.starts);
      this.lengths = grown(this.lengths);
      this.ends = grown(this.ends);
      this.firsts = grown(this.firsts);
      this.seconds = grown(this.seconds);
    }
    this.parts[this.size] = part;
    this.starts[this.size] = start;
    this.lengths[this.size] = length;
    this.firsts[this.size] = first;
    this.seconds[this.size] = second;
    this.ends[this.size++] = this.entryCount;
  }
}

/** A ticket's counts, written into arrays reused from ticket to ticket (the first `size` entries are this ticket's). */
export class FeatureBuffer {
  size = 0;
  indices = new Int32Array(4_096);
  counts = new Float32Array(4_096);
  /** Per entry, its bucket's idf, when counted with a model's idf (countInto's `idf`). */
  idf = new Float32Array(4_096);

  /** Room for `size` entries, keeping the first `keep`. */
  reserve(size: number, keep: number): void {
    if (size <= this.indices.length) return;
    const length = Math.max(size, this.indices.length * 2);
    const indices = new Int32Array(length);
    const counts = new Float32Array(length);
    const idf = new Float32Array(length);
    indices.set(this.indices.subarray(0, keep));
    counts.set(this.counts.subarray(0, keep));
    idf.set(this.idf.subarray(0, keep));
    this.indices = indices;
    this.counts = counts;
    this.idf = idf;
  }
}

/** A model's idf per bucket, at `values[bucket * stride]` (learned-model.ts keeps it beside the weights). */
export interface StridedIdf {
  readonly values: Float32Array;
  readonly stride: number;
}

const NO_IDF: StridedIdf = { values: new Float32Array(1), stride: 0 };

export interface PreparedText {
  readonly subject: { readonly text: string; readonly tokens: ClauseTokens };
  readonly body: { readonly text: string; readonly tokens: ClauseTokens };
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
// Kinds of feature hash apart, so the word "bug" and the n-gram "bug" never share a bucket on purpose.
const SALT = { word: 0x9e3779b1, subjectWord: 0x85ebca6b, pair: 0xc2b2ae35, gram: 0x27d4eb2f } as const;
const EDGE = 0x20;

/**
 * Tokenises a ticket's subject and the start of its body as the rules do. Unlike the rules, the
 * model reads markup, code and links too: a pasted stack trace or a form's template says a lot
 * about a ticket's kind, and the model learns which of it matters (5-fold macro-F1 on public issue
 * reports 0.740 -> 0.753 with it, no change on app reviews).
 */
export function prepareText(subject: string, body: string, spec: FeatureSpec = FEATURE_SPEC): PreparedText {
  const start = body.slice(0, spec.maxBodyChars);
  return {
    subject: { text: subject, tokens: tokenizeClauses(subject) },
    body: { text: start, tokens: tokenizeClauses(start) },
  };
}

/** Slots of the table that numbers a ticket's distinct tokens at first (a power of two; it grows). */
const INITIAL_ID_SLOTS = 1_024;

/**
 * Turns prepared text into hashed counts: every word, every pair of neighbouring words in one
 * clause, and every character n-gram of every word; words of the subject once more on their own,
 * since people say there what the ticket is about. Counts are returned raw (weighting is the
 * model's business: see weightFeatures). `words`, when given, records which features each word fed.
 */
export class TextFeaturizer {
  readonly dimension: number;
  private readonly mask: number;
  /**
   * Per bucket: its entry's index in the counts being written, plus one (0: not seen in this
   * ticket); reset entry by entry after each ticket. One array access per feature: cheaper than
   * probing a small hash table, though the array spans every bucket.
   */
  private readonly entryOf: Int32Array;
  /** countFeatures' counts before they are copied out, reused from ticket to ticket. */
  private readonly scratch = new FeatureBuffer();
  /** The counts being written (countInto's `into`), and the idf read into them. */
  private target = new FeatureBuffer();
  private idf = NO_IDF;
  /** A word's character codes with its edge marks, reused from word to word. */
  private codes = new Int32Array(64);
  /**
   * The ticket's distinct tokens, numbered in order of appearance (WordFeatures' `firsts`): an
   * open-addressing table keyed by the word hash, which counting computes anyway, each hit checked
   * against the token itself. Per slot id + 1 (0: empty); per id its token, hash and slot.
   */
  private idSlots = new Int32Array(INITIAL_ID_SLOTS);
  private idTokens: string[] = [];
  private idHashes = new Int32Array(INITIAL_ID_SLOTS);
  private idSlotOf = new Int32Array(INITIAL_ID_SLOTS);
  private idCount = 0;
  /** Per id and part (2 * id + part): the token's first occurrence there (index in WordFeatures), or -1. */
  private idWords = new Int32Array(2 * INITIAL_ID_SLOTS);

  constructor(readonly spec: FeatureSpec = FEATURE_SPEC) {
    this.dimension = 1 << spec.bits;
    this.mask = this.dimension - 1;
    this.entryOf = new Int32Array(this.dimension);
  }

  /** The ticket's token ids are below this: its number of distinct tokens, at most 2 * maxTokens. */
  get tokenIdBound(): number {
    return this.idCount;
  }

  countFeatures(text: PreparedText, words?: WordFeatures): SparseVector {
    const buffer = this.scratch;
    this.countInto(text, buffer, words);
    return { indices: buffer.indices.slice(0, buffer.size), values: buffer.counts.slice(0, buffer.size) };
  }

  /**
   * As countFeatures, into a buffer reused from ticket to ticket (entries in the same order). With
   * `idf`, each new bucket's idf is read into `into.idf` as the bucket is first seen: a ticket's
   * buckets lie scattered over megabytes, and the cache miss of that read overlaps with hashing the
   * next n-grams instead of stalling the loop that weighs the counts.
   */
  countInto(text: PreparedText, into: FeatureBuffer, words?: WordFeatures, idf: StridedIdf = NO_IDF): void {
    words?.clear();
    this.clearIds();
    into.size = 0;
    this.target = into;
    this.idf = idf;
    this.countPart(text.subject.tokens, 0, words);
    this.countPart(text.body.tokens, 1, words);
    const { entryOf } = this;
    const { indices } = into;
    for (let index = 0; index < into.size; index++) entryOf[indices[index]!] = 0;
  }

  private countPart(clauseTokens: ClauseTokens, part: 0 | 1, words: WordFeatures | undefined): void {
    const { tokens, clauses } = clauseTokens;
    const count = Math.min(tokens.length, this.spec.maxTokens);
    const { mask } = this;
    let previousHash = 0;
    let previousId = -1;
    for (let position = 0; position < count; position++) {
      const token = tokens[position]!;
      const wordHash = hashString(token, SALT.word);
      const id = words ? this.idOf(token, wordHash) : -1;
      const seen = words ? this.idWords[2 * id + part]! : -1;
      if (seen !== -1) this.repeat(words!, seen);
      else {
        this.add(bucketOf(wordHash, mask), words);
        if (part === 0) this.add(bucketOf(hashString(token, SALT.subjectWord), mask), words);
        if (!isDigits(token)) this.addGrams(token, words);
        if (words) this.idWords[2 * id + part] = words.size;
      }
      words?.end(part, position, 1, id, -1);
      if (position > 0 && clauses[position - 1] === clauses[position]) {
        this.add(bucketOf(mix(previousHash, wordHash, SALT.pair), mask), words);
        words?.end(part, position - 1, 2, previousId, id);
      }
      previousHash = wordHash;
      previousId = id;
    }
  }

  /**
   * Counts a token again as its occurrence `word` (in WordFeatures) counted it: the same buckets,
   * so the same entries, in the same order, with no hashing and no bucket lookups. Tokens repeat
   * within a ticket ("the", the product's name), so this is about half of all occurrences.
   */
  private repeat(words: WordFeatures, word: number): void {
    const { counts } = this.target;
    const end = words.ends[word]!;
    for (let at = words.begin(word); at < end; at++) {
      const entry = words.entries[at]!;
      counts[entry]! += 1;
      words.push(entry);
    }
  }

  /** Character n-grams of " token " (edges marked), hashed incrementally: no substring is built. */
  private addGrams(token: string, words: WordFeatures | undefined): void {
    const [shortest, longest] = this.spec.charGrams;
    const length = token.length + 2;
    if (this.codes.length < length) this.codes = new Int32Array(length * 2);
    const { codes, mask } = this;
    codes[0] = EDGE;
    for (let index = 0; index < token.length; index++) codes[index + 1] = token.charCodeAt(index);
    codes[length - 1] = EDGE;
    for (let start = 0; start + shortest <= length; start++) {
      let hash = FNV_OFFSET ^ SALT.gram;
      const end = Math.min(length, start + longest);
      for (let index = start; index < end; index++) {
        hash = Math.imul(hash ^ codes[index]!, FNV_PRIME);
        if (index - start + 1 >= shortest) this.add(bucketOf(hash, mask), words);
      }
    }
  }

  /** The token's id in this ticket (see `idSlots`): the one it was given at its first appearance, or the next. */
  private idOf(token: string, hash: number): number {
    const slots = this.idSlots.length - 1;
    let slot = Math.imul(hash, 0x9e3779b1) >>> 0 & slots;
    for (;;) {
      const stored = this.idSlots[slot]!;
      if (stored === 0) break;
      const id = stored - 1;
      if (this.idHashes[id] === (hash | 0) && this.idTokens[id] === token) return id;
      slot = (slot + 1) & slots;
    }
    const id = this.idCount++;
    if (id === this.idHashes.length) {
      this.idHashes = grown(this.idHashes);
      this.idSlotOf = grown(this.idSlotOf);
      const idWords = new Int32Array(this.idWords.length * 2);
      idWords.set(this.idWords);
      this.idWords = idWords;
    }
    this.idWords[2 * id] = -1;
    this.idWords[2 * id + 1] = -1;
    this.idSlots[slot] = id + 1;
    this.idTokens[id] = token;
    this.idHashes[id] = hash;
    this.idSlotOf[id] = slot;
    if (this.idCount * 2 > this.idSlots.length) this.growIds();
    return id;
  }

  /** Doubles the id table (kept at most half full), its ids unchanged. */
  private growIds(): void {
    this.idSlots = new Int32Array(this.idSlots.length * 2);
    const slots = this.idSlots.length - 1;
    for (let id = 0; id < this.idCount; id++) {
      let slot = Math.imul(this.idHashes[id]!, 0x9e3779b1) >>> 0 & slots;
      while (this.idSlots[slot] !== 0) slot = (slot + 1) & slots;
      this.idSlots[slot] = id + 1;
      this.idSlotOf[id] = slot;
    }
  }

  /** Forgets the last ticket's tokens (their strings too: the table keeps no ticket's text alive). */
  private clearIds(): void {
    for (let id = 0; id < this.idCount; id++) this.idSlots[this.idSlotOf[id]!] = 0;
    this.idTokens.length = 0;
    this.idCount = 0;
  }

  private add(bucket: number, words: WordFeatures | undefined): void {
    const into = this.target;
    const known = this.entryOf[bucket]!;
    if (known !== 0) {
      into.counts[known - 1]! += 1;
      words?.push(known - 1);
      return;
    }
    const entry = into.size++;
    if (entry === into.indices.length) into.reserve(entry + 1, entry);
    into.indices[entry] = bucket;
    into.counts[entry] = 1;
    into.idf[entry] = this.idf.values[bucket * this.idf.stride]!;
    this.entryOf[bucket] = entry + 1;
    words?.push(entry);
  }
}

/** The hash bucket of a feature's hash. */
function bucketOf(hash: number, mask: number): number {
  return (hash ^ (hash >>> 15)) & mask;
}

/**
 * Sublinear term frequency (1 + ln count) times the inverse document frequency of each bucket,
 * scaled to unit length: the usual TF-IDF weighting, which keeps a long ticket from outweighing a
 * short one and a word said ten times from counting ten times.
 */
export function weightFeatures(counts: SparseVector, idf: Float32Array): SparseVector {
  const values = new Float32Array(counts.values.length);
  weightInto(counts.indices, counts.values, counts.values.length, idf, values);
  return { indices: counts.indices, values };
}

/** weightFeatures on the first `size` entries, into `out`. */
export function weightInto(indices: Int32Array, counts: Float32Array, size: number, idf: Float32Array, out: Float32Array): void {
  let norm = 0;
  for (let index = 0; index < size; index++) {
    const value = termFrequency(counts[index]!) * idf[indices[index]!]!;
    out[index] = value;
    norm += value * value;
  }
  scaleToUnit(out, size, norm);
}

/** weightInto with each entry's idf given (a FeatureBuffer's `idf`, read as its buckets were counted). */
export function weightEntriesInto(counts: Float32Array, idf: Float32Array, size: number, out: Float32Array): void {
  let norm = 0;
  for (let index = 0; index < size; index++) {
    const value = termFrequency(counts[index]!) * idf[index]!;
    out[index] = value;
    norm += value * value;
  }
  scaleToUnit(out, size, norm);
}

/** Divides the first `size` values by their length, `norm` being the sum of their squares. */
function scaleToUnit(out: Float32Array, size: number, norm: number): void {
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let index = 0; index < size; index++) out[index]! *= scale;
  }
}

/** 1 + ln(count) for the counts most buckets have, computed once (the same doubles Math.log gives). */
const TERM_FREQUENCIES = Float64Array.from({ length: 64 }, (_, count) => 1 + Math.log(count));

/** Sublinear term frequency, 1 + ln(count). */
function termFrequency(count: number): number {
  return count < TERM_FREQUENCIES.length ? TERM_FREQUENCIES[count]! : 1 + Math.log(count);
}

/** Smoothed inverse document frequency per bucket, ln((1 + n) / (1 + df)) + 1, as scikit-learn computes it. */
export function inverseDocumentFrequency(documents: readonly SparseVector[], dimension: number): Float32Array {
  const frequency = new Float64Array(dimension);
  for (const document of documents) for (const bucket of document.indices) frequency[bucket]! += 1;
  const idf = new Float32Array(dimension);
  for (let bucket = 0; bucket < dimension; bucket++) idf[bucket] = Math.log((1 + documents.length) / (1 + frequency[bucket]!)) + 1;
  return idf;
}

function grown<T extends Int32Array | Uint8Array>(array: T): T {
  const larger = new (array.constructor as new (length: number) => T)(array.length * 2);
  larger.set(array);
  return larger;
}

function hashString(text: string, salt: number): number {
  let hash = FNV_OFFSET ^ salt;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), FNV_PRIME);
  return hash >>> 0;
}

function mix(first: number, second: number, salt: number): number {
  let hash = Math.imul(first ^ salt, FNV_PRIME);
  hash = Math.imul(hash ^ second, FNV_PRIME);
  return Math.imul(hash ^ (hash >>> 13), 0x5bd1e995) >>> 0;
}

function isDigits(token: string): boolean {
  for (let index = 0; index < token.length; index++) {
    const code = token.charCodeAt(index);
    if (code < 48 || code > 57) return false;
  }
  return true;
}
