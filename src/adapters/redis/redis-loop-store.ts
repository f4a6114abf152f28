import type { LoopCommitResult, LoopHistories, LoopStore, PendingEffects, StoredLoop } from '../../app/ports.js';
import type { LoopHistoryEntry } from '../../core/loop/loop-history.js';
import type { Effect, LoopState } from '../../core/loop/loop-types.js';
import { decodeHistoryEntry, decodeLoopState, encodeHistoryEntry, encodeLoopState } from './loop-codec.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import { runScript } from './run-script.js';

/** A loop's state lives this long after its last transition (a finished loop is kept for look-ups). */
const LOOP_TTL_SECONDS = 30 * 86_400;
/** History is kept longer than state: reports look back over it. */
const HISTORY_TTL_SECONDS = 90 * 86_400;
const HISTORY_TTL_MS = HISTORY_TTL_SECONDS * 1000;
/** A loop's history keeps at most this many entries (a ticket with endless chatter stays bounded). */
const HISTORY_MAX = 1_000;

/**
 * Compare-and-set on the version prefix of the stored value ("<version>:<keys>\n<state>"), then
 * append the history entry, park the effects ("<Redis time>|<event key>|<JSON>"). Returns
 * {1, leftover, history} or {0}; leftover = parked effects older than the grace period (a worker
 * died before queueing them; younger ones are most likely being queued by their worker right now),
 * history = the loop's whole history after this entry, so the dashboard's projection needs no read
 * of its own. Every key is the ticket's (one hash slot); the index of openings is written before,
 * apart (see commit).
 * The history is one string, an entry per line (JSON never holds a raw line break): against the
 * list older releases kept (converted here on the loop's next commit), about 95 B less per loop,
 * since Redis 7.0 keeps even a one-entry list as a quicklist node. A string is rewritten, not
 * appended to, so it stays its exact size (APPEND would leave room to grow).
 * KEYS loop, history, outbox. ARGV expected version, value, entry, effects ('' none),
 * version, loop ttl, history ttl, history max, grace ms.
 */
const COMMIT = `
local current = redis.call('GET', KEYS[1])
local stored = -1
if current then stored = tonumber(string.match(current, '^(%d+):')) end
if stored ~= tonumber(ARGV[1]) then return {0} end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[6])
local history = redis.pcall('GET', KEYS[2])
if type(history) == 'table' and history.err then
  history = table.concat(redis.call('LRANGE', KEYS[2], 0, -1), '\\n')
  redis.call('DEL', KEYS[2])
  if history == '' then history = false end
end
if history then
  history = history .. '\\n' .. ARGV[3]
  local _, breaks = string.gsub(history, '\\n', '')
  local over = breaks + 1 - tonumber(ARGV[8])
  if over > 0 then
    local cut = 0
    for _ = 1, over do cut = string.find(history, '\\n', cut + 1, true) end
    history = string.sub(history, cut + 1)
  end
else
  history = ARGV[3]
end
redis.call('SET', KEYS[2], history, 'EX', ARGV[7])
local time = redis.call('TIME')
local nowMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local leftover = {}
local parked = redis.call('HGETALL', KEYS[3])
for i = 1, #parked, 2 do
  local at = tonumber(string.match(parked[i + 1], '^(%d+)|'))
  if nowMs - at >= tonumber(ARGV[9]) then
    table.insert(leftover, parked[i])
    table.insert(leftover, string.sub(parked[i + 1], string.len(tostring(at)) + 2))
  end
end
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[3], ARGV[5], nowMs .. '|' .. ARGV[4])
  redis.call('EXPIRE', KEYS[3], ARGV[6])
end
return {1, leftover, history}`;

/** LoopStore on Redis: versioned state string, append-only history string, outbox hash, index of openings. */
export class RedisLoopStore implements LoopStore, LoopHistories {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    /** Parked effects younger than this belong to a worker still queueing them (tests pass 0). */
    private readonly outboxGraceMs = 30_000,
    private readonly historyMax = HISTORY_MAX,
  ) {}

  async get(ticketId: number): Promise<StoredLoop | null> {
    const value = await this.redis.get(this.keys.loop(ticketId));
    return value === null ? null : decodeLoop(ticketId, value);
  }

  async commit(commit: { state: LoopState; entry: LoopHistoryEntry; eventKey: string; eventKeys: readonly string[]; effects: readonly Effect[] }): Promise<LoopCommitResult> {
    const { state } = commit;
    // A new loop is indexed first, in a step of its own: the index is install-wide (another hash
    // slot on a cluster than the ticket's keys). ZADD NX is idempotent, so a retried or lost race
    // changes nothing, and a crash before the commit leaves an entry without a loop, which
    // readers skip as they skip a loop that expired; a loop is never left out of the index.
    if (state.version === 0) {
      // One MULTI, one round trip (this connection carries no BullMQ scripts, so a MULTI is cheap).
      await this.redis
        .multi()
        .zadd(this.keys.loops, 'NX', state.openedAt, state.ticketId)
        .zremrangebyscore(this.keys.loops, '-inf', commit.entry.at - HISTORY_TTL_MS)
        .exec();
    }
    const reply = (await runScript(this.redis, 
      COMMIT,
      3,
      this.keys.loop(state.ticketId),
      this.keys.loopHistory(state.ticketId),
      this.keys.loopOutbox(state.ticketId),
      state.version - 1,
      `${state.version}:${commit.eventKeys.map((key) => key.replace(/[\t\n]/g, ' ')).join('\t')}\n${encodeLoopState(state)}`,
      encodeHistoryEntry(commit.entry),
      commit.effects.length > 0 ? `${parkingMark(commit.eventKey)}|${JSON.stringify(commit.effects)}` : '',
      state.version,
      LOOP_TTL_SECONDS,
      HISTORY_TTL_SECONDS,
      this.historyMax,
      this.outboxGraceMs,
    )) as [0] | [1, string[], string];
    if (reply[0] === 0) return { committed: false };
    const flat = reply[1];
    const leftover: PendingEffects[] = [];
    for (let index = 0; index + 1 < flat.length; index += 2) {
      leftover.push({ ticketId: state.ticketId, version: Number(flat[index]), effects: parseParked(flat[index + 1]!).effects });
    }
    return { committed: true, leftover, history: historyOf(reply[2]) };
  }

  async parkedEffects(ticketId: number, eventKey?: string): Promise<PendingEffects[]> {
    const parked = await this.redis.hgetall(this.keys.loopOutbox(ticketId));
    const mark = eventKey === undefined ? undefined : parkingMark(eventKey);
    return Object.entries(parked).flatMap(([version, value]) => {
      const { by, effects } = parseParked(value.slice(value.indexOf('|') + 1));
      return mark === undefined || by === null || by === mark ? [{ ticketId, version: Number(version), effects }] : [];
    });
  }

  async clearOutbox(ticketId: number, version: number): Promise<void> {
    await this.redis.hdel(this.keys.loopOutbox(ticketId), String(version));
  }

  async history(ticketId: number): Promise<LoopHistoryEntry[]> {
    return this.readHistory(ticketId);
  }

  /** A loop's history: its string, or the list an older release kept (until the loop's next commit converts it). */
  private async readHistory(ticketId: number): Promise<LoopHistoryEntry[]> {
    const key = this.keys.loopHistory(ticketId);
    try {
      return historyOf(await this.redis.get(key));
    } catch (error) {
      if (!String((error as Error).message).startsWith('WRONGTYPE')) throw error;
      return (await this.redis.lrange(key, 0, -1)).map(decodeHistoryEntry);
    }
  }

  /** Tickets whose loop opened in [since, until], oldest first. */
  async openedBetween(since: number, until: number): Promise<number[]> {
    const ids = await this.redis.zrangebyscore(this.keys.loops, since, until);
    return ids.map(Number);
  }

  /**
   * Histories of many loops, read a page at a time, all of a page's reads sent at once (not one
   * pipeline: on a cluster the tickets' keys are on every shard).
   */
  async histories(ticketIds: readonly number[], pageSize = 500): Promise<LoopHistoryEntry[][]> {
    const all: LoopHistoryEntry[][] = [];
    for (let start = 0; start < ticketIds.length; start += pageSize) {
      all.push(...(await Promise.all(ticketIds.slice(start, start + pageSize).map((id) => this.readHistory(id)))));
    }
    return all;
  }
}

/** The entries of a history string (null: none). */
function historyOf(text: string | null): LoopHistoryEntry[] {
  return text === null || text === '' ? [] : text.split('\n').map(decodeHistoryEntry);
}

/** An event key as it marks parked effects: no '|' (the field separator), not starting with '[' (an unmarked entry's JSON). */
function parkingMark(eventKey: string): string {
  return eventKey.replace(/\|/g, ' ').replace(/^\[/, ' ');
}

/** A parked entry after its time: "<event key>|<effects JSON>", or the JSON alone (written by earlier releases). */
function parseParked(value: string): { by: string | null; effects: Effect[] } {
  if (value.startsWith('[')) return { by: null, effects: JSON.parse(value) as Effect[] };
  const bar = value.indexOf('|');
  return { by: value.slice(0, bar), effects: JSON.parse(value.slice(bar + 1)) as Effect[] };
}

/** "<version>:<delivery keys, tab-separated, newest first>\n<state>" -> the stored loop (earlier releases kept one key). */
function decodeLoop(ticketId: number, value: string): StoredLoop {
  const newline = value.indexOf('\n');
  const keys = value.slice(value.indexOf(':') + 1, newline);
  return { state: decodeLoopState(value.slice(newline + 1), ticketId), eventKeys: keys === '' ? [] : keys.split('\t') };
}
