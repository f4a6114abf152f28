/**
 * Throughput (issue 7, section 3): tickets per second through the whole pipeline (signed webhook
 * -> events worker: classify, plan, open the loop -> routes worker -> Zendesk write acknowledged
 * by the fake), with the fake's Update Ticket limit lifted, next to raw BullMQ: a queue and a
 * worker of the events worker's concurrency doing nothing, fed the same way in the same run.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedis } from '../src/adapters/redis/redis-connection.js';
import { deleteInstallKeys } from '../src/adapters/redis/redis-keys.js';
import type { Policy } from '../src/config/policy-schema.js';
import { withBenchCxloop } from './bench-cxloop.js';
import { allRouted, postWebhooks, seedTicket, webhookFor } from './bench-tickets.js';
import { perUnit, startCommandMeter, subtractTally, type RedisCommandTally } from './redis-commands.js';
import { forEachConcurrently, pendingJobs, round, until } from './support.js';

export interface ThroughputBenchOptions {
  readonly redisUrl: string;
  readonly policy: Policy;
  readonly tickets: number;
  readonly log: (line: string) => void;
}

export interface ThroughputBenchResult {
  readonly pipeline: {
    tickets: number;
    seconds: number;
    ticketsPerSecond: number;
    /** First webhook sent -> last one answered. */
    ingestSeconds: number;
    /** First webhook sent -> every event classified, planned and its loop opened (events queue empty). */
    eventsSeconds: number;
    updateManyCalls: number;
    updateCalls: number;
    /** Redis per ticket, first webhook sent -> last routing write applied (the bench's own polls of the events queue taken out). */
    redis: RedisPerUnit;
  };
  readonly rawBullmq: { jobs: number; seconds: number; jobsPerSecond: number; concurrency: number; redis: RedisPerUnit };
  /** Pipeline tickets/s over raw no-op jobs/s. */
  readonly ratio: number;
}

export type RedisPerUnit = ReturnType<typeof perUnit>;

/** How often the events queue is asked whether it is empty (each ask is Redis work, taken out of the figures). */
const EVENTS_POLL_MS = 250;

/** Concurrent webhook senders, and concurrent producers of raw jobs. */
const CONNECTIONS = 32;
/** The events worker's concurrency in cxloop (startZendeskWorkers' default). */
const EVENT_CONCURRENCY = 8;
/** "Lifted": as high as ZENDESK_UPDATES_PER_MINUTE goes, on both sides. */
const LIFTED_UPDATES_PER_MINUTE = 100_000;

export async function benchThroughput(options: ThroughputBenchOptions): Promise<ThroughputBenchResult> {
  const pipeline = await withBenchCxloop(
    { section: 'throughput', redisUrl: options.redisUrl, policy: options.policy, updatesPerMinute: LIFTED_UPDATES_PER_MINUTE },
    async ({ app, zendesk, redis }) => {
      const ids = Array.from({ length: options.tickets }, (_, index) => 1_000 + index);
      ids.forEach((id, index) => seedTicket(zendesk, id, index));
      const webhooks = ids.map((id) => webhookFor(zendesk, id));
      const pollCost = await costOf(redis, () => pendingJobs(app.queues.events));
      let polls = 0;
      const stopMeter = await startCommandMeter(redis);
      const start = performance.now();
      await postWebhooks(app.http.url, webhooks, CONNECTIONS);
      const ingestSeconds = (performance.now() - start) / 1000;
      // Where the time goes: the events stage (classify, plan, open the loop) is done when its queue is empty.
      let eventsSeconds: number | null = null;
      let polledAt = 0;
      const everyRouted = allRouted(zendesk, ids);
      await until(async () => {
        if (eventsSeconds === null && performance.now() - polledAt >= EVENTS_POLL_MS) {
          polledAt = performance.now();
          polls += 1;
          if ((await pendingJobs(app.queues.events)) === 0) eventsSeconds = (performance.now() - start) / 1000;
        }
        return everyRouted();
      }, 10 * 60_000, 'pipeline throughput', 20);
      const seconds = (performance.now() - start) / 1000;
      const tally = subtractTally(await stopMeter(), pollCost, polls);
      return {
        tickets: ids.length,
        seconds: round(seconds),
        ticketsPerSecond: Math.round(ids.length / seconds),
        ingestSeconds: round(ingestSeconds),
        eventsSeconds: round(eventsSeconds ?? seconds),
        updateManyCalls: zendesk.stats.updateManyCalls,
        updateCalls: zendesk.stats.updateCalls,
        redis: perUnit(tally, ids.length),
      };
    },
  );
  options.log(`throughput pipeline: ${pipeline.tickets} tickets in ${pipeline.seconds} s (${pipeline.ticketsPerSecond}/s)`);
  const rawBullmq = await benchRawBullmq(options.redisUrl, options.tickets);
  options.log(`throughput raw BullMQ: ${rawBullmq.jobs} no-op jobs in ${rawBullmq.seconds} s (${rawBullmq.jobsPerSecond}/s)`);
  return { pipeline, rawBullmq, ratio: Math.round((pipeline.ticketsPerSecond / rawBullmq.jobsPerSecond) * 1000) / 1000 };
}

/**
 * `jobs` no-op jobs added by CONNECTIONS concurrent producers (one add each, as webhooks do) and
 * run by one worker, on connections made as cxloop makes its own (createRedis: the commands of
 * one event-loop turn in one socket write), so the ratio compares the work, not the writes.
 */
async function benchRawBullmq(redisUrl: string, jobs: number): Promise<ThroughputBenchResult['rawBullmq']> {
  const prefix = `bench-raw-${randomUUID().slice(0, 8)}`;
  const settings = { REDIS_URL: redisUrl, REDIS_SENTINELS: undefined, REDIS_SENTINEL_NAME: undefined, REDIS_CLUSTER_NODES: undefined };
  const producer = createRedis(settings, { maxRetriesPerRequest: 1 }) as Redis;
  const consumer = createRedis(settings, { maxRetriesPerRequest: null }) as Redis;
  const queue = new Queue('noop', { connection: producer, prefix, streams: { events: { maxLen: 500 } } });
  let done = 0;
  const worker = new Worker('noop', async () => undefined, { connection: consumer, prefix, concurrency: EVENT_CONCURRENCY });
  worker.on('completed', () => void (done += 1));
  try {
    await worker.waitUntilReady();
    const stopMeter = await startCommandMeter(producer);
    const start = performance.now();
    await forEachConcurrently(Array.from({ length: jobs }, (_, index) => index), CONNECTIONS, async (index) => {
      await queue.add('noop', { index }, { removeOnComplete: true });
    });
    await until(() => done >= jobs, 5 * 60_000, 'raw BullMQ throughput', 5);
    const seconds = (performance.now() - start) / 1000;
    const redis = perUnit(await stopMeter(), jobs);
    return { jobs, seconds: round(seconds), jobsPerSecond: Math.round(jobs / seconds), concurrency: EVENT_CONCURRENCY, redis };
  } finally {
    await worker.close();
    await queue.close();
    await deleteInstallKeys(producer, prefix);
    producer.disconnect();
    consumer.disconnect();
  }
}

/** What one call of `work` costs Redis (measured alone, before the run). */
async function costOf(redis: Redis, work: () => Promise<unknown>): Promise<RedisCommandTally> {
  const stop = await startCommandMeter(redis);
  await work();
  return stop();
}
