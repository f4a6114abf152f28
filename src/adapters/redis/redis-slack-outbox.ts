import type { RedisClient } from './redis-connection.js';
import type { ChannelClaim, LiveIncidents, OutboxEntry, SlackOutbox, TicketBrief, TicketBriefs } from '../../app/ports.js';
import type { RoutingExtras } from '../../core/routing/routing-extras.js';
import type { RedisKeys } from './redis-keys.js';
import { GroupedCalls } from './grouped-calls.js';
import { runScript } from './run-script.js';
import { BRIEF_CHUNK, BRIEF_COUNT, briefChunks, SAVE_BRIEF_LUA } from './ticket-brief-fields.js';

/** A ticket's Slack message refs and brief live as long as its loop state. */
const TICKET_TTL_SECONDS = 30 * 86_400;

/** KEYS ticket hash. ARGV ttl, chunk... Replaces the brief's pieces (ticket-brief-fields.ts). */
const SAVE_BRIEF = `${SAVE_BRIEF_LUA}
saveBrief(KEYS[1], 2)
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1`;

/** KEYS ticket hash, legacy brief key. Drops the brief's pieces, its count and a brief kept under the old key. */
const FORGET_BRIEF = `
local old = tonumber(redis.call('HGET', KEYS[1], '${BRIEF_COUNT}') or '0')
for i = 0, old - 1 do redis.call('HDEL', KEYS[1], '${BRIEF_CHUNK}' .. i) end
redis.call('HDEL', KEYS[1], '${BRIEF_COUNT}')
redis.call('DEL', KEYS[2])
return 1`;

/** Prefix of the Slack message-ref fields in the ticket hash. */
const MESSAGE_FIELD = 'm:';
/** Messages Slack refused for good are kept for an operator, newest first, at most this many. */
const DEAD_MAX = 10_000;

/** KEYS ticket hash. ARGV field, expected, value, ttl. Sets the field only if it still holds `expected`. */
const REPLACE_MESSAGE = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1`;

/**
 * KEYS ready. ARGV now, lease. The first channel due at `now`, leased until now + lease; the
 * lease's end, its score in `ready`, is the claim's token (see HOLDS_LUA).
 */
const CLAIM = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
if #due == 0 then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {'', first[2] or ''}
end
local leaseEnd = tonumber(ARGV[1]) + tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], leaseEnd, due[1])
return {due[1], leaseEnd}`;

/**
 * Lua: whether the claim whose lease ends at `leaseEnd` still holds `channel`. A claim is made only
 * once the channel's score (its lease end, or when it is next due) has passed, and sets it to a
 * later time, so a channel claimed again after a lease ran out never carries the first claim's token.
 */
const HOLDS_LUA = `
local function holds(ready, channel, leaseEnd)
  return tonumber(redis.call('ZSCORE', ready, channel)) == tonumber(leaseEnd)
end`;

/**
 * KEYS ready. ARGV channel, lease end, time. Moves a channel still held to `time`: a longer lease
 * (renew) or when it is next due (pause). 0 when the lease was lost.
 */
const MOVE_HELD = `${HOLDS_LUA}
if not holds(KEYS[1], ARGV[1], ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1`;

/** Lua: puts the edits taken and not completed (set `taken`) back among the channel's `edits`. */
const RESTORE_TAKEN_LUA = `
local function restoreTaken(edits, taken)
  if redis.call('EXISTS', taken) == 1 then
    redis.call('SUNIONSTORE', edits, edits, taken)
    redis.call('DEL', taken)
  end
end`;

/**
 * KEYS edits, taken. Takes one edit, kept in `taken` until the channel's work completes. Edits a
 * sender took and never completed (it died mid-call: the channel's lease had to run out before
 * this sender could claim it) go back among the edits first.
 */
const TAKE_EDIT = `${RESTORE_TAKEN_LUA}
restoreTaken(KEYS[1], KEYS[2])
local edit = redis.call('SPOP', KEYS[1])
if edit then redis.call('SADD', KEYS[2], edit) end
return edit`;

/**
 * KEYS outbox, edits, ready, next, taken. ARGV sent, next at, channel, edit done (or ''), lease end.
 * Drops what was sent and the edit done (any other taken edit, a dead sender's, goes back among the
 * edits); reschedules the channel, or idles it and remembers when it may be called next. Nothing
 * changes (0) when the lease was lost: the sender that holds the channel now has read the same
 * messages, and dropping them here would drop what it has not sent yet.
 */
const COMPLETE = `${RESTORE_TAKEN_LUA}${HOLDS_LUA}
if not holds(KEYS[3], ARGV[3], ARGV[5]) then return 0 end
if tonumber(ARGV[1]) > 0 then redis.call('LTRIM', KEYS[1], ARGV[1], -1) end
if ARGV[4] ~= '' then redis.call('SREM', KEYS[5], ARGV[4]) end
restoreTaken(KEYS[2], KEYS[5])
if redis.call('LLEN', KEYS[1]) == 0 and redis.call('SCARD', KEYS[2]) == 0 then
  redis.call('ZREM', KEYS[3], ARGV[3])
  redis.call('HSET', KEYS[4], ARGV[3], ARGV[2])
else
  redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
end
return 1`;

/**
 * KEYS ready, next, then each entry's list or set. ARGV per entry now, channel, 'list'|'set',
 * item. Queues the entries in order; an idle channel becomes due at now, or later if its last call
 * was less than an interval ago. One call for all of a loop effect's messages and edits, and for
 * those of every other loop enqueuing meanwhile (see GroupedCalls).
 */
const ENQUEUE = `
for i = 3, #KEYS do
  local at = 1 + (i - 3) * 4
  local channel = ARGV[at + 1]
  if ARGV[at + 2] == 'list' then redis.call('RPUSH', KEYS[i], ARGV[at + 3]) else redis.call('SADD', KEYS[i], ARGV[at + 3]) end
  local due = tonumber(ARGV[at])
  local next = tonumber(redis.call('HGET', KEYS[2], channel) or '0')
  if next > due then due = next end
  redis.call('ZADD', KEYS[1], 'NX', due, channel)
end
return 1`;

/** KEYS outbox, dead, ready. ARGV record prefix, max, channel, lease end. 0 when the lease was lost (as for COMPLETE). */
const DEAD_LETTER = `${HOLDS_LUA}
if not holds(KEYS[3], ARGV[3], ARGV[4]) then return 0 end
local item = redis.call('LPOP', KEYS[1])
if not item then return 1 end
redis.call('LPUSH', KEYS[2], ARGV[1] .. item)
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[2]) - 1)
return 1`;

/** One entry of the Slack dead-letter list: `<ISO time> <channel> <reason>\t<queued item>`. */
export interface SlackDeadLetter {
  readonly at: string;
  readonly channel: string;
  readonly reason: string;
  readonly item: string;
}

function parseDeadLetter(raw: string): SlackDeadLetter {
  const tab = raw.indexOf('\t');
  const head = tab === -1 ? raw : raw.slice(0, tab);
  const [at = '', channel = '', ...reason] = head.split(' ');
  return { at, channel, reason: reason.join(' '), item: tab === -1 ? '' : raw.slice(tab + 1) };
}

/** The Slack sender's queues, message refs, ticket briefs and the live-incidents summary on Redis. */
export class RedisSlackOutbox implements SlackOutbox, TicketBriefs, LiveIncidents {
  /** Entries enqueued by the process's callers meanwhile go to Redis together, one script call per group. */
  private readonly enqueued = new GroupedCalls<{ readonly entries: readonly OutboxEntry[]; readonly now: number }, void>(async (calls) => {
    const entries = calls.flatMap(({ entries, now }) => entries.map((entry) => ({ entry, now })));
    const keys = entries.map(({ entry }) => ('post' in entry ? this.keys.slackOutbox(entry.channel) : this.keys.slackEdits(entry.channel)));
    const args = entries.flatMap(({ entry, now }) => ('post' in entry ? [now, entry.channel, 'list', entry.post] : [now, entry.channel, 'set', entry.edit]));
    await runScript(this.redis, ENQUEUE, 2 + keys.length, this.keys.slackReady, this.keys.slackNext, ...keys, ...args);
    for (const listener of this.queuedListeners) listener();
    return calls.map(() => undefined);
  });
  private readonly queuedListeners = new Set<() => void>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  push(channel: string, item: string, now: number): Promise<void> {
    return this.enqueue([{ channel, post: item }], now);
  }

  markEdit(channel: string, member: string, now: number): Promise<void> {
    return this.enqueue([{ channel, edit: member }], now);
  }

  async enqueue(entries: readonly OutboxEntry[], now: number): Promise<void> {
    if (entries.length === 0) return;
    await this.enqueued.call({ entries, now });
  }

  /** claimOrNextDue's claim alone (tests and tools that step the outbox). */
  async claim(now: number, leaseMs: number): Promise<ChannelClaim | null> {
    const claimed = await this.claimOrNextDue(now, leaseMs);
    return claimed.channel === null ? null : claimed;
  }

  async claimOrNextDue(now: number, leaseMs: number): Promise<ChannelClaim | { readonly channel: null; readonly nextDueAt: number | null }> {
    const [channel, next] = (await runScript(this.redis, CLAIM, 1, this.keys.slackReady, String(now), String(leaseMs))) as [string, string?];
    if (channel !== '') return { channel, leaseEnd: Number(next) };
    return { channel: null, nextDueAt: next ? Number(next) : null };
  }

  async renew(claim: ChannelClaim, leaseEnd: number): Promise<ChannelClaim | null> {
    const renewed = await runScript(this.redis, MOVE_HELD, 1, this.keys.slackReady, claim.channel, String(claim.leaseEnd), String(leaseEnd));
    return renewed === 1 ? { channel: claim.channel, leaseEnd } : null;
  }

  onQueued(listener: () => void): void {
    this.queuedListeners.add(listener);
  }

  peek(channel: string, max: number): Promise<string[]> {
    return this.redis.lrange(this.keys.slackOutbox(channel), 0, max - 1);
  }

  async isQueued(channel: string, item: string): Promise<boolean> {
    return (await this.redis.lpos(this.keys.slackOutbox(channel), item)) !== null;
  }

  async takeEdit(channel: string): Promise<string | null> {
    return (await runScript(this.redis, TAKE_EDIT, 2, this.keys.slackEdits(channel), this.keys.slackEditsTaken(channel))) as string | null;
  }

  async complete(claim: ChannelClaim, sent: number, nextAt: number, edit: string | null = null): Promise<boolean> {
    const { keys } = this;
    const { channel } = claim;
    const done = await runScript(this.redis, COMPLETE, 5, keys.slackOutbox(channel), keys.slackEdits(channel), keys.slackReady, keys.slackNext, keys.slackEditsTaken(channel), String(sent), String(nextAt), channel, edit ?? '', String(claim.leaseEnd));
    return done === 1;
  }

  async deadLetter(claim: ChannelClaim, reason: string, now: number): Promise<boolean> {
    const { channel } = claim;
    const moved = await runScript(this.redis, DEAD_LETTER, 3, this.keys.slackOutbox(channel), this.keys.slackDead, this.keys.slackReady, `${new Date(now).toISOString()} ${channel} ${reason}\t`, String(DEAD_MAX), channel, String(claim.leaseEnd));
    return moved === 1;
  }

  /** Messages Slack refused for good, newest first (kept up to DEAD_MAX). */
  async deadLetters(): Promise<SlackDeadLetter[]> {
    return (await this.redis.lrange(this.keys.slackDead, 0, -1)).map(parseDeadLetter);
  }

  /**
   * Queues every dead message again on its channel, oldest first. Each is queued before it leaves
   * the dead list, so a crash half-way can repeat a message but never lose one.
   */
  async replayDeadLetters(now: number): Promise<number> {
    let replayed = 0;
    for (const raw of (await this.redis.lrange(this.keys.slackDead, 0, -1)).reverse()) {
      const entry = parseDeadLetter(raw);
      if (entry.channel === '' || entry.item === '') continue; // not one the sender wrote: left for a person to read
      await this.push(entry.channel, entry.item, now);
      await this.redis.lrem(this.keys.slackDead, 1, raw);
      replayed += 1;
    }
    return replayed;
  }

  async pause(claim: ChannelClaim, until: number): Promise<boolean> {
    return (await runScript(this.redis, MOVE_HELD, 1, this.keys.slackReady, claim.channel, String(claim.leaseEnd), String(until))) === 1;
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

  async replaceMessage(ticketId: number, kind: string, expected: string, value: string): Promise<boolean> {
    return (await runScript(this.redis, REPLACE_MESSAGE, 1, this.keys.ticket(ticketId), `${MESSAGE_FIELD}${kind}`, expected, value, String(TICKET_TTL_SECONDS))) === 1;
  }

  async setLive(ticketId: number, live: boolean, since: number): Promise<void> {
    if (live) await this.redis.zadd(this.keys.liveIncidents, 'NX', since, String(ticketId));
    else await this.redis.zrem(this.keys.liveIncidents, String(ticketId));
  }

  async liveTickets(max: number): Promise<{ ids: number[]; total: number }> {
    const [ids, total] = await Promise.all([this.redis.zrange(this.keys.liveIncidents, '0', String(max - 1)), this.redis.zcard(this.keys.liveIncidents)]);
    return { ids: ids.map(Number), total };
  }

  liveSummaryRef(): Promise<string | null> {
    return this.redis.get(this.keys.liveSummary);
  }

  async setLiveSummaryRef(value: string): Promise<void> {
    await this.redis.set(this.keys.liveSummary, value);
  }

  /** The brief lives in the ticket hash too (ticket-brief-fields.ts). */
  async save(brief: TicketBrief): Promise<void> {
    await runScript(this.redis, SAVE_BRIEF, 1, this.keys.ticket(brief.ticketId), String(TICKET_TTL_SECONDS), ...briefChunks(brief));
  }

  async get(ticketId: number): Promise<TicketBrief | null> {
    const fields = await this.redis.hgetall(this.keys.ticket(ticketId));
    const count = Number(fields[BRIEF_COUNT] ?? 0);
    if (count === 0) return this.legacyBrief(ticketId);
    const [subject, excerpt, why, extras] = JSON.parse(Array.from({ length: count }, (_, index) => fields[`${BRIEF_CHUNK}${index}`] ?? '').join('')) as [string, string, string, RoutingExtras?];
    return { ticketId, subject, excerpt, why, ...(extras ? { extras } : {}) };
  }

  async forget(ticketId: number): Promise<void> {
    await runScript(this.redis, FORGET_BRIEF, 2, this.keys.ticket(ticketId), this.keys.ticketBrief(ticketId));
  }

  /** Briefs saved before they moved into the ticket hash (a key of their own); they expire with their loops. */
  private async legacyBrief(ticketId: number): Promise<TicketBrief | null> {
    const raw = await this.redis.get(this.keys.ticketBrief(ticketId));
    if (raw === null) return null;
    const parsed = JSON.parse(raw) as [string, string, string] | TicketBrief;
    if (!Array.isArray(parsed)) return parsed;
    const [subject, excerpt, why] = parsed;
    return { ticketId, subject, excerpt, why };
  }
}
