import { createRedis } from '../../../adapters/redis/redis-connection.js';
import { installRedisKeys } from '../../../adapters/redis/redis-keys.js';
import { RedisTicketStore, TOO_OLD_KEPT_MS } from '../../../adapters/redis/redis-ticket-store.js';
import { ROUTE_MAX_AGE_MS } from '../../../app/handle-ticket-event.js';
import type { Env } from '../../../config/env-schema.js';
import { describeError, passed, warned, type DoctorResult } from './doctor-result.js';

const DAY_MS = 86_400_000;

/**
 * How many tickets were left unrouted in the last week for being older than the routing window
 * (first seen more than 3 days after they were created: tickets from before cxloop, or from an
 * outage longer than that). Information, not a fault: ok either way.
 */
export async function checkOldTickets(env: Env, now: number): Promise<DoctorResult> {
  const redis = createRedis(env, { lazyConnect: true, connectTimeout: 3_000, commandTimeout: 3_000, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  redis.on('error', () => undefined); // the redis check reports connection problems
  const window = `${ROUTE_MAX_AGE_MS / DAY_MS} days`;
  try {
    await redis.connect();
    const { count, latest } = await new RedisTicketStore(redis, installRedisKeys(env)).tooOldSince(now - TOO_OLD_KEPT_MS);
    const days = `${TOO_OLD_KEPT_MS / DAY_MS} days`;
    if (count === 0 || latest === null) return passed('old-tickets', `none left unrouted in the last ${days} for being older than ${window}`);
    return passed(
      'old-tickets',
      `${count} ticket${count === 1 ? '' : 's'} left unrouted in the last ${days}: older than ${window} when cxloop saw ${count === 1 ? 'it' : 'them'} (latest #${latest.ticketId}, ${new Date(latest.at).toISOString()}); route such tickets in Zendesk by hand`,
    );
  } catch (error) {
    return warned('old-tickets', `cannot read the tickets left unrouted: ${describeError(error)}`);
  } finally {
    redis.disconnect();
  }
}
