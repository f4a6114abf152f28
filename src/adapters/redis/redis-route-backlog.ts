import { randomBytes } from 'node:crypto';
import type { RedisClient } from './redis-connection.js';
import { routeEntrySchema } from '../../app/job-catalogue.js';
import type { RouteBacklog, RouteClaim, RouteClaimCondition, RouteEntry } from '../../app/ports.js';
import type { RoutePlan, TicketFields } from '../../core/routing/route-plan.js';
import type { RedisKeys } from './redis-keys.js';
import { GroupedCalls } from './grouped-calls.js';
import { runScript } from './run-script.js';

// Every script reads the time from Redis (TIME), so leases and due times are on one clock however
// many hosts run workers. Each touches only the backlog's keys, which share one hash tag.

const NOW = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)`;

/**
 * KEYS entries, due. ARGV ticket, entry, ticket, entry ... (the writes of a group of enqueue
 * calls). A ticket already in the backlog (waiting or claimed) keeps its write.
 */
const ENQUEUE = `${NOW}
for i = 1, #ARGV, 2 do
  if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) == 1 then redis.call('ZADD', KEYS[2], now, ARGV[i]) end
end
return 1`;

/**
 * KEYS entries, due, claimed, owners, stalled, paused, held, held at, burst. ARGV max, lease ms,
 * token, min, lingered ms (-1: any), not in a burst (1/0), burst ms (0: none). First puts back the
 * writes whose lease ended (first in line, marked stalled), then, if at least `min` are due (and,
 * short of `max`, the oldest has been due `lingered ms`; and, when asked, no burst is on), moves
 * up to `max` of them, oldest first, to claimed under `token`, each with the fields held for it
 * (see HOLD), which leave the held set; with `burst ms`, marks a burst for that long. Returns
 * {entry, stalled, held or '', ...} (empty: the conditions did not hold, or the backlog is paused).
 */
const CLAIM = `${NOW}
if redis.call('EXISTS', KEYS[6]) == 1 then return {} end
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 1000)
for _, id in ipairs(expired) do
  redis.call('ZREM', KEYS[3], id)
  redis.call('HDEL', KEYS[4], id)
  redis.call('SADD', KEYS[5], id)
  redis.call('ZADD', KEYS[2], 0, id)
end
if ARGV[6] == '1' and redis.call('EXISTS', KEYS[9]) == 1 then return {} end
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
if #ids == 0 or #ids < tonumber(ARGV[4]) then return {} end
local lingered = tonumber(ARGV[5])
if lingered >= 0 and #ids < tonumber(ARGV[1]) then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  if tonumber(oldest[2]) > now - lingered then return {} end
end
if tonumber(ARGV[7]) > 0 then redis.call('SET', KEYS[9], '1', 'PX', ARGV[7]) end
local lease = now + tonumber(ARGV[2])
local out = {}
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[2], id)
  local entry = redis.call('HGET', KEYS[1], id)
  if entry then
    redis.call('ZADD', KEYS[3], lease, id)
    redis.call('HSET', KEYS[4], id, ARGV[3])
    table.insert(out, entry)
    table.insert(out, redis.call('SISMEMBER', KEYS[5], id))
    table.insert(out, redis.call('HGET', KEYS[7], id) or '')
    redis.call('HDEL', KEYS[7], id)
    redis.call('ZREM', KEYS[8], id)
  end
end
return out`;

/** KEYS claimed, owners. ARGV token, lease ms, ticket... Renews the writes `token` still holds; returns how many. */
const EXTEND = `${NOW}
local renewed = 0
for i = 3, #ARGV do
  if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[1] then
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[i])
    renewed = renewed + 1
  end
end
return renewed`;

/** KEYS entries, claimed, owners, stalled. ARGV token, ticket... Drops the writes `token` still holds. */
const FINISH = `
local done = 0
for i = 2, #ARGV do
  if redis.call('HGET', KEYS[3], ARGV[i]) == ARGV[1] then
    redis.call('ZREM', KEYS[2], ARGV[i])
    redis.call('HDEL', KEYS[1], ARGV[i])
    redis.call('HDEL', KEYS[3], ARGV[i])
    redis.call('SREM', KEYS[4], ARGV[i])
    done = done + 1
  end
end
return done`;

/** KEYS entries, due, claimed, owners, stalled. ARGV token, delay ms, ticket, entry ... Puts the writes `token` holds back in line. */
const RELEASE = `${NOW}
local due = now + tonumber(ARGV[2])
local released = 0
for i = 3, #ARGV, 2 do
  if redis.call('HGET', KEYS[4], ARGV[i]) == ARGV[1] then
    redis.call('ZREM', KEYS[3], ARGV[i])
    redis.call('HDEL', KEYS[4], ARGV[i])
    redis.call('SREM', KEYS[5], ARGV[i])
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
    redis.call('ZADD', KEYS[2], due, ARGV[i])
    released = released + 1
  end
end
return released`;

/** KEYS entries, due. ARGV ticket. Drops a write nobody has claimed. */
const CANCEL = `
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[1], ARGV[1])
return 1`;

/** KEYS entries, due. ARGV ticket, entry as read, new entry. Replaces a waiting write that nobody changed meanwhile. */
const REBASE = `
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 0 end
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1`;

/**
 * KEYS held, held at. ARGV ticket, fields (JSON), their updatedAt, keep ms. Holds fields read
 * before the ticket's write is in the backlog, for its claim, unless newer ones are held; drops
 * what was held more than `keep` ago (a write sent before its fields came, or never queued).
 */
const HOLD = `${NOW}
local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[4]), 'LIMIT', 0, 100)
for _, id in ipairs(old) do
  redis.call('HDEL', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
end
local held = redis.call('HGET', KEYS[1], ARGV[1])
if held and cjson.decode(held).updatedAt >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], now, ARGV[1])
return 1`;

/**
 * Held fields are dropped after this: the write they wait for is queued by the event being
 * handled beside the one that read them, or by its retry (BullMQ's back-off, seconds to minutes).
 */
const HOLD_MS = 10 * 60_000;

/**
 * The routing backlog on Redis: a hash of writes (one per ticket), a sorted set of the due ones
 * and one of the claimed ones by lease end, with the token of the claim holding each. A claim moves
 * due writes to claimed in one script, so two writers never hold the same write; finishing,
 * renewing or releasing checks the token, so a writer whose lease ran out cannot undo the next
 * one's claim.
 */
export class RedisRouteBacklog implements RouteBacklog {
  /** Writes enqueued by the process's callers meanwhile go to Redis together, one script call per group. */
  private readonly enqueued = new GroupedCalls<RoutePlan, void>(async (plans) => {
    await runScript(this.redis, ENQUEUE, 2, this.keys.routeEntries, this.keys.routeDue, ...plans.flatMap((plan) => [plan.ticketId, encode({ plan })]));
    for (const listener of this.queuedListeners) listener();
    return plans.map(() => undefined);
  });
  private readonly queuedListeners = new Set<() => void>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Pick<RedisKeys, 'routeEntries' | 'routeDue' | 'routeClaimed' | 'routeOwners' | 'routeStalled' | 'routePaused' | 'routeHeld' | 'routeHeldAt' | 'routeBurst'>,
  ) {}

  enqueue(plan: RoutePlan): Promise<void> {
    return this.enqueued.call(plan);
  }

  async cancel(ticketId: number): Promise<void> {
    // 0 when claimed: its writer re-reads the store before sending and skips an overridden ticket.
    await runScript(this.redis, CANCEL, 2, this.keys.routeEntries, this.keys.routeDue, ticketId);
  }

  async rebase(ticketId: number, current: TicketFields): Promise<'rebased' | 'unchanged' | 'held'> {
    const stored = await this.redis.hget(this.keys.routeEntries, String(ticketId));
    // Not queued yet (or sent already): whichever claims the write takes the fields (CLAIM).
    if (stored === null) return (await runScript(this.redis, HOLD, 2, this.keys.routeHeld, this.keys.routeHeldAt, ticketId, JSON.stringify(current), current.updatedAt, HOLD_MS)) === 1 ? 'held' : 'unchanged';
    const entry = decode(stored);
    if ((entry.current ?? entry.plan.base).updatedAt >= current.updatedAt) return 'unchanged';
    // Only a write still waiting: a claimed one has been read by its writer (which re-reads on a 409 anyway).
    return (await runScript(this.redis, REBASE, 2, this.keys.routeEntries, this.keys.routeDue, ticketId, stored, encode({ ...entry, current }))) === 1 ? 'rebased' : 'unchanged';
  }

  async waiting(): Promise<{ count: number; oldestDueAt: number | null; nextDueAt: number | null; burst: boolean }> {
    // The client's clock against Redis's: a skew only moves the single-or-batch choice.
    // A claim whose lease ended counts as due: its writer died, and the next claim puts it back in
    // line. Without it a killed writer's writes would wait for the next ticket to arrive.
    const now = Date.now();
    const [due, expired, oldest, oldestExpired, burst] = await Promise.all([
      this.redis.zcount(this.keys.routeDue, '-inf', now),
      this.redis.zcount(this.keys.routeClaimed, '-inf', now),
      this.redis.zrange(this.keys.routeDue, '0', '0', 'WITHSCORES'),
      this.redis.zrange(this.keys.routeClaimed, '0', '0', 'WITHSCORES'),
      this.redis.exists(this.keys.routeBurst),
    ]);
    const dueTimes = [...(due > 0 ? [oldest[1]] : []), ...(expired > 0 ? [oldestExpired[1]] : [])].filter((at) => at !== undefined).map(Number);
    const laterTimes = [oldest[1], oldestExpired[1]].filter((at) => at !== undefined).map(Number);
    return {
      count: due + expired,
      oldestDueAt: dueTimes.length > 0 ? Math.min(...dueTimes) : null,
      nextDueAt: due + expired === 0 && laterTimes.length > 0 ? Math.min(...laterTimes) : null,
      burst: burst === 1,
    };
  }

  onQueued(listener: () => void): void {
    this.queuedListeners.add(listener);
  }

  size(): Promise<number> {
    return this.redis.hlen(this.keys.routeEntries);
  }

  async pause(): Promise<void> {
    await this.redis.set(this.keys.routePaused, '1');
  }

  async resume(): Promise<void> {
    await this.redis.del(this.keys.routePaused);
  }

  async claim(max: number, leaseMs: number, when: RouteClaimCondition = {}): Promise<RouteClaim | null> {
    const { routeEntries, routeDue, routeClaimed, routeOwners, routeStalled, routePaused, routeHeld, routeHeldAt, routeBurst } = this.keys;
    const token = randomBytes(9).toString('base64url');
    const condition = [when.min ?? 1, when.lingeredMs ?? -1, when.notInBurst ? 1 : 0, when.markBurstMs ?? 0];
    const flat = (await runScript(this.redis, CLAIM, 9, routeEntries, routeDue, routeClaimed, routeOwners, routeStalled, routePaused, routeHeld, routeHeldAt, routeBurst, max, leaseMs, token, ...condition)) as (string | number)[];
    if (flat.length === 0) return null;
    const entries = [];
    for (let index = 0; index + 2 < flat.length; index += 3) {
      const held = String(flat[index + 2]);
      entries.push({ entry: withHeld(decode(String(flat[index])), held === '' ? null : (JSON.parse(held) as TicketFields)), stalled: flat[index + 1] === 1 });
    }
    return { token, entries };
  }

  async extend(ticketIds: readonly number[], token: string, leaseMs: number): Promise<number> {
    if (ticketIds.length === 0) return 0;
    return (await runScript(this.redis, EXTEND, 2, this.keys.routeClaimed, this.keys.routeOwners, token, leaseMs, ...ticketIds)) as number;
  }

  async finish(ticketIds: readonly number[], token: string): Promise<void> {
    if (ticketIds.length === 0) return;
    const { routeEntries, routeClaimed, routeOwners, routeStalled } = this.keys;
    await runScript(this.redis, FINISH, 4, routeEntries, routeClaimed, routeOwners, routeStalled, token, ...ticketIds);
  }

  async release(entries: readonly RouteEntry[], token: string, delayMs: number): Promise<void> {
    if (entries.length === 0) return;
    const { routeEntries, routeDue, routeClaimed, routeOwners, routeStalled } = this.keys;
    const pairs = entries.flatMap((entry) => [entry.plan.ticketId, encode(entry)]);
    await runScript(this.redis, RELEASE, 5, routeEntries, routeDue, routeClaimed, routeOwners, routeStalled, token, Math.max(0, Math.round(delayMs)), ...pairs);
  }
}

/** The entry on the held fields when they are newer than what it would be written on. */
function withHeld(entry: RouteEntry, held: TicketFields | null): RouteEntry {
  return held !== null && held.updatedAt > (entry.current ?? entry.plan.base).updatedAt ? { ...entry, current: held } : entry;
}

function encode(entry: RouteEntry): string {
  return JSON.stringify(entry);
}

/** Parsed like a queued job's payload: an entry written by an older release still reads, or fails loudly. */
function decode(raw: string): RouteEntry {
  return routeEntrySchema.parse(JSON.parse(raw)) as RouteEntry;
}
