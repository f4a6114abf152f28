import { describe, expect, it } from 'vitest';
import { predictProbabilities, SOFTMAX_DEFAULTS, trainSoftmax } from '../../../src/core/learn/softmax-regression.js';
import { seededRandom } from '../../../src/core/learn/seeded-random.js';
import type { SparseVector } from '../../../src/core/learn/text-features.js';

const DIMENSION = 64;
const CLASSES = 3;

/** Rows whose class shows in a few features of its own (plus shared noise), made from a seed. */
function separableRows(count: number): { rows: SparseVector[]; labels: Int32Array } {
  const random = seededRandom(7);
  const rows: SparseVector[] = [];
  const labels = new Int32Array(count);
  for (let index = 0; index < count; index++) {
    const label = index % CLASSES;
    labels[index] = label;
    const own = [label * 10 + Math.floor(random() * 5), label * 10 + 5 + Math.floor(random() * 5)];
    const noise = [40 + Math.floor(random() * 24)];
    const indices = Int32Array.from([...new Set([...own, ...noise])].sort((a, b) => a - b));
    rows.push({ indices, values: Float32Array.from(indices, () => 0.5 + random() / 2) });
  }
  return { rows, labels };
}

describe('trainSoftmax', () => {
  const { rows, labels } = separableRows(90);

  it('averaged: the mean of the weights at the end of each epoch of the second half', () => {
    const epochs = 8;
    const averaged = trainSoftmax(rows, labels, CLASSES, DIMENSION, { ...SOFTMAX_DEFAULTS, epochs, average: true });
    // Same seed, same shuffles and steps: training for e epochs gives the weights at the end of epoch e.
    const snapshots = [5, 6, 7, 8].map((e) => trainSoftmax(rows, labels, CLASSES, DIMENSION, { ...SOFTMAX_DEFAULTS, epochs: e, average: false }));
    const mean = (pick: (model: (typeof snapshots)[number]) => Float32Array, k: number) => snapshots.reduce((sum, model) => sum + pick(model)[k]!, 0) / snapshots.length;
    for (let k = 0; k < averaged.weights.length; k++) expect(averaged.weights[k]).toBeCloseTo(mean((model) => model.weights, k), 5);
    for (let c = 0; c < CLASSES; c++) expect(averaged.bias[c]).toBeCloseTo(mean((model) => model.bias, c), 5);
    expect(averaged.weights.some((weight) => weight !== 0)).toBe(true);
  });

  it('learns the classes either way', () => {
    for (const average of [true, false]) {
      const model = trainSoftmax(rows, labels, CLASSES, DIMENSION, { ...SOFTMAX_DEFAULTS, average });
      const right = rows.filter((row, index) => {
        const probabilities = predictProbabilities(model, row);
        return probabilities.indexOf(Math.max(...probabilities)) === labels[index];
      }).length;
      expect(right).toBe(rows.length);
    }
  });
});
