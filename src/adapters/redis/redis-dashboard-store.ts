import { duplicateRedis, type RedisClient } from './redis-connection.js';
import type { DashboardStore, DayContribution, LoopContribution, LoopMove } from '../../app/ports.js';
import { tallyOf, type FigureTally } from '../../core/loop/figure-tally.js';
import { undecidedUntil, type LoopSummary } from '../../core/loop/loop-summary.js';
import type { OpenLoopRow } from '../../core/loop/open-loop-row.js';
import type { RedisKeys } from './redis-keys.js';

const DAY_MS = 86_400_000;
/** A day's tally and contributions outlive the histories they come from (90 days) by a day. */
const KEEP_DAYS = 91;
/** Transitions whose effects the ticket page lists, per ticket. */
const EFFECTS_KEPT = 200;
const EFFECTS_TTL_SECONDS = 90 * 86_400;

/**
 * Replaces a loop's contribution to its opening day, unless the stored one is of this version or
 * newer: subtracts the old counters from the day's tally, adds the new ones (a field that reaches 0
 * is dropped), stores the contribution, and keeps the undecided set and the open rows in step.
 * Then publishes the move (in the script: no round trip of its own; a channel is no key, so this
 * stays within the keys' one slot on a cluster).
 * KEYS contributions, tally, undecided, open. ARGV ticket, version, contribution JSON, undecided
 * score ('' none), undecided member, row JSON ('' none), ttl (s), channel, move JSON.
 */
const APPLY = `
local function add(group, counters, sign)
  for counter, count in pairs(counters) do
    local field = group .. counter
    if redis.call('HINCRBY', KEYS[2], field, sign * count) == 0 then redis.call('HDEL', KEYS[2], field) end
  end
end
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old then
  local stored = cjson.decode(old)
  if tonumber(stored.v) >= tonumber(ARGV[2]) then return 0 end
  add(stored.g, stored.c, -1)
end
local new = cjson.decode(ARGV[3])
add(new.g, new.c, 1)
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[7])
redis.call('EXPIRE', KEYS[2], ARGV[7])
if ARGV[4] == '' then redis.call('ZREM', KEYS[3], ARGV[5]) else redis.call('ZADD', KEYS[3], ARGV[4], ARGV[5]) end
if ARGV[6] == '' then redis.call('HDEL', KEYS[4], ARGV[1]) else redis.call('HSET', KEYS[4], ARGV[1], ARGV[6]) end
redis.call('PUBLISH', ARGV[8], ARGV[9])
return 1`;

/** A contribution as stored: version, opening time, group prefix, counters, and the summary while undecided. */
interface StoredContribution {
  readonly v: number;
  readonly o: number;
  readonly g: string;
  readonly c: Readonly<Record<string, number>>;
  readonly s?: LoopSummary;
}

export function dayOf(at: number): number {
  return Math.floor(at / DAY_MS);
}

/** DashboardStore on Redis: one tally hash and one contributions hash per opening day, all under one hash tag. */
export class RedisDashboardStore implements DashboardStore {
  private subscriber: RedisClient | null = null;
  private readonly listeners = new Set<(move: LoopMove) => void>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {
    // EVALSHA with the script loaded once per connection: the projection runs on every transition.
    if (!('cxloopDashboardApply' in redis)) redis.defineCommand('cxloopDashboardApply', { numberOfKeys: 4, lua: APPLY });
  }

  async apply(contribution: LoopContribution): Promise<boolean> {
    const { ticketId, summary, row } = contribution;
    const day = dayOf(summary.openedAt);
    const until = undecidedUntil(summary);
    const tally = tallyOf(summary);
    const group = `${summary.category}|${summary.team}|${summary.tier}|`;
    const counters = Object.fromEntries(Object.entries(tally).map(([field, count]) => [field.slice(group.length), count]));
    const stored: StoredContribution = { v: contribution.version, o: summary.openedAt, g: group, c: counters, ...(until === null ? {} : { s: summary }) };
    if (contribution.effects.length > 0) {
      const key = this.keys.dashboardEffects(ticketId);
      await this.redis
        .multi()
        .rpush(key, JSON.stringify({ v: contribution.version, at: contribution.at, e: contribution.effects }))
        .ltrim(key, -EFFECTS_KEPT, -1)
        .expire(key, EFFECTS_TTL_SECONDS)
        .exec();
    }
    const move: LoopMove = { ticketId, version: contribution.version, team: summary.team, row };
    const applied = await (this.redis as RedisClient & { cxloopDashboardApply: (...args: (string | number)[]) => Promise<number> }).cxloopDashboardApply(
      this.keys.dashboardContributions(day),
      this.keys.dashboardDay(day),
      this.keys.dashboardUndecided,
      this.keys.dashboardOpen,
      ticketId,
      contribution.version,
      JSON.stringify(stored),
      until === null ? '' : until,
      `${day}:${ticketId}`,
      row === null ? '' : JSON.stringify(row),
      // Relative to cxloop's clock (the transition's time), as the loop store's own TTLs are.
      Math.max(3_600, Math.ceil(((day + 1 + KEEP_DAYS) * DAY_MS - contribution.at) / 1000)),
      this.keys.dashboardMoves,
      JSON.stringify(move),
    );
    return applied === 1;
  }

  async has(ticketId: number, openedAt: number): Promise<boolean> {
    return (await this.redis.hexists(this.keys.dashboardContributions(dayOf(openedAt)), String(ticketId))) === 1;
  }

  async openLoops(): Promise<OpenLoopRow[]> {
    const rows = await this.redis.hvals(this.keys.dashboardOpen);
    return rows.map((row) => JSON.parse(row) as OpenLoopRow);
  }

  async dayTallies(days: readonly number[]): Promise<FigureTally[]> {
    const pipeline = this.redis.pipeline();
    for (const day of days) pipeline.hgetall(this.keys.dashboardDay(day));
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, fields]) => {
      if (error) throw error;
      return Object.fromEntries(Object.entries(fields as Record<string, string>).map(([field, count]) => [field, Number(count)]));
    });
  }

  async dayContributions(day: number): Promise<DayContribution[]> {
    const stored = await this.redis.hvals(this.keys.dashboardContributions(day));
    return stored.map((value) => {
      const contribution = JSON.parse(value) as StoredContribution;
      const tally: FigureTally = {};
      for (const [counter, count] of Object.entries(contribution.c)) tally[contribution.g + counter] = count;
      return { openedAt: contribution.o, tally };
    });
  }

  async undecided(now: number): Promise<LoopSummary[]> {
    await this.redis.zremrangebyscore(this.keys.dashboardUndecided, '-inf', `(${now}`);
    const members = await this.redis.zrangebyscore(this.keys.dashboardUndecided, now, '+inf');
    const byDay = new Map<string, string[]>();
    for (const member of members) {
      const [day = '', ticket = ''] = member.split(':');
      byDay.set(day, [...(byDay.get(day) ?? []), ticket]);
    }
    const pipeline = this.redis.pipeline();
    for (const [day, tickets] of byDay) pipeline.hmget(this.keys.dashboardContributions(Number(day)), ...tickets);
    const replies = (await pipeline.exec()) ?? [];
    return replies.flatMap(([error, values]) => {
      if (error) throw error;
      return (values as (string | null)[]).flatMap((value) => {
        const summary = value === null ? undefined : (JSON.parse(value) as StoredContribution).s;
        return summary ? [summary] : [];
      });
    });
  }

  async effectsLog(ticketId: number): Promise<{ version: number; at: number; effects: string[] }[]> {
    const entries = await this.redis.lrange(this.keys.dashboardEffects(ticketId), 0, -1);
    return entries.map((entry) => {
      const parsed = JSON.parse(entry) as { v: number; at: number; e: string[] };
      return { version: parsed.v, at: parsed.at, effects: parsed.e };
    });
  }

  async onMoved(listener: (move: LoopMove) => void): Promise<() => Promise<void>> {
    this.listeners.add(listener);
    if (this.subscriber === null) {
      const subscriber = duplicateRedis(this.redis, { enableOfflineQueue: true, maxRetriesPerRequest: null });
      this.subscriber = subscriber;
      subscriber.on('message', (_channel: string, message: string) => {
        const move = JSON.parse(message) as LoopMove;
        for (const each of this.listeners) each(move);
      });
      await subscriber.subscribe(this.keys.dashboardMoves);
    }
    return async () => {
      this.listeners.delete(listener);
    };
  }

  /** Closes the subscriber connection, if one was opened. */
  async close(): Promise<void> {
    this.listeners.clear();
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
    this.subscriber = null;
  }
}
