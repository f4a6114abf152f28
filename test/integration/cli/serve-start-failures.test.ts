import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { QUEUE_NAMES } from '../../../src/app/job-catalogue.js';
import { runCli } from '../../../src/cli/main.js';
import { parseEnv, type Env } from '../../../src/config/env-schema.js';
import { DEFAULT_POLICY_PATH, loadPolicyFile } from '../../../src/config/load-policy.js';
import { startCxloop } from '../../../src/main.js';
import { fakeIo } from '../../support/fake-io.js';
import { dropPrefix, uniquePrefix, waitFor } from '../../support/zendesk-fixtures.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const silent = { log: () => undefined };

/** Every worker connection BullMQ sees on any of cxloop's queues under `prefix` (CLIENT LIST by worker name). */
async function connectedWorkers(prefix: string): Promise<Record<string, number>> {
  const redis = new Redis(REDIS_URL);
  try {
    const counts: Record<string, number> = {};
    for (const name of Object.values(QUEUE_NAMES)) {
      const queue = new Queue(name, { connection: redis, prefix: createRedisKeys(prefix).queuePrefix(name) });
      const workers = await queue.getWorkers();
      await queue.close();
      if (workers.length > 0) counts[name] = workers.length;
    }
    return counts;
  } finally {
    redis.disconnect();
  }
}

function envOf(values: Record<string, string>): Env {
  const result = parseEnv({ REDIS_URL, ...values });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.env;
}

/** This process's open sockets, servers and timers: what a failed start must not leave behind. */
function handleCounts(): Record<string, number> {
  const counts: Record<string, number> = { TCPSocketWrap: 0, TCPServerWrap: 0, Timeout: 0 };
  for (const kind of process.getActiveResourcesInfo()) if (kind in counts) counts[kind]! += 1;
  return counts;
}

/** Waits until no more sockets, servers or timers are open than `before` (a closing socket takes a moment to go). */
async function expectHandlesBackTo(before: Record<string, number>): Promise<void> {
  const extra = () => Object.entries(handleCounts()).filter(([kind, count]) => count > before[kind]!).map(([kind, count]) => `${kind} +${count - before[kind]!}`);
  await waitFor(() => extra().length === 0, 5_000, 'the handles of the failed start to close').catch(() => undefined);
  expect(extra()).toEqual([]);
}

describe('a start that fails leaves nothing running (real HTTP, real Redis)', () => {
  const prefix = uniquePrefix();
  let holder: Server;
  let busyPort: number;
  beforeAll(async () => {
    // Another server already listens on the port cxloop is told to use.
    holder = createServer((_, response) => response.end('someone else'));
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    busyPort = (holder.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => holder.close(resolve));
    await dropPrefix(prefix);
  });

  it('a busy port: startCxloop rejects naming the port and what to do, and no queue worker stays connected', async () => {
    const policy = await loadPolicyFile();
    if (!policy.ok) throw new Error('default policy invalid');
    const before = handleCounts();
    await expect(startCxloop({ env: envOf({ PORT: String(busyPort), CXLOOP_REDIS_PREFIX: prefix }), policy: policy.policy, logger: silent, host: '127.0.0.1' })).rejects.toThrow(
      `port ${busyPort} on 127.0.0.1 is already in use (EADDRINUSE): stop what listens there, or set PORT to a free port`,
    );
    expect(await connectedWorkers(prefix)).toEqual({});
    // No Redis socket, reconnect timer or server of the failed start is left in the process.
    await expectHandlesBackTo(before);
    // The other server still has its port.
    expect(await (await fetch(`http://127.0.0.1:${busyPort}/`)).text()).toBe('someone else');
  });

  it('a busy port: cxloop serve exits 1 with one line on stderr, no banner, and no worker connected', async () => {
    const io = fakeIo({ env: { REDIS_URL, PORT: String(busyPort), CXLOOP_REDIS_PREFIX: prefix, CXLOOP_DRY_RUN_LOG: 'off' } });
    expect(await runCli(['serve', '--host', '127.0.0.1'], io)).toBe(1);
    expect(io.err()).toBe(`cxloop serve: port ${busyPort} on 127.0.0.1 is already in use (EADDRINUSE): stop what listens there, or set PORT to a free port\n`);
    expect(io.out()).not.toContain('cxloop started');
    expect(await connectedWorkers(prefix)).toEqual({});
  });

  it('the same check sees the workers of a start that succeeded, and none once it stopped', async () => {
    const policy = await loadPolicyFile();
    if (!policy.ok) throw new Error('default policy invalid');
    const app = await startCxloop({ env: envOf({ PORT: '0', CXLOOP_REDIS_PREFIX: prefix }), policy: policy.policy, logger: silent, host: '127.0.0.1' });
    try {
      expect(Object.keys(await connectedWorkers(prefix)).sort()).toEqual(Object.values(QUEUE_NAMES).sort());
    } finally {
      await app.stop();
    }
    expect(await connectedWorkers(prefix)).toEqual({});
  });

  it('Redis unreachable: cxloop serve exits 1 with one line saying where it looked and what to do', async () => {
    const io = fakeIo({ env: { REDIS_URL: 'redis://127.0.0.1:1', PORT: '0', CXLOOP_REDIS_PREFIX: prefix, CXLOOP_DRY_RUN_LOG: 'off' } });
    const before = handleCounts();
    expect(await runCli(['serve', '--host', '127.0.0.1'], io)).toBe(1);
    expect(io.err()).toMatch(/^cxloop serve: cannot connect to Redis at redis:\/\/127\.0\.0\.1:1 \(.*ECONNREFUSED.*\); start redis-server or set REDIS_URL\n$/);
    await expectHandlesBackTo(before);
  });

  it('an invalid policy: cxloop serve exits 1 naming the key, before connecting to anything', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cxloop-start-')), 'policy.yaml');
    writeFileSync(file, readFileSync(DEFAULT_POLICY_PATH, 'utf8').replace('escalation:', 'escalaton:'));
    const io = fakeIo({ env: { REDIS_URL, PORT: String(busyPort), CXLOOP_REDIS_PREFIX: prefix, CXLOOP_CONFIG: file } });
    expect(await runCli(['serve'], io)).toBe(1);
    expect(io.err()).toContain(`cxloop serve: invalid policy ${file}`);
    expect(io.err()).toMatch(/unknown key "escalaton" \(did you mean "escalation"\?\)/);
    expect(await connectedWorkers(prefix)).toEqual({});
  });

  it('an invalid environment: cxloop serve exits 1 naming the key', async () => {
    const io = fakeIo({ env: { REDIS_URL, PORT: 'eighty', CXLOOP_REDIS_PREFIX: prefix } });
    expect(await runCli(['serve'], io)).toBe(1);
    expect(io.err()).toMatch(/^cxloop serve: invalid environment, refusing to start:\n {2}PORT: must be a number\n$/);
  });
});
