import { randomTestPort } from './test-ports.js';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { waitFor } from './zendesk-fixtures.js';

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Stops it: SIGTERM lets Redis finish writing its files (a clean shutdown), SIGKILL does not. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same port and directory (what it kept on disk is loaded). */
  restart(): Promise<void>;
  /** Stops it and deletes its directory. */
  remove(): Promise<void>;
}

/**
 * A redis-server of a test's own on a random loopback port and a fresh directory, with the given
 * arguments (`--appendonly yes` ...). Needs the redis-server binary (.ci/run installs it).
 */
export async function startRedisServer(args: readonly string[]): Promise<RedisServer> {
  if (spawnSync('redis-server', ['--version']).error) throw new Error('redis-server is not installed: this test starts its own (apt-get install redis-server)');
  const port = randomTestPort();
  const dir = mkdtempSync(join(tmpdir(), 'cxloop-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;
  const start = async () => {
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...args], { stdio: 'ignore' });
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    await waitFor(async () => probe.connect().then(() => true, () => false), 10_000, 'redis-server');
    // Loading the append-only file can take a moment after a restart.
    await waitFor(async () => !/loading:1/.test(await probe.info('persistence')), 10_000, 'redis-server to load its data');
    probe.disconnect();
  };
  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    const running = server;
    if (!running || running.exitCode !== null) return;
    await new Promise((resolve) => {
      running.once('exit', resolve);
      running.kill(signal);
    });
  };
  await start();
  return {
    url,
    port,
    stop,
    restart: start,
    async remove() {
      await stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
