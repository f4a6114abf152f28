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

  it('holds fields read before their write is in the backlog, and the write is claimed on them, only when they are newer', async () => {
    const base = plan(200).base;
    const newer = { tags: ['vip', 'refund'], groupId: 1000, priority: 'urgent' as const, updatedAt: base.updatedAt + 5_000 };
    // The status change is handled before the creation's write reaches the backlog.
    expect(await backlog.rebase(200, newer)).toBe('held');
    expect(await backlog.rebase(200, { ...newer, updatedAt: newer.updatedAt - 1_000 })).toBe('unchanged');
    // Fields older than the write's own base are not used.
    expect(await backlog.rebase(201, { ...newer, updatedAt: base.updatedAt - 1_000 })).toBe('held');
    await Promise.all([backlog.enqueue(plan(200)), backlog.enqueue(plan(201))]);
    // Once queued, a rebase changes the write itself.
    expect(await backlog.rebase(201, { ...newer, updatedAt: base.updatedAt })).toBe('unchanged');
    const claimed = await backlog.claim(10, 30_000);
    const entries = new Map(claimed!.entries.map(({ entry }) => [entry.plan.ticketId, entry]));
    expect(entries.get(200)).toEqual({ plan: plan(200), current: newer });
    expect(entries.get(201)).toEqual({ plan: plan(201) });
    // The claim took them: nothing is held any more.
    const keys = createRedisKeys(prefix);
    expect(await redis.exists(keys.routeHeld, keys.routeHeldAt)).toBe(0);
    await backlog.finish([200, 201], claimed!.token);
  });

  it('drops fields held for more than 10 minutes (a write sent before they came, or never queued)', async () => {
    const keys = createRedisKeys(prefix);
    const fields = { ...plan(300).base, updatedAt: plan(300).base.updatedAt + 1 };
    expect(await backlog.rebase(300, fields)).toBe('held');
    const [seconds] = await redis.time();
    await redis.zadd(keys.routeHeldAt, (Number(seconds) - 11 * 60) * 1000, '300');
    expect(await backlog.rebase(301, fields)).toBe('held');
    expect(await redis.hkeys(keys.routeHeld)).toEqual(['301']);
    await backlog.enqueue(plan(300));
    const claimed = await backlog.claim(10, 30_000);
    expect(claimed!.entries.map(({ entry }) => entry)).toEqual([{ plan: plan(300) }]);
    await backlog.finish([300], claimed!.token);
    await redis.del(keys.routeHeld, keys.routeHeldAt);
  });
  it('claims short of a full batch only once the oldest write has lingered, and no single while a burst a batch claim marked is on', async () => {
    const keys = createRedisKeys(prefix);
    await Promise.all([400, 401, 402].map((id) => backlog.enqueue(plan(id))));
    // Fresh and short of 100: another writer's full batch may just have left these behind.
    expect(await backlog.claim(100, 30_000, { lingeredMs: 60_000 })).toBeNull();
    // A full claim (here of 2) needs no linger.
    const full = await backlog.claim(2, 30_000, { lingeredMs: 60_000 });
    expect(full?.entries.map(({ entry }) => entry.plan.ticketId)).toEqual([400, 401]);
    expect((await backlog.waiting()).burst).toBe(false);
    const [seconds] = await redis.time();
    await redis.zadd(keys.routeDue, Number(seconds) * 1000 - 2_000, '402');
    const lingered = await backlog.claim(100, 30_000, { lingeredMs: 1_000, markBurstMs: 60_000 });
    expect(lingered?.entries.map(({ entry }) => entry.plan.ticketId)).toEqual([402]);
    expect((await backlog.waiting()).burst).toBe(true);
    await backlog.enqueue(plan(403));
    expect(await backlog.claim(1, 30_000, { notInBurst: true })).toBeNull();
    expect(await backlog.claim(5, 30_000, { min: 2 })).toBeNull();
    const single = await backlog.claim(1, 30_000);
    expect(single?.entries.map(({ entry }) => entry.plan.ticketId)).toEqual([403]);
    for (const claim of [full!, lingered!, single!]) await backlog.finish(claim.entries.map(({ entry }) => entry.plan.ticketId), claim.token);
    await redis.del(keys.routeBurst);
    expect(await backlog.size()).toBe(0);
  });
});
