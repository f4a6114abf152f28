import { createRedis, connectRedis, type RedisClient } from '../adapters/redis/redis-connection.js';
import { parseEnv, type Env } from '../config/env-schema.js';
import { describeProblems } from '../config/format-issues.js';
import { CliError, type CliIo } from './io.js';

/**
 * Runs `use` with a Redis connection to the install the environment names (REDIS_URL,
 * CXLOOP_REDIS_PREFIX), for commands that read or repair its state; one clear error when the
 * environment is invalid or Redis does not answer.
 */
export async function withInstallRedis<T>(io: CliIo, use: (redis: RedisClient, env: Env) => Promise<T>): Promise<T> {
  const parsed = parseEnv(io.env);
  if (!parsed.ok) throw new CliError(`invalid environment:\n${describeProblems(parsed.problems)}`);
  const redis = createRedis(parsed.env, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  try {
    await connectRedis(redis, parsed.env).catch((error: Error) => {
      throw new CliError(error.message);
    });
    return await use(redis, parsed.env);
  } finally {
    redis.disconnect();
  }
}
