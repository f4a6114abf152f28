import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { CorrectionBusyError, RedisTicketStore } from '../../../src/adapters/redis/redis-ticket-store.js';
import type { Correction } from '../../../src/app/ports.js';
import { dropPrefix, REDIS_URL, uniquePrefix, waitFor } from '../../support/zendesk-fixtures.js';

const AT = Date.parse('2026-11-23T09:00:00Z');

/**
 * An agent's correction is frozen in the ticket's slot, then appended to the install-wide
 * corrections stream (two slots on a cluster, so two steps). Attempts that run at once (a job
 * retried while the first still runs, the sidebar and a webhook) must record it once, and one
 * that crashed between the steps must not lose it (real Redis).
 */
describe('recording an agent correction: one entry per correction across attempts', () => {
  const prefix = uniquePrefix();
  const redis = new Redis(REDIS_URL);
  const keys = createRedisKeys(prefix);
  afterAll(async () => {
    redis.disconnect();
    await dropPrefix(prefix);
  });

  async function routed(ticketId: number): Promise<Correction> {
    const store = new RedisTicketStore(redis, keys);
    await store.claimRouting(ticketId, { status: 'pending', category: 'billing_issue', tier: 'normal', groupId: 1002, baseGroupId: null }, `evt:${ticketId}`);
    await store.markRouted(ticketId, AT - 60_000);
    return { ticketId, override: { field: 'category', from: 'billing_issue', to: 'bug_report' }, actorId: 4242, at: AT, text: { subject: 'App crashes', description: 'It closes when I open it' } };
  }
  const entriesOf = async (ticketId: number) => (await redis.xrange(keys.corrections, '-', '+')).filter(([, fields]) => fields[1] === String(ticketId));

  it('two attempts at once: one records it, the other is told to retry and then finds it recorded', async () => {
    const correction = await routed(11);
    const store = new RedisTicketStore(redis, keys);
    // Both freezes reach Redis before the first attempt appends to the stream.
    const [first, second] = await Promise.allSettled([store.recordOverride(correction), store.recordOverride(correction)]);
    expect(first).toEqual({ status: 'fulfilled', value: true });
    expect(second.status).toBe('rejected');
    expect((second as PromiseRejectedResult).reason).toBeInstanceOf(CorrectionBusyError);
    expect((second as PromiseRejectedResult).reason.message).toBe('the correction of ticket 11 is being recorded by another attempt; retrying');
    // The retried attempt: nothing left to record.
    expect(await store.recordOverride(correction)).toBe(false);
    const entries = await entriesOf(11);
    expect(entries).toHaveLength(1);
    expect(entries[0]![1]).toEqual(['ticket', '11', 'field', 'category', 'from', 'billing_issue', 'to', 'bug_report', 'actor', '4242', 'at', '2026-11-23T09:00:00.000Z', 'subject', 'App crashes', 'body', 'It closes when I open it']);
    expect(await redis.exists(keys.pendingCorrection(11))).toBe(0);
  });

  it('an attempt that crashed after the freeze: a retry within its lease waits, one after it records the correction once', async () => {
    const correction = await routed(12);
    // The crashed attempt froze the correction, then its process died before the stream append.
    const crashing = new Proxy(redis, {
      get: (target, property, receiver) => (property === 'xadd' ? () => Promise.reject(new Error('process killed')) : Reflect.get(target, property, receiver)),
    });
    const leaseMs = 200;
    await expect(new RedisTicketStore(crashing, keys, leaseMs).recordOverride(correction)).rejects.toThrow('process killed');
    expect(await entriesOf(12)).toHaveLength(0);
    expect(await redis.hget(keys.ticket(12), 'rs')).toBe('overridden');

    const retry = new RedisTicketStore(redis, keys, leaseMs);
    await expect(retry.recordOverride(correction)).rejects.toBeInstanceOf(CorrectionBusyError);
    await waitFor(() => retry.recordOverride(correction).then((recorded) => recorded, (error: Error) => (error instanceof CorrectionBusyError ? false : Promise.reject(error))), 5_000, 'the lease to end');
    expect(await entriesOf(12)).toHaveLength(1);
    expect(await retry.recordOverride(correction)).toBe(false);
    expect(await entriesOf(12)).toHaveLength(1);
  });
});
