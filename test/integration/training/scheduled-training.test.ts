import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { RedisModelStore } from '../../../src/adapters/redis/redis-model-store.js';
import { startTrainingWorker, TRAIN_SCHEDULER_ID, type TrainingWorker } from '../../../src/adapters/queue/training-worker.js';
import { cxloopChildCommand } from '../../../src/adapters/process/cxloop-child-process.js';
import { QUEUE_NAMES } from '../../../src/app/job-catalogue.js';
import { NO_JOB_METRICS, type Logger } from '../../../src/app/ports.js';
import { runScheduledTraining, SCHEDULED_TRAIN_ARGS, type TrainCommand } from '../../../src/app/scheduled-training.js';
import { runCli } from '../../../src/cli/main.js';
import { decodeModelMeta } from '../../../src/core/learn/model-codec.js';
import { buildCxloopIfStale } from '../../support/build-cxloop.js';
import { fakeIo } from '../../support/fake-io.js';
import { makeTickets } from '../../support/labeled-tickets.js';
import { nockTicketExport, NOW, page, SINCE_S, ticket, writePolicy } from '../../support/zendesk-export-fixtures.js';
import { dropPrefix, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, REDIS_URL, uniquePrefix, ZENDESK_URL } from '../../support/zendesk-fixtures.js';

/**
 * CXLOOP_TRAIN_EVERY: the job scheduler on the real Redis, two real BullMQ workers standing for
 * two worker processes, each running `cxloop train --from-zendesk --if-better` (in process here,
 * so nock fakes Zendesk's incremental export and the OAuth grant) on an injected clock.
 */
const WEEK = 7 * 86_400_000;
/** Where the export's tickets end up: the test policy's groups (writePolicy), bug reports by cxloop's tag. */
const GROUPS = { billing_issue: 1002, feature_request: 1003, content_communication: 1007 } as const;

function exportTickets(): Record<string, unknown>[] {
  return makeTickets(30, { seed: 5 }).map((made, index) =>
    ticket(index + 1, {
      subject: made.subject,
      description: made.body,
      generated_timestamp: SINCE_S + (index + 1) * 60,
      ...(made.category === 'bug_report' ? { group_id: 1001, tags: ['cxloop_bug_report'] } : { group_id: GROUPS[made.category as keyof typeof GROUPS] }),
    }),
  );
}

describe('scheduled training (CXLOOP_TRAIN_EVERY)', () => {
  let prefix: string;
  let redis: Redis;
  let clock: number;
  let exportRequests: string[];
  let runs: number;
  let logs: Array<{ level: string; message: string; fields?: Readonly<Record<string, unknown>> }>;
  let started: TrainingWorker[];
  const logger: Logger = { log: (level, message, fields) => logs.push({ level, message, ...(fields ? { fields } : {}) }) };
  let env: Record<string, string>;

  /** The scheduled command, run in this process: `cxloop train --from-zendesk --if-better --json` on the test's clock. */
  const inProcess: TrainCommand = async () => {
    runs += 1;
    const io = fakeIo({ env });
    const code = await runCli([...SCHEDULED_TRAIN_ARGS], { ...io, now: () => clock, sleep: async (ms) => void (clock += ms) });
    return { code, stdout: io.out(), stderr: io.err() };
  };

  beforeEach(() => {
    prefix = uniquePrefix();
    redis = new Redis(REDIS_URL);
    clock = NOW;
    exportRequests = [];
    runs = 0;
    logs = [];
    started = [];
    env = {
      REDIS_URL,
      CXLOOP_REDIS_PREFIX: prefix,
      CXLOOP_CONFIG: writePolicy(),
      ZENDESK_SUBDOMAIN: 'acme',
      ZENDESK_API_URL: ZENDESK_URL,
      ZENDESK_OAUTH_CLIENT_ID: OAUTH_CLIENT_ID,
      ZENDESK_OAUTH_CLIENT_SECRET: OAUTH_CLIENT_SECRET,
      CXLOOP_TRAIN_EVERY: '7d',
      // Where the child's train --from-zendesk keeps what it reads until the model is trained.
      XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'cxloop-cache-')),
    };
    const tickets = exportTickets();
    const pages: Record<string, Record<string, unknown>> = {
      [`start:${SINCE_S}`]: page(tickets.slice(0, 60), 'c1', false),
      c1: page(tickets.slice(60), 'c2', true),
    };
    nockTicketExport((key) => {
      exportRequests.push(key);
      return pages[key] ? [200, pages[key]] : [404, { error: 'InvalidCursor' }];
    });
  });

  afterEach(async () => {
    await Promise.all(started.map((worker) => worker.close()));
    nock.cleanAll();
    nock.enableNetConnect();
    redis.disconnect();
    await dropPrefix(prefix);
  });

  const start = async (everyMs: number | null, train: TrainCommand = inProcess): Promise<TrainingWorker> => {
    const keys = createRedisKeys(prefix);
    const worker = await startTrainingWorker({ connection: redis.duplicate({ maxRetriesPerRequest: null }), prefix: keys.queuePrefix, everyMs, train, logger, jobs: NO_JOB_METRICS });
    started.push(worker);
    return worker;
  };

  const completed = (workers: readonly TrainingWorker[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      for (const { worker } of workers) {
        worker.on('completed', (_job, result) => resolve(result));
        worker.on('failed', (_job, error) => reject(error));
      }
    });

  it('trains once per interval across two worker processes, stores the model that beats the rules and logs what it did', async () => {
    const first = await start(WEEK);
    const second = await start(WEEK);
    const outcome = (await completed([first, second])) as { stored: boolean; rows: number; decides: string[]; fingerprint: string };

    // One run of the whole export (two pages), though two processes upserted the scheduler.
    expect(runs).toBe(1);
    expect(exportRequests).toEqual([`start:${SINCE_S}`, 'c1']);
    expect(outcome.rows).toBe(120);
    expect(outcome.stored).toBe(true);
    expect(outcome.decides.length).toBeGreaterThan(0);
    const stored = await new RedisModelStore(redis, createRedisKeys(prefix)).load();
    expect(stored?.version).toBe(outcome.fingerprint);
    const meta = decodeModelMeta(stored!.bytes);
    expect(meta.rows).toBe(120);
    expect(meta.trainedAt).toBe(new Date(clock).toISOString());
    expect(meta.combination.categories).toEqual(outcome.decides);

    const said = logs.filter((line) => line.message.startsWith('scheduled training'));
    expect(said.map((line) => line.message)[0]).toBe('scheduled training: cxloop train --from-zendesk started');
    expect(said[1]!.message).toMatch(new RegExp(`^scheduled training: model stored, the combination decides ${outcome.decides.join(', ')} \\(cross-validated macro-F1 rules 0\\.\\d{3}, model 0\\.\\d{3}, combination 0\\.\\d{3}\\)$`));
    expect(said[1]!.fields).toEqual({ rows: 120, stored: true, decides: outcome.decides, fingerprint: outcome.fingerprint });

    // The next run is one interval after this one, for the install, whichever process takes it.
    const schedulers = await first.queue.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ key: TRAIN_SCHEDULER_ID, every: WEEK });
    const next = await first.queue.getJobs(['delayed']);
    expect(next).toHaveLength(1);
    expect(next[0]!.name).toBe('train');
    expect(next[0]!.id).toBe(`repeat:${TRAIN_SCHEDULER_ID}:${schedulers[0]!.next}`);
    expect(next[0]!.delay).toBeGreaterThan(WEEK - 60_000);
    expect(next[0]!.delay).toBeLessThanOrEqual(WEEK);

    // A restarting process keeps that next run: no second training now.
    const third = await start(WEEK);
    expect((await third.queue.getJobs(['delayed', 'wait'])).map((job) => job.id)).toEqual([next[0]!.id]);
    expect(runs).toBe(1);
  });

  it('turned off (the default), removes the schedule an earlier setting left', async () => {
    const on = await start(WEEK, async () => ({ code: 1, stdout: '', stderr: 'stopped by the test' }));
    await completed([on]).catch(() => undefined);
    expect(await on.queue.getJobSchedulers()).toHaveLength(1);
    const off = await start(null);
    expect(await off.queue.getJobSchedulers()).toEqual([]);
    expect(await off.queue.getJobs(['delayed', 'wait'])).toEqual([]);
    // The failed run was reported, its reason named.
    expect(logs.find((line) => line.message === 'job failed' || line.message.startsWith('job failed for good'))?.fields).toMatchObject({ queue: QUEUE_NAMES.training, error: 'scheduled training failed (exit 1): stopped by the test' });
  });

  it('logs that the model is not stored when the combination does not beat the rules', async () => {
    const notBetter = JSON.stringify({
      rows: 40,
      stored: false,
      meta: { fingerprint: 'x', combination: { categories: [] } },
      crossValidation: { rules: { macroF1: 0.9 }, model: { macroF1: 0.6 }, combination: { macroF1: 0.9 } },
    });
    const outcome = await runScheduledTraining(async () => ({ code: 0, stdout: notBetter, stderr: '' }), logger);
    expect(outcome.stored).toBe(false);
    expect(logs.at(-1)!.message).toBe('scheduled training: model not stored, the combination does not beat the rules (cross-validated macro-F1 rules 0.900, model 0.600, combination 0.900); the stored model stays as it was');
  });

  it('runs the command in a child process (the production wiring), its failure named', { timeout: 180_000 }, async () => {
    await buildCxloopIfStale();
    // No Zendesk account in the child's environment: `cxloop train --from-zendesk` exits 1 and says what to set.
    const child = cxloopChildCommand(SCHEDULED_TRAIN_ARGS, { PATH: process.env.PATH ?? '', REDIS_URL, CXLOOP_REDIS_PREFIX: prefix });
    await expect(runScheduledTraining(child, logger)).rejects.toThrow(/^scheduled training failed \(exit 1\): .*needs the Zendesk account/);
  });
});
