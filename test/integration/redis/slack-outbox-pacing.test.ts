import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { RedisSlackOutbox } from '../../../src/adapters/redis/redis-slack-outbox.js';
import { dropPrefix, uniquePrefix } from '../../support/zendesk-fixtures.js';
import { recordedRedis } from '../../support/recorded-redis.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const LEASE = 30_000;

describe('Slack outbox pacing and leases', () => {
  const prefix = uniquePrefix();
  const redis = new Redis(REDIS_URL);
  const outbox = new RedisSlackOutbox(redis, createRedisKeys(prefix));
  afterAll(async () => {
    await dropPrefix(prefix);
    redis.disconnect();
  });

  it('keeps a channel that went idle from being called again before its interval is over', async () => {
    await outbox.push('#cx-billing', 'first', 1_000);
    const claim = await outbox.claim(1_000, LEASE);
    expect(claim).toEqual({ channel: '#cx-billing', leaseEnd: 1_000 + LEASE });
    expect(await outbox.complete(claim!, 1, 2_000)).toBe(true); // sent; nothing left: idle, next call not before 2,000
    await outbox.push('#cx-billing', 'second', 1_300);
    expect(await outbox.claim(1_300, LEASE)).toBeNull();
    expect(await outbox.claim(1_999, LEASE)).toBeNull();
    expect((await outbox.claim(2_000, LEASE))?.channel).toBe('#cx-billing');
  });

  it('queues posts and edits for several channels at once, in order, each channel paced as push and markEdit pace it', async () => {
    await outbox.push('#cx-a', 'old', 30_000);
    await outbox.complete((await outbox.claim(30_000, LEASE))!, 1, 31_000); // idle, next call not before 31,000
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
    const b = await outbox.claim(30_500, LEASE);
    expect(b?.channel).toBe('#cx-b');
    expect(await outbox.claim(30_500, LEASE)).toBeNull();
    expect((await outbox.claim(31_000, LEASE))?.channel).toBe('#cx-a');
    // The two marks are one edit: once it is done, none is left.
    expect(await outbox.takeEdit('#cx-b')).toBe('live');
    await outbox.complete(b!, 0, 32_000, 'live');
    expect(await outbox.takeEdit('#cx-b')).toBeNull();
  });

  it('lets an edit wait out the interval the same way, and an idle channel past it go at once', async () => {
    await outbox.push('#cx-support', 'card', 10_000);
    const first = await outbox.claim(10_000, LEASE);
    expect(first?.channel).toBe('#cx-support');
    await outbox.complete(first!, 1, 11_000);
    await outbox.markEdit('#cx-support', 'card 7', 10_500);
    expect(await outbox.claim(10_500, LEASE)).toBeNull();
    const second = await outbox.claim(11_000, LEASE);
    expect(second?.channel).toBe('#cx-support');
    expect(await outbox.takeEdit('#cx-support')).toBe('card 7');
    await outbox.complete(second!, 0, 12_000);
    await outbox.push('#cx-support', 'later', 20_000);
    expect((await outbox.claim(20_000, LEASE))?.channel).toBe('#cx-support');
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
    for (let claim = await grouped.claim(55_000, LEASE); claim !== null; claim = await grouped.claim(55_000, LEASE)) due.push(claim.channel);
    expect(due.sort()).toEqual(['#cx-g1', '#cx-g2']);
    expect((await grouped.claim(60_000, LEASE))?.channel).toBe('#cx-g3');
    await dropPrefix(own);
  });

  it('refuses what a sender records after its lease ran out and another took the channel, so the message it did not send stays queued', async () => {
    const own = uniquePrefix();
    const outbox = new RedisSlackOutbox(redis, createRedisKeys(own));
    await outbox.enqueue([{ channel: '#cx-lease', post: 'first' }, { channel: '#cx-lease', post: 'second' }], 1_000);
    const stalled = await outbox.claim(1_000, LEASE);
    // The stalled sender's lease runs out; another claims the channel and reads the same head.
    const takeover = await outbox.claim(1_000 + LEASE, LEASE);
    expect(takeover).toEqual({ channel: '#cx-lease', leaseEnd: 1_000 + 2 * LEASE });
    expect(await outbox.peek('#cx-lease', 1)).toEqual(['first']);
    expect(await outbox.complete(stalled!, 1, 40_000)).toBe(false);
    expect(await outbox.pause(stalled!, 90_000)).toBe(false);
    expect(await outbox.deadLetter(stalled!, 'channel_not_found', 40_000)).toBe(false);
    expect(await outbox.renew(stalled!, 99_000)).toBeNull();
    expect(await outbox.peek('#cx-lease', 10)).toEqual(['first', 'second']);
    expect(await outbox.deadLetters()).toEqual([]);
    // The one that holds it records its work.
    expect(await outbox.complete(takeover!, 1, 62_000)).toBe(true);
    expect(await outbox.peek('#cx-lease', 10)).toEqual(['second']);
    expect(await outbox.claim(61_999, LEASE)).toBeNull();
    expect((await outbox.claim(62_000, LEASE))?.channel).toBe('#cx-lease');
    await dropPrefix(own);
  });

  it('keeps a renewed lease from other senders past its first end, and the renewed claim records its work', async () => {
    const own = uniquePrefix();
    const outbox = new RedisSlackOutbox(redis, createRedisKeys(own));
    await outbox.push('#cx-renew', 'slow', 100_000);
    const claim = await outbox.claim(100_000, LEASE);
    const renewed = await outbox.renew(claim!, 100_000 + 2 * LEASE);
    expect(renewed).toEqual({ channel: '#cx-renew', leaseEnd: 100_000 + 2 * LEASE });
    expect(await outbox.claim(100_000 + LEASE, LEASE)).toBeNull();
    // The claim as first made no longer holds it; the renewed one does.
    expect(await outbox.complete(claim!, 1, 200_000)).toBe(false);
    expect(await outbox.pause(renewed!, 150_000)).toBe(true);
    expect(await outbox.claim(149_999, LEASE)).toBeNull();
    const next = await outbox.claim(150_000, LEASE);
    expect(await outbox.deadLetter(next!, 'invalid_blocks', 150_000)).toBe(true);
    expect((await outbox.deadLetters()).map(({ channel, reason, item }) => ({ channel, reason, item }))).toEqual([{ channel: '#cx-renew', reason: 'invalid_blocks', item: 'slow' }]);
    await dropPrefix(own);
  });
});
