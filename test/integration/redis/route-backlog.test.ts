import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { RedisRouteBacklog } from '../../../src/adapters/redis/redis-route-backlog.js';
import { billingPlan } from '../../support/route-plans.js';
import { recordedRedis } from '../../support/recorded-redis.js';
import { dropPrefix, REDIS_URL, uniquePrefix, waitFor } from '../../support/zendesk-fixtures.js';

const plan = (ticketId: number) => billingPlan({ ticketId });

/** The routing backlog on the real Redis: what a writer that died holding a claim leaves behind. */
describe('RedisRouteBacklog', () => {
  const prefix = uniquePrefix();
  const redis = new Redis(REDIS_URL);
  const backlog = new RedisRouteBacklog(redis, createRedisKeys(prefix));
  afterAll(async () => {
    await dropPrefix(prefix);
    redis.disconnect();
  });

  it('counts a claim whose lease ended as waiting, with nothing new arriving, and hands it out again marked stalled', async () => {
    await backlog.enqueue(plan(7));
    await backlog.enqueue(plan(8));
    // A writer claims both and dies: nobody renews, finishes or releases them.
    const dead = await backlog.claim(10, 50);
    expect(dead?.entries.map((claimed) => claimed.entry.plan.ticketId)).toEqual([7, 8]);
    expect((await backlog.waiting()).count).toBe(0);
    // Once the lease ends the writes are due again although no ticket arrived since.
    const waiting = await waitFor(async () => {
      const now = await backlog.waiting();
      return now.count === 2 && now;
    }, 5_000, 'the expired claim to count as waiting');
    expect(waiting.oldestDueAt).not.toBeNull();
    const next = await backlog.claim(10, 30_000);
    expect(next?.entries.map((claimed) => [claimed.entry.plan.ticketId, Boolean(claimed.stalled)])).toEqual([[7, true], [8, true]]);
    expect((await backlog.waiting()).count).toBe(0);
    await backlog.finish([7, 8], next!.token);
    expect(await backlog.size()).toBe(0);
  });

  it('stores the writes enqueued at once in one script call, in order; a ticket enqueued twice keeps its first write', async () => {
    const recorded = recordedRedis(redis);
    const grouped = new RedisRouteBacklog(recorded.client, createRedisKeys(prefix));
    const plans = Array.from({ length: 40 }, (_, index) => plan(100 + index));
    await Promise.all([...plans.map((each) => grouped.enqueue(each)), grouped.enqueue({ ...plan(100), note: 'a second write' })]);
    expect(recorded.scriptCalls()).toBe(1);
    const claimed = await grouped.claim(100, 30_000);
    expect(claimed?.entries.map((each) => each.entry.plan.ticketId)).toEqual(plans.map((each) => each.ticketId));
    expect(claimed?.entries[0]?.entry.plan).toEqual(plans[0]);
    await grouped.finish(plans.map((each) => each.ticketId), claimed!.token);
    expect(await grouped.size()).toBe(0);
  });
});
