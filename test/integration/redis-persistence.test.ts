import { Redis } from 'ioredis';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { checkRedis } from '../../src/cli/commands/doctor/check-redis.js';
import { parseEnv, type Env } from '../../src/config/env-schema.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { nockZendeskReads, postSigned, startLive, ticketEvent, uniquePrefix } from '../support/zendesk-fixtures.js';

/** Each test runs its own redis-server with the persistence settings under test. */
describe('Redis persistence', () => {
  let server: RedisServer | undefined;

  afterEach(async () => {
    await server?.remove();
    server = undefined;
    nock.cleanAll();
    nock.enableNetConnect();
  });

  function envFor(url: string): Env {
    const parsed = parseEnv({ REDIS_URL: url, CXLOOP_REDIS_PREFIX: uniquePrefix() });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    return parsed.env;
  }

  /** Accepts `count` webhooks on a web-only cxloop (nothing consumes them), restarts Redis cleanly, and counts the events still queued. */
  async function eventsKeptAcrossRestart(args: string[], count: number): Promise<number> {
    server = await startRedisServer(args);
    nockZendeskReads();
    const prefix = uniquePrefix();
    const app = await startLive(prefix, { role: 'web', extraEnv: { REDIS_URL: server.url } });
    try {
      const created = new Date(Date.now() - 60_000).toISOString();
      for (let id = 1; id <= count; id += 1) expect((await postSigned(app.http.url, ticketEvent('created', { id, created_at: created }))).status).toBe(200);
      expect(await app.queues.events.getWaitingCount()).toBe(count);
    } finally {
      await app.stop();
    }
    await server.stop('SIGTERM');
    await server.restart();
    const redis = new Redis(server.url);
    try {
      return await redis.llen(`${prefix}:q:zendesk-events:wait`);
    } finally {
      redis.disconnect();
    }
  }

  it('without persistence a restart loses every accepted webhook; with appendonly yes it keeps them', async () => {
    expect(await eventsKeptAcrossRestart(['--save', '', '--appendonly', 'no'], 30)).toBe(0);
    await server!.remove();
    expect(await eventsKeptAcrossRestart(['--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec'], 30)).toBe(30);
  }, 40_000);

  it('doctor warns when persistence is off, and says how to turn it on', async () => {
    server = await startRedisServer(['--save', '', '--appendonly', 'no']);
    const { redis } = await checkRedis(envFor(server.url));
    expect(redis).toEqual({
      name: 'redis',
      status: 'warn',
      detail: expect.stringMatching(/^redis:\/\/127\.0\.0\.1:\d+, Redis \d+\.\d+\.\d+, noeviction; persistence is off \(appendonly no\): a restart loses accepted webhooks, queued routing writes and loop state$/),
      fix: expect.stringContaining('CONFIG SET appendonly yes and CONFIG SET appendfsync everysec'),
    });
  });

  it('doctor is content with appendonly yes + appendfsync everysec', async () => {
    server = await startRedisServer(['--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec']);
    const { redis } = await checkRedis(envFor(server.url));
    expect(redis).toEqual({ name: 'redis', status: 'ok', detail: expect.stringMatching(/^redis:\/\/127\.0\.0\.1:\d+, Redis \d+\.\d+\.\d+, noeviction$/) });
  });

  it('doctor warns on appendfsync no', async () => {
    server = await startRedisServer(['--save', '', '--appendonly', 'yes', '--appendfsync', 'no']);
    const { redis } = await checkRedis(envFor(server.url));
    expect(redis).toMatchObject({ status: 'warn', detail: expect.stringContaining('appendfsync no: the operating system decides'), fix: expect.stringContaining('CONFIG SET appendfsync everysec') });
  });

  it('where CONFIG is disabled (managed Redis), doctor still reads persistence from INFO', async () => {
    server = await startRedisServer(['--save', '', '--appendonly', 'yes', '--rename-command', 'CONFIG', '']);
    expect((await checkRedis(envFor(server.url))).redis).toMatchObject({ status: 'ok' });
    await server.remove();
    server = await startRedisServer(['--save', '', '--appendonly', 'no', '--rename-command', 'CONFIG', '']);
    expect((await checkRedis(envFor(server.url))).redis).toMatchObject({ status: 'warn', detail: expect.stringContaining('persistence is off (appendonly no)') });
  });
});
