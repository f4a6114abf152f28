/**
 * A small deterministic generator (mulberry32): the same seed gives the same folds and the same
 * training order on every machine, so a `cxloop train` run can be repeated figure for figure.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Shuffles `items` in place (Fisher-Yates) with `random`, and returns it. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    const kept = items[index]!;
    items[index] = items[other]!;
    items[other] = kept;
  }
  return items;
}
