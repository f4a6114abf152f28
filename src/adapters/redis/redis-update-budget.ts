import { randomBytes } from 'node:crypto';
import type { RedisClient } from './redis-connection.js';
import type { BudgetGrant, UpdateBudget } from '../../app/ports.js';
import { runScript } from './run-script.js';

/**
 * Zendesk counts a call when it arrives; a call is counted here from when its answer came back
 * (answered()), which is later. This much longer than a minute per call absorbs clock skew
 * between worker hosts.
 */
export const BUDGET_MARGIN_MS = 1_000;
const MINUTE_MS = 60_000;

/**
 * KEYS[1] sorted set of send times, KEYS[2] hold (no call before this time).
 * ARGV: now, window, limit, take (1|0), member. Returns 0 when a call may go (and was recorded
 * if take), else the ms until one may. A send at t occupies the window [t, t + window).
 */
const TAKE = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local held = tonumber(redis.call('GET', KEYS[2]) or '0')
if held > now then return held - now end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
if ARGV[4] == '1' then
  redis.call('ZADD', KEYS[1], now, ARGV[5])
  redis.call('PEXPIRE', KEYS[1], window * 10)
end
return 0`;

/** KEYS[1] hold; ARGV: until, ttl ms. Only ever moves the hold later. */
const HOLD = `
if tonumber(ARGV[1]) > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return 1`;

export interface RedisUpdateBudgetOptions {
  readonly redis: RedisClient;
  /** `<prefix>:zd:budget` (sorted set of send times) and `<prefix>:zd:hold`. */
  readonly keys: { readonly updateBudget: string; readonly updateHold: string };
  readonly perMinute: number;
  /** cxloop's clock (every process of an install must agree on it to within BUDGET_MARGIN_MS). */
  readonly now: () => number;
}

/**
 * The Update Ticket budget in Redis: a sorted set of the calls of the last minute, claimed
 * atomically by a Lua script before each call and re-stamped when it is answered, so it holds in
 * every sliding window however many worker processes share it (and however long a busy worker
 * takes to send), and a hold that a 429's Retry-After sets for all of them.
 */
export class RedisUpdateBudget implements UpdateBudget {
  private readonly windowMs = MINUTE_MS + BUDGET_MARGIN_MS;

  constructor(private readonly options: RedisUpdateBudgetOptions) {}

  async take(): Promise<BudgetGrant> {
    const member = `${this.options.now()}-${randomBytes(6).toString('base64url')}`;
    const wait = await this.run(true, member);
    return wait === 0 ? { granted: true, call: member } : { granted: false, retryAfterMs: wait };
  }

  async answered(grant: BudgetGrant & { readonly granted: true }): Promise<void> {
    const { redis, keys, now } = this.options;
    // XX: a call already out of the window (answered after more than a minute) is not brought back.
    await redis.zadd(keys.updateBudget, 'XX', now(), grant.call);
  }

  wait(): Promise<number> {
    return this.run(false, '');
  }

  async holdUntil(until: number): Promise<void> {
    const { redis, keys, now } = this.options;
    await runScript(redis, HOLD, 1, keys.updateHold, Math.ceil(until), Math.max(1, Math.ceil(until - now())) + this.windowMs * 10);
  }

  private async run(take: boolean, member: string): Promise<number> {
    const { redis, keys, perMinute, now } = this.options;
    const at = now();
    return Number(await runScript(redis, TAKE, 2, keys.updateBudget, keys.updateHold, at, this.windowMs, perMinute, take ? '1' : '0', member));
  }
}
