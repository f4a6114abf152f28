/**
 * Routing figures (issue 3): webhook-to-write latency at a steady load under Zendesk's Update
 * Ticket limit, and the time to route a burst of new tickets, against a loopback fake Zendesk
 * that enforces 100 update calls/min and update_many's 100 tickets per call. cxloop runs in this
 * process (real HTTP server, real Redis, real BullMQ workers), so the driver, the fake and
 * cxloop share the machine's cores.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { deleteInstallKeys } from '../src/adapters/redis/redis-keys.js';
import { ticketEvent } from '../src/adapters/zendesk/sample-webhooks.js';
import { parseEnv } from '../src/config/env-schema.js';
import type { Policy } from '../src/config/policy-schema.js';
import { startCxloop } from '../src/main.js';
import { postSignedWebhook } from './post-webhook.js';
import { startFakeZendesk, type FakeZendesk } from './fake-zendesk.js';

const SECRET = 'bench-webhook-secret';
const SUBJECTS = [
  ['Charged twice for my subscription', 'I was charged twice this month, please refund the duplicate payment.'],
  ['App crashes when I upload a photo', 'Every time I upload a photo the app crashes. Steps: open, tap upload.'],
  ['Please add dark mode', 'It would be great to have a dark mode option in settings.'],
  ['How do I invite my team?', 'I cannot find where to add colleagues to my account.'],
  ['Dashboard extremely slow', 'The dashboard takes more than a minute to load since this morning.'],
] as const;

export interface RoutingBenchOptions {
  readonly redisUrl: string;
  readonly policy: Policy;
  readonly steadyTickets: number;
  readonly steadyPerSecond: number;
  readonly burstTickets: number;
  readonly updatesPerMinute: number;
  readonly log: (line: string) => void;
}

export interface RoutingBenchResult {
  readonly steady: { tickets: number; perSecond: number; p50Ms: number; p99Ms: number; maxMs: number };
  readonly burst: BurstResult;
  /** The burst when every ticket changed after its webhook: each write conflicts once. */
  readonly staleBurst: BurstResult;
}

export interface BurstResult {
    tickets: number;
    seconds: number;
    ingestSeconds: number;
    updateCalls: number;
    updateManyCalls: number;
    rateLimited: number;
    oneByOneBoundSeconds: number;
    speedup: number;
}

export async function benchRouting(options: RoutingBenchOptions): Promise<RoutingBenchResult> {
  const steady = await withCxloop(options, async (url, fake, nextId) => {
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
      const id = nextId();
      seedTicket(fake, id, index);
      sentAt.set(id, Date.now());
      await postSignedWebhook(url, webhookFor(fake, id), SECRET);
    }
    await until(() => latencies.length >= options.steadyTickets, 120_000);
    latencies.sort((a, b) => a - b);
    return {
      tickets: latencies.length,
      perSecond: options.steadyPerSecond,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      maxMs: latencies.at(-1) ?? 0,
    };
  });
  options.log(`routing steady: ${steady.tickets} tickets at ${steady.perSecond}/s, p50 ${steady.p50Ms} ms, p99 ${steady.p99Ms} ms`);

  const burst = await runBurst(options, false);
  options.log(`routing burst: ${burst.tickets} tickets routed in ${burst.seconds} s (${burst.updateManyCalls} update_many + ${burst.updateCalls} single calls)`);
  const staleBurst = await runBurst(options, true);
  options.log(`routing burst, stale webhooks: ${staleBurst.tickets} tickets in ${staleBurst.seconds} s (${staleBurst.updateManyCalls} update_many + ${staleBurst.updateCalls} single calls)`);
  return { steady, burst, staleBurst };
}

async function runBurst(options: RoutingBenchOptions, stale: boolean): Promise<BurstResult> {
  return withCxloop(options, async (url, fake, nextId) => {
    const ids = Array.from({ length: options.burstTickets }, () => nextId());
    ids.forEach((id, index) => seedTicket(fake, id, index));
    const webhooks = ids.map((id) => webhookFor(fake, id));
    // Stale: every ticket changed after its webhook left (a trigger, an agent), so each safe_update conflicts once.
    if (stale) for (const id of ids) fake.tickets.get(id)!.updated_at = new Date(Date.now() + 1_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const start = performance.now();
    let cursor = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (cursor < ids.length) {
          const index = cursor++;
          await postSignedWebhook(url, webhooks[index]!, SECRET);
        }
      }),
    );
    const ingestSeconds = (performance.now() - start) / 1000;
    options.log(`routing burst: ${ids.length} webhooks accepted in ${ingestSeconds.toFixed(1)} s; waiting for Zendesk writes`);
    let lastReport = performance.now();
    await until(() => {
      const routed = ids.filter((id) => fake.tickets.get(id)?.tags.some((tag) => tag.startsWith('cxloop_tier_'))).length;
      if (performance.now() - lastReport > 10_000) {
        options.log(`  ${routed}/${ids.length} routed after ${((performance.now() - start) / 1000).toFixed(0)} s`);
        lastReport = performance.now();
      }
      return routed === ids.length;
    }, 15 * 60_000);
    const seconds = (performance.now() - start) / 1000;
    const oneByOneBoundSeconds = (ids.length / options.updatesPerMinute) * 60;
    return {
      tickets: ids.length,
      seconds: round(seconds),
      ingestSeconds: round(ingestSeconds),
      updateCalls: fake.stats.updateCalls,
      updateManyCalls: fake.stats.updateManyCalls,
      rateLimited: fake.stats.rateLimited,
      oneByOneBoundSeconds,
      speedup: round(oneByOneBoundSeconds / seconds),
    };
  });
}

/** A fresh fake Zendesk and a fresh cxloop (own Redis prefix) per scenario; both stopped after. */
async function withCxloop<T>(options: RoutingBenchOptions, scenario: (url: string, fake: FakeZendesk, nextId: () => number) => Promise<T>): Promise<T> {
  const fake = await startFakeZendesk({ updateLimitPerMinute: options.updatesPerMinute, email: 'bench@cxloop.test', token: 'bench-token' });
  const prefix = `cxbench-${randomUUID().slice(0, 8)}`;
  const env = parseEnv({
    REDIS_URL: options.redisUrl,
    PORT: '0',
    CXLOOP_REDIS_PREFIX: prefix,
    LOG_LEVEL: 'error',
    ZENDESK_SUBDOMAIN: 'bench',
    ZENDESK_EMAIL: 'bench@cxloop.test',
    ZENDESK_API_TOKEN: 'bench-token',
    ZENDESK_WEBHOOK_SECRET: SECRET,
    ZENDESK_API_URL: fake.url,
    ZENDESK_UPDATES_PER_MINUTE: String(options.updatesPerMinute),
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: 'bench',
  });
  if (!env.ok) throw new Error(JSON.stringify(env.problems));
  const app = await startCxloop({ env: env.env, policy: options.policy, logger: { log: () => undefined }, host: '127.0.0.1' });
  let id = 1_000;
  try {
    return await scenario(app.http.url, fake, () => id++);
  } finally {
    await app.stop();
    await fake.close();
    const redis = new Redis(options.redisUrl);
    await deleteInstallKeys(redis, prefix);
    redis.disconnect();
  }
}

function seedTicket(fake: FakeZendesk, id: number, index: number): void {
  const [subject, description] = SUBJECTS[index % SUBJECTS.length]!;
  fake.seed({ id, subject, description, tags: ['web_widget'], via: { channel: 'web' } });
}

/** The ticket.created webhook Zendesk would send for a seeded ticket (same updated_at, so safe_update matches). */
function webhookFor(fake: FakeZendesk, id: number): string {
  const seeded = fake.tickets.get(id)!;
  return ticketEvent('created', { id, subject: seeded.subject, description: seeded.description, tags: seeded.tags, created_at: seeded.created_at, updated_at: seeded.updated_at });
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('benchmark scenario timed out');
    await sleep(50);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number) => Math.round(value * 10) / 10;

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}
