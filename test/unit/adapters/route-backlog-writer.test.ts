import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Queue } from 'bullmq';
import { RouteBacklogWriter } from '../../../src/adapters/queue/route-backlog-writer.js';
import type { BullmqRouteQueue } from '../../../src/adapters/queue/bullmq-route-queue.js';
import type { BatchJob } from '../../../src/app/job-catalogue.js';
import type { RouteBacklog, RoutingMetrics, UpdateBudget } from '../../../src/app/ports.js';
import type { RouteWriterDeps } from '../../../src/app/write-routes.js';
import { silent } from '../../support/zendesk-fixtures.js';

type Waiting = Awaited<ReturnType<RouteBacklog['waiting']>>;

/**
 * A backlog whose `waiting()` answers as told, recording when the writer looked and the claims it
 * asked for (none granted: another writer took them).
 */
function fakeBacklog(answer: () => Waiting) {
  const looks: number[] = [];
  const claims: unknown[][] = [];
  const listeners: Array<() => void> = [];
  const backlog = {
    waiting: async () => {
      looks.push(Date.now());
      return answer();
    },
    onQueued: (listener: () => void) => void listeners.push(listener),
    claim: async (...args: unknown[]) => (claims.push(args), null),
  } as unknown as RouteBacklog;
  return { backlog, looks, claims, queued: () => listeners.forEach((listener) => listener()) };
}

/** A backlog with nothing due (its first write `nextDueAt` if given). */
function idleBacklog(nextDueAt: () => number | null = () => null) {
  return fakeBacklog(() => ({ count: 0, oldestDueAt: null, nextDueAt: nextDueAt(), burst: false }));
}

function writerOn(backlog: RouteBacklog): RouteBacklogWriter {
  const budget = { wait: async () => 0 } as unknown as UpdateBudget;
  return new RouteBacklogWriter({
    backlog,
    budget,
    writer: {} as RouteWriterDeps,
    batches: { getJobCountByTypes: async () => 0 } as unknown as Queue<BatchJob>,
    singles: {} as BullmqRouteQueue,
    batchThreshold: 10,
    metrics: {} as RoutingMetrics,
    logger: silent,
  });
}

describe('RouteBacklogWriter, idle', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('looks once a second with nothing due, and 100 ms after its process queues a write (not at once: a burst batches)', async () => {
    const { backlog, looks, queued } = idleBacklog();
    const writer = writerOn(backlog);
    writer.start();
    await vi.advanceTimersByTimeAsync(2_500);
    expect(looks).toEqual([0, 1_000, 2_000]);
    queued();
    queued(); // a second write meanwhile: still one look
    await vi.advanceTimersByTimeAsync(99);
    expect(looks).toEqual([0, 1_000, 2_000]);
    await vi.advanceTimersByTimeAsync(1);
    expect(looks).toEqual([0, 1_000, 2_000, 2_600]);
    await writer.stop();
  });

  it('looks when the first write falls due, if that is sooner than a second', async () => {
    const { backlog, looks } = idleBacklog(() => 250);
    const writer = writerOn(backlog);
    writer.start();
    await vi.advanceTimersByTimeAsync(260);
    expect(looks.slice(0, 2)).toEqual([0, 250]);
    await writer.stop();
  });
});

/** A backlog whose writes are due as `waiting` says. */
const lookedAtBacklog = (waiting: Waiting) => fakeBacklog(() => waiting);

describe('RouteBacklogWriter, single or batch', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 10_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes a few waiting writes alone at once while no burst is on, claiming only if none begins meanwhile', async () => {
    const { backlog, claims } = lookedAtBacklog({ count: 3, oldestDueAt: 10_000, nextDueAt: null, burst: false });
    await writerOn(backlog).step();
    expect(claims).toEqual([[1, 30_000, { notInBurst: true }]]);
  });

  it('in a burst, leaves a few writes to fill a batch, and sends what is left as one call once the oldest has waited 1 s', async () => {
    const { backlog, claims } = lookedAtBacklog({ count: 3, oldestDueAt: 10_000, nextDueAt: null, burst: true });
    const writer = writerOn(backlog);
    expect(await writer.step()).toBe(100);
    vi.setSystemTime(10_999);
    expect(await writer.step()).toBe(100);
    expect(claims).toEqual([]);
    vi.setSystemTime(11_000);
    await writer.step();
    // The claim checks the linger again on Redis's clock: another writer may have taken these meanwhile.
    expect(claims).toEqual([[100, 30_000, { lingeredMs: 1_000, markBurstMs: 2_000 }]]);
  });

  it('claims a full batch at once, and the claim marks a burst', async () => {
    const { backlog, claims } = lookedAtBacklog({ count: 250, oldestDueAt: 10_000, nextDueAt: null, burst: false });
    await writerOn(backlog).step();
    expect(claims).toEqual([[100, 30_000, { lingeredMs: 1_000, markBurstMs: 2_000 }]]);
  });
});
