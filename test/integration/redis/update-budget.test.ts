import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { BUDGET_MARGIN_MS, RedisUpdateBudget } from '../../../src/adapters/redis/redis-update-budget.js';
import { dropPrefix, REDIS_URL, uniquePrefix } from '../../support/zendesk-fixtures.js';

describe('RedisUpdateBudget (real Redis, injected clock)', () => {
  let prefix: string;
  let redis: Redis;
  let clock: number;

  beforeEach(() => {
    prefix = uniquePrefix();
    redis = new Redis(REDIS_URL);
    clock = 1_000_000;
  });
  afterEach(async () => {
    redis.disconnect();
    await dropPrefix(prefix);
  });

  const budgetOf = (perMinute: number) => new RedisUpdateBudget({ redis, keys: createRedisKeys(prefix), perMinute, now: () => clock });

  it('grants N calls in any sliding minute (plus the margin), shared by every instance, and says when the next one is free', async () => {
    const [first, second] = [budgetOf(3), budgetOf(3)];
    expect(await first.take()).toMatchObject({ granted: true });
    clock += 10_000;
    expect(await second.take()).toMatchObject({ granted: true });
    expect(await first.take()).toMatchObject({ granted: true });
    expect(await second.wait()).toBe(50_000 + BUDGET_MARGIN_MS);
    expect(await second.take()).toEqual({ granted: false, retryAfterMs: 50_000 + BUDGET_MARGIN_MS });
    clock += 50_000 + BUDGET_MARGIN_MS - 1;
    expect(await first.take()).toEqual({ granted: false, retryAfterMs: 1 });
    clock += 1;
    // The first call left the window; the two made 10 s later still count.
    expect(await first.take()).toMatchObject({ granted: true });
    expect(await second.take()).toEqual({ granted: false, retryAfterMs: 10_000 });
  });

  it('counts a call from when it was answered: one sent late by a busy worker still fills Zendesk\'s window', async () => {
    const budget = budgetOf(1);
    const grant = await budget.take();
    if (!grant.granted) throw new Error('the first call must be granted');
    // Its answer came 3 s later (Zendesk counted it on arrival, somewhere in those 3 s).
    clock += 3_000;
    await budget.answered(grant);
    clock += 60_000 + BUDGET_MARGIN_MS - 1;
    expect(await budget.take()).toEqual({ granted: false, retryAfterMs: 1 });
    clock += 1;
    expect(await budget.take()).toMatchObject({ granted: true });
  });

  it('refuses every call while a 429 hold runs, and a shorter hold never shortens it', async () => {
    const budget = budgetOf(100);
    await budget.holdUntil(clock + 30_000);
    await budget.holdUntil(clock + 5_000);
    expect(await budget.take()).toEqual({ granted: false, retryAfterMs: 30_000 });
    clock += 30_000;
    expect(await budget.take()).toMatchObject({ granted: true });
  });
});
