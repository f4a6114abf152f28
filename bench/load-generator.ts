/**
 * Drives signed Zendesk webhooks at a server from a worker thread (load-worker.ts), so the
 * generator never shares an event loop with the server it measures; on two cores the thread
 * and the server each get one, and how busy each was is reported with the figures.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { summarize, type LatencySummary } from './support.js';

export interface LoadSpec {
  /** Origin of the server; requests go to /webhooks/zendesk. */
  readonly url: string;
  readonly secret: string;
  readonly mode: 'open' | 'closed';
  /** Open loop: requests per second offered. */
  readonly rate: number;
  readonly connections: number;
  /** Sent at the same load first and left out of the figures. */
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Closed loop: requests prepared (the run ends early if they run out). */
  readonly maxRequests: number;
  /** Ticket ids of the run start here, so every run's events are distinct. */
  readonly firstTicketId: number;
}

export interface LoadResult {
  /** From when each request was due (open loop) or sent (closed loop) to its answer, ms. */
  readonly latencies: Float64Array;
  /** From when each request was written to its connection: without the time it waited for a free connection or a late generator. */
  readonly latenciesFromSend: Float64Array;
  /** HTTP status -> count, of the requests due in the measured window ("0": connection failed). */
  readonly statuses: Record<string, number>;
  readonly answeredPerSecond: number;
  readonly measuredSeconds: number;
  /** Still unanswered 10 s after the run ended. */
  readonly unanswered: number;
  /** Share of the measured window the generator thread was busy (1: it was the bottleneck). */
  readonly generatorUtilization: number;
}

export interface LoadFigures extends LatencySummary {
  readonly mode: 'open' | 'closed';
  readonly offeredPerSecond: number | null;
  readonly connections: number;
  readonly answeredPerSecond: number;
  /** p99 from the moment the request was written (the generator's own delays left out). */
  readonly p99FromSendMs: number;
  readonly non200: number;
  readonly unanswered: number;
  /** Event-loop utilisation of the server's thread (this one) and of the generator's, 0..1. */
  readonly serverUtilization: number;
  readonly generatorUtilization: number;
}

/** What the generator thread tells this one: its measured window opening and closing, then the result. */
export type LoadMessage = { type: 'window-start' } | { type: 'window-end' } | { type: 'result'; result: LoadResult } | { type: 'error'; error: string };

/** Runs one load step in a fresh worker thread and summarises it. */
export async function runLoad(spec: LoadSpec): Promise<LoadFigures> {
  const worker = new Worker(new URL('./load-worker.js', import.meta.url), { workerData: spec });
  // The server's utilisation is taken over the generator's measured window only.
  let windowStart = performance.eventLoopUtilization();
  let serverUtilization = 0;
  const result = await new Promise<LoadResult>((resolve, reject) => {
    worker.on('message', (message: LoadMessage) => {
      if (message.type === 'window-start') windowStart = performance.eventLoopUtilization();
      else if (message.type === 'window-end') serverUtilization = performance.eventLoopUtilization(windowStart).utilization;
      else if (message.type === 'result') resolve(message.result);
      else reject(new Error(`load generator failed: ${message.error}`));
    });
    worker.once('error', reject);
  }).finally(() => worker.terminate());
  const count = (status: string) => result.statuses[status] ?? 0;
  const total = Object.values(result.statuses).reduce((sum, n) => sum + n, 0);
  return {
    mode: spec.mode,
    offeredPerSecond: spec.mode === 'open' ? spec.rate : null,
    connections: spec.connections,
    answeredPerSecond: Math.round(result.answeredPerSecond),
    ...summarize(result.latencies),
    p99FromSendMs: summarize(result.latenciesFromSend).p99Ms,
    non200: total - count('200'),
    unanswered: result.unanswered,
    serverUtilization: Math.round(serverUtilization * 100) / 100,
    generatorUtilization: Math.round(result.generatorUtilization * 100) / 100,
  };
}
