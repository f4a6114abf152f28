import type { RedisClient } from './redis-connection.js';
import type { RequestRateLimit } from '../../app/ports.js';
import type { RedisKeys } from './redis-keys.js';

const MINUTE_MS = 60_000;

/** At most `perMinute` requests per client per epoch minute on one surface, counted in Redis for every process. */
export class RedisRequestRateLimit implements RequestRateLimit {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly surface: string,
    private readonly perMinute: number,
  ) {}

  async hit(client: string, now: number): Promise<{ ok: true } | { ok: false; retryAfterMs: number }> {
    const minute = Math.floor(now / MINUTE_MS);
    const key = this.keys.requestCount(this.surface, client, minute);
    const [[, count]] = (await this.redis.multi().incr(key).pexpire(key, MINUTE_MS * 2).exec()) as [[null, number], [null, number]];
    if (count <= this.perMinute) return { ok: true };
    return { ok: false, retryAfterMs: (minute + 1) * MINUTE_MS - now };
  }
}
