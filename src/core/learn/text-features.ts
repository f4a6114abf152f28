import { tokenizeClauses, type ClauseTokens } from '../classify/tokenize-clauses.js';

/**
 * How a ticket's text becomes numbers. Nothing here knows a language: words are whatever lies
 * between non-letters once the text is normalised as the rules normalise it (lower case, accents
 * folded: normalize-text.ts), and every word also contributes its character n-grams, so Turkish
 * suffixes and German compounds ("Rechnungsadresse" shares "rechn" with "Rechnung") are learnt
 * without a stemmer. Features are hashed into a fixed number of buckets (no vocabulary to keep).
 * A model stores the spec it was trained with; changing a value here needs a new format version.
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

export const FEATURE_SPEC: FeatureSpec = { bits: 17, charGrams: [2, 5], maxBodyChars: 4_000, maxTokens: 600 };

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

  end(part: 0 | 1, start: number, length: number): void {
    if (this.size === this.parts.length) {
      this.parts = grown(this.parts);
      this.starts = grown(this.starts);
      this.lengths = grown(this.lengths);
      this.ends = grown(this.ends);
    }
    this.parts[this.size] = part;
    this.starts[this.size] = start;
    this.lengths[this.size] = length;
    this.ends[this.size++] = this.entryCount;
  }
}

/** A ticket's counts, written into arrays reused from ticket to ticket (the first `size` entries are this ticket's). */
export class FeatureBuffer {
  size = 0;
  indices = new Int32Array(4_096);
  counts = new Float32Array(4_096);

  /** Room for `size` entries, keeping the first `keep`. */
  reserve(size: number, keep: number): void {
    if (size <= this.indices.length) return;
    const length = Math.max(size, this.indices.length * 2);
    const indices = new Int32Array(length);
    const counts = new Float32Array(length);
    indices.set(this.indices.subarray(0, keep));
    counts.set(this.counts.subarray(0, keep));
    this.indices = indices;
    this.counts = counts;
  }
}

export interface PreparedText {
  readonly subject: { readonly text: string; readonly tokens: ClauseTokens };
  readonly body: { readonly text: string; readonly tokens: ClauseTokens };
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
// Kinds of feature hash apart, so the word "bug" and the n-gram "bug" never share a bucket on purpose.
const SALT = { word: 0x9e3779b1, subjectWord: 0x85ebca6b, pair: 0xc2b2ae35, gram: 0x27d4eb2f } as const;
const EDGE = 0x20;
const INITIAL_SLOTS = 8_192;

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

/** Distinct tokens whose features a featurizer remembers; cleared when full (a cheap bound, not an LRU). */
const TOKEN_CACHE_LIMIT = 50_000;
/** Layout of a token's remembered features: its word hash (pairs mix it), its subject-word bucket, its word bucket, then its n-grams' buckets. */
const TOKEN_HASH = 0;
const TOKEN_SUBJECT_BUCKET = 1;
const TOKEN_WORD_BUCKET = 2;

/**
 * Turns prepared text into hashed counts: every word, every pair of neighbouring words in one
 * clause, and every character n-gram of every word; words of the subject once more on their own,
 * since people say there what the ticket is about. Counts are returned raw (weighting is the
 * model's business: see weightFeatures). `words`, when given, records which features each word fed.
 */
export class TextFeaturizer {
  readonly dimension: number;
  private readonly mask: number;
  // Counts live in a small open-addressing table (bucket -> count) rather than an array of every
  // bucket: a ticket touches a few thousand buckets, and a table that size stays in the CPU cache.
  private keys = new Int32Array(INITIAL_SLOTS).fill(-1);
  private slotCounts = new Float32Array(INITIAL_SLOTS);
  /** Per slot: its position in `used`, which is the entry's index in the counts returned. */
  private slotEntries = new Int32Array(INITIAL_SLOTS);
  /** The slots filled, in order of first use; the first `usedCount` are this ticket's. */
  private used = new Int32Array(INITIAL_SLOTS);
  private usedCount = 0;
  /** A word's character codes with its edge marks, reused from word to word. */
  private codes = new Int32Array(64);
  /** A word's n-gram hashes, in order, reused from word to word. */
  private gramHashes = new Int32Array(256);
  /**
   * Each token's buckets (see TOKEN_HASH), computed once: words repeat from ticket to ticket, and
   * hashing a word's n-grams is most of the work of counting it.
   */
  private readonly tokenCache = new Map<string, Int32Array>();

  constructor(readonly spec: FeatureSpec = FEATURE_SPEC) {
    this.dimension = 1 << spec.bits;
    this.mask = this.dimension - 1;
  }

  countFeatures(text: PreparedText, words?: WordFeatures): SparseVector {
    const buffer = new FeatureBuffer();
    this.countInto(text, buffer, words);
    return { indices: buffer.indices.slice(0, buffer.size), values: buffer.counts.slice(0, buffer.size) };
  }

  /** As countFeatures, into a buffer reused from ticket to ticket (entries in the same order). */
  countInto(text: PreparedText, into: FeatureBuffer, words?: WordFeatures): void {
    words?.clear();
    this.countPart(text.subject.tokens, 0, words);
    this.countPart(text.body.tokens, 1, words);
    const { used, usedCount, keys, slotCounts } = this;
    into.reserve(usedCount, 0);
    const { indices, counts } = into;
    for (let index = 0; index < usedCount; index++) {
      const slot = used[index]!;
      indices[index] = keys[slot]!;
      counts[index] = slotCounts[slot]!;
      keys[slot] = -1;
    }
    into.size = usedCount;
    this.usedCount = 0;
  }

  private countPart(clauseTokens: ClauseTokens, part: 0 | 1, words: WordFeatures | undefined): void {
    const { tokens, clauses } = clauseTokens;
    const count = Math.min(tokens.length, this.spec.maxTokens);
    let previousHash = 0;
    for (let position = 0; position < count; position++) {
      const features = this.featuresOf(tokens[position]!);
      const wordHash = features[TOKEN_HASH]!;
      this.add(features[TOKEN_WORD_BUCKET]!, words);
      if (part === 0) this.add(features[TOKEN_SUBJECT_BUCKET]!, words);
      for (let index = TOKEN_WORD_BUCKET + 1; index < features.length; index++) this.add(features[index]!, words);
      words?.end(part, position, 1);
      if (position > 0 && clauses[position - 1] === clauses[position]) {
        this.add(bucketOf(mix(previousHash, wordHash, SALT.pair), this.mask), words);
        words?.end(part, position - 1, 2);
      }
      previousHash = wordHash;
    }
  }

  /** The token's buckets, laid out as TOKEN_HASH says: remembered, or hashed now. */
  private featuresOf(token: string): Int32Array {
    const cached = this.tokenCache.get(token);
    if (cached !== undefined) return cached;
    const grams = isDigits(token) ? 0 : this.hashGrams(token);
    const features = new Int32Array(TOKEN_WORD_BUCKET + 1 + grams);
    const wordHash = hashString(token, SALT.word);
    features[TOKEN_HASH] = wordHash;
    features[TOKEN_SUBJECT_BUCKET] = bucketOf(hashString(token, SALT.subjectWord), this.mask);
    features[TOKEN_WORD_BUCKET] = bucketOf(wordHash, this.mask);
    for (let index = 0; index < grams; index++) features[TOKEN_WORD_BUCKET + 1 + index] = bucketOf(this.gramHashes[index]!, this.mask);
    if (this.tokenCache.size >= TOKEN_CACHE_LIMIT) this.tokenCache.clear();
    this.tokenCache.set(token, features);
    return features;
  }

  /**
   * Character n-grams of " token " (edges marked), hashed incrementally (no substring is built)
   * into gramHashes; returns how many.
   */
  private hashGrams(token: string): number {
    const [shortest, longest] = this.spec.charGrams;
    const length = token.length + 2;
    if (this.codes.length < length) this.codes = new Int32Array(length * 2);
    const codes = this.codes;
    codes[0] = EDGE;
    for (let index = 0; index < token.length; index++) codes[index + 1] = token.charCodeAt(index);
    codes[length - 1] = EDGE;
    const most = length * (longest - shortest + 1);
    if (this.gramHashes.length < most) this.gramHashes = new Int32Array(most * 2);
    const hashes = this.gramHashes;
    let count = 0;
    for (let start = 0; start + shortest <= length; start++) {
      let hash = FNV_OFFSET ^ SALT.gram;
      const end = Math.min(length, start + longest);
      for (let index = start; index < end; index++) {
        hash = Math.imul(hash ^ codes[index]!, FNV_PRIME);
        if (index - start + 1 >= shortest) hashes[count++] = hash;
      }
    }
    return count;
  }

  private add(bucket: number, words: WordFeatures | undefined): void {
    const keys = this.keys;
    const slots = keys.length - 1;
    let slot = Math.imul(bucket, 0x9e3779b1) >>> 0 & slots;
    for (;;) {
      const key = keys[slot]!;
      if (key === bucket) {
        this.slotCounts[slot]! += 1;
        words?.push(this.slotEntries[slot]!);
        return;
      }
      if (key === -1) break;
      slot = (slot + 1) & slots;
    }
    const entry = this.usedCount++;
    keys[slot] = bucket;
    this.slotCounts[slot] = 1;
    this.slotEntries[slot] = entry;
    words?.push(entry);
    this.used[entry] = slot;
    if (this.usedCount * 2 > keys.length) this.grow();
  }

  /** Doubles the table (kept at most half full, so probes stay short). */
  private grow(): void {
    const count = this.usedCount;
    const buckets = new Int32Array(count);
    const entryCounts = new Float32Array(count);
    for (let entry = 0; entry < count; entry++) {
      buckets[entry] = this.keys[this.used[entry]!]!;
      entryCounts[entry] = this.slotCounts[this.used[entry]!]!;
    }
    this.keys = new Int32Array(this.keys.length * 2).fill(-1);
    this.slotCounts = new Float32Array(this.keys.length);
    this.slotEntries = new Int32Array(this.keys.length);
    this.used = new Int32Array(this.keys.length);
    const slots = this.keys.length - 1;
    for (let entry = 0; entry < count; entry++) {
      const bucket = buckets[entry]!;
      let slot = Math.imul(bucket, 0x9e3779b1) >>> 0 & slots;
      while (this.keys[slot] !== -1) slot = (slot + 1) & slots;
      this.keys[slot] = bucket;
      this.slotCounts[slot] = entryCounts[entry]!;
      this.slotEntries[slot] = entry;
      this.used[entry] = slot;
    }
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
  weightStridedInto(indices, counts, size, idf, 1, out);
}

/**
 * weightInto with bucket b's idf at `idf[b * stride]`: a model keeps each bucket's idf beside its
 * weights (learned-model.ts), so reading a ticket touches one cache line per bucket, not two.
 */
export function weightStridedInto(indices: Int32Array, counts: Float32Array, size: number, idf: Float32Array, stride: number, out: Float32Array): void {
  let norm = 0;
  for (let index = 0; index < size; index++) {
    const value = termFrequency(counts[index]!) * idf[indices[index]! * stride]!;
    out[index] = value;
    norm += value * value;
  }
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
