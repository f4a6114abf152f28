import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PollingLoop } from '../../../src/app/polling-loop.js';

/** A step that records when it ran (on the fake clock) and answers the pauses given, then 1 h. */
function recordingStep(pauses: (number | Error)[]) {
  const ranAt: number[] = [];
  const step = async () => {
    ranAt.push(Date.now());
    const next = pauses.shift() ?? 3_600_000;
    if (next instanceof Error) throw next;
    return next;
  };
  return { ranAt, step };
}

describe('PollingLoop', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits as long as each round asks, goes on at once on 0, and pauses after a failure', async () => {
    const errors: string[] = [];
    const { ranAt, step } = recordingStep([0, 250, new Error('redis went away'), 100]);
    const loop = new PollingLoop({ step, onError: (error) => errors.push(error.message), failurePauseMs: 1_000 });
    loop.start();
    await vi.advanceTimersByTimeAsync(1_400);
    expect(ranAt).toEqual([0, 0, 250, 1_250, 1_350]);
    expect(errors).toEqual(['redis went away']);
    await loop.stop();
  });

  it('wakeOne() ends one wait of several, and wake() all of them', async () => {
    const ranAt: number[] = [];
    const loop = new PollingLoop({ step: async () => (ranAt.push(Date.now()), 60_000), onError: () => undefined, failurePauseMs: 1_000, concurrency: 3 });
    loop.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(ranAt).toEqual([0, 0, 0]);
    loop.wakeOne();
    await vi.advanceTimersByTimeAsync(0);
    expect(ranAt).toEqual([0, 0, 0, 10]);
    loop.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(ranAt).toEqual([0, 0, 0, 10, 10, 10, 10]);
    await loop.stop();
  });

  it('a wake() while a round is in flight starts the next round at once instead of waiting', async () => {
    let finishRound: () => void = () => undefined;
    const ranAt: number[] = [];
    const loop = new PollingLoop({
      step: async () => {
        ranAt.push(Date.now());
        if (ranAt.length === 1) await new Promise<void>((resolve) => (finishRound = resolve));
        return 60_000;
      },
      onError: () => undefined,
      failurePauseMs: 1_000,
    });
    loop.start();
    await vi.advanceTimersByTimeAsync(10);
    loop.wake(); // the round looked before what woke it: it must look again
    finishRound();
    await vi.advanceTimersByTimeAsync(0);
    expect(ranAt).toEqual([0, 10]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(ranAt).toEqual([0, 10]); // and then waits as asked
    await loop.stop();
  });

  it('stop() and wake() cut a wait short; stop() waits for the round in hand', async () => {
    let finishRound: () => void = () => undefined;
    let rounds = 0;
    const loop = new PollingLoop({
      step: async () => {
        rounds += 1;
        if (rounds === 2) await new Promise<void>((resolve) => (finishRound = resolve));
        return 60_000;
      },
      onError: () => undefined,
      failurePauseMs: 1_000,
    });
    loop.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(rounds).toBe(1);
    loop.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(rounds).toBe(2);
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false); // round 2 is still running
    finishRound();
    await stopping;
    expect(rounds).toBe(2);
  });

  it('runs `concurrency` rounds side by side, and start() twice starts them once', async () => {
    let running = 0;
    let most = 0;
    const loop = new PollingLoop({
      step: async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 50));
        running -= 1;
        return 0;
      },
      onError: () => undefined,
      failurePauseMs: 1_000,
      concurrency: 3,
    });
    loop.start();
    loop.start();
    await vi.advanceTimersByTimeAsync(500);
    expect(most).toBe(3);
    const stopping = loop.stop();
    await vi.advanceTimersByTimeAsync(50);
    await stopping;
    expect(running).toBe(0);
  });
  it('with several rounds side by side, one idle round watches: the rest wait until a round finds work', async () => {
    const ranAt: number[] = [];
    const loop = new PollingLoop({ step: async () => (ranAt.push(Date.now()), 1_000), onError: () => undefined, failurePauseMs: 1_000, concurrency: 4 });
    loop.start();
    await vi.advanceTimersByTimeAsync(10_500);
    // Each waiting out its own pause, the 4 rounds looked 44 times in these 10.5 s.
    expect(ranAt).toEqual([0, 0, 0, 0, 1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 9_000, 10_000]);
    await loop.stop();
  });

  it('rounds that find work start the waiting ones, up to `concurrency` side by side, and go back to one watcher', async () => {
    let waiting = 0;
    let running = 0;
    let most = 0;
    const worked: number[] = [];
    const loop = new PollingLoop({
      step: async (found) => {
        if (waiting === 0) return 1_000;
        waiting -= 1;
        found();
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 100));
        running -= 1;
        worked.push(Date.now());
        return 0;
      },
      onError: () => undefined,
      failurePauseMs: 1_000,
      concurrency: 4,
    });
    loop.start();
    await vi.advanceTimersByTimeAsync(500);
    waiting = 12; // found by the watcher's next look, at 1,000
    await vi.advanceTimersByTimeAsync(1_000);
    expect(worked).toHaveLength(12);
    expect(most).toBe(4);
    // Each round that finds an item starts a waiting one at once: 4 at a time from 1,000, done at
    // 1,300 (one round alone: 2,200).
    expect(Math.max(...worked)).toBe(1_300);
    const looked = worked.length;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(worked).toHaveLength(looked);
    await loop.stop();
  });
});
