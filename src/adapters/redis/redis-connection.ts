import { Redis, type RedisOptions } from 'ioredis';
import type { Env } from '../../config/env-schema.js';
import { redactUrl } from '../../config/redact-url.js';

/** What decides where cxloop's Redis is: one server (REDIS_URL, redis:// or rediss://) or a Sentinel-watched master. */
export type RedisSettings = Pick<Env, 'REDIS_URL' | 'REDIS_SENTINELS' | 'REDIS_SENTINEL_NAME'>;

/**
 * A connection to the install's Redis, with the caller's options (timeouts, retries, BullMQ's
 * `maxRetriesPerRequest: null`). Every process and command connects through here, so a managed
 * Redis needs one setting, not one per connection:
 * - REDIS_URL alone: that server; `rediss://` connects over TLS (certificates checked against
 *   Node's CAs, plus NODE_EXTRA_CA_CERTS).
 * - REDIS_SENTINELS + REDIS_SENTINEL_NAME: ioredis asks the sentinels for the master's address
 *   and moves to the new master on a failover; REDIS_URL still gives the password,
 *   username, database and TLS of the master (and of the sentinels when it is rediss://).
 */
export function createRedis(settings: RedisSettings, options: RedisOptions = {}): Redis {
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

/** Where Redis is, for messages and the doctor: never a password. */
export function describeRedis(settings: RedisSettings): string {
  if (settings.REDIS_SENTINELS === undefined || settings.REDIS_SENTINEL_NAME === undefined) return redactUrl(settings.REDIS_URL);
  return `master "${settings.REDIS_SENTINEL_NAME}" of the sentinels ${sentinelsOf(settings.REDIS_SENTINELS).map(({ host, port }) => `${host}:${port}`).join(', ')}`;
}

function sentinelsOf(list: string): { host: string; port: number }[] {
  return list.split(',').map((entry) => {
    const [host = '', port = ''] = entry.trim().split(':');
    return { host, port: Number(port) };
  });
}
