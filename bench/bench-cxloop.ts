/**
 * cxloop started live for a benchmark section: CXLOOP_DRY_RUN=false with fake credentials,
 * pointed at a loopback fake Zendesk and a fake Slack through ZENDESK_API_URL and SLACK_API_URL
 * (its real clients, not injected ones), on a Redis prefix of its own (bench-<section>-<random>)
 * whose keys are deleted afterwards. cxloop, the fakes and the driver share this process.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { deleteInstallKeys } from '../src/adapters/redis/redis-keys.js';
import type { Logger, LogLevel } from '../src/app/ports.js';
import { parseEnv } from '../src/config/env-schema.js';
import type { Policy } from '../src/config/policy-schema.js';
import { startCxloop, type Cxloop, type StartOptions } from '../src/main.js';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions } from './fake-slack.js';
import { startFakeZendesk, type FakeZendesk, type FakeZendeskOptions } from './fake-zendesk.js';

export const BENCH_SECRET = 'bench-webhook-secret';
const ZENDESK_EMAIL = 'bench@cxloop.test';
const ZENDESK_TOKEN = 'bench-token';
const SLACK_TOKEN = 'xoxb-bench';

export interface BenchCxloopOptions {
  /** Names the Redis prefix: bench-<section>-<random>. */
  readonly section: string;
  readonly redisUrl: string;
  readonly policy: Policy;
  /** Zendesk's Update Ticket budget, both the fake's limit and cxloop's ZENDESK_UPDATES_PER_MINUTE (default 100). */
  readonly updatesPerMinute?: number;
  readonly zendesk?: Omit<FakeZendeskOptions, 'email' | 'token' | 'updateLimitPerMinute'>;
  readonly slack?: Omit<FakeSlackOptions, 'token'>;
  readonly start?: Pick<StartOptions, 'role' | 'notifier' | 'batchThreshold' | 'slack'>;
}

/** Warnings and errors cxloop logged during the section: counted, the first few kept. */
export interface LogTally {
  warn: number;
  error: number;
  samples: string[];
}

export interface BenchCxloop {
  readonly app: Cxloop;
  readonly zendesk: FakeZendesk;
  readonly slack: FakeSlack;
  readonly prefix: string;
  /** A connection of the benchmark's own (reads, MEMORY USAGE), closed with the rest. */
  readonly redis: Redis;
  readonly logs: LogTally;
}

/** Starts the fakes and cxloop, runs `scenario`, then stops everything and deletes the prefix's keys. */
export async function withBenchCxloop<T>(options: BenchCxloopOptions, scenario: (bench: BenchCxloop) => Promise<T>): Promise<T> {
  const updatesPerMinute = options.updatesPerMinute ?? 100;
  const prefix = `bench-${options.section}-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(options.redisUrl);
  const cleanups: (() => Promise<unknown>)[] = [
    async () => {
      await deleteInstallKeys(redis, prefix);
      redis.disconnect();
    },
  ];
  try {
    const zendesk = await startFakeZendesk({ ...options.zendesk, updateLimitPerMinute: updatesPerMinute, email: ZENDESK_EMAIL, token: ZENDESK_TOKEN });
    cleanups.unshift(() => zendesk.close());
    const slack = await startFakeSlack({ ...options.slack, token: SLACK_TOKEN });
    cleanups.unshift(() => slack.close());
    const env = parseEnv({
      REDIS_URL: options.redisUrl,
      PORT: '0',
      CXLOOP_REDIS_PREFIX: prefix,
      CXLOOP_DRY_RUN: 'false',
      LOG_LEVEL: 'warn',
      ZENDESK_SUBDOMAIN: 'bench',
      ZENDESK_EMAIL,
      ZENDESK_API_TOKEN: ZENDESK_TOKEN,
      ZENDESK_WEBHOOK_SECRET: BENCH_SECRET,
      ZENDESK_API_URL: zendesk.url,
      ZENDESK_UPDATES_PER_MINUTE: String(updatesPerMinute),
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: 'bench-slack-signing-secret',
      SLACK_API_URL: slack.apiUrl,
    });
    if (!env.ok) throw new Error(`benchmark environment is invalid: ${JSON.stringify(env.problems)}`);
    const logs: LogTally = { warn: 0, error: 0, samples: [] };
    const app = await startCxloop({ env: env.env, policy: options.policy, logger: tallyingLogger(logs), host: '127.0.0.1', ...options.start });
    cleanups.unshift(() => app.stop());
    if (app.dryRun) throw new Error('cxloop started in dry-run mode; the benchmark needs it live');
    return await scenario({ app, zendesk, slack, prefix, redis, logs });
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}

function tallyingLogger(tally: LogTally): Logger {
  return {
    log(level: LogLevel, message: string, fields?: Record<string, unknown>) {
      if (level !== 'warn' && level !== 'error') return;
      tally[level] += 1;
      if (tally.samples.length < 5) tally.samples.push(`${level}: ${message} ${JSON.stringify(fields ?? {})}`.slice(0, 300));
    },
  };
}
