import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, createRedis, duplicateRedis, mastersOf, type RedisSettings } from '../../../src/adapters/redis/redis-connection.js';
import { createRedisKeys, deleteInstallKeys } from '../../../src/adapters/redis/redis-keys.js';
import { RedisTicketStore } from '../../../src/adapters/redis/redis-ticket-store.js';
import { startRedisCluster, type RedisCluster } from '../../support/redis-cluster.js';
import { writeTestCertificates, type TestCertificates } from '../../support/tls-certificates.js';
import { REDIS_URL, uniquePrefix } from '../../support/zendesk-fixtures.js';

/**
 * A Redis Cluster that speaks TLS only, as managed clusters do: REDIS_CLUSTER_NODES with
 * rediss:// seeds reaches every master over TLS (the nodes it discovers too), checks their
 * certificates, and carries cxloop's scripts and BullMQ's queues (real 3-master cluster with
 * --tls-cluster yes, a CA of the test's own passed as `tls.ca`, as NODE_EXTRA_CA_CERTS gives it
 * to a process).
 */
describe('a TLS-only Redis Cluster through rediss:// seeds (real cluster)', () => {
  let dir: string;
  let certificates: TestCertificates;
  let cluster: RedisCluster;
  const prefix = uniquePrefix();
  const keys = createRedisKeys(prefix, 'cluster');
  const settings = (scheme: 'redis' | 'rediss'): RedisSettings => ({
    REDIS_URL,
    REDIS_SENTINELS: undefined,
    REDIS_SENTINEL_NAME: undefined,
    REDIS_CLUSTER_NODES: cluster.ports.map((port) => `${scheme}://127.0.0.1:${port}`).join(','),
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxloop-cluster-tls-'));
    certificates = writeTestCertificates(dir);
    cluster = await startRedisCluster(3, { tls: certificates });
  }, 60_000);
  afterAll(async () => {
    await cluster?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('spreads per-ticket keys over all three masters, runs a ticket script and a BullMQ queue and worker over TLS', async () => {
    const redis = createRedis(settings('rediss'), { tls: { ca: certificates.ca } });
    const worker = duplicateRedis(redis, { maxRetriesPerRequest: null });
    const queue = new Queue('cxloop-events', { connection: redis, prefix: keys.queuePrefix('cxloop-events') });
    const events = new QueueEvents('cxloop-events', { connection: duplicateRedis(redis, { maxRetriesPerRequest: null }), prefix: keys.queuePrefix('cxloop-events') });
    const processed: number[] = [];
    const consumer = new Worker<{ ticket: number }>('cxloop-events', async (job) => void processed.push(job.data.ticket), { connection: worker, prefix: keys.queuePrefix('cxloop-events') });
    try {
      const store = new RedisTicketStore(redis, keys);
      for (let ticket = 1; ticket <= 30; ticket += 1) {
        expect(await store.claimRouting(ticket, { status: 'pending', category: 'bug_report', tier: 'normal', groupId: 1001, baseGroupId: null }, `evt:${ticket}`)).toBe(true);
      }
      const perMaster = await Promise.all(mastersOf(redis).map(async (master) => (await master.keys(`${prefix}:t:*`)).length));
      expect(perMaster).toHaveLength(3);
      expect(perMaster.every((count) => count > 0)).toBe(true);
      expect(perMaster.reduce((sum, count) => sum + count, 0)).toBe(30);

      await events.waitUntilReady();
      const job = await queue.add('event', { ticket: 42 });
      await job.waitUntilFinished(events, 10_000);
      expect(processed).toEqual([42]);
    } finally {
      await consumer.close();
      await events.close();
      await queue.close();
      await deleteInstallKeys(redis, prefix);
      redis.disconnect();
    }
  }, 30_000);

  it('refuses nodes whose certificate no trusted CA signed, and plain redis:// to the TLS ports, naming the seeds', async () => {
    const untrusted = createRedis(settings('rediss'), { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    untrusted.on('error', () => undefined);
    await expect(connectRedis(untrusted, settings('rediss'))).rejects.toThrow(
      /^cannot connect to Redis at Redis Cluster of the seed nodes 127\.0\.0\.1:\d+, 127\.0\.0\.1:\d+, 127\.0\.0\.1:\d+ \(TLS\) \(.*(self.signed|unable to verify|certificate).*\); check REDIS_CLUSTER_NODES/i,
    );

    const plain = createRedis(settings('redis'), { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 });
    plain.on('error', () => undefined);
    await expect(connectRedis(plain, settings('redis'))).rejects.toThrow(/^cannot connect to Redis at Redis Cluster of the seed nodes 127\.0\.0\.1:\d+, 127\.0\.0\.1:\d+, 127\.0\.0\.1:\d+ \(/);
  }, 30_000);
});
