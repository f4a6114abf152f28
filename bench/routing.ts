/**
 * Routing figures (issue 3): webhook-to-write latency at a steady load under Zendesk's Update
 * Ticket limit, and the time to route a burst of new tickets, against a loopback fake Zendesk
 * that enforces 100 update calls/min and update_many's 100 tickets per call. The burst is set
 * next to writing one ticket per call, measured on a smaller burst and extrapolated.
 */
import { performance } from 'node:perf_hooks';
import type { Policy } from '../src/config/policy-schema.js';
import { withBenchCxloop, type BenchCxloop, type BenchCxloopOptions } from './bench-cxloop.js';
import { isRouted, postWebhooks, seedTicket, webhookFor } from './bench-tickets.js';
import type { FakeZendesk } from './fake-zendesk.js';
import { postSignedWebhook } from './post-webhook.js';
import { BENCH_SECRET } from './bench-cxloop.js';
import { round, sleep, summarize, until, type LatencySummary } from './support.js';

export interface RoutingBenchOptions {
  readonly redisUrl: string;
  readonly policy: Policy;
  readonly steadyTickets: number;
  readonly steadyPerSecond: number;
  readonly burstTickets: number;
  /** Tickets of the one-by-one burst; more than one minute's budget, so the sustained rate shows. */
  readonly oneByOneTickets: number;
  readonly updatesPerMinute: number;
  readonly log: (line: string) => void;
}

export interface RoutingBenchResult {
  readonly steady: LatencySummary & { tickets: number; perSecond: number };
  readonly burst: BurstResult;
  /** The burst when every ticket changed after its webhook: each write conflicts once. */
  readonly staleBurst: BurstResult;
  readonly oneByOne: OneByOneResult;
  /** The burst's time over one-by-one's (extrapolated from the measured one-by-one burst). */
  readonly speedup: number;
}

export interface BurstResult {
  tickets: number;
  seconds: number;
  ingestSeconds: number;
  updateCalls: number;
  updateManyCalls: number;
  rateLimited: number;
}

export interface OneByOneResult {
  /** Measured: this many tickets, every write a single Update Ticket call (batching off). */
  tickets: number;
  seconds: number;
  /** Tickets written per second over time: one minute's budget per measured window period (first write to the first write past the budget). */
  sustainedPerSecond: number;
  /** The routing burst's size written one by one: the first window's time + the rest at the sustained rate. */
  extrapolatedSeconds: number;
  /** The same from the limit alone: tickets / updatesPerMinute minutes. */
  boundSeconds: number;
}

const INGEST_CONNECTIONS = 32;

export async function benchRouting(options: RoutingBenchOptions): Promise<RoutingBenchResult> {
  const steady = await withBenchCxloop(cxloopOptions(options, 'routing'), ({ app, zendesk }) => runSteady(options, app.http.url, zendesk));
  options.log(`routing steady: ${steady.tickets} tickets at ${steady.perSecond}/s, p50 ${steady.p50Ms} ms, p99 ${steady.p99Ms} ms`);
  const burst = await withBenchCxloop(cxloopOptions(options, 'burst'), (bench) => runBurst(options, bench, options.burstTickets, false));
  options.log(`routing burst: ${burst.tickets} tickets routed in ${burst.seconds} s (${burst.updateManyCalls} update_many + ${burst.updateCalls} single calls)`);
  const staleBurst = await withBenchCxloop(cxloopOptions(options, 'stale'), (bench) => runBurst(options, bench, options.burstTickets, true));
  options.log(`routing burst, stale webhooks: ${staleBurst.tickets} tickets in ${staleBurst.seconds} s (${staleBurst.updateManyCalls} update_many + ${staleBurst.updateCalls} single calls)`);
  // Batching off: every routing write is its own Update Ticket call, as without update_many.
  const oneByOne = await withBenchCxloop({ ...cxloopOptions(options, 'single'), start: { batchThreshold: Number.MAX_SAFE_INTEGER } }, (bench) => runOneByOne(options, bench));
  options.log(`routing one by one: ${oneByOne.tickets} tickets in ${oneByOne.seconds} s, ${oneByOne.sustainedPerSecond}/s sustained; ${options.burstTickets} would take ${oneByOne.extrapolatedSeconds} s`);
  return { steady, burst, staleBurst, oneByOne, speedup: round(oneByOne.extrapolatedSeconds / burst.seconds) };
}

function cxloopOptions(options: RoutingBenchOptions, section: string): BenchCxloopOptions {
  return { section, redisUrl: options.redisUrl, policy: options.policy, updatesPerMinute: options.updatesPerMinute };
}

async function runSteady(options: RoutingBenchOptions, url: string, fake: FakeZendesk): Promise<RoutingBenchResult['steady']> {
  const latencies: number[] = [];
  const sentAt = new Map<number, number>();
  fake.onRequest((entry) => {
    const match = /^\/api\/v2\/tickets\/(\d+)\.json$/.exec(entry.path);
    const started = match && entry.method === 'PUT' ? sentAt.get(Number(match[1])) : undefined;
    if (started !== undefined && entry.status === 200) latencies.push(entry.at - started);
  });
  const interval = 1000 / options.steadyPerSecond;
  const start = performance.now();
  for (let index = 0; index < options.steadyTickets; index += 1) {
    const wait = start + index * interval - performance.now();
    if (wait > 0) await sleep(wait);
    const id = 1_000 + index;
    seedTicket(fake, id, index);
    sentAt.set(id, Date.now());
    await postSignedWebhook(url, webhookFor(fake, id), BENCH_SECRET);
  }
  await until(() => latencies.length >= options.steadyTickets, 120_000, 'steady routing');
  return { tickets: latencies.length, perSecond: options.steadyPerSecond, ...summarize(latencies) };
}

/** Sends `count` new tickets as fast as cxloop accepts them; returns when every ticket was written, with the write times. */
async function routeAll(options: RoutingBenchOptions, { app, zendesk }: BenchCxloop, count: number, stale: boolean): Promise<{ start: number; ingestSeconds: number; routedAt: Map<number, number> }> {
  const ids = Array.from({ length: count }, (_, index) => 1_000 + index);
  ids.forEach((id, index) => seedTicket(zendesk, id, index));
  const webhooks = ids.map((id) => webhookFor(zendesk, id));
  // Stale: every ticket changed after its webhook left (a trigger, an agent), so each safe_update conflicts once.
  if (stale) for (const id of ids) zendesk.tickets.get(id)!.updated_at = new Date(Date.now() + 1_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const routedAt = new Map<number, number>();
  const start = performance.now();
  await postWebhooks(app.http.url, webhooks, INGEST_CONNECTIONS);
  const ingestSeconds = (performance.now() - start) / 1000;
  options.log(`  ${count} webhooks accepted in ${ingestSeconds.toFixed(1)} s; waiting for Zendesk writes`);
  let lastReport = performance.now();
  await until(() => {
    for (const id of ids) if (!routedAt.has(id) && isRouted(zendesk, id)) routedAt.set(id, performance.now());
    if (performance.now() - lastReport > 10_000) {
      options.log(`  ${routedAt.size}/${ids.length} routed after ${((performance.now() - start) / 1000).toFixed(0)} s`);
      lastReport = performance.now();
    }
    return routedAt.size === ids.length;
  }, 15 * 60_000, 'routing burst');
  return { start, ingestSeconds, routedAt };
}

async function runBurst(options: RoutingBenchOptions, bench: BenchCxloop, count: number, stale: boolean): Promise<BurstResult> {
  const { start, ingestSeconds } = await routeAll(options, bench, count, stale);
  const { stats } = bench.zendesk;
  return {
    tickets: count,
    seconds: round((performance.now() - start) / 1000),
    ingestSeconds: round(ingestSeconds),
    updateCalls: stats.updateCalls,
    updateManyCalls: stats.updateManyCalls,
    rateLimited: stats.rateLimited,
  };
}

async function runOneByOne(options: RoutingBenchOptions, bench: BenchCxloop): Promise<OneByOneResult> {
  const count = options.oneByOneTickets;
  const budget = options.updatesPerMinute;
  if (count <= budget) throw new Error(`BENCH_ONE_BY_ONE_TICKETS must exceed one minute's budget (${budget}) to measure the sustained rate`);
  const { start, routedAt } = await routeAll(options, bench, count, false);
  if (bench.zendesk.stats.updateManyCalls > 0) throw new Error('the one-by-one burst used update_many');
  const times = [...routedAt.values()].map((at) => (at - start) / 1000).sort((a, b) => a - b);
  // Writes come a minute's budget at a time: the sustained rate is one budget per window period,
  // measured from the first write to the first write of the next window.
  const firstWindow = times[budget - 1]!;
  const period = times[budget]! - times[0]!;
  const last = times.at(-1)!;
  const sustainedPerSecond = budget / period;
  return {
    tickets: count,
    seconds: round(last),
    sustainedPerSecond: Math.round(sustainedPerSecond * 100) / 100,
    extrapolatedSeconds: Math.round(firstWindow + (options.burstTickets - budget) / sustainedPerSecond),
    boundSeconds: Math.round((options.burstTickets / budget) * 60),
  };
}
