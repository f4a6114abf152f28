import { duplicateRedis, type RedisClient } from './redis-connection.js';
import type { DashboardStore, DayContribution, LoopContribution, LoopMove } from '../../app/ports.js';
import { tallyOf, type FigureTally } from '../../core/loop/figure-tally.js';
import { undecidedUntil, type LoopSummary } from '../../core/loop/loop-summary.js';
import type { OpenLoopRow } from '../../core/loop/open-loop-row.js';
import type { RedisKeys } from './redis-keys.js';
import { GroupedCalls } from './grouped-calls.js';
import { runScript } from './run-script.js';
import { decodeContribution, decodeEffectsLine, decodeOpenRow, encodeContribution, encodeEffectsLine, encodeOpenRow, type EffectsLine } from './dashboard-codec.js';

const DAY_MS = 86_400_000;
/** A day's tally and contributions outlive the histories they come from (90 days) by a day. */
const KEEP_DAYS = 91;
/** Transitions whose effects the ticket page lists, per ticket. */
const EFFECTS_KEPT = 200;
/** Row changes the changed set keeps: a reader further behind than this reads every open row again. */
const CHANGES_KEPT = 5_000;
/** Day tallies a reader keeps (a 90-day window is 91 days). */
const DAYS_CACHED = 200;
/** Changes a reader takes one by one; more, and reading every row is as cheap. */
const DELTA_MAX = 1_000;

/**
 * Replaces a loop's contribution to its opening day, unless the stored one is of this version or
 * newer: subtracts the old counters from the day's tally, adds the new ones (a field that reaches 0
 * is dropped), stores the contribution, and keeps the undecided set and the open rows in step; a
 * row that changed bumps the open log's seq and appends "<seq>:<ticket>" to the changes list (kept
 * to the last CHANGES_KEPT changes; `listed` is the seq before its first entry).
 * The transition's effects line is appended to the ticket's field of the day's effects hash
 * (kept to the last EFFECTS_KEPT lines), in this script rather than a round trip of its own.
 * KEYS contributions, tally, undecided, open, open log, open changes, day versions, day effects,
 * the changed set kept before the list.
 * ARGV ticket, version, contribution JSON, undecided score ('' none), undecided member, row JSON
 * ('' none), ttl (s), day (bumped in the day versions: the tally of that day changed), channel,
 * move JSON, effects line ('' none). It
 * publishes the move first (in the script: no round trip of its own; a channel is no key, so this
 * stays within the keys' one slot on a cluster).
 * One call applies a group of contributions (GroupedCalls): 9 keys and 11 arguments each, in
 * order, each in a pcall of its own; it answers per contribution 1 (applied), 0 (the stored one is
 * as new) or the error's text.
 */
const APPLY = `
local function countersOf(text)
  local counters = {}
  for name, count in string.gmatch(text, '([^ =]+)=?(%d*)') do counters[name] = tonumber(count) or 1 end
  return counters
end
-- version, group, counters of a stored contribution (dashboard-codec.ts; an object: one stored before its positional form)
local function parse(value)
  local stored = cjson.decode(value)
  if stored.v ~= nil then return tonumber(stored.v), stored.g, stored.c end
  return tonumber(stored[1]), stored[3], countersOf(stored[4])
end
local function add(tally, group, counters, sign)
  for counter, count in pairs(counters) do
    local field = group .. counter
    if redis.call('HINCRBY', tally, field, sign * count) == 0 then redis.call('HDEL', tally, field) end
  end
end
-- One contribution: KEYS and ARGV here are the call's own 9 keys and 11 arguments.
local function apply(KEYS, ARGV)
  local old = redis.call('HGET', KEYS[1], ARGV[1])
  if old then
    local version, group, counters = parse(old)
    if version >= tonumber(ARGV[2]) then return 0 end
    add(KEYS[2], group, counters, -1)
  end
  local _, group, counters = parse(ARGV[3])
  add(KEYS[2], group, counters, 1)
  if ARGV[11] ~= '' then
    local log = redis.call('HGET', KEYS[8], ARGV[1])
    if log then
      local _, breaks = string.gsub(log, '\\n', '')
      if breaks + 1 >= ${EFFECTS_KEPT} then log = string.sub(log, string.find(log, '\\n', 1, true) + 1) end
      log = log .. '\\n' .. ARGV[11]
    else
      log = ARGV[11]
    end
    redis.call('HSET', KEYS[8], ARGV[1], log)
    redis.call('EXPIRE', KEYS[8], ARGV[7])
  end
  redis.call('HINCRBY', KEYS[7], ARGV[8], 1)
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  redis.call('EXPIRE', KEYS[1], ARGV[7])
  redis.call('EXPIRE', KEYS[2], ARGV[7])
  if ARGV[4] == '' then redis.call('ZREM', KEYS[3], ARGV[5]) else redis.call('ZADD', KEYS[3], ARGV[4], ARGV[5]) end
  redis.call('PUBLISH', ARGV[9], ARGV[10])
  local row = redis.call('HGET', KEYS[4], ARGV[1])
  if ARGV[6] == '' then
    if not row then return 1 end
    redis.call('HDEL', KEYS[4], ARGV[1])
  else
    if row == ARGV[6] then return 1 end
    redis.call('HSET', KEYS[4], ARGV[1], ARGV[6])
  end
  local seq = redis.call('HINCRBY', KEYS[5], 'seq', 1)
  if redis.call('RPUSH', KEYS[6], seq .. ':' .. ARGV[1]) == 1 then
    -- The list starts (a new install, or the sorted set of changes kept before, which goes)
    redis.call('HSET', KEYS[5], 'listed', seq - 1)
    redis.call('DEL', KEYS[9])
  end
  if redis.call('LLEN', KEYS[6]) > ${CHANGES_KEPT} then
    redis.call('HSET', KEYS[5], 'listed', string.match(redis.call('LPOP', KEYS[6]), '^(%d+):'))
  end
  return 1
end
local answers = {}
for item = 0, #KEYS / 9 - 1 do
  local keys, args = {}, {}
  for i = 1, 9 do keys[i] = KEYS[item * 9 + i] end
  for i = 1, 11 do args[i] = ARGV[item * 11 + i] end
  local ok, applied = pcall(apply, keys, args)
  if ok then answers[item + 1] = applied
  elseif type(applied) == 'table' then answers[item + 1] = tostring(applied.err)
  else answers[item + 1] = tostring(applied) end
end
return answers`;

/**
 * The open rows that changed since seq ARGV[1], read atomically: {seq, 'same'}, {seq, 'delta',
 * tickets, rows (false: the loop is no longer open)}, or {seq, 'full'} when the changes list no
 * longer covers that seq, or does not hold every change since (the keys were reset; a process of
 * the version before bumped the seq alone), or too many tickets changed: then read them all.
 * KEYS open log, open changes, open. ARGV seq, most tickets to answer with.
 */
const OPEN_SINCE = `
local log = redis.call('HMGET', KEYS[1], 'seq', 'listed')
local seq = tonumber(log[1]) or 0
local listed = tonumber(log[2])
local since = tonumber(ARGV[1])
if since == seq then return {seq, 'same'} end
if since > seq or listed == nil or since < listed then return {seq, 'full'} end
local changes = redis.call('LRANGE', KEYS[2], since - listed, -1)
if #changes ~= seq - since or string.match(changes[1], '^(%d+):') ~= tostring(since + 1) then return {seq, 'full'} end
local tickets, seen = {}, {}
for _, change in ipairs(changes) do
  local ticket = string.match(change, ':(.+)$')
  if not seen[ticket] then
    seen[ticket] = true
    table.insert(tickets, ticket)
    if #tickets > tonumber(ARGV[2]) then return {seq, 'full'} end
  end
end
return {seq, 'delta', tickets, redis.call('HMGET', KEYS[3], unpack(tickets))}`;

type OpenSince = [number, 'same'] | [number, 'full'] | [number, 'delta', string[], (string | null)[]];

export function dayOf(at: number): number {
  return Math.floor(at / DAY_MS);
}

/** DashboardStore on Redis: one tally hash and one contributions hash per opening day, all under one hash tag. */
export class RedisDashboardStore implements DashboardStore {
  private subscriber: RedisClient | null = null;
  /**
   * The open rows as of the open log's seq: a request re-reads only the rows that changed since
   * (one script call), not the 10,000 rows of a busy install, which are megabytes to send and parse.
   */
  private open: { readonly seq: number; readonly rows: ReadonlyMap<string, OpenLoopRow> } | null = null;
  private readingAll: Promise<OpenLoopRow[]> | null = null;
  /** Day tallies as of their day's version: of a 90-day window, only the days whose loops moved are read again. */
  private readonly dayCache = new Map<number, { readonly version: string; readonly tally: Readonly<FigureTally> }>();
  private readonly listeners = new Set<(move: LoopMove) => void>();

  /** Contributions applied by the process's callers meanwhile go to Redis together, one script call per group. */
  private readonly applied = new GroupedCalls<LoopContribution, boolean>(async (contributions) => {
    // A contribution that cannot be encoded fails its own call only.
    const prepared = contributions.map((contribution) => {
      try {
        return this.applyArguments(contribution);
      } catch (error) {
        return error as Error;
      }
    });
    const calls = prepared.filter((call): call is { keys: string[]; args: (string | number)[] } => !(call instanceof Error));
    const answers = calls.length === 0 ? [] : ((await runScript(this.redis, APPLY, 9 * calls.length, ...calls.flatMap((call) => call.keys), ...calls.flatMap((call) => call.args))) as (number | string)[]);
    let next = 0;
    return prepared.map((call) => {
      if (call instanceof Error) return call;
      const answer = answers[next++];
      return typeof answer === 'string' ? new Error(`the dashboard projection failed: ${answer}`) : answer === 1;
    });
  });

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {
    if (!('cxloopDashboardOpenSince' in redis)) redis.defineCommand('cxloopDashboardOpenSince', { numberOfKeys: 3, lua: OPEN_SINCE });
  }

  apply(contribution: LoopContribution): Promise<boolean> {
    return this.applied.call(contribution);
  }

  /** The script's 9 keys and 11 arguments for one contribution (see APPLY). */
  private applyArguments(contribution: LoopContribution): { keys: string[]; args: (string | number)[] } {
    const { ticketId, summary, row } = contribution;
    const day = dayOf(summary.openedAt);
    const until = undecidedUntil(summary);
    const tally = tallyOf(summary);
    const group = `${summary.category}|${summary.team}|${summary.tier}|`;
    const counters = Object.fromEntries(Object.entries(tally).map(([field, count]) => [field.slice(group.length), count]));
    const dayStart = day * DAY_MS;
    const move: LoopMove = { ticketId, version: contribution.version, team: summary.team, row };
    const keys = [
      this.keys.dashboardContributions(day),
      this.keys.dashboardDay(day),
      this.keys.dashboardUndecided,
      this.keys.dashboardOpen,
      this.keys.dashboardOpenLog,
      this.keys.dashboardOpenChanges,
      this.keys.dashboardDayVersions,
      this.keys.dashboardDayEffects(day),
      this.keys.dashboardOpenChangedSet,
    ];
    const args = [
      ticketId,
      contribution.version,
      encodeContribution({ version: contribution.version, openedAt: summary.openedAt, group, counters }, until === null ? null : summary, dayStart),
      until === null ? '' : until,
      `${day}:${ticketId}`,
      row === null ? '' : encodeOpenRow(row),
      // Relative to cxloop's clock (the transition's time), as the loop store's own TTLs are.
      Math.max(3_600, Math.ceil(((day + 1 + KEEP_DAYS) * DAY_MS - contribution.at) / 1000)),
      day,
      this.keys.dashboardMoves,
      JSON.stringify(move),
      contribution.effects.length === 0 ? '' : encodeEffectsLine({ version: contribution.version, at: contribution.at, effects: contribution.effects }, dayStart),
    ];
    return { keys, args };
  }

  async has(ticketId: number, openedAt: number): Promise<boolean> {
    return (await this.redis.hexists(this.keys.dashboardContributions(dayOf(openedAt)), String(ticketId))) === 1;
  }

  async openLoops(): Promise<OpenLoopRow[]> {
    // A read of every row under way (the one at start): wait for it and take what changed since, rather than read them all twice.
    if (this.open === null && this.readingAll !== null) await this.readingAll.catch(() => undefined);
    const cached = this.open;
    if (cached !== null) {
      const since = (await (this.redis as RedisClient & { cxloopDashboardOpenSince: (...args: (string | number)[]) => Promise<OpenSince> }).cxloopDashboardOpenSince(
        this.keys.dashboardOpenLog,
        this.keys.dashboardOpenChanges,
        this.keys.dashboardOpen,
        cached.seq,
        DELTA_MAX,
      ));
      const [seq, what] = since;
      if (what === 'same') return [...cached.rows.values()];
      if (what === 'delta') {
        const rows = new Map(cached.rows);
        since[2].forEach((ticket, index) => {
          const row = since[3][index];
          if (typeof row === 'string') rows.set(ticket, decodeOpenRow(ticket, row));
          else rows.delete(ticket);
        });
        return this.keep(seq, rows);
      }
    }
    const reading = this.readAll();
    this.readingAll = reading;
    try {
      return await reading;
    } finally {
      if (this.readingAll === reading) this.readingAll = null;
    }
  }

  /** Every open row and the seq they are as of, in one transaction. */
  private async readAll(): Promise<OpenLoopRow[]> {
    const [[logError, seq], [rowsError, stored]] = ((await this.redis.multi().hget(this.keys.dashboardOpenLog, 'seq').hgetall(this.keys.dashboardOpen).exec()) ?? []) as [Error | null, unknown][] as [[Error | null, string | null], [Error | null, Record<string, string>]];
    if (logError || rowsError) throw logError ?? rowsError;
    return this.keep(Number(seq ?? 0), new Map(Object.entries(stored).map(([ticket, row]) => [ticket, decodeOpenRow(ticket, row)])));
  }

  /** Every read is the rows as of its seq, so the last one to finish may replace the cache, older or not. */
  private keep(seq: number, rows: ReadonlyMap<string, OpenLoopRow>): OpenLoopRow[] {
    this.open = { seq, rows };
    return [...rows.values()];
  }

  async dayTallies(days: readonly number[]): Promise<FigureTally[]> {
    if (days.length === 0) return [];
    // The version first, then the tally: a tally newer than its version is read again next time, never the reverse.
    const versions = await this.redis.hmget(this.keys.dashboardDayVersions, ...days.map(String));
    if (this.dayCache.size > DAYS_CACHED) this.dayCache.clear();
    const stale = days.filter((day, index) => versions[index] === null || this.dayCache.get(day)?.version !== versions[index]);
    const replies = stale.length === 0 ? [] : ((await stale.reduce((pipeline, day) => pipeline.hgetall(this.keys.dashboardDay(day)), this.redis.pipeline()).exec()) ?? []);
    const fresh = new Map<number, FigureTally>();
    replies.forEach(([error, fields], index) => {
      if (error) throw error;
      fresh.set(stale[index]!, Object.freeze(Object.fromEntries(Object.entries(fields as Record<string, string>).map(([field, count]) => [field, Number(count)]))));
    });
    return days.map((day, index) => {
      const tally = fresh.get(day);
      if (tally === undefined) return this.dayCache.get(day)!.tally;
      const version = versions[index];
      // A day without a version (projected before versions were kept) is read every time.
      if (version !== null && version !== undefined) this.dayCache.set(day, { version, tally });
      return tally;
    });
  }

  async dayContributions(day: number): Promise<DayContribution[]> {
    const stored = await this.redis.hvals(this.keys.dashboardContributions(day));
    return stored.map((value) => {
      const contribution = decodeContribution(value, day * DAY_MS);
      const tally: FigureTally = {};
      for (const [counter, count] of Object.entries(contribution.counters)) tally[contribution.group + counter] = count;
      return { openedAt: contribution.openedAt, tally };
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
    const days = [...byDay.keys()].map(Number);
    const pipeline = this.redis.pipeline();
    for (const [day, tickets] of byDay) pipeline.hmget(this.keys.dashboardContributions(Number(day)), ...tickets);
    const replies = (await pipeline.exec()) ?? [];
    return replies.flatMap(([error, values], index) => {
      if (error) throw error;
      return (values as (string | null)[]).flatMap((value) => {
        const summary = value === null ? null : decodeContribution(value, days[index]! * DAY_MS).summary;
        return summary === null ? [] : [summary];
      });
    });
  }

  async effectsLog(ticketId: number, openedAt: number): Promise<EffectsLine[]> {
    // Two keys of two slots (the list is from before the day's hash): two commands, not one pipeline.
    const [before, lines] = await Promise.all([this.redis.lrange(this.keys.dashboardEffects(ticketId), 0, -1), this.redis.hget(this.keys.dashboardDayEffects(dayOf(openedAt)), String(ticketId))]);
    const dayStart = dayOf(openedAt) * DAY_MS;
    return [...before, ...(lines === null ? [] : lines.split('\n'))].map((entry) => decodeEffectsLine(entry, dayStart));
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
