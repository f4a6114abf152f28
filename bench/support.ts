/**
 * Small helpers every benchmark section shares: waiting, rounding and latency percentiles.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One decimal place, for seconds and ratios in the table. */
export const round = (value: number) => Math.round(value * 10) / 10;

/** Two decimal places, for milliseconds of sub-millisecond latencies. */
export const round2 = (value: number) => Math.round(value * 100) / 100;

/** Polls `check` every 50 ms (or `everyMs`) until it holds; throws `what` after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what = 'benchmark scenario', everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} timed out after ${Math.round(timeoutMs / 1000)} s`);
    await sleep(everyMs);
  }
}

/** The value at `fraction` (0.5, 0.99) of an ascending list; 0 for an empty one (nearest rank). */
export function percentile(sorted: ArrayLike<number>, fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** p50/p99/max of latencies in ms (sorts a copy). */
export function summarize(latenciesMs: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(latenciesMs).sort();
  return { count: sorted.length, p50Ms: round2(percentile(sorted, 0.5)), p99Ms: round2(percentile(sorted, 0.99)), maxMs: round2(sorted.at(-1) ?? 0) };
}

/** Seconds since `start` (a performance.now() reading), one decimal. */
export function secondsSince(start: number): number {
  return round((performance.now() - start) / 1000);
}

/** A positive whole number from the environment, or the default (a typo fails loudly rather than benchmarking 0). */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}=${raw} must be a positive number`);
  return value;
}

/** Most of `times` (ascending ms) inside any window of `windowMs`. */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  let from = 0;
  for (let to = 0; to < times.length; to += 1) {
    while (times[to]! - times[from]! >= windowMs) from += 1;
    most = Math.max(most, to - from + 1);
  }
  return most;
}

/** Runs `work` over `items` with at most `concurrency` at once. */
export async function forEachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let cursor = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (cursor < items.length) {
        const index = cursor++;
        await work(items[index]!, index);
      }
    }),
  );
}

/** Jobs of a queue still to run: waiting, active, prioritized or delayed. */
export async function pendingJobs(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('wait', 'active', 'prioritized', 'delayed');
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

/** Where the CPU went over a stretch, in cores (1.0 = one core busy the whole time). */
export interface CpuShare {
  /** This process, all its threads. */
  readonly process: number;
  /** The Redis server (every client's work, other engineers' tests included). */
  readonly redis: number;
  /** Everything else on the machine (Linux /proc/stat; null elsewhere). */
  readonly others: number | null;
  /** Share of the time this thread's event loop was busy, 0..1. */
  readonly eventLoop: number;
}

/** Starts measuring; the returned function ends the stretch and says where the CPU went. */
export async function startCpuMeter(redis: Redis): Promise<() => Promise<CpuShare>> {
  const wall = performance.now();
  const processCpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  const machine = machineBusySeconds();
  const redisCpu = await redisCpuSeconds(redis);
  return async () => {
    const seconds = (performance.now() - wall) / 1000;
    const used = process.cpuUsage(processCpu);
    const share = (value: number) => Math.round((value / seconds) * 100) / 100;
    const processCores = share((used.user + used.system) / 1e6);
    const redisCores = share((await redisCpuSeconds(redis)) - redisCpu);
    const machineNow = machineBusySeconds();
    return {
      process: processCores,
      redis: redisCores,
      others: machine === null || machineNow === null ? null : Math.max(0, Math.round((share(machineNow - machine) - processCores - redisCores) * 100) / 100),
      eventLoop: Math.round(performance.eventLoopUtilization(loop).utilization * 100) / 100,
    };
  };
}

export function describeCpu(cpu: CpuShare): string {
  return `this process ${cpu.process}, redis ${cpu.redis}, others ${cpu.others ?? '?'} cores`;
}

/** Seconds all CPUs were busy since boot (/proc/stat, in USER_HZ = 100 ticks a second), or null off Linux. */
function machineBusySeconds(): number | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    const busy = [0, 1, 2, 5, 6, 7].reduce((sum, index) => sum + (fields[index] ?? 0), 0);
    return busy / 100;
  } catch {
    return null;
  }
}

/** CPU seconds the Redis server has used (user + sys) since it started. */
export async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const value = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return value('used_cpu_user') + value('used_cpu_sys');
}

/** What a bench worker thread posts back ({ ok, result } or { ok: false, error }); the thread is terminated after. */
export async function resultOfWorker<T>(worker: Worker): Promise<T> {
  try {
    return await new Promise<T>((resolve, reject) => {
      worker.once('message', (message: { ok: true; result: T } | { ok: false; error: string }) => (message.ok ? resolve(message.result) : reject(new Error(message.error))));
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}
