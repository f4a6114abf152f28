import type { RedisClient } from './redis-connection.js';
import type { SlackDirectory } from '../../app/ports.js';
import type { RedisKeys } from './redis-keys.js';

/**
 * A cached member list is a Redis set holding this marker besides the user ids, so an empty list
 * (a group with nobody in it) is still a cached answer, told apart from none (no key).
 */
const CACHED = '';
/** Members per SADD, so a channel of thousands never becomes one huge command. */
const SADD_CHUNK = 1_000;

/** SlackDirectory in Redis: every process shares what one of them read from Slack. */
export class RedisSlackDirectory implements SlackDirectory {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async isMember(list: string, user: string): Promise<boolean | null> {
    const key = this.keys.slackMembers(list);
    // One transaction: the list cannot expire between the two answers.
    const answers = await this.redis.multi().sismember(key, CACHED).sismember(key, user).exec();
    const [cached, member] = (answers ?? []).map(([error, value]) => {
      if (error) throw error;
      return value;
    });
    return cached === 1 ? member === 1 : null;
  }

  async cacheMembers(list: string, members: readonly string[], ttlMs: number): Promise<void> {
    const key = this.keys.slackMembers(list);
    const transaction = this.redis.multi().del(key).sadd(key, CACHED);
    for (let start = 0; start < members.length; start += SADD_CHUNK) transaction.sadd(key, ...members.slice(start, start + SADD_CHUNK));
    await transaction.pexpire(key, ttlMs).exec();
  }

  async rememberChannelId(name: string, id: string): Promise<void> {
    await this.redis.hset(this.keys.slackChannelIds, name, id);
  }

  async channelId(name: string): Promise<string | null> {
    return this.redis.hget(this.keys.slackChannelIds, name);
  }
}
