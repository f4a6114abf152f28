import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { BullmqDeadLetters } from '../../src/adapters/queue/bullmq-dead-letters.js';
import { createRedisKeys } from '../../src/adapters/redis/redis-keys.js';
import type { Cxloop } from '../../src/main.js';
import { buildCxloopIfStale, CXLOOP_BIN } from '../support/build-cxloop.js';
import { corrections, routingWrites, startFakeZendesk, startLiveOnFake, updateCalls, webhookOf, zendeskTime, type FakeZendesk } from '../support/fake-zendesk-fixtures.js';
import { DEFAULT_POLICY_PATH } from '../../src/config/load-policy.js';
import { CATEGORY_IDS } from '../../src/core/taxonomy.js';
import { dropPrefix, groupOf, postSigned, REDIS_URL, uniquePrefix, waitFor, waitForIdle, WEBHOOK_SECRET } from '../support/zendesk-fixtures.js';

const TICKETS = 120;

/**
 * A worker process killed with SIGKILL in the middle of a burst: real processes (`cxloop serve
 * --role worker`, the built code, as production runs it), the real Redis, and the benchmarks'
 * loopback fake Zendesk (it keeps tickets, applies safe_update, records every call). The web
 * process accepts the webhooks; the first worker is killed once it has written part of the burst,
 * a second worker takes over (BullMQ hands it the killed worker's jobs once their locks expire).
 * Counted in the fake: routing writes per ticket; in Redis: overrides and dead letters.
 */
describe('a worker killed with SIGKILL during a burst', () => {
  const prefix = uniquePrefix();
  let fake: FakeZendesk;
  let web: Cxloop;
  let policyFile: string;
  const workers: ChildProcess[] = [];
  /** What the workers printed (the banner, and why one failed to start). */
  let stderr = '';

  beforeAll(async () => {
    // The workers run the built code (dist/), as `npm start` does.
    await buildCxloopIfStale();
    fake = await startFakeZendesk({ email: 'cxloop@acme.test', token: 'zd-token' });
    policyFile = join(mkdtempSync(join(tmpdir(), 'cxloop-kill-')), 'policy.yaml');
    // The shipped policy file with the test's Zendesk groups, as an admin would write it.
    const policy = parse(readFileSync(DEFAULT_POLICY_PATH, 'utf8')) as { categories: Record<string, { zendesk_group_id: number | null }> };
    for (const category of CATEGORY_IDS) policy.categories[category]!.zendesk_group_id = groupOf(category);
    writeFileSync(policyFile, stringify(policy));
    web = await startLiveOnFake(prefix, fake, { role: 'web' });
  }, 180_000);
  afterAll(async () => {
    for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await web?.stop();
    await fake?.close();
    await dropPrefix(prefix);
  });

  function startWorker(): ChildProcess {
    const worker = spawn(process.execPath, [CXLOOP_BIN, 'serve', '--role', 'worker', '--host', '127.0.0.1'], {
      cwd: tmpdir(), // no .env of the checkout
      env: {
        PATH: process.env.PATH ?? '',
        REDIS_URL,
        CXLOOP_REDIS_PREFIX: prefix,
        CXLOOP_CONFIG: policyFile,
        PORT: '0',
        LOG_LEVEL: 'warn',
        ZENDESK_SUBDOMAIN: 'acme',
        ZENDESK_EMAIL: 'cxloop@acme.test',
        ZENDESK_API_TOKEN: 'zd-token',
        ZENDESK_API_URL: fake.url,
        ZENDESK_WEBHOOK_SECRET: WEBHOOK_SECRET,
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: 'slack-secret',
        SLACK_API_URL: 'http://127.0.0.1:9/api/', // nobody listens: Slack calls wait and retry, and Slack is not what this test counts
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    worker.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    workers.push(worker);
    return worker;
  }

  it('loses no ticket, writes each exactly once, and takes none for an agent override', async () => {
    const now = Date.now();
    const tickets = Array.from({ length: TICKETS }, (_, index) =>
      fake.seed({ id: 60_001 + index, subject: 'Charged twice for my subscription', description: 'Please refund the duplicate payment.', created_at: zendeskTime(now - 60_000), updated_at: zendeskTime(now - 60_000) }),
    );
    const first = startWorker();
    // SIGKILL the moment the first Update Ticket call reaches Zendesk: the worker dies with that
    // call in flight, its job locked and unanswered, the rest of the burst queued.
    let pendingAtKill = -1;
    const killed = new Promise<void>((resolve) => {
      fake.onRequest((entry) => {
        if (pendingAtKill === -1 && entry.method === 'PUT') {
          pendingAtKill = 0;
          first.kill('SIGKILL');
          first.once('exit', () => resolve());
        }
      });
    });
    for (const ticket of tickets) expect((await postSigned(web.http.url, webhookOf(ticket, 'created'))).status).toBe(200);
    await killed;
    const writtenBeforeKill = tickets.filter((ticket) => routingWrites(ticket) > 0).length;
    // Jobs and routing writes in the backlog (the write in flight stays there, claimed, until a
    // worker finishes it): the kill proves something only if the next worker has to take over.
    pendingAtKill = await web.pendingWork();
    expect(pendingAtKill).toBeGreaterThan(0);

    const second = startWorker();
    await waitFor(() => tickets.every((ticket) => routingWrites(ticket) > 0), 120_000, 'every ticket routed after the kill').catch((error: Error) => {
      throw new Error(`${error.message}; the workers said:\n${stderr.split('\n').filter((line) => !line.includes('slack call failed')).join('\n').slice(-2000)}`);
    });
    // A job the killed worker held comes back only after its lock expires and a stalled-job check
    // runs (BullMQ: 30 s each, so up to a minute), even when its ticket was written already.
    await waitForIdle(web, 150_000);

    const perTicket = tickets.map((ticket) => routingWrites(ticket));
    expect(perTicket.filter((count) => count !== 1)).toEqual([]);
    expect(await corrections(prefix)).toEqual([]);
    const redis = new Redis(REDIS_URL);
    const dead = new BullmqDeadLetters(redis, createRedisKeys(prefix).queuePrefix);
    try {
      expect(Object.values(await dead.counts()).reduce((sum, count) => sum + count, 0)).toBe(0);
    } finally {
      await dead.close();
      redis.disconnect();
    }
    second.kill('SIGTERM');
    expect(await new Promise((resolve) => second.once('exit', (code) => resolve(code)))).toBe(0);
    console.log(`worker kill: ${writtenBeforeKill} of ${TICKETS} routed before the SIGKILL (${pendingAtKill} jobs and writes left), all ${TICKETS} after, ${updateCalls(fake).length} Update Ticket calls, ${fake.stats.conflicts} conflicts`);
  }, 360_000);
});
