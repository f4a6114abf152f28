import { randomUUID } from 'node:crypto';
import type { RedisClient } from './redis-connection.js';
import type { AccessToken, AccessTokenCache } from '../../app/ports.js';
import type { RedisKeys } from './redis-keys.js';
import { runScript } from './run-script.js';

/** KEYS claim. ARGV claim id. Deletes the claim only if it is still ours. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** KEYS token, claim. ARGV JSON, claim id, ttl ms (0: none). Stores the token, then releases our claim. */
const STORE = `
if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3]) else redis.call('SET', KEYS[1], ARGV[1]) end
if redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end
return 1`;

/** KEYS token. ARGV access token. Drops the shared token only if it is the one Zendesk refused. */
const DROP = `
local stored = redis.call('GET', KEYS[1])
if stored and cjson.decode(stored).token == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** The install's Zendesk access token in Redis, expiring when the token does; renewal claimed with SET NX PX. */
export class RedisAccessTokenCache implements AccessTokenCache {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly now: () => number = Date.now,
  ) {}

  async read(): Promise<AccessToken | null> {
    const stored = await this.redis.get(this.keys.zendeskToken);
    if (stored === null) return null;
    const parsed = JSON.parse(stored) as Partial<AccessToken>;
    if (typeof parsed.token !== 'string') return null;
    return { token: parsed.token, renewAt: parsed.renewAt ?? null, expiresAt: parsed.expiresAt ?? null };
  }

  async claimRenewal(ttlMs: number): Promise<string | null> {
    const claim = randomUUID();
    return (await this.redis.set(this.keys.zendeskTokenRenewal, claim, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')) === 'OK' ? claim : null;
  }

  async store(token: AccessToken, claim: string): Promise<void> {
    const ttlMs = token.expiresAt === null ? 0 : Math.max(1, token.expiresAt - this.now());
    await runScript(this.redis, STORE, 2, this.keys.zendeskToken, this.keys.zendeskTokenRenewal, JSON.stringify(token), claim, String(ttlMs));
  }

  async release(claim: string): Promise<void> {
    await runScript(this.redis, RELEASE, 1, this.keys.zendeskTokenRenewal, claim);
  }

  async drop(token: string): Promise<void> {
    await runScript(this.redis, DROP, 1, this.keys.zendeskToken, token);
  }
}
