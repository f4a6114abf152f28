/**
 * Ingest (issue 7, section 1): signed, distinct Zendesk webhooks POSTed to cxloop at rising
 * offered load (open loop) and as fast as it answers (closed loop), next to a bare node:http
 * server that answers 200, measured the same way on the same machine in the same run.
 *
 * cxloop runs as a web process (role `web`: HTTP server, signature check, schema, durable
 * enqueue in Redis; no workers), so the figure is the endpoint's; the pipeline behind it is the
 * throughput section's. Each step gets a fresh cxloop on its own Redis prefix.
 */
import { createServer, type Server } from 'node:http';
import { Redis } from 'ioredis';
import type { Policy } from '../src/config/policy-schema.js';
import { BENCH_SECRET, withBenchCxloop } from './bench-cxloop.js';
import { closeServer, listenOnLoopback } from './fake-http.js';
import { runLoad, type LoadFigures, type LoadSpec } from './load-generator.js';
import { describeCpu, round, startCpuMeter, type CpuShare } from './support.js';

export interface IngestBenchOptions {
  readonly redisUrl: string;
  readonly policy: Policy;
  /** Offered loads of the open-loop steps, requests per second. */
  readonly rates: readonly number[];
  readonly openConnections: number;
  readonly closedConnections: number;
  readonly seconds: number;
  readonly log: (line: string) => void;
}

export interface IngestStep extends LoadFigures {
  /** Where the machine's CPU went during the step (this process is server + generator). */
  readonly cpu: CpuShare;
}

export interface IngestBenchResult {
  readonly bare: IngestStep[];
  readonly cxloop: IngestStep[];
  /** cxloop's closed-loop requests/s over bare Node's. */
  readonly maxThroughputRatio: number;
  readonly p99At500: { readonly cxloopMs: number | null; readonly bareMs: number | null; readonly cxloopFromSendMs: number | null };
}

const WARMUP_MS = 1_000;
const CLOSED_MAX_REQUESTS = 200_000;
const BARE_BODY = JSON.stringify({ status: 'accepted' });

export async function benchIngest(options: IngestBenchOptions): Promise<IngestBenchResult> {
  const redis = new Redis(options.redisUrl);
  try {
    return await runSteps(options, redis);
  } finally {
    redis.disconnect();
  }
}

async function runSteps(options: IngestBenchOptions, redis: Redis): Promise<IngestBenchResult> {
  const bare: IngestStep[] = [];
  const cxloop: IngestStep[] = [];
  let firstTicketId = 1_000_000;
  const spec = (url: string, mode: 'open' | 'closed', rate: number): LoadSpec => {
    const connections = mode === 'open' ? options.openConnections : options.closedConnections;
    const prepared = mode === 'open' ? Math.ceil((rate * (WARMUP_MS / 1000 + options.seconds))) : CLOSED_MAX_REQUESTS;
    const next = { url, secret: BENCH_SECRET, mode, rate, connections, warmupMs: WARMUP_MS, durationMs: options.seconds * 1000, maxRequests: CLOSED_MAX_REQUESTS, firstTicketId };
    firstTicketId += prepared;
    return next;
  };
  const steps: { mode: 'open' | 'closed'; rate: number }[] = [...options.rates.map((rate) => ({ mode: 'open' as const, rate })), { mode: 'closed', rate: 0 }];
  for (const { mode, rate } of steps) {
    const label = mode === 'open' ? `${rate} req/s offered` : `closed loop, ${options.closedConnections} connections`;
    const onBare = await withBareServer((url) => measured(redis, () => runLoad(spec(url, mode, rate))));
    bare.push(onBare);
    options.log(`ingest bare node, ${label}: ${describe(onBare)}`);
    const onCxloop = await withBenchCxloop({ section: 'ingest', redisUrl: options.redisUrl, policy: options.policy, start: { role: 'web' } }, ({ app }) =>
      measured(redis, () => runLoad(spec(app.http.url, mode, rate))),
    );
    cxloop.push(onCxloop);
    options.log(`ingest cxloop,    ${label}: ${describe(onCxloop)}`);
  }
  const closed = (list: IngestStep[]) => list.find((step) => step.mode === 'closed');
  const at500 = (list: IngestStep[]) => list.find((step) => step.offeredPerSecond === 500);
  return {
    bare,
    cxloop,
    maxThroughputRatio: round((100 * (closed(cxloop)?.answeredPerSecond ?? 0)) / Math.max(1, closed(bare)?.answeredPerSecond ?? 0)) / 100,
    p99At500: { cxloopMs: at500(cxloop)?.p99Ms ?? null, bareMs: at500(bare)?.p99Ms ?? null, cxloopFromSendMs: at500(cxloop)?.p99FromSendMs ?? null },
  };
}

/** A load step with the CPU it took (the step's whole run, request building included). */
async function measured(redis: Redis, step: () => Promise<LoadFigures>): Promise<IngestStep> {
  const stop = await startCpuMeter(redis);
  const figures = await step();
  return { ...figures, cpu: await stop() };
}

function describe(step: IngestStep): string {
  return `${step.answeredPerSecond} req/s, p50 ${step.p50Ms} ms, p99 ${step.p99Ms} ms (from send ${step.p99FromSendMs} ms), ${step.non200} non-200, server thread ${step.serverUtilization}, generator ${step.generatorUtilization}; cpu ${describeCpu(step.cpu)}`;
}

/** A bare node:http server on this thread: reads the body, answers 200 with a small JSON body. */
async function withBareServer<T>(run: (url: string) => Promise<T>): Promise<T> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(BARE_BODY) });
      response.end(BARE_BODY);
    });
  });
  const url = await listenOnLoopback(server);
  try {
    return await run(url);
  } finally {
    await closeServer(server);
  }
}
