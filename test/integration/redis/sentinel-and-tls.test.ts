import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '../../../src/adapters/redis/redis-connection.js';
import type { Cxloop } from '../../../src/main.js';
import { startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { randomTestPort } from '../../support/test-ports.js';
import { writeTestCertificates } from '../../support/tls-certificates.js';
import { nockZendeskReads, postSigned, startLive, ticketEvent, uniquePrefix, waitFor, ZENDESK_URL } from '../../support/zendesk-fixtures.js';

const freePort = () => randomTestPort();

/** A sentinel of the test's own (redis-server --sentinel) watching `master` at 127.0.0.1:`port`, quorum 1. */
async function startSentinel(master: string, port: number): Promise<{ port: number; process: ChildProcess; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'cxloop-sentinel-'));
  const sentinelPort = freePort();
  const config = join(dir, 'sentinel.conf');
  writeFileSync(config, [`port ${sentinelPort}`, 'bind 127.0.0.1', `dir ${dir}`, `sentinel monitor ${master} 127.0.0.1 ${port} 1`, `sentinel down-after-milliseconds ${master} 1000`, `sentinel failover-timeout ${master} 5000`, ''].join('\n'));
  const child = spawn('redis-server', [config, '--sentinel'], { stdio: 'ignore' });
  const probe = new Redis(sentinelPort, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  await waitFor(async () => probe.connect().then(() => true, () => false), 10_000, 'redis sentinel');
  probe.disconnect();
  return { port: sentinelPort, process: child, dir };
}

describe('Redis Sentinel: cxloop finds the master through the sentinels and follows a failover', () => {
  let master: RedisServer;
  let replica: RedisServer;
  let sentinel: Awaited<ReturnType<typeof startSentinel>>;
  let app: Cxloop | undefined;
  const prefix = uniquePrefix();
  const puts: number[] = [];

  beforeAll(async () => {
    master = await startRedisServer(['--save', '', '--appendonly', 'no']);
    replica = await startRedisServer(['--save', '', '--appendonly', 'no', '--replicaof', '127.0.0.1', String((await Promise.resolve(master)).port)]);
    sentinel = await startSentinel('cxmaster', master.port);
  }, 30_000);
  afterAll(async () => {
    await app?.stop();
    sentinel?.process.kill('SIGKILL');
    if (sentinel) rmSync(sentinel.dir, { recursive: true, force: true });
    await replica?.remove();
    await master?.remove();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('routes through the master the sentinels name; after SENTINEL FAILOVER the next ticket is routed through the new master', async () => {
    nockZendeskReads();
    nock(ZENDESK_URL)
      .persist()
      .put(/\/api\/v2\/tickets\/\d+\.json/)
      .reply((uri) => {
        puts.push(Number(/(\d+)\.json/.exec(uri)?.[1]));
        return [200, { ticket: {} }];
      });
    // REDIS_URL's address is not used with sentinels (nothing listens on port 1): only its password, database and TLS would be.
    app = await startLive(prefix, { extraEnv: { REDIS_URL: 'redis://127.0.0.1:1', REDIS_SENTINELS: `127.0.0.1:${sentinel.port}`, REDIS_SENTINEL_NAME: 'cxmaster' }, });
    const created = new Date(Date.now() - 60_000).toISOString();
    expect((await postSigned(app.http.url, ticketEvent('created', { id: 7001, subject: 'Charged twice', description: 'I was charged twice for my plan', created_at: created }))).status).toBe(200);
    await waitFor(() => puts.includes(7001), 20_000, 'ticket 7001 routed');
    const onMaster = new Redis(master.url);
    expect(await onMaster.exists(`${prefix}:t:{7001}`)).toBe(1);
    onMaster.disconnect();

    const control = new Redis(sentinel.port, '127.0.0.1');
    await waitFor(async () => Number(((await control.call('SENTINEL', 'REPLICAS', 'cxmaster')) as unknown[]).length) >= 1, 20_000, 'the sentinel to see the replica');
    await control.call('SENTINEL', 'FAILOVER', 'cxmaster');
    await waitFor(async () => ((await control.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'cxmaster')) as string[])[1] === String(replica.port), 30_000, 'the failover to the replica');
    control.disconnect();
    // The old master is now a replica of the new one (what it took after the switch is replaced by
    // the new master's data, as with any asynchronous Redis failover): wait until it follows.
    const oldMaster = new Redis(master.url);
    await waitFor(async () => /role:slave[\s\S]*master_link_status:up/.test(await oldMaster.info('replication')), 30_000, 'the old master to follow the new one');
    oldMaster.disconnect();

    expect((await postSigned(app.http.url, ticketEvent('created', { id: 7002, subject: 'Refund please', description: 'Refund the double charge', created_at: created }))).status).toBe(200);
    await waitFor(() => puts.includes(7002), 60_000, 'ticket 7002 routed after the failover');
    const onNewMaster = new Redis(replica.url);
    expect(await onNewMaster.exists(`${prefix}:t:{7002}`)).toBe(1);
    expect((await onNewMaster.info('replication')).includes('role:master')).toBe(true);
    onNewMaster.disconnect();
  }, 120_000);
});

describe('rediss:// (TLS)', () => {
  let dir: string;
  let server: ChildProcess;
  const port = freePort();
  let ca: Buffer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxloop-tls-'));
    const certificates = writeTestCertificates(dir);
    ca = certificates.ca;
    server = spawn(
      'redis-server',
      ['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--tls-cert-file', certificates.certFile, '--tls-key-file', certificates.keyFile, '--tls-ca-cert-file', certificates.caFile, '--tls-auth-clients', 'no', '--dir', dir],
      { cwd: dir, stdio: 'ignore' },
    );
    await waitFor(async () => {
      const probe = createRedis({ REDIS_URL: `rediss://localhost:${port}`, REDIS_SENTINELS: undefined, REDIS_SENTINEL_NAME: undefined }, { tls: { ca }, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      const up = await probe.connect().then(() => true, () => false);
      probe.disconnect();
      return up;
    }, 10_000, 'redis-server with TLS');
  }, 30_000);
  afterAll(() => {
    server?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => undefined);

  it('a rediss:// REDIS_URL connects over TLS and checks the certificate; the same port refuses plain redis://', async () => {
    const settings = { REDIS_URL: `rediss://localhost:${port}`, REDIS_SENTINELS: undefined, REDIS_SENTINEL_NAME: undefined };
    const tls = createRedis(settings, { tls: { ca } });
    expect(await tls.ping()).toBe('PONG');
    tls.disconnect();

    // Without the CA (NODE_EXTRA_CA_CERTS or a public CA), the certificate is refused.
    const untrusted = createRedis(settings, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    const refused = new Promise<Error>((resolve) => untrusted.once('error', resolve));
    await untrusted.connect().catch(() => undefined);
    expect((await refused).message).toMatch(/self.signed|unable to verify|certificate/i);
    untrusted.disconnect();

    const plain = createRedis({ ...settings, REDIS_URL: `redis://localhost:${port}` }, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2_000 });
    plain.on('error', () => undefined);
    await expect(plain.connect().then(() => plain.ping())).rejects.toThrow();
    plain.disconnect();
  });
});
