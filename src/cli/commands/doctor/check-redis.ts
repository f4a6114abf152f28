import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedis, describeRedis, mastersOf, type RedisClient } from '../../../adapters/redis/redis-connection.js';
import { QUEUE_NAMES } from '../../../app/job-catalogue.js';
import { installRedisKeys, type RedisKeys } from '../../../adapters/redis/redis-keys.js';
import type { Env } from '../../../config/env-schema.js';
import { checkDeadLetters } from './check-dead-letters.js';
import { checkModel } from './check-model.js';
import { describeError, failed, passed, skipped, warned, worstStatus, type DoctorResult, type DoctorStatus } from './doctor-result.js';

const CONNECT_TIMEOUT_MS = 3_000;
/** BullMQ 6 refuses Redis below 5.0.0 and warns below 6.2.0 (RedisConnection.minimumVersion / recommendedMinimumVersion). */
const MINIMUM_VERSION = '5.0.0';
const RECOMMENDED_VERSION = '6.2.0';
/** What BullMQ answers instead of a client list where CLIENT LIST is not allowed (e.g. GCP Memorystore). */
const NO_CLIENT_LIST = 'GCP does not support client list';

export interface RedisFindings {
  readonly redis: DoctorResult;
  readonly workers: DoctorResult;
  readonly deadLetters: DoctorResult;
  readonly model: DoctorResult;
}

interface Finding {
  readonly status: DoctorStatus;
  readonly note?: string;
  readonly fix?: string;
}

/**
 * Connects to REDIS_URL (or the cluster of REDIS_CLUSTER_NODES) once (3 s to connect), reads the
 * version, eviction policy and persistence of the server (of every master of a cluster), and
 * looks for cxloop's workers.
 */
export async function checkRedis(env: Env): Promise<RedisFindings> {
  const url = describeRedis(env);
  const redis = createRedis(env, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // ioredis rejects connect() with "Connection is closed." once it gives up; the socket's error says why.
  let socketError: Error | undefined;
  redis.on('error', (error: Error) => (socketError = error));
  try {
    const info = await readInfo(redis, url, () => socketError);
    if (!info.ok) {
      return { redis: failed('redis', info.reason, fixFor(info.reason)), ...skippedAfterRedis('Redis is not usable') };
    }
    const judged = await Promise.all(
      info.servers.map(async ({ server, name, fields }) => judgeRedisServer(name ?? url, fields, fields.aof_enabled === '1' ? await readAppendFsync(server) : undefined)),
    );
    const server = judged.length === 1 ? judged[0]! : judgeClusterServers(url, judged);
    if (server.status === 'fail') return { redis: server, ...skippedAfterRedis('Redis is too old for BullMQ') };
    const keys = installRedisKeys(env);
    const [workers, deadLetters, model] = await Promise.all([checkWorkers(redis, keys), checkDeadLetters(redis, keys), checkModel(redis, keys, env)]);
    return { redis: server, workers, deadLetters, model };
  } finally {
    redis.disconnect();
  }
}

/** The checks that read cxloop's keys, skipped for `reason` when the server cannot be used. */
function skippedAfterRedis(reason: string): Omit<RedisFindings, 'redis'> {
  return { workers: skipped('workers', reason), deadLetters: skipped('dead-letters', reason), model: skipped('model', reason) };
}

/** INFO of the server, or of every master of a cluster (`name` says which). */
async function readInfo(
  redis: RedisClient,
  url: string,
  socketError: () => Error | undefined,
): Promise<{ ok: true; servers: { server: Redis; name: string | null; fields: Record<string, string> }[] } | { ok: false; reason: string }> {
  try {
    await redis.connect();
  } catch (error) {
    return { ok: false, reason: `cannot connect to Redis at ${url} (${describeError(socketError() ?? error)})` };
  }
  try {
    const servers = mastersOf(redis);
    return {
      ok: true,
      servers: await Promise.all(servers.map(async (server) => ({ server, name: redis.isCluster ? `master ${server.options.host}:${server.options.port}` : null, fields: parseInfo(await server.info()) }))),
    };
  } catch (error) {
    return { ok: false, reason: `Redis at ${url} refused INFO: ${describeError(error)}` };
  }
}

/** The masters of a cluster judged one by one, as one result: the worst status, every master's line. */
function judgeClusterServers(url: string, masters: readonly DoctorResult[]): DoctorResult {
  const fixes = [...new Set(masters.flatMap((master) => (master.fix ? [master.fix] : [])))];
  return {
    name: 'redis',
    status: worstStatus(masters.map((master) => master.status)),
    detail: `${url}, ${masters.length} masters: ${masters.map((master) => master.detail).join('; ')}`,
    ...(fixes.length > 0 ? { fix: fixes.join('; ') } : {}),
  };
}

/** CONFIG GET appendfsync, or undefined where CONFIG is not allowed (managed Redis often renames or disables it). */
async function readAppendFsync(redis: Redis): Promise<string | undefined> {
  try {
    const reply = (await redis.config('GET', 'appendfsync')) as string[];
    return reply[1];
  } catch {
    return undefined;
  }
}

function fixFor(message: string): string {
  if (/NOAUTH|WRONGPASS|invalid password|invalid username/i.test(message)) {
    return 'put the right credentials in REDIS_URL: redis://:password@host:6379, or redis://user:password@host:6379 for an ACL user';
  }
  return 'start redis-server (or check the host, port and firewall), or set REDIS_URL to where Redis runs';
}

/** `INFO` text ("key:value" lines under "# Section" headers) as a flat record. */
export function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields[line.slice(0, at)] = line.slice(at + 1).trim();
  }
  return fields;
}

/**
 * Version, eviction policy and persistence from INFO (and `appendfsync` from CONFIG GET where
 * allowed), as one line: `redis://host:6379, Redis 7.0.15, noeviction`, then what is wrong.
 */
export function judgeRedisServer(url: string, info: Readonly<Record<string, string>>, appendFsync?: string): DoctorResult {
  const version = info.redis_version ?? 'unknown';
  const policy = info.maxmemory_policy ?? 'unknown';
  const findings = [judgeVersion(version), judgeEviction(policy), judgePersistence(info.aof_enabled, appendFsync)];
  const status = worstStatus(findings.map((finding) => finding.status));
  const notes = findings.flatMap((finding) => (finding.note ? [finding.note] : []));
  const fixes = findings.flatMap((finding) => (finding.fix ? [finding.fix] : []));
  const detail = [`${url}, Redis ${version}, ${policy}`, ...notes].join('; ');
  return { name: 'redis', status, detail, ...(fixes.length > 0 ? { fix: fixes.join('; ') } : {}) };
}

function judgeVersion(version: string): Finding {
  if (!/^\d+\.\d+/.test(version)) return { status: 'warn', note: 'cannot read the Redis version from INFO', fix: `make sure the server is Redis ${RECOMMENDED_VERSION} or later` };
  if (compareVersions(version, MINIMUM_VERSION) < 0) {
    return { status: 'fail', note: `BullMQ 6 needs Redis ${MINIMUM_VERSION} or later`, fix: `upgrade Redis to ${RECOMMENDED_VERSION} or later` };
  }
  if (compareVersions(version, RECOMMENDED_VERSION) < 0) {
    return { status: 'warn', note: `BullMQ 6 recommends Redis ${RECOMMENDED_VERSION} or later`, fix: `upgrade Redis to ${RECOMMENDED_VERSION} or later` };
  }
  return { status: 'ok' };
}

function judgeEviction(policy: string): Finding {
  if (policy === 'noeviction') return { status: 'ok' };
  if (policy === 'unknown') return { status: 'warn', note: 'cannot read maxmemory-policy from INFO', fix: 'check that redis-cli CONFIG GET maxmemory-policy says noeviction' };
  return {
    status: 'warn',
    note: `maxmemory-policy must be noeviction for BullMQ: under memory pressure Redis may drop queued jobs and loop state`,
    fix: 'redis-cli CONFIG SET maxmemory-policy noeviction, and "maxmemory-policy noeviction" in redis.conf so it survives a restart (managed Redis: its parameter group)',
  };
}

/**
 * Without the append-only file a Redis restart loses everything since the last snapshot, if any:
 * webhooks already answered 200 (Zendesk will not send them again), routing writes and loop state.
 * `aofEnabled` is INFO's aof_enabled (absent: INFO does not say, nothing to judge).
 */
function judgePersistence(aofEnabled: string | undefined, appendFsync: string | undefined): Finding {
  if (aofEnabled === undefined) return { status: 'ok' };
  if (aofEnabled !== '1') {
    return {
      status: 'warn',
      note: 'persistence is off (appendonly no): a restart loses accepted webhooks, queued routing writes and loop state',
      fix: 'redis-cli CONFIG SET appendonly yes and CONFIG SET appendfsync everysec, and "appendonly yes" + "appendfsync everysec" in redis.conf so it survives a restart (managed Redis: turn on AOF persistence in its settings)',
    };
  }
  if (appendFsync === 'no') {
    return {
      status: 'warn',
      note: 'appendfsync no: the operating system decides when the append-only file reaches the disk, so a crash can lose the last 30 s or so',
      fix: 'redis-cli CONFIG SET appendfsync everysec, and "appendfsync everysec" in redis.conf',
    };
  }
  return { status: 'ok' };
}

/** -1, 0 or 1 as `a` is older than, equal to or newer than `b` ("7.0.15" vs "6.2.0"; a missing part counts as 0). */
export function compareVersions(a: string, b: string): number {
  const parse = (version: string) => version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const [left, right] = [parse(a), parse(b)];
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const [x, y] = [left[index] ?? 0, right[index] ?? 0];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Whether any BullMQ worker (a `cxloop serve` with role all or worker) is connected to the events queue. */
async function checkWorkers(redis: RedisClient, keys: RedisKeys): Promise<DoctorResult> {
  const queuePrefix = keys.queuePrefix(QUEUE_NAMES.events);
  const queue = new Queue(QUEUE_NAMES.events, { connection: redis, prefix: queuePrefix });
  let workers: Record<string, string>[];
  try {
    workers = await queue.getWorkers();
  } catch (error) {
    return warned('workers', `cannot list the clients of ${QUEUE_NAMES.events}: ${describeError(error)}`);
  } finally {
    await queue.close();
  }
  if (workers.some((worker) => worker.name === NO_CLIENT_LIST)) return warned('workers', 'cannot tell: this Redis does not allow CLIENT LIST');
  if (workers.length === 0) {
    return warned(
      'workers',
      `no worker connected to ${QUEUE_NAMES.events} (prefix ${queuePrefix}): webhooks are queued but nothing routes them`,
      'start cxloop serve (role all or worker) with the same REDIS_URL (or REDIS_CLUSTER_NODES) and CXLOOP_REDIS_PREFIX',
    );
  }
  return passed('workers', `${workers.length} worker connection${workers.length === 1 ? '' : 's'} on ${QUEUE_NAMES.events} (prefix ${queuePrefix})`);
}
