import { seededRandom, shuffleInPlace } from './seeded-random.js';
import type { SparseVector } from './text-features.js';

/**
 * Multinomial logistic regression (softmax over linear scores), L2-regularised, trained by
 * stochastic gradient descent on the log loss. Its outputs are probabilities that sum to one, so
 * "the model is unsure" is a number (the winner's probability), not a guess from a margin.
 */
export interface SoftmaxOptions {
  readonly epochs: number;
  /** L2 penalty (lambda) per example. */
  readonly l2: number;
  /** Initial step; it decays as eta0 / (1 + eta0 * l2 * t) (Bottou's schedule for L2-regularised SGD). */
  readonly learningRate: number;
  /** Shuffling seed: the same data and seed give the same model. */
  readonly seed: number;
  /** Weigh each class inversely to its frequency, so a rare category counts as much as a common one (macro-F1). */
  readonly balanced: boolean;
  /**
   * Return the mean of the weights at the end of each epoch of the second half rather than the
   * last ones (averaged SGD, Polyak-Ruppert): the last steps' noise averages out. On the shared
   * datasets' 5-fold CV: issue reports 0.758 -> 0.767 macro-F1, app reviews 0.731 -> 0.727.
   */
  readonly average: boolean;
}

export const SOFTMAX_DEFAULTS: SoftmaxOptions = { epochs: 12, l2: 1e-5, learningRate: 0.5, seed: 1, balanced: true, average: true };

/** Weights laid out bucket-major (`weights[bucket * classes + class]`), so one bucket's classes sit together. */
export interface LinearWeights {
  readonly classes: number;
  readonly dimension: number;
  readonly weights: Float32Array;
  readonly bias: Float32Array;
}

/** `labels[i]` is the class index (0 .. classes-1) of `rows[i]`. */
export function trainSoftmax(rows: readonly SparseVector[], labels: ArrayLike<number>, classes: number, dimension: number, options: SoftmaxOptions = SOFTMAX_DEFAULTS): LinearWeights {
  if (rows.length !== labels.length) throw new RangeError(`${rows.length} rows but ${labels.length} labels`);
  // w = scale * v: the L2 shrink of every weight at every step is one multiplication of `scale`.
  const v = new Float64Array(dimension * classes);
  const bias = new Float64Array(classes);
  let scale = 1;
  const sampleWeight = classWeights(labels, classes, options.balanced);
  const order = Array.from({ length: rows.length }, (_, index) => index);
  const random = seededRandom(options.seed);
  const scores = new Float64Array(classes);
  const deltas = new Float64Array(classes);
  let step = 0;
  const averageFrom = Math.floor(options.epochs / 2);
  const averaged = options.average && options.epochs > averageFrom ? new Float64Array(v.length) : null;
  const averagedBias = new Float64Array(classes);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const index of order) {
      const { indices, values } = rows[index]!;
      const label = labels[index]!;
      const rate = options.learningRate / (1 + options.learningRate * options.l2 * step++);
      scoreInto(v, bias, scale, indices, values, classes, scores);
      softmaxInPlace(scores);
      scale *= 1 - rate * options.l2;
      const weight = sampleWeight[label]!;
      for (let c = 0; c < classes; c++) {
        const gradient = (scores[c]! - (c === label ? 1 : 0)) * weight;
        deltas[c] = (rate * gradient) / scale;
        bias[c]! -= rate * gradient;
      }
      // One pass over the row, its classes side by side (bucket-major weights).
      for (let k = 0; k < indices.length; k++) {
        const base = indices[k]! * classes;
        const value = values[k]!;
        for (let c = 0; c < classes; c++) v[base + c]! -= deltas[c]! * value;
      }
      if (scale < 1e-6) {
        for (let k = 0; k < v.length; k++) v[k]! *= scale;
        scale = 1;
      }
    }
    if (averaged !== null && epoch >= averageFrom) {
      for (let k = 0; k < v.length; k++) averaged[k]! += v[k]! * scale;
      for (let c = 0; c < classes; c++) averagedBias[c]! += bias[c]!;
    }
  }
  const weights = new Float32Array(v.length);
  const bias32 = new Float32Array(classes);
  if (averaged !== null) {
    const epochs = options.epochs - averageFrom;
    for (let k = 0; k < v.length; k++) weights[k] = averaged[k]! / epochs;
    for (let c = 0; c < classes; c++) bias32[c] = averagedBias[c]! / epochs;
  } else {
    for (let k = 0; k < v.length; k++) weights[k] = v[k]! * scale;
    bias32.set(bias);
  }
  return { classes, dimension, weights, bias: bias32 };
}

/** Class probabilities of one row (its first `size` entries), written into `out` (length `classes`). */
export function predictProbabilities(model: LinearWeights, row: SparseVector, out: Float64Array = new Float64Array(model.classes), size: number = row.indices.length): Float64Array {
  scoreInto(model.weights, model.bias, 1, row.indices, row.values, model.classes, out, size);
  return softmaxInPlace(out);
}

/** Linear scores scale * (w . x) + b per class into `out`; bucket b's weight for class c is at w[b * classes + c]. */
function scoreInto(
  weights: Float64Array | Float32Array,
  bias: Float64Array | Float32Array,
  scale: number,
  indices: Int32Array,
  values: Float32Array,
  classes: number,
  out: Float64Array,
  size: number = indices.length,
): void {
  out.fill(0);
  for (let k = 0; k < size; k++) {
    const base = indices[k]! * classes;
    const value = values[k]!;
    for (let c = 0; c < classes; c++) out[c]! += weights[base + c]! * value;
  }
  for (let c = 0; c < classes; c++) out[c] = out[c]! * scale + bias[c]!;
}

/** Linear scores to probabilities, in place (shifted by the highest score, so exp never overflows). */
export function softmaxInPlace(scores: Float64Array): Float64Array {
  let max = -Infinity;
  for (const score of scores) if (score > max) max = score;
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    scores[c] = Math.exp(scores[c]! - max);
    sum += scores[c]!;
  }
  for (let c = 0; c < scores.length; c++) scores[c]! /= sum;
  return scores;
}

/** n / (classes present * n_c) per class when balanced (scikit-learn's "balanced"), else 1. */
function classWeights(labels: ArrayLike<number>, classes: number, balanced: boolean): Float64Array {
  const weights = new Float64Array(classes).fill(1);
  if (!balanced) return weights;
  const counts = new Float64Array(classes);
  for (let index = 0; index < labels.length; index++) counts[labels[index]!]! += 1;
  const present = counts.filter((count) => count > 0).length;
  for (let c = 0; c < classes; c++) weights[c] = counts[c]! > 0 ? labels.length / (present * counts[c]!) : 1;
  return weights;
}
