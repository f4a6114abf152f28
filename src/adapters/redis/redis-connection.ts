import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Env } from '../../config/env-schema.js';
import { redactUrl } from '../../config/redact-url.js';
import { parseClusterNodes, type ClusterSeeds } from '../../config/redis-cluster-nodes.js';

/** A connection to the install's Redis: one server (or a Sentinel-watched master), or a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/** What decides where cxloop's Redis is: one server (REDIS_URL, redis:// or rediss://), a Sentinel-watched master, or a Redis Cluster. */
export type RedisSettings = Pick<Env, 'REDIS_URL' | 'REDIS_SENTINELS' | 'REDIS_SENTINEL_NAME' | 'REDIS_CLUSTER_NODES'>;

/**
 * A connection to the install's Redis, with the caller's options (timeouts, retries, BullMQ's
 * `maxRetriesPerRequest: null`). Every process and command connects through here, so a managed
 * Redis needs one setting, not one per connection:
 * - REDIS_URL alone: that server; `rediss://` connects over TLS (certificates checked against
 *   Node's CAs, plus NODE_EXTRA_CA_CERTS).
 * - REDIS_SENTINELS + REDIS_SENTINEL_NAME: ioredis asks the sentinels for the master's address
 *   and moves to the new master on a failover; REDIS_URL still gives the password,
 *   username, database and TLS of the master (and of the sentinels when it is rediss://).
 * - REDIS_CLUSTER_NODES (before REDIS_URL): an ioredis Cluster discovering the nodes from those
 *   seeds and following slot moves and failovers; the seeds' URLs give the password and TLS.
 */
export function createRedis(settings: RedisSettings, options: RedisOptions = {}): RedisClient {
  return writingOncePerTurn(connectionOf(settings, options));
}

function connectionOf(settings: RedisSettings, options: RedisOptions): RedisClient {
  if (settings.REDIS_CLUSTER_NODES !== undefined) return createCluster(clusterSeedsOf(settings.REDIS_CLUSTER_NODES), options);
  if (settings.REDIS_SENTINELS === undefined || settings.REDIS_SENTINEL_NAME === undefined) return new Redis(settings.REDIS_URL, options);
  const url = new URL(settings.REDIS_URL);
  const tls = url.protocol === 'rediss:';
  const database = Number(url.pathname.slice(1));
  return new Redis({
    sentinels: sentinelsOf(settings.REDIS_SENTINELS),
    name: settings.REDIS_SENTINEL_NAME,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(Number.isInteger(database) && database > 0 ? { db: database } : {}),
    ...(tls ? { tls: {}, enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
    // Leave the old master as soon as the sentinels announce the new one (+switch-master), and
    // should a write still reach a demoted master, reconnect through the sentinels and resend it:
    // a write must never land on a server that is about to resync from the new master.
    failoverDetector: true,
    reconnectOnError: (error: Error) => (error.message.startsWith('READONLY') ? 2 : false),
    ...options,
  });
}

/** Another connection to the same Redis with other options (a subscriber, a blocking client). */
export function duplicateRedis(redis: RedisClient, options: RedisOptions): RedisClient {
  return writingOncePerTurn(redis instanceof Cluster ? redis.duplicate([], clusterOptionsOf(options, redis.options.redisOptions ?? {})) : redis.duplicate(options));
}

/**
 * The commands a connection is given in one pass of the event loop go to Redis in one socket
 * write: the socket is corked at the first and uncorked in the pass's check phase (setImmediate),
 * after every I/O callback of the pass has run, so the commands of all the webhooks and jobs one
 * pass handles share a write. ioredis writes every command on its own: 32 timers firing at once,
 * each a few commands, cost a write system call apiece, the largest share of a worker's CPU in the
 * timers bench, and as many reads for Redis. Uncorking on the next tick instead (after each
 * callback) gave 3.6-4.0 round trips per routed ticket in the throughput bench; the check phase,
 * 2.6. Order and replies are unchanged; a command waits at most for the rest of the pass. (ioredis's
 * own enableAutoPipelining batches too, but fails on some replies: "results[i] is not iterable",
 * ioredis issue #1931.) On a cluster, per node.
 */
function writingOncePerTurn<T extends RedisClient>(client: T): T {
  const onNode = (node: Redis) => node.on('connect', () => corkEachTurn(node.stream));
  if (client instanceof Cluster) client.on('+node', onNode);
  else onNode(client as Redis);
  return client;
}

const corked = new WeakSet<NodeJS.WritableStream>();

function corkEachTurn(stream: Redis['stream']): void {
  if (corked.has(stream)) return; // a 'connect' again on the same socket
  corked.add(stream);
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  let waiting = false;
  const flush = () => {
    waiting = false;
    stream.uncork();
  };
  stream.write = ((...args: unknown[]) => {
    if (!waiting) {
      waiting = true;
      stream.cork();
      setImmediate(flush);
    }
    return write(...args);
  }) as typeof stream.write;
}

/**
 * The connections to every master of a cluster (one server: the connection itself), for what
 * Redis does per server: SCAN over the install's keys, INFO.
 */
export function mastersOf(redis: RedisClient): Redis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}

/** Where Redis is, for messages and the doctor: never a password. */
export function describeRedis(settings: RedisSettings): string {
  if (settings.REDIS_CLUSTER_NODES !== undefined) {
    const seeds = clusterSeedsOf(settings.REDIS_CLUSTER_NODES);
    return `Redis Cluster of the seed nodes ${seeds.nodes.map(({ host, port }) => `${host}:${port}`).join(', ')}${seeds.tls ? ' (TLS)' : ''}`;
  }
  if (settings.REDIS_SENTINELS === undefined || settings.REDIS_SENTINEL_NAME === undefined) return redactUrl(settings.REDIS_URL);
  return `master "${settings.REDIS_SENTINEL_NAME}" of the sentinels ${sentinelsOf(settings.REDIS_SENTINELS).map(({ host, port }) => `${host}:${port}`).join(', ')}`;
}

/**
 * Connects a lazy connection, or throws one error saying why not and what to check. ioredis
 * rejects connect() with "Connection is closed."; the socket's own error (refused, wrong
 * password) comes as an 'error' event. A cluster reports only "None of startup nodes is
 * available" and "Connection is closed." for each seed, so the seeds are asked directly.
 */
export async function connectRedis(redis: RedisClient, settings: RedisSettings): Promise<void> {
  let socketError: Error | undefined;
  const onError = (error: Error) => (socketError = error);
  redis.on('error', onError);
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const cause = settings.REDIS_CLUSTER_NODES !== undefined ? ((await seedError(clusterSeedsOf(settings.REDIS_CLUSTER_NODES))) ?? (error as Error)) : (socketError ?? (error as Error));
    throw new Error(describeConnectFailure(settings, cause), { cause: error });
  } finally {
    redis.off('error', onError);
  }
}

/** What the first seed that fails says when connected to alone, with the cluster's credentials (one attempt each). */
async function seedError(seeds: ClusterSeeds): Promise<Error | undefined> {
  for (const { host, port } of seeds.nodes) {
    const probe = new Redis({ ...nodeOptionsOf(seeds), host, port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    let error: Error | undefined;
    probe.on('error', (failure: Error) => (error ??= failure));
    await probe.connect().catch((failure: Error) => (error ??= failure));
    probe.disconnect();
    if (error) return error;
  }
  return undefined;
}

/** Why a connection failed and what to check, for start-up and CLI errors. */
function describeConnectFailure(settings: RedisSettings, cause: Error): string {
  const check =
    settings.REDIS_CLUSTER_NODES !== undefined
      ? 'check REDIS_CLUSTER_NODES: seed nodes reachable from here, with the cluster\'s password in redis:// URLs'
      : settings.REDIS_SENTINELS !== undefined
        ? 'check REDIS_SENTINELS and REDIS_SENTINEL_NAME (and the master\'s password in REDIS_URL)'
        : 'start redis-server or set REDIS_URL';
  return `cannot connect to Redis at ${describeRedis(settings)} (${cause.message}); ${check}`;
}

function clusterSeedsOf(text: string): ClusterSeeds {
  const parsed = parseClusterNodes(text);
  // The env schema refuses a bad list before any connection is made; this is for direct callers.
  if (!parsed.ok) throw new Error(`REDIS_CLUSTER_NODES ${parsed.reason}`);
  return parsed.seeds;
}

/** What every node of the cluster is reached with: the seeds' credentials and TLS. */
function nodeOptionsOf(seeds: ClusterSeeds): RedisOptions {
  return {
    ...(seeds.username ? { username: seeds.username } : {}),
    ...(seeds.password ? { password: seeds.password } : {}),
    ...(seeds.tls ? { tls: {} } : {}),
  };
}

function createCluster(seeds: ClusterSeeds, options: RedisOptions): Cluster {
  return new Cluster(
    seeds.nodes.map(({ host, port }) => ({ host, port })),
    {
      ...clusterOptionsOf(options, nodeOptionsOf(seeds)),
      // Managed clusters over TLS announce their nodes by name, and certificates are checked against
      // that name: connect to the name as given rather than an address it resolves to.
      ...(seeds.tls ? { dnsLookup: (address: string, callback: (error: null, address: string) => void) => callback(null, address) } : {}),
    },
  );
}

/**
 * The cluster's options from the options one connection would get: connecting and queueing are
 * the cluster's (`lazyConnect`, `enableOfflineQueue`, `retryStrategy` -> `clusterRetryStrategy`),
 * the rest (timeouts, `maxRetriesPerRequest`, which BullMQ reads there) go to every node.
 */
function clusterOptionsOf(options: RedisOptions, node: RedisOptions): ClusterOptions {
  const { lazyConnect, enableOfflineQueue, retryStrategy, ...perNode } = options;
  return {
    ...(lazyConnect !== undefined ? { lazyConnect } : {}),
    ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
    ...(retryStrategy ? { clusterRetryStrategy: (times: number) => retryStrategy(times) } : {}),
    redisOptions: { ...node, ...perNode },
  };
}

function sentinelsOf(list: string): { host: string; port: number }[] {
  return list.split(',').map((entry) => {
    const [host = '', port = ''] = entry.trim().split(':');
    return { host, port: Number(port) };
  });
}
