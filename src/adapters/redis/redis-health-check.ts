import type { RedisClient } from './redis-connection.js';
import type { HealthCheck } from '../../app/ports.js';

const PING_TIMEOUT_MS = 1000;

export class RedisHealthCheck implements HealthCheck {
  readonly name = 'redis';
  constructor(private readonly redis: RedisClient) {}

  async check(): Promise<{ ok: true } | { ok: false; reason: string }> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
      });
      await Promise.race([this.redis.ping(), timeout]);
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }
}
