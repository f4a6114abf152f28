import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { RedisSlackOutbox } from '../../../src/adapters/redis/redis-slack-outbox.js';
import { dropPrefix, uniquePrefix } from '../../support/zendesk-fixtures.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('ticket briefs and Slack message refs in Redis', () => {
  const prefix = uniquePrefix();
  const redis = new Redis(REDIS_URL);
  const keys = createRedisKeys(prefix);
  const briefs = new RedisSlackOutbox(redis, keys);
  afterAll(async () => {
    await dropPrefix(prefix);
    redis.disconnect();
  });

  it('round-trips a brief stored compactly, with the loops\' 30-day expiry', async () => {
    const brief = { ticketId: 77, subject: 'Charged "twice"\n<!channel>', excerpt: 'Ça ne marche pas — ✓', why: 'billing_issue (confidence 0.92): abbuchung* [de]' };
    await briefs.save(brief);
    expect(await briefs.get(77)).toEqual(brief);
    expect(JSON.parse((await redis.get(keys.ticketBrief(77))) ?? '')).toEqual([brief.subject, brief.excerpt, brief.why]);
    expect(await redis.ttl(keys.ticketBrief(77))).toBeGreaterThan(29 * 86_400);
    expect(await briefs.get(78)).toBeNull();
  });

  it('still reads a brief saved in the earlier object form', async () => {
    const legacy = { ticketId: 79, subject: 's', excerpt: 'e', why: 'w' };
    await redis.set(keys.ticketBrief(79), JSON.stringify(legacy));
    expect(await briefs.get(79)).toEqual(legacy);
  });

  it('keeps the Slack message refs as m: fields of the ticket hash, beside the ticket fields, with its expiry', async () => {
    await redis.hset(keys.ticket(80), 'u', '1', 'rs', 'routed');
    await briefs.setMessage(80, 'card', '#cx-billing C0BILL 1700000000.000100');
    expect(await briefs.setMessageIfAbsent(80, 'status', 'pending')).toBe(true);
    expect(await briefs.setMessageIfAbsent(80, 'status', 'other')).toBe(false);
    expect(await briefs.messages(80)).toEqual({ card: '#cx-billing C0BILL 1700000000.000100', status: 'pending' });
    expect(await redis.hgetall(keys.ticket(80))).toMatchObject({ u: '1', rs: 'routed' });
    expect(await redis.ttl(keys.ticket(80))).toBeGreaterThan(29 * 86_400);
    expect(await briefs.messages(81)).toEqual({});
  });
});
