import { describe, expect, it } from 'vitest';
import { GroupedCalls } from '../../../src/adapters/redis/grouped-calls.js';

/** A send that records each group and answers when the test says so. */
function heldSend() {
  const groups: number[][] = [];
  const held: Array<() => void> = [];
  const send = (calls: readonly number[]) => {
    groups.push([...calls]);
    return new Promise<ReadonlyArray<number | Error>>((resolve) => held.push(() => resolve(calls.map((call) => (call < 0 ? new Error(`bad ${call}`) : call * 10)))));
  };
  const release = async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    held.splice(0).forEach((answer) => answer());
  };
  return { groups, send, release };
}

describe('GroupedCalls: many callers, one script call per group', () => {
  it('sends the calls made together as one group, in order, and answers each caller its own', async () => {
    const { groups, send, release } = heldSend();
    const grouped = new GroupedCalls(send);
    const answers = Promise.all([1, 2, 3].map((call) => grouped.call(call)));
    await release();
    expect(await answers).toEqual([10, 20, 30]);
    expect(groups).toEqual([[1, 2, 3]]);
  });

  it('holds the calls made while a group is in Redis, and sends them together as the next group', async () => {
    const { groups, send, release } = heldSend();
    const grouped = new GroupedCalls(send);
    const first = grouped.call(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(groups).toEqual([[1]]);
    const later = [grouped.call(2), grouped.call(3)];
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(groups).toEqual([[1]]); // not while the first is in flight
    await release();
    expect(await first).toBe(10);
    await release();
    expect(await Promise.all(later)).toEqual([20, 30]);
    expect(groups).toEqual([[1], [2, 3]]);
  });

  it('rejects only the call whose answer is an error, and every call of a group whose send failed', async () => {
    const { send, release } = heldSend();
    const grouped = new GroupedCalls(send);
    const answers = Promise.allSettled([grouped.call(4), grouped.call(-1), grouped.call(5)]);
    await release();
    expect((await answers).map((answer) => (answer.status === 'fulfilled' ? answer.value : (answer.reason as Error).message))).toEqual([40, 'bad -1', 50]);
    const failing = new GroupedCalls<number, number>(() => Promise.reject(new Error('connection lost')));
    const failed = await Promise.allSettled([failing.call(1), failing.call(2)]);
    expect(failed.map((answer) => answer.status === 'rejected' && (answer.reason as Error).message)).toEqual(['connection lost', 'connection lost']);
    // A send that answers fewer calls than it was given rejects the rest rather than leave them waiting.
    const short = new GroupedCalls<number, number>((calls) => Promise.resolve(calls.slice(1)));
    const partial = await Promise.allSettled([short.call(1), short.call(2)]);
    expect(partial.map((answer) => answer.status)).toEqual(['fulfilled', 'rejected']);
  });

  it('keeps a group to its most calls, sending the rest as the groups after it', async () => {
    const groups: number[][] = [];
    const grouped = new GroupedCalls<number, number>((calls) => {
      groups.push([...calls]);
      return Promise.resolve(calls);
    }, 2);
    expect(await Promise.all([1, 2, 3, 4, 5].map((call) => grouped.call(call)))).toEqual([1, 2, 3, 4, 5]);
    expect(groups).toEqual([[1, 2], [3, 4], [5]]);
  });
});
