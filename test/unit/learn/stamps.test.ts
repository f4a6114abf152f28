import { describe, expect, it } from 'vitest';
import { nextStamp } from '../../../src/core/learn/stamps.js';

describe('nextStamp', () => {
  it('counts up and leaves the marks alone', () => {
    const marks = Int32Array.of(3, 7);
    expect(nextStamp(7, marks)).toBe(8);
    expect([...marks]).toEqual([3, 7]);
  });

  it('after the last stamp an Int32Array holds, zeroes every array and starts over at 1', () => {
    const last = 2 ** 31 - 1;
    const first = Int32Array.of(last, 5);
    const second = Int32Array.of(last);
    expect(nextStamp(last, first, second)).toBe(1);
    expect([...first, ...second]).toEqual([0, 0, 0]);
  });
});
