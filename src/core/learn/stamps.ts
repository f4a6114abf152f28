/** The last stamp an Int32Array holds. */
const MAX_STAMP = 2 ** 31 - 1;

/**
 * The stamp after `stamp` for arrays that mark what one pass touched (an entry is the pass's when
 * it holds the pass's stamp, so a new pass clears nothing): after the last one an Int32Array
 * holds, the arrays are zeroed and stamps start over at 1.
 */
export function nextStamp(stamp: number, ...marked: Int32Array[]): number {
  if (stamp < MAX_STAMP) return stamp + 1;
  for (const array of marked) array.fill(0);
  return 1;
}
