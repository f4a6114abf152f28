import type { Redis } from 'ioredis';
import type { LoopCommitResult, LoopHistories, LoopStore, PendingEffects, StoredLoop } from '../../app/ports.js';
import type { LoopHistoryEntry } from '../../core/loop/loop-history.js';
import type { Effect, LoopState } from '../../core/loop/loop-types.js';
import { decodeHistoryEntry, decodeLoopState, encodeHistoryEntry, encodeLoopState } from './loop-codec.js';
import type { RedisKeys } from './redis-keys.js';

/** A loop's state lives this long after its last transition (a finished loop is kept for look-ups). */
const LOOP_TTL_SECONDS = 30 * 86_400;
/** History is kept longer than state: reports look back over it. */
const HISTORY_TTL_SECONDS = 90 * 86_400;
const HISTORY_TTL_MS = HISTORY_TTL_SECONDS * 1000;
/** A loop's history keeps at most this many entries (a ticket with endless chatter stays bounded). */
const HISTORY_MAX = 1_000;

/**
 * Compare-and-set on the version prefix of the stored value ("<version>:<json>"), then append the
 * history entry, park the effects (stamped with Redis time), index a new loop. Returns {1, leftover}
 * or {0}; leftover = parked effects older than the grace period (a worker died before queueing
 * them; younger ones are most likely being queued by their worker right now).
 * KEYS loop, history, outbox, index. ARGV expected version, value, entry, effects ('' none),
 * version, opened at, ticket id, loop ttl, history ttl, history max, index cutoff, grace ms.
 */
const COMMIT = `
local current = redis.call('GET', KEYS[1])
local stored = -1
if current then stored = tonumber(string.match(current, '^(%d+):')) end
if stored ~= tonumber(ARGV[1]) then return {0} end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[8])
redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[10]), -1)
redis.call('EXPIRE', KEYS[2], ARGV[9])
local time = redis.call('TIME')
local nowMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local leftover = {}
local parked = redis.call('HGETALL', KEYS[3])
for i = 1, #parked, 2 do
  local at = tonumber(string.match(parked[i + 1], '^(%d+)|'))
  if nowMs - at >= tonumber(ARGV[12]) then
    table.insert(leftover, parked[i])
    table.insert(leftover, string.sub(parked[i + 1], string.len(tostring(at)) + 2))
  end
end
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[3], ARGV[5], nowMs .. '|' .. ARGV[4])
  redis.call('EXPIRE', KEYS[3], ARGV[8])
end
if stored == -1 then
  redis.call('ZADD', KEYS[4], ARGV[6], ARGV[7])
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', ARGV[11])
end
return {1, leftover}`;

/** LoopStore on Redis: versioned state string, append-only history list, outbox hash, index of openings. */
export class RedisLoopStore implements LoopStore, LoopHistories {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    /** Parked effects younger than this belong to a worker still queueing them (tests pass 0). */
    private readonly outboxGraceMs = 30_000,
  ) {}

  async get(ticketId: number): Promise<StoredLoop | null> {
    const value = await this.redis.get(this.keys.loop(ticketId));
    return value === null ? null : decodeLoop(ticketId, value);
  }

  async commit(commit: { state: LoopState; entry: LoopHistoryEntry; eventKey: string | null; effects: readonly Effect[] }): Promise<LoopCommitResult> {
    const { state } = commit;
    const reply = (await this.redis.eval(
      COMMIT,
      4,
      this.keys.loop(state.ticketId),
      this.keys.loopHistory(state.ticketId),
      this.keys.loopOutbox(state.ticketId),
      this.keys.loops,
      state.version - 1,
      `${state.version}:${(commit.eventKey ?? '').replace(/\n/g, ' ')}\n${encodeLoopState(state)}`,
      encodeHistoryEntry(commit.entry),
      commit.effects.length > 0 ? JSON.stringify(commit.effects) : '',
      state.version,
      state.openedAt,
      state.ticketId,
      LOOP_TTL_SECONDS,
      HISTORY_TTL_SECONDS,
      HISTORY_MAX,
      commit.entry.at - HISTORY_TTL_MS,
      this.outboxGraceMs,
    )) as [0] | [1, string[]];
    if (reply[0] === 0) return { committed: false };
    const flat = reply[1];
    const leftover: PendingEffects[] = [];
    for (let index = 0; index + 1 < flat.length; index += 2) {
      leftover.push({ ticketId: state.ticketId, version: Number(flat[index]), effects: JSON.parse(flat[index + 1]!) as Effect[] });
    }
    return { committed: true, leftover };
  }

  async parkedEffects(ticketId: number): Promise<PendingEffects[]> {
    const parked = await this.redis.hgetall(this.keys.loopOutbox(ticketId));
    return Object.entries(parked).map(([version, value]) => ({
      ticketId,
      version: Number(version),
      effects: JSON.parse(value.slice(value.indexOf('|') + 1)) as Effect[],
    }));
  }

  async clearOutbox(ticketId: number, version: number): Promise<void> {
    await this.redis.hdel(this.keys.loopOutbox(ticketId), String(version));
  }

  async history(ticketId: number): Promise<LoopHistoryEntry[]> {
    const entries = await this.redis.lrange(this.keys.loopHistory(ticketId), 0, -1);
    return entries.map(decodeHistoryEntry);
  }

  /** Tickets whose loop opened in [since, until], oldest first. */
  async openedBetween(since: number, until: number): Promise<number[]> {
    const ids = await this.redis.zrangebyscore(this.keys.loops, since, until);
    return ids.map(Number);
  }

  /** Histories of many loops, read in pipelined pages. */
  async histories(ticketIds: readonly number[], pageSize = 500): Promise<LoopHistoryEntry[][]> {
    const all: LoopHistoryEntry[][] = [];
    for (let start = 0; start < ticketIds.length; start += pageSize) {
      const pipeline = this.redis.pipeline();
      for (const id of ticketIds.slice(start, start + pageSize)) pipeline.lrange(this.keys.loopHistory(id), 0, -1);
      const replies = (await pipeline.exec()) ?? [];
      for (const [error, entries] of replies) {
        if (error) throw error;
        all.push((entries as string[]).map(decodeHistoryEntry));
      }
    }
    return all;
  }
}

/** "<version>:<last event key>\n<state>" -> the stored loop. */
function decodeLoop(ticketId: number, value: string): StoredLoop {
  const newline = value.indexOf('\n');
  const key = value.slice(value.indexOf(':') + 1, newline);
  const state = decodeLoopState(value.slice(newline + 1));
  if (state.ticketId !== ticketId) throw new Error(`loop of ticket ${ticketId}: stored state belongs to ticket ${state.ticketId}`);
  return { state, lastEventKey: key === '' ? null : key };
}
