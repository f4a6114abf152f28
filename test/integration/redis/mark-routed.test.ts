import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { RedisTicketStore } from '../../../src/adapters/redis/redis-ticket-store.js';
import { dropPrefix, REDIS_URL, uniquePrefix } from '../../support/zendesk-fixtures.js';

const AT = Date.parse('2026-11-23T09:00:00Z');

/** An update_many's results mark its tickets routed in one call (real Redis). */
describe('marking a batch of routing writes landed', () => {
  const prefix = uniquePrefix();
  const redis = new Redis(REDIS_URL);
  const keys = createRedisKeys(prefix);
  const store = new RedisTicketStore(redis, keys);
  afterAll(async () => {
    redis.disconnect();
    await dropPrefix(prefix);
  });

  const claim = (ticketId: number) => store.claimRouting(ticketId, { status: 'pending', category: 'billing_issue', tier: 'normal', groupId: 1002, baseGroupId: null }, `evt:${ticketId}`);

  it('marks each pending ticket routed over its own updated_at, and leaves an overridden or unknown ticket as it was', async () => {
    await claim(31);
    await claim(32);
    await claim(33);
    expect(await store.recordOverride({ ticketId: 33, override: { field: 'category', from: 'billing_issue', to: 'bug_report' }, actorId: 4242, at: AT })).toBe(true);
    const before = await redis.hgetall(keys.ticket(33));

    await store.markAllRouted([
      { ticketId: 31, writtenOver: AT - 60_000 },
      { ticketId: 32, writtenOver: AT - 30_000 },
      { ticketId: 33, writtenOver: AT },
      { ticketId: 34, writtenOver: AT },
    ]);

    expect(await store.get(31)).toMatchObject({ routing: { status: 'routed', writtenOver: AT - 60_000 } });
    expect(await store.get(32)).toMatchObject({ routing: { status: 'routed', writtenOver: AT - 30_000 } });
    // The claim's event key is dropped once routed (only a pending write is re-queued by its retry).
    expect(await redis.hexists(keys.ticket(31), 'rk')).toBe(0);
    expect(await redis.hgetall(keys.ticket(33))).toEqual(before);
    expect(await redis.exists(keys.ticket(34))).toBe(0);
  });

  it('does nothing for no tickets', async () => {
    await expect(store.markAllRouted([])).resolves.toBeUndefined();
  });
});
