import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, duplicateRedis, mastersOf, type RedisClient } from '../../../src/adapters/redis/redis-connection.js';
import { startRedisCluster, type RedisCluster } from '../../support/redis-cluster.js';
import { REDIS_URL, uniquePrefix } from '../../support/zendesk-fixtures.js';

const ONE_SERVER = { REDIS_URL, REDIS_SENTINELS: undefined, REDIS_SENTINEL_NAME: undefined, REDIS_CLUSTER_NODES: undefined };

/** Counts what a connection's socket really writes (net.Socket's _write and _writev), not the commands it is handed. */
function countWrites(node: Redis): { readonly count: number } {
  const socket = node.stream as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
  const counter = { count: 0 };
  for (const method of ['_write', '_writev'] as const) {
    const write = socket[method]!.bind(socket);
    socket[method] = (...args: unknown[]) => {
      counter.count += 1;
      return write(...args);
    };
  }
  return counter;
}

/** A turn's worth of commands: SET then GET of each key, issued without awaiting any. */
function setThenGet(redis: RedisClient, keys: readonly string[]): Promise<(string | null)[]> {
  const sets = keys.map((key, index) => redis.set(key, `value-${index}`, 'EX', 60));
  const gets = keys.map((key) => redis.get(key));
  return Promise.all([...sets, ...gets]).then((replies) => replies.slice(keys.length) as (string | null)[]);
}

describe('the commands of one pass of the event loop go to Redis in one socket write (real Redis)', () => {
  const prefix = uniquePrefix();
  let redis: RedisClient;

  beforeAll(async () => {
    redis = createRedis(ONE_SERVER);
    await redis.ping();
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('writes 200 commands issued together once, and answers each in order', async () => {
    const writes = countWrites(redis as Redis);
    const keys = Array.from({ length: 100 }, (_, index) => `${prefix}:k${index}`);
    expect(await setThenGet(redis, keys)).toEqual(keys.map((_, index) => `value-${index}`));
    expect(writes.count).toBe(1);
  });

  it('writes the commands of separate callbacks of one pass once: two timers due together', async () => {
    const writes = countWrites(redis as Redis);
    const key = `${prefix}:timers`;
    const replies = await new Promise<number[]>((resolve, reject) => {
      const issued: Promise<number>[] = [];
      // Timers set in one turn fall due together and run in one timers phase, each callback on its own.
      setTimeout(() => issued.push(redis.incr(key)), 0);
      setTimeout(() => {
        issued.push(redis.incr(key));
        Promise.all(issued).then(resolve, reject);
      }, 0);
    });
    expect(replies).toEqual([1, 2]);
    expect(writes.count).toBe(1);
  });

  it('does not hold a command back: each awaited one is written in its own turn', async () => {
    const fresh = createRedis(ONE_SERVER);
    try {
      await fresh.ping();
      const writes = countWrites(fresh as Redis);
      for (let index = 0; index < 5; index += 1) expect(await fresh.incr(`${prefix}:counter`)).toBe(index + 1);
      expect(writes.count).toBe(5);
    } finally {
      fresh.disconnect();
    }
  });

  it('coalesces on a duplicated connection too, and after a reconnect', async () => {
    const copy = duplicateRedis(redis, {}) as Redis;
    try {
      await copy.ping();
      const first = countWrites(copy);
      await Promise.all([copy.ping(), copy.ping(), copy.ping()]);
      expect(first.count).toBe(1);
      // A new socket after a dropped one: cork-per-turn is put on it as it connects.
      await new Promise<void>((resolve) => {
        copy.once('ready', () => resolve());
        copy.stream.destroy();
      });
      const second = countWrites(copy);
      expect(await Promise.all([copy.ping(), copy.echo('a'), copy.echo('b')])).toEqual(['PONG', 'a', 'b']);
      expect(second.count).toBe(1);
    } finally {
      copy.disconnect();
    }
  });
});

describe('on a Redis Cluster, per node (real 3-master cluster)', () => {
  let cluster: RedisCluster;
  let redis: RedisClient;

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    redis = createRedis({ ...ONE_SERVER, REDIS_CLUSTER_NODES: cluster.ports.map((port) => `127.0.0.1:${port}`).join(',') });
    await redis.ping();
  }, 30_000);
  afterAll(async () => {
    redis?.disconnect();
    await cluster?.remove();
  });

  it('writes the commands of one turn once to each master, whatever slots their keys are in', async () => {
    const keys = Array.from({ length: 60 }, (_, index) => `coalesce:{t${index}}`);
    // Every master connected before counting (the first command to each opens its socket).
    await Promise.all(keys.map((key) => redis.get(key)));
    const masters = mastersOf(redis);
    expect(masters).toHaveLength(3);
    const writes = masters.map(countWrites);
    expect(await setThenGet(redis, keys)).toEqual(keys.map((_, index) => `value-${index}`));
    expect(writes.map((counter) => counter.count)).toEqual([1, 1, 1]);
    await Promise.all(keys.map((key) => redis.del(key)));
  });
});
