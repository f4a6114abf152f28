import type { RedisClient } from './redis-connection.js';
import type { ZendeskReadBudget } from '../../app/ports.js';
import type { RedisKeys } from './redis-keys.js';
import { runScript } from './run-script.js';

const MINUTE_MS = 60_000;

/**
 * KEYS window counter, pause flag. ARGV reads, limit, counter ttl ms. -1: paused after a 429;
 * -2: this minute's budget cannot cover the reads; else the reads now spent this minute.
 */
const TAKE = `
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local reads = tonumber(ARGV[1])
if used + reads > tonumber(ARGV[2]) then return -2 end
redis.call('INCRBY', KEYS[1], reads)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return used + reads`;

/**
 * The optional-read budget in Redis: a counter per wall-clock minute (Zendesk's limits are per
 * minute of real time, whatever clock the loop runs on) shared by every process of the install,
 * and a flag a 429 sets for its Retry-After.
 */
export class RedisReadBudget implements ZendeskReadBudget {
  /**
   * The fewest reads this minute's budget was found too small for: within the minute the count
   * only grows, so as many reads or more are refused here without asking Redis again (a burst
   * past the budget would otherwise ask once per ticket).
   */
  private spent = { minute: -1, reads: Infinity };

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  async take(reads: number): Promise<string | null> {
    if (this.perMinute === 0) return 'optional Zendesk reads are off (ZENDESK_READS_PER_MINUTE=0)';
    const minute = Math.floor(this.now() / MINUTE_MS);
    const spent = `this minute's ${this.perMinute} optional Zendesk reads are spent (ZENDESK_READS_PER_MINUTE)`;
    if (this.spent.minute === minute && reads >= this.spent.reads) return spent;
    const result = Number(await runScript(this.redis, TAKE, 2, this.keys.zendeskReads(minute), this.keys.zendeskReadsPaused, reads, this.perMinute, 2 * MINUTE_MS));
    if (result === -1) return "Zendesk's rate limit: reads wait for its Retry-After";
    if (result === -2) {
      this.spent = { minute, reads: this.spent.minute === minute ? Math.min(reads, this.spent.reads) : reads };
      return spent;
    }
    return null;
  }

  async pause(retryAfterMs: number): Promise<void> {
    await this.redis.set(this.keys.zendeskReadsPaused, '1', 'PX', Math.max(1, Math.ceil(retryAfterMs)));
  }
}
