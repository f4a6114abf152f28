import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { RedisSlackOutbox } from '../../../src/adapters/redis/redis-slack-outbox.js';
import { dropPrefix, uniquePrefix } from '../../support/zendesk-fixtures.js';
import { recordedRedis } from '../../support/recorded-redis.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const LEASE = 30_000;

describe('Slack outbox pacing across an empty queue', () => {
  const prefix = uniquePrefix();
  const redis = new Redis(REDIS_URL);
  const outbox = new RedisSlackOutbox(redis, createRedisKeys(prefix));
  afterAll(async () => {
    await dropPrefix(prefix);
    redis.disconnect();
  });

  it('keeps a channel that went idle from being called again before its interval is over', async () => {
    await outbox.push('#cx-billing', 'first', 1_000);
    expect(await outbox.claim(1_000, LEASE)).toBe('#cx-billing');
    await outbox.complete('#cx-billing', 1, 2_000); // sent; nothing left: idle, next call not before 2,000
    await outbox.push('#cx-billing', 'second', 1_300);
    expect(await outbox.claim(1_300, LEASE)).toBeNull();
    expect(await outbox.claim(1_999, LEASE)).toBeNull();
    expect(await outbox.claim(2_000, LEASE)).toBe('#cx-billing');
  });

  it('queues posts and edits for several channels at once, in order, each channel paced as push and markEdit pace it', async () => {
    await outbox.push('#cx-a', 'old', 30_000);
    expect(await outbox.claim(30_000, LEASE)).toBe('#cx-a');
    await outbox.complete('#cx-a', 1, 31_000); // idle, next call not before 31,000
    await outbox.enqueue(
      [
        { channel: '#cx-a', post: 'card 1' },
        { channel: '#cx-b', post: 'parent 1' },
        { channel: '#cx-a', post: 'reply 1' },
        { channel: '#cx-b', edit: 'live' },
        { channel: '#cx-b', edit: 'live' },
      ],
      30_500,
    );
    expect(await outbox.peek('#cx-a', 10)).toEqual(['card 1', 'reply 1']);
    expect(await outbox.peek('#cx-b', 10)).toEqual(['parent 1']);
    expect(await outbox.claim(30_500, LEASE)).toBe('#cx-b');
    expect(await outbox.claim(30_500, LEASE)).toBeNull();
    expect(await outbox.claim(31_000, LEASE)).toBe('#cx-a');
    // The two marks are one edit: once it is done, none is left.
    expect(await outbox.takeEdit('#cx-b')).toBe('live');
    await outbox.complete('#cx-b', 0, 32_000, 'live');
    expect(await outbox.takeEdit('#cx-b')).toBeNull();
  });

  it('lets an edit wait out the interval the same way, and an idle channel past it go at once', async () => {
    await outbox.push('#cx-support', 'card', 10_000);
    expect(await outbox.claim(10_000, LEASE)).toBe('#cx-support');
    await outbox.complete('#cx-support', 1, 11_000);
    await outbox.markEdit('#cx-support', 'card 7', 10_500);
    expect(await outbox.claim(10_500, LEASE)).toBeNull();
    expect(await outbox.claim(11_000, LEASE)).toBe('#cx-support');
    expect(await outbox.takeEdit('#cx-support')).toBe('card 7');
    await outbox.complete('#cx-support', 0, 12_000);
    await outbox.push('#cx-support', 'later', 20_000);
    expect(await outbox.claim(20_000, LEASE)).toBe('#cx-support');
  });

  it('queues what many callers enqueue at once in one script call, each channel in the order of the calls, each entry paced by its own time', async () => {
    const recorded = recordedRedis(redis);
    const own = uniquePrefix();
    const grouped = new RedisSlackOutbox(recorded.client, createRedisKeys(own));
    await Promise.all([
      grouped.push('#cx-g1', 'one', 50_000),
      grouped.enqueue([{ channel: '#cx-g2', post: 'parent' }, { channel: '#cx-g1', post: 'two' }], 50_000),
      grouped.push('#cx-g2', 'reply', 50_000),
      grouped.push('#cx-g3', 'later', 60_000),
    ]);
    expect(recorded.scriptCalls()).toBe(1);
    expect(await grouped.peek('#cx-g1', 10)).toEqual(['one', 'two']);
    expect(await grouped.peek('#cx-g2', 10)).toEqual(['parent', 'reply']);
    // Each entry keeps its own time: #cx-g3 is not due before 60,000.
    const due: string[] = [];
    for (let channel = await grouped.claim(55_000, LEASE); channel !== null; channel = await grouped.claim(55_000, LEASE)) due.push(channel);
    expect(due.sort()).toEqual(['#cx-g1', '#cx-g2']);
    expect(await grouped.claim(60_000, LEASE)).toBe('#cx-g3');
    await dropPrefix(own);
  });
});
