import { createHash, randomBytes } from 'node:crypto';
import type { RedisClient } from './redis-connection.js';
import type { StatusLinkRecord, StatusLinks } from '../../app/ports.js';
import type { RedisKeys } from './redis-keys.js';
import { runScript } from './run-script.js';

/** 32 random bytes: 43 characters of base64url, 256 bits no one guesses. */
const TOKEN_BYTES = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/**
 * A link is forgotten this long after it was last handed out, whatever its loop does (the page
 * also refuses it once its loop ended more than customers.status_page.expires_after ago).
 */
const LINK_TTL_SECONDS = 90 * 86_400;

/** KEYS link hash. ARGV new token, token key prefix, language, time zone, ttl, ticket id. Returns the token in force. */
const ISSUE = `
local token = redis.call('HGET', KEYS[1], 'k')
if not token then
  token = ARGV[1]
  redis.call('HSET', KEYS[1], 'k', token)
end
redis.call('HSET', KEYS[1], 'l', ARGV[3], 'z', ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return token`;

export function digestOfToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class RedisStatusLinks implements StatusLinks {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async issue(ticketId: number, page: { readonly language: string; readonly timeZone: string }): Promise<string> {
    const fresh = randomBytes(TOKEN_BYTES).toString('base64url');
    const token = (await runScript(this.redis, ISSUE, 1, this.keys.statusLink(ticketId), fresh, '', page.language, page.timeZone, LINK_TTL_SECONDS, ticketId)) as string;
    // The token's own key is written apart (another hash slot on a cluster); writing it again is harmless.
    await this.redis.set(this.keys.statusToken(digestOfToken(token)), String(ticketId), 'EX', LINK_TTL_SECONDS);
    return token;
  }

  async open(token: string): Promise<StatusLinkRecord | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const ticket = await this.redis.get(this.keys.statusToken(digestOfToken(token)));
    const ticketId = Number(ticket);
    if (ticket === null || !Number.isSafeInteger(ticketId)) return null;
    const [current, language, timeZone] = await this.redis.hmget(this.keys.statusLink(ticketId), 'k', 'l', 'z');
    // Revoked or replaced: only the ticket's current token opens it.
    if (current !== token) return null;
    return { ticketId, language: language || 'en', timeZone: timeZone || 'UTC' };
  }

  async revoke(ticketId: number): Promise<boolean> {
    const token = await this.redis.hget(this.keys.statusLink(ticketId), 'k');
    if (token === null) return false;
    // Two DELs: the link is the ticket's, the token's key another slot on a cluster. The link first:
    // without it the token opens nothing.
    await this.redis.del(this.keys.statusLink(ticketId));
    await this.redis.del(this.keys.statusToken(digestOfToken(token)));
    return true;
  }
}
