import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { RedisTicketStore } from '../../../src/adapters/redis/redis-ticket-store.js';
import type { EventInbox, ExportPage } from '../../../src/app/ports.js';
import { RECHECK_AFTER_MS, reconcileTickets, type ReconcileDeps } from '../../../src/app/reconcile-tickets.js';
import type { TicketEvent, TicketSnapshot } from '../../../src/core/ticket-event.js';
import { dropPrefix, REDIS_URL, uniquePrefix } from '../../support/zendesk-fixtures.js';

const NOW = Date.parse('2026-11-23T09:00:00Z');
const SECOND = 1000;

function snapshot(id: number, updatedAt: number): TicketSnapshot {
  return { id, subject: `Ticket ${id}`, description: 'Charged twice', status: 'new', priority: null, groupId: null, assigneeId: null, requesterId: 7, organizationId: null, formId: null, tags: [], channel: 'email', createdAt: updatedAt, updatedAt };
}

/**
 * The reconciliation's second look at tickets read just after their update (real Redis for the
 * ticket store; the export and the inbox are the test's): a burst's tickets, whose webhooks are
 * still queued, are not sent through the event path a second time.
 */
describe('reconciliation of tickets updated just before it reads them', () => {
  const prefix = uniquePrefix();
  const redis = new Redis(REDIS_URL);
  const keys = createRedisKeys(prefix);
  const store = new RedisTicketStore(redis, keys);
  let clock = NOW;
  let pages: ExportPage[] = [];
  let accepted: TicketEvent[] = [];
  const inbox: EventInbox = {
    accept: async (event) => {
      if (accepted.some((earlier) => earlier.key === event.key)) return 'duplicate';
      accepted.push(event);
      return 'accepted';
    },
  };
  const deps: ReconcileDeps = {
    zendesk: { exportTickets: async () => pages.shift() ?? { snapshots: [], skipped: 0, afterCursor: 'c-end', endOfStream: true } },
    store,
    inbox,
    logger: { log: () => undefined },
    now: () => clock,
    firstRunLookbackMs: 3_600_000,
    maxPages: 5,
  };
  const run = () => reconcileTickets(deps);

  beforeEach(async () => {
    await dropPrefix(prefix);
    clock = NOW;
    accepted = [];
    pages = [];
  });
  afterAll(async () => {
    await dropPrefix(prefix);
    redis.disconnect();
  });

  it('sends an old unseen ticket at once, keeps the recent ones, and at the next run sends only the one whose webhook never came', async () => {
    const missedLongAgo = snapshot(11, NOW - 10 * 60 * SECOND);
    const webhookQueued = snapshot(12, NOW - 30 * SECOND);
    const webhookMissed = snapshot(13, NOW - 45 * SECOND);
    pages = [{ snapshots: [missedLongAgo, webhookQueued, webhookMissed], skipped: 0, afterCursor: 'c1', endOfStream: true }];

    expect(await run()).toMatchObject({ seen: 3, queued: 1, deferred: 2, rechecked: 0 });
    expect(accepted.map((event) => event.key)).toEqual([`rec:11:${missedLongAgo.updatedAt}`]);
    expect(await redis.zcard(keys.exportRecheck)).toBe(2);

    // The queued webhook is handled; the other never comes.
    expect((await store.observe(webhookQueued)).applied).toBe(true);
    // Before either is due (two minutes after its update): nothing more.
    clock = NOW + 60 * SECOND;
    expect(await run()).toMatchObject({ queued: 0, rechecked: 0 });
    expect(await redis.zcard(keys.exportRecheck)).toBe(2);

    clock = NOW + RECHECK_AFTER_MS;
    expect(await run()).toMatchObject({ queued: 1, rechecked: 2, deferred: 0 });
    expect(accepted.slice(1)).toEqual([{ key: `rec:13:${webhookMissed.updatedAt}`, kind: 'observed', ticketId: 13, occurredAt: webhookMissed.updatedAt, actorId: null, snapshot: webhookMissed }]);
    expect(await redis.zcard(keys.exportRecheck)).toBe(0);
    expect(await redis.get(keys.exportCursor)).toBe('c-end');
  });

  it('keeps a version read twice once, and does not keep a version cxloop has already seen', async () => {
    const seen = snapshot(21, NOW - 5 * SECOND);
    await store.observe(seen);
    const twice = snapshot(22, NOW - 5 * SECOND);
    pages = [
      { snapshots: [seen, twice], skipped: 0, afterCursor: 'c1', endOfStream: false },
      { snapshots: [twice], skipped: 0, afterCursor: 'c2', endOfStream: true },
    ];
    expect(await run()).toMatchObject({ pages: 2, seen: 3, queued: 0, deferred: 2 });
    expect(await redis.zrange(keys.exportRecheck, '0', '-1')).toEqual([JSON.stringify(twice)]);

    clock = NOW + RECHECK_AFTER_MS;
    expect(await run()).toMatchObject({ queued: 1, rechecked: 1 });
    expect(accepted.map((event) => event.ticketId)).toEqual([22]);
  });

  it('a run that dies after sending a rechecked ticket sends it once: the next run finds it again and the inbox refuses the repeat', async () => {
    const late = snapshot(31, NOW - 10 * SECOND);
    pages = [{ snapshots: [late], skipped: 0, afterCursor: 'c1', endOfStream: true }];
    await run();
    clock = NOW + RECHECK_AFTER_MS;
    const drop = store.dropObservations.bind(store);
    store.dropObservations = async () => {
      throw new Error('worker killed');
    };
    await expect(run()).rejects.toThrow('worker killed');
    store.dropObservations = drop;
    expect(await run()).toMatchObject({ queued: 0, rechecked: 1 });
    expect(accepted.map((event) => event.key)).toEqual([`rec:31:${late.updatedAt}`]);
    expect(await redis.zcard(keys.exportRecheck)).toBe(0);
  });
});
