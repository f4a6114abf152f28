import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, type RedisClient } from '../../../src/adapters/redis/redis-connection.js';
import { deleteInstallKeys } from '../../../src/adapters/redis/redis-keys.js';
import { checkRedis } from '../../../src/cli/commands/doctor/check-redis.js';
import { settle, type Cxloop } from '../../../src/main.js';
import { startRedisCluster, type RedisCluster } from '../../support/redis-cluster.js';
import { nockSlackApi, type SlackCall } from '../../support/slack-fixtures.js';
import {
  groupOf,
  liveEnv,
  nockZendeskReads,
  nockZendeskWrites,
  postSigned,
  REDIS_URL,
  startLive,
  ticketEvent,
  uniquePrefix,
  waitFor,
  type RecordedPut,
} from '../../support/zendesk-fixtures.js';

const PASSWORD = 'cl-Sup3rS3cret';
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** REDIS_CLUSTER_NODES as a managed cluster needs it: every node behind a password, given in redis:// seed URLs. */
const seedsWith = (cluster: RedisCluster, password: string) => cluster.ports.map((port) => `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}`).join(',');

describe('a password-protected Redis Cluster (real 3-master cluster with requirepass; Zendesk faked with nock)', () => {
  let cluster: RedisCluster;
  let redis: RedisClient;
  let app: Cxloop | undefined;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    cluster = await startRedisCluster(3, { password: PASSWORD });
    redis = createRedis({ REDIS_URL, REDIS_SENTINELS: undefined, REDIS_SENTINEL_NAME: undefined, REDIS_CLUSTER_NODES: seedsWith(cluster, PASSWORD) });
  }, 30_000);
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    nock.cleanAll();
    nock.enableNetConnect();
  });
  afterAll(async () => {
    await deleteInstallKeys(redis, prefix).catch(() => undefined);
    redis?.disconnect();
    await cluster?.remove();
  });

  it('routes a signed webhook through the cluster reached with the seeds\' password, and doctor reads every master', async () => {
    const clock = Date.parse('2026-11-23T09:00:00Z');
    const puts: RecordedPut[] = [];
    nockZendeskReads();
    nockZendeskWrites(puts);
    const calls: SlackCall[] = [];
    nockSlackApi(calls);
    app = await startLive(prefix, { now: () => clock, extraEnv: { REDIS_CLUSTER_NODES: seedsWith(cluster, PASSWORD) } });
    const response = await postSigned(app.http.url, ticketEvent('created', { id: 301, status: 'new', created_at: iso(clock - 5 * MINUTE), updated_at: iso(clock - 5 * MINUTE), tags: ['web_widget'] }), { at: clock });
    expect(await response.json()).toEqual({ status: 'accepted' });
    await settle(app, 15_000);
    expect(puts.map(({ path, body }) => [path, body.ticket?.group_id])).toEqual([['/api/v2/tickets/301.json', groupOf('billing_issue')]]);
    await waitFor(() => calls.filter((call) => call.method === 'chat.postMessage').length === 2, 5_000, 'the card and the status message');

    const findings = await checkRedis(liveEnv(prefix, { REDIS_CLUSTER_NODES: seedsWith(cluster, PASSWORD) }));
    expect(findings.redis.status).not.toBe('fail');
    expect(findings.redis.detail).toContain(`Redis Cluster of the seed nodes ${cluster.ports.map((port) => `127.0.0.1:${port}`).join(', ')}`);
    expect(JSON.stringify(findings)).not.toContain(PASSWORD);
  }, 30_000);

  it('a wrong password fails the start with the server\'s answer, the seeds and what to check, never the password', async () => {
    const wrong = 'not-the-Passw0rd';
    const started = startLive(prefix, { extraEnv: { REDIS_CLUSTER_NODES: seedsWith(cluster, wrong) } });
    const error = await started.then(
      () => null,
      (failure: Error) => failure,
    );
    expect(error?.message).toMatch(/^cannot connect to Redis at Redis Cluster of the seed nodes 127\.0\.0\.1:\d+, 127\.0\.0\.1:\d+, 127\.0\.0\.1:\d+ \((WRONGPASS|NOAUTH|ERR invalid password)[^)]*\); check REDIS_CLUSTER_NODES/);
    expect(error?.message).not.toContain(wrong);
  }, 30_000);
});

describe('an unreachable Redis Cluster', () => {
  it('fails the start at once naming the seed nodes and the socket error, not the cluster client\'s "slots cache"', async () => {
    const error = await startLive(uniquePrefix(), { extraEnv: { REDIS_CLUSTER_NODES: '127.0.0.1:1,127.0.0.1:2' } }).then(
      () => null,
      (failure: Error) => failure,
    );
    expect(error?.message).toMatch(
      /^cannot connect to Redis at Redis Cluster of the seed nodes 127\.0\.0\.1:1, 127\.0\.0\.1:2 \(connect ECONNREFUSED 127\.0\.0\.1:[12]\); check REDIS_CLUSTER_NODES/,
    );
  });
});
