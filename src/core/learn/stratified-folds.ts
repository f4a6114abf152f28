import { seededRandom, shuffleInPlace } from './seeded-random.js';

/**
 * Assigns each row to one of `k` folds so that every fold holds about the same share of every
 * label. Rows of each label (labels in sorted order) are shuffled with `seed` (null: kept in
 * order), then dealt out round-robin, the deal carrying on from one label to the next, so fold
 * sizes differ by at most one. Returns the fold (0 .. k-1) of each row.
 */
export function stratifiedFolds(labels: readonly string[], k: number, seed: number | null): Int32Array {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k-fold cross-validation needs k >= 2 (got ${k})`);
  const random = seed === null ? null : seededRandom(seed);
  const byLabel = new Map<string, number[]>();
  labels.forEach((label, row) => {
    const rows = byLabel.get(label);
    if (rows) rows.push(row);
    else byLabel.set(label, [row]);
  });
  const folds = new Int32Array(labels.length);
  let next = 0;
  for (const label of [...byLabel.keys()].sort()) {
    const rows = byLabel.get(label)!;
    for (const row of random === null ? rows : shuffleInPlace(rows, random)) {
      folds[row] = next;
      next = (next + 1) % k;
    }
  }
  return folds;
}
