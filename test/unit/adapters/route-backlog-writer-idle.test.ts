import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Queue } from 'bullmq';
import { RouteBacklogWriter } from '../../../src/adapters/queue/route-backlog-writer.js';
import type { BullmqRouteQueue } from '../../../src/adapters/queue/bullmq-route-queue.js';
import type { BatchJob } from '../../../src/app/job-catalogue.js';
import type { RouteBacklog, RoutingMetrics, UpdateBudget } from '../../../src/app/ports.js';
import type { RouteWriterDeps } from '../../../src/app/write-routes.js';
import { silent } from '../../support/zendesk-fixtures.js';

/** A backlog with nothing due (its first write `nextDueAt` if given), recording when the writer looked. */
function idleBacklog(nextDueAt: () => number | null = () => null) {
  const looks: number[] = [];
  const listeners: Array<() => void> = [];
  const backlog = {
    waiting: async () => {
      looks.push(Date.now());
      return { count: 0, oldestDueAt: null, nextDueAt: nextDueAt() };
    },
    onQueued: (listener: () => void) => void listeners.push(listener),
  } as unknown as RouteBacklog;
  return { backlog, looks, queued: () => listeners.forEach((listener) => listener()) };
}

function writerOn(backlog: RouteBacklog): RouteBacklogWriter {
  const budget = { wait: async () => 0 } as unknown as UpdateBudget;
  return new RouteBacklogWriter({
    backlog,
    budget,
    writer: {} as RouteWriterDeps,
    batches: {} as Queue<BatchJob>,
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
