import type { LoopTimer, LoopTimerSchedule, ScheduledTimer, TimerClaim } from '../../app/ports.js';
import { parseTimerKey, timerKey } from '../../app/run-loop.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';

// Two sorted sets under one hash tag, and no script touches another key (a ticket's keys live in
// other slots of a Redis Cluster): `due` scores each timer key by its due time on cxloop's clock,
// `claimed` by the end of its claim's lease on Redis's clock (TIME), so leases mean the same on
// every host whatever their clocks.

const NOW = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)`;

/**
 * KEYS due, claimed. ARGV up to (cxloop's clock), max, lease ms. Re-leases the claims whose lease
 * ended (their poller died: they are overdue), then claims due timers, earliest first, up to `max`
 * in all. Returns {key..., next due time or ''}.
 */
const CLAIM = `${NOW}
local max = tonumber(ARGV[2])
local lease = now + tonumber(ARGV[3])
local out = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, max)
local room = max - #out
if room > 0 then
  local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, room)
  if #due > 0 then
    redis.call('ZREM', KEYS[1], unpack(due))
    for _, key in ipairs(due) do table.insert(out, key) end
  end
end
if #out > 0 then
  local leased = {}
  for _, key in ipairs(out) do
    table.insert(leased, lease)
    table.insert(leased, key)
  end
  redis.call('ZADD', KEYS[2], unpack(leased))
end
local next = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
table.insert(out, next[2] or '')
return out`;

/** KEYS claimed. ARGV lease ms, key... Renews the claims still held; returns how many. */
const EXTEND = `${NOW}
local lease = now + tonumber(ARGV[1])
local renewed = 0
for i = 2, #ARGV do
  renewed = renewed + redis.call('ZADD', KEYS[1], 'XX', 'CH', lease, ARGV[i])
end
return renewed`;

/** Lua's unpack() of a claim stays far below Lua's stack limit (LUAI_MAXCSTACK, 8,000) at this size. */
export const MAX_TIMER_CLAIM = 1_000;

type Scripts = {
  cxloopTimerClaim(due: string, claimed: string, upTo: number | string, max: number, leaseMs: number): Promise<string[]>;
  cxloopTimerExtend(claimed: string, leaseMs: number, ...keys: string[]): Promise<number>;
};

/**
 * Loop timers as a sorted set of timer keys by due time (LoopTimerSchedule): scheduling is one
 * ZADD NX (a key already there is left as it is), cancelling one ZREM; pollers
 * claim due timers in batches (one script moves them to the claimed set with a lease) and
 * acknowledge them in one ZREM once fired. A loop costs one small member of one set.
 */
export class RedisLoopTimers implements LoopTimerSchedule {
  private readonly scripts: Scripts;
  private readonly scheduledListeners = new Set<(at: number) => void>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Pick<RedisKeys, 'timersDue' | 'timersClaimed'>,
  ) {
    // EVALSHA with each script loaded once per connection: they run on every transition and poll.
    if (!('cxloopTimerClaim' in redis)) {
      redis.defineCommand('cxloopTimerClaim', { numberOfKeys: 2, lua: CLAIM });
      redis.defineCommand('cxloopTimerExtend', { numberOfKeys: 1, lua: EXTEND });
    }
    this.scripts = redis as unknown as Scripts;
  }

  async schedule(ticketId: number, timer: LoopTimer): Promise<boolean> {
    // NX: a key already waiting keeps its place. The key's due time is rounded up like the key's,
    // so a timer is never claimed before it is due. One being fired may be added again (a loop
    // that came back to the same timer meanwhile): that second firing finds it stale.
    const added = (await this.redis.zadd(this.keys.timersDue, 'NX', Math.ceil(timer.at), timerKey(ticketId, timer))) === 1;
    if (added) for (const listener of this.scheduledListeners) listener(timer.at);
    return added;
  }

  onScheduled(listener: (at: number) => void): void {
    this.scheduledListeners.add(listener);
  }

  async cancel(ticketId: number, timer: LoopTimer): Promise<void> {
    await this.redis.zrem(this.keys.timersDue, timerKey(ticketId, timer));
  }

  async claim(upTo: number, max: number, leaseMs: number): Promise<TimerClaim> {
    const { timersDue, timersClaimed } = this.keys;
    const reply = await this.scripts.cxloopTimerClaim(timersDue, timersClaimed, scoreOf(upTo), Math.min(max, MAX_TIMER_CLAIM), Math.max(0, Math.round(leaseMs)));
    const next = reply.pop();
    const timers: ScheduledTimer[] = [];
    const unreadable: string[] = [];
    for (const key of reply) {
      const parsed = parseTimerKey(key);
      if (parsed) timers.push({ key, ...parsed });
      else unreadable.push(key);
    }
    return { timers, unreadable, nextDueAt: next === undefined || next === '' ? null : Number(next) };
  }

  async extend(keys: readonly string[], leaseMs: number): Promise<number> {
    if (keys.length === 0) return 0;
    return this.scripts.cxloopTimerExtend(this.keys.timersClaimed, Math.max(0, Math.round(leaseMs)), ...keys);
  }

  async ack(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.redis.zrem(this.keys.timersClaimed, ...keys);
  }

  async unfired(upTo: number): Promise<number> {
    const [due, claimed] = await Promise.all([this.redis.zcount(this.keys.timersDue, '-inf', scoreOf(upTo)), this.redis.zcard(this.keys.timersClaimed)]);
    return due + claimed;
  }

  async scheduled(): Promise<ScheduledTimer[]> {
    const keys = await this.redis.zrange(this.keys.timersDue, '0', '-1');
    return keys.flatMap((key) => {
      const parsed = parseTimerKey(key);
      return parsed ? [{ key, ...parsed }] : [];
    });
  }
}

/** A time as a sorted-set bound: `-inf` before any time (a poller on an injected clock that was never released). */
function scoreOf(time: number): number | string {
  return Number.isFinite(time) ? Math.floor(time) : time > 0 ? '+inf' : '-inf';
}
