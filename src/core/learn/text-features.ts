import { tokenizeClauses, type ClauseTokens } from '../classify/tokenize-clauses.js';

/**
 * How a ticket's text becomes numbers. Nothing here knows a language: words are whatever lies
 * between non-letters once the text is normalised as the rules normalise it (lower case, accents
 * folded: normalize-text.ts), and every word also contributes its character n-grams, so Turkish
 * suffixes and German compounds ("Rechnungsadresse" shares "rechn" with "Rechnung") are learnt
 * without a stemmer. Features are hashed into a fixed number of buckets (no vocabulary to keep).
 * A model stores the spec it was trained with, so a model trained before a default changed keeps
 * reading tickets as it was trained to; changing how features are hashed or weighed (unitWeight)
 * needs a new format version.
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

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** The key's multiplier (murmur2's), so the key and the word hash differ in more than their seed. */
const KEY_PRIME = 0x5bd1e995;
// Kinds of feature hash apart, so the word "bug" and the n-gram "bug" never share a bucket on purpose.
const SALT = { word: 0x9e3779b1, subjectWord: 0x85ebca6b, pair: 0xc2b2ae35, gram: 0x27d4eb2f, subjectKey: 0x165667b1, bodyKey: 0xd3a2646c } as const;
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

export interface PreparedText {
  readonly subject: { readonly text: string; readonly tokens: ClauseTokens };
  readonly body: { readonly text: string; readonly tokens: ClauseTokens };
}

/** What TextFeaturizer.walk reports, in text order: each word, then the pair it closes. */
export interface TextVisitor {
  /**
   * The word at `position` of `part` (0 subject, 1 body), its word hash (hashes of pairs are made
   * of them) and a key that, with the word hash, tells it from any other word of that part with
   * odds of 1 in 2^53 (a second hash, salted by part), so a cache of words keeps no text.
   */
  word(part: 0 | 1, position: number, token: string, wordHash: number, key: number): void;
  /** The pair of words at `position - 1` and `position` (one clause), and its bucket. */
  pair(part: 0 | 1, position: number, bucket: number, firstHash: number, secondHash: number): void;
}

/** One token's buckets, each once with its count (reused from token to token). */
export class TokenBuckets {
  size = 0;
  buckets = new Int32Array(64);
  counts = new Float32Array(64);
}

/**
 * Turns prepared text into hashed features. A ticket's features come in units: each distinct word
 * of each part with its count, and each distinct pair of neighbouring words in one clause with
 * its count. A word's unit is its own bucket, in the subject a second one (people say there what
 * the ticket is about), and its character n-grams; a pair's unit is one bucket. See unitWeight
 * for how units are weighed.
 */
export class TextFeaturizer {
  readonly dimension: number;
  private readonly mask: number;
  /** A word's character codes with its edge marks, reused from word to word. */
  private codes = new Int32Array(64);

  constructor(readonly spec: FeatureSpec = FEATURE_SPEC) {
    this.dimension = 1 << spec.bits;
    this.mask = this.dimension - 1;
  }

  /** Reports every word (up to maxTokens per part) and every pair of neighbours within a clause. */
  walk(text: PreparedText, visitor: TextVisitor): void {
    this.walkPart(text.subject.tokens, 0, visitor);
    this.walkPart(text.body.tokens, 1, visitor);
  }

  private walkPart(clauseTokens: ClauseTokens, part: 0 | 1, visitor: TextVisitor): void {
    const { tokens, clauses } = clauseTokens;
    const count = Math.min(tokens.length, this.spec.maxTokens);
    let previousHash = 0;
    const keySalt = part === 0 ? SALT.subjectKey : SALT.bodyKey;
    for (let position = 0; position < count; position++) {
      const token = tokens[position]!;
      // The word hash and the key in one pass over the word.
      let hash = FNV_OFFSET ^ SALT.word;
      let key = FNV_OFFSET ^ keySalt;
      for (let index = 0; index < token.length; index++) {
        const code = token.charCodeAt(index);
        hash = Math.imul(hash ^ code, FNV_PRIME);
        key = Math.imul(key ^ code, KEY_PRIME);
      }
      const wordHash = hash >>> 0;
      visitor.word(part, position, token, wordHash, key);
      if (position > 0 && clauses[position - 1] === clauses[position]) visitor.pair(part, position, bucketOf(mix(previousHash, wordHash, SALT.pair), this.mask), previousHash, wordHash);
      previousHash = wordHash;
    }
  }

  /** The buckets of a word's unit (see the class), each once with its count, into `into`. */
  wordBuckets(token: string, wordHash: number, part: 0 | 1, into: TokenBuckets): void {
    into.size = 0;
    const { mask } = this;
    add(into, bucketOf(wordHash, mask));
    if (part === 0) add(into, bucketOf(hashString(token, SALT.subjectWord), mask));
    if (isDigits(token)) return;
    // Character n-grams of " token " (edges marked), hashed incrementally: no substring is built.
    const [shortest, longest] = this.spec.charGrams;
    const length = token.length + 2;
    if (this.codes.length < length) this.codes = new Int32Array(length * 2);
    const { codes } = this;
    codes[0] = EDGE;
    for (let index = 0; index < token.length; index++) codes[index + 1] = token.charCodeAt(index);
    codes[length - 1] = EDGE;
    for (let start = 0; start + shortest <= length; start++) {
      let hash = FNV_OFFSET ^ SALT.gram;
      const end = Math.min(length, start + longest);
      for (let index = start; index < end; index++) {
        hash = Math.imul(hash ^ codes[index]!, FNV_PRIME);
        if (index - start + 1 >= shortest) add(into, bucketOf(hash, mask));
      }
    }
  }
}

/** The hash bucket of a feature's hash. */
function bucketOf(hash: number, mask: number): number {
  return (hash ^ (hash >>> 15)) & mask;
}

/** Counts `bucket` into a token's buckets (a word has a few dozen: a scan beats a table). */
function add(into: TokenBuckets, bucket: number): void {
  const { buckets, counts } = into;
  for (let index = 0; index < into.size; index++) {
    if (buckets[index] === bucket) {
      counts[index]! += 1;
      return;
    }
  }
  if (into.size === buckets.length) {
    into.buckets = grown(buckets);
    into.counts = grown(counts);
  }
  into.buckets[into.size] = bucket;
  into.counts[into.size++] = 1;
}

/**
 * How much a unit weighs in its ticket's vector: 1 + ln(count), TF-IDF's sublinear term frequency
 * per unit. A word's unit is its buckets' idf scaled to unit length (wordScale), a pair's its one
 * bucket (of weight 1), and the ticket's vector is the sum of its units' weighted vectors over
 * the root of the sum of their squared weights: unit length but where units share buckets. So a
 * ticket's score is a sum over its units of what each unit scores on its own, which a model
 * computes once per distinct word (learned-model.ts). Against TF-IDF per bucket (the units'
 * buckets merged), 5-fold macro-F1 with the rules' signals: issue reports 0.784 -> 0.802, app
 * reviews 0.741 -> 0.735: each distinct word counts the same however long it is, where before a
 * long word's dozen n-grams outweighed a short one.
 */
export function unitWeight(count: number): number {
  return count < UNIT_WEIGHTS.length ? UNIT_WEIGHTS[count]! : 1 + Math.log(count);
}

/** 1 / the length of the idf vector of a word's buckets `start` .. `end` (`counts` times idf), the scale that makes it unit length; a bucket's idf is at idf[bucket * stride]. */
export function wordScale(buckets: Int32Array, counts: Float32Array, start: number, end: number, idf: Float32Array, stride = 1): number {
  let squares = 0;
  for (let index = start; index < end; index++) {
    const value = counts[index]! * idf[buckets[index]! * stride]!;
    squares += value * value;
  }
  return squares > 0 ? 1 / Math.sqrt(squares) : 0;
}

/** 1 + ln(count) for the counts most units have, computed once (the same doubles Math.log gives). */
const UNIT_WEIGHTS = Float64Array.from({ length: 64 }, (_, count) => 1 + Math.log(count));

/** Smoothed inverse document frequency per bucket, ln((1 + n) / (1 + df)) + 1, as scikit-learn computes it, from each bucket's document frequency over n documents. */
export function inverseDocumentFrequency(frequency: Float64Array, documents: number): Float32Array {
  const idf = new Float32Array(frequency.length);
  for (let bucket = 0; bucket < frequency.length; bucket++) idf[bucket] = Math.log((1 + documents) / (1 + frequency[bucket]!)) + 1;
  return idf;
}

/** A copy of `array` `length` long (twice as long by default), the rest zeros. */
export function grown<T extends Int32Array | Uint8Array | Float32Array>(array: T, length = array.length * 2): T {
  const larger = new (array.constructor as new (length: number) => T)(length);
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
