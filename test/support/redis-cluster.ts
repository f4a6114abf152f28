import { randomTestPort } from './test-ports.js';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import type { TestCertificates } from './tls-certificates.js';
import { waitFor } from './zendesk-fixtures.js';

export interface RedisCluster {
  /** The seed nodes as REDIS_CLUSTER_NODES takes them ("127.0.0.1:port,..."). */
  readonly nodes: string;
  readonly ports: readonly number[];
  /** Stops every node and deletes their directory. */
  remove(): Promise<void>;
}

/**
 * A real Redis Cluster of the test's own: `masters` redis-servers on loopback with
 * `--cluster-enabled yes` (no persistence), joined by `redis-cli --cluster create` with no replicas,
 * ready once every node says cluster_state:ok. Ports from CXLOOP_TEST_REDIS_CLUSTER_PORT (the
 * first; bus ports just above the nodes') or random. Needs redis-server and redis-cli (.ci/run
 * installs them). With `password`, every node requires it (`requirepass`, `masterauth`); with
 * `tls`, nodes speak TLS only, to clients and on the cluster bus (`--tls-cluster yes`).
 */
export async function startRedisCluster(masters = 3, options: { password?: string; tls?: TestCertificates } = {}): Promise<RedisCluster> {
  for (const binary of ['redis-server', 'redis-cli']) {
    if (spawnSync(binary, ['--version']).error) throw new Error(`${binary} is not installed: this test starts its own Redis Cluster (apt-get install redis-server redis-tools)`);
  }
  const first = Number(process.env.CXLOOP_TEST_REDIS_CLUSTER_PORT ?? randomTestPort(2 * masters));
  const ports = Array.from({ length: masters }, (_, index) => first + index);
  // Redis 7 takes the cluster bus port; older servers use port + 10000.
  const major = Number(/v=(\d+)/.exec(spawnSync('redis-server', ['--version']).stdout.toString())?.[1] ?? 0);
  const dir = mkdtempSync(join(tmpdir(), 'cxloop-cluster-'));
  const servers: ChildProcess[] = [];
  const auth = options.password === undefined ? [] : ['--requirepass', options.password, '--masterauth', options.password];
  const { tls } = options;
  const listen = (port: number) =>
    tls === undefined
      ? ['--port', String(port)]
      : ['--port', '0', '--tls-port', String(port), '--tls-cluster', 'yes', '--tls-cert-file', tls.certFile, '--tls-key-file', tls.keyFile, '--tls-ca-cert-file', tls.caFile, '--tls-auth-clients', 'no'];
  const remove = async () => {
    await Promise.all(
      servers.map(
        (server) =>
          new Promise((resolve) => {
            if (server.exitCode !== null) return resolve(undefined);
            server.once('exit', resolve);
            server.kill('SIGKILL');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const [index, port] of ports.entries()) {
      const bus = major >= 7 ? ['--cluster-port', String(first + masters + index)] : [];
      const args = [...listen(port), '--bind', '127.0.0.1', '--dir', dir, '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--save', '', '--appendonly', 'no', ...bus, ...auth];
      servers.push(spawn('redis-server', args, { stdio: 'ignore' }));
    }
    const probes = ports.map((port) => new Redis(port, '127.0.0.1', { ...(options.password === undefined ? {} : { password: options.password }), ...(tls === undefined ? {} : { tls: { ca: tls.ca } }), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null }));
    try {
      for (const probe of probes) {
        probe.on('error', () => undefined);
        await waitFor(async () => probe.connect().then(() => true, () => false), 10_000, 'a cluster node');
      }
      await promisify(execFile)('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes', ...(tls === undefined ? [] : ['--tls', '--cacert', tls.caFile])], {
        // redis-cli reads the password from the environment without printing a warning about it.
        env: { ...process.env, ...(options.password === undefined ? {} : { REDISCLI_AUTH: options.password }) },
      });
      for (const probe of probes) await waitFor(async () => /cluster_state:ok/.test(String(await probe.cluster('INFO'))), 10_000, 'cluster_state:ok');
    } finally {
      for (const probe of probes) probe.disconnect();
    }
  } catch (error) {
    await remove();
    throw error;
  }
  return { nodes: ports.map((port) => `127.0.0.1:${port}`).join(','), ports, remove };
}
