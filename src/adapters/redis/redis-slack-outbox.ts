import type { Redis } from 'ioredis';
import type { SlackOutbox, TicketBrief, TicketBriefs } from '../../app/ports.js';
import type { RedisKeys } from './redis-keys.js';

/** A ticket's Slack message refs and brief live as long as its loop state. */
const TICKET_TTL_SECONDS = 30 * 86_400;
/** Prefix of the Slack message-ref fields in the ticket hash. */
const MESSAGE_FIELD = 'm:';
/** Messages Slack refused for good are kept for an operator, newest first, at most this many. */
const DEAD_MAX = 10_000;

/** KEYS ready. ARGV now, lease. The first channel due at `now`, leased until now + lease. */
const CLAIM = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
if #due == 0 then return false end
redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), due[1])
return due[1]`;

/** KEYS outbox, edits, ready. ARGV sent, next at, channel. Drops what was sent; reschedules or idles the channel. */
const COMPLETE = `
if tonumber(ARGV[1]) > 0 then redis.call('LTRIM', KEYS[1], ARGV[1], -1) end
if redis.call('LLEN', KEYS[1]) == 0 and redis.call('SCARD', KEYS[2]) == 0 then
  redis.call('ZREM', KEYS[3], ARGV[3])
else
  redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
end
return 1`;

/** KEYS outbox, dead. ARGV record prefix, max. */
const DEAD_LETTER = `
local item = redis.call('LPOP', KEYS[1])
if not item then return 0 end
redis.call('LPUSH', KEYS[2], ARGV[1] .. item)
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[2]) - 1)
return 1`;

/** The Slack sender's queues, message refs and ticket briefs on Redis. */
export class RedisSlackOutbox implements SlackOutbox, TicketBriefs {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async push(channel: string, item: string, now: number): Promise<void> {
    await this.redis.multi().rpush(this.keys.slackOutbox(channel), item).zadd(this.keys.slackReady, 'NX', now, channel).exec();
  }

  async markEdit(channel: string, member: string, now: number): Promise<void> {
    await this.redis.multi().sadd(this.keys.slackEdits(channel), member).zadd(this.keys.slackReady, 'NX', now, channel).exec();
  }

  async claim(now: number, leaseMs: number): Promise<string | null> {
    return (await this.redis.eval(CLAIM, 1, this.keys.slackReady, String(now), String(leaseMs))) as string | null;
  }

  peek(channel: string, max: number): Promise<string[]> {
    return this.redis.lrange(this.keys.slackOutbox(channel), 0, max - 1);
  }

  takeEdit(channel: string): Promise<string | null> {
    return this.redis.spop(this.keys.slackEdits(channel));
  }

  async complete(channel: string, sent: number, nextAt: number): Promise<void> {
    await this.redis.eval(COMPLETE, 3, this.keys.slackOutbox(channel), this.keys.slackEdits(channel), this.keys.slackReady, String(sent), String(nextAt), channel);
  }

  async deadLetter(channel: string, reason: string, now: number): Promise<void> {
    await this.redis.eval(DEAD_LETTER, 2, this.keys.slackOutbox(channel), this.keys.slackDead, `${new Date(now).toISOString()} ${channel} ${reason}\t`, String(DEAD_MAX));
  }

  async pause(channel: string, until: number): Promise<void> {
    await this.redis.zadd(this.keys.slackReady, until, channel);
  }

  async backlog(): Promise<Record<string, number>> {
    const channels = await this.redis.zrange(this.keys.slackReady, '0', '-1');
    const lengths = await Promise.all(channels.map((channel) => this.redis.llen(this.keys.slackOutbox(channel))));
    return Object.fromEntries(channels.map((channel, index) => [channel, lengths[index] ?? 0]));
  }

  /**
   * A ticket's Slack message refs live in its ticket hash (RedisTicketStore's, same expiry) as
   * `m:<kind>` fields: one key fewer per open loop (~120 B), and the short refs keep the hash in
   * Redis's compact listpack encoding.
   */
  async messages(ticketId: number): Promise<Record<string, string>> {
    const fields = await this.redis.hgetall(this.keys.ticket(ticketId));
    return Object.fromEntries(Object.entries(fields).flatMap(([field, value]) => (field.startsWith(MESSAGE_FIELD) ? [[field.slice(MESSAGE_FIELD.length), value]] : [])));
  }

  async setMessage(ticketId: number, kind: string, value: string): Promise<void> {
    const key = this.keys.ticket(ticketId);
    await this.redis.multi().hset(key, `${MESSAGE_FIELD}${kind}`, value).expire(key, TICKET_TTL_SECONDS).exec();
  }

  async setMessageIfAbsent(ticketId: number, kind: string, value: string): Promise<boolean> {
    const key = this.keys.ticket(ticketId);
    const [[, set] = []] = (await this.redis.multi().hsetnx(key, `${MESSAGE_FIELD}${kind}`, value).expire(key, TICKET_TTL_SECONDS).exec()) ?? [[]];
    return set === 1;
  }

  /** Stored as a bare JSON array, [subject, excerpt, why]: the ticket id is in the key, and field names would cost ~40 B per open loop. */
  async save(brief: TicketBrief): Promise<void> {
    await this.redis.set(this.keys.ticketBrief(brief.ticketId), JSON.stringify([brief.subject, brief.excerpt, brief.why]), 'EX', TICKET_TTL_SECONDS);
  }

  async get(ticketId: number): Promise<TicketBrief | null> {
    const raw = await this.redis.get(this.keys.ticketBrief(ticketId));
    if (raw === null) return null;
    const parsed = JSON.parse(raw) as [string, string, string] | TicketBrief;
    // Briefs saved before the array form are objects; they expire with their loops.
    if (!Array.isArray(parsed)) return parsed;
    const [subject, excerpt, why] = parsed;
    return { ticketId, subject, excerpt, why };
  }
}
