/**
 * What a stretch of work cost Redis. Round trips: the requests this process wrote to Redis's port
 * (socket writes: cxloop's connections write the commands of one event-loop turn, a pipeline or
 * a MULTI together; counted on net.Socket's _write and _writev). From the server's own counters:
 * INFO commandstats (calls of every command, those run inside scripts included), the Lua calls
 * among them (EVAL, EVALSHA, FCALL and their _RO forms), and INFO stats total_reads_processed
 * (client socket reads: requests sent while others were in flight arrive together, so under load
 * this is below the round trips). Deltas of
 * two readings rather than CONFIG RESETSTAT, so other sections' and other clients' counters stay
 * as they were; on a shared Redis their commands land in the server's figures too (the bench runs
 * best on a Redis of its own).
 */
import { Socket } from 'node:net';
import type { Redis } from 'ioredis';

export interface RedisCommandTally {
  /** Socket writes this process made to Redis (the commands of one turn, a pipeline or a MULTI each). */
  readonly roundTrips: number;
  /** Client socket reads Redis processed (every client's). */
  readonly serverReads: number;
  /** Script calls: EVAL, EVALSHA, FCALL (and _RO). */
  readonly luaCalls: number;
  /** Every command Redis ran, those inside scripts and MULTI included. */
  readonly commands: number;
  /** Calls per command name (lower case, "config|resetstat" style for subcommands). */
  readonly byCommand: Readonly<Record<string, number>>;
}

const LUA_COMMANDS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']);

interface Reading {
  readonly writes: number;
  readonly reads: number;
  readonly calls: Map<string, number>;
}

/** Socket writes to each remote port, counted since the first meter started. */
const writesByPort = new Map<number, number>();
let counting = false;

/**
 * Counted where the socket writes, not where ioredis hands it a command: cxloop's connections
 * send the commands of one event-loop turn together (one `_writev`), and a write while the last
 * one is still on its way is queued and goes out with the others.
 */
function countSocketWrites(): void {
  if (counting) return;
  counting = true;
  type Write = (this: Socket, ...args: unknown[]) => unknown;
  const prototype = Socket.prototype as unknown as Record<'_write' | '_writev', Write>;
  for (const method of ['_write', '_writev'] as const) {
    const write = prototype[method];
    prototype[method] = function countedWrite(this: Socket, ...args: unknown[]) {
      const port = this.remotePort;
      if (port !== undefined) writesByPort.set(port, (writesByPort.get(port) ?? 0) + 1);
      return write.apply(this, args);
    };
  }
}

async function readCounters(redis: Redis): Promise<Reading> {
  const writes = writesByPort.get(redis.options.port ?? 6379) ?? 0;
  const info = await redis.info('stats', 'commandstats');
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1]!, Number(match[2]));
  const reads = Number(/^total_reads_processed:(\d+)/m.exec(info)?.[1] ?? Number.NaN);
  if (!Number.isFinite(reads)) throw new Error('INFO stats has no total_reads_processed (Redis 6 or newer is needed)');
  return { writes, reads, calls };
}

/**
 * Starts counting; the returned function reads the counters again and returns the difference,
 * less the meter's own INFO (one command and one read per reading after the first).
 */
export async function startCommandMeter(redis: Redis): Promise<() => Promise<RedisCommandTally>> {
  countSocketWrites();
  const before = await readCounters(redis);
  return async () => {
    const after = await readCounters(redis);
    const byCommand: Record<string, number> = {};
    for (const [name, calls] of after.calls) {
      const delta = calls - (before.calls.get(name) ?? 0) - (name === 'info' ? 1 : 0);
      if (delta > 0) byCommand[name] = delta;
    }
    const total = (names: (name: string) => boolean) => Object.entries(byCommand).reduce((sum, [name, calls]) => sum + (names(name) ? calls : 0), 0);
    return { roundTrips: after.writes - before.writes - 1, serverReads: after.reads - before.reads - 1, luaCalls: total((name) => LUA_COMMANDS.has(name)), commands: total(() => true), byCommand };
  };
}

/** A tally divided by the units of work it paid for (tickets, jobs), one decimal; the commands ranked, the `top` most first. */
export function perUnit(tally: RedisCommandTally, units: number, top = 12): { roundTrips: number; serverReads: number; luaCalls: number; commands: number; topCommands: [string, number][] } {
  const each = (value: number) => Math.round((value / Math.max(1, units)) * 10) / 10;
  const ranked = Object.entries(tally.byCommand).sort((a, b) => b[1] - a[1]).slice(0, top);
  return { roundTrips: each(tally.roundTrips), serverReads: each(tally.serverReads), luaCalls: each(tally.luaCalls), commands: each(tally.commands), topCommands: ranked.map(([name, calls]) => [name, each(calls)]) };
}

/** The difference of two tallies (a stretch less the bench's own calls within it). */
export function subtractTally(from: RedisCommandTally, less: RedisCommandTally, times: number): RedisCommandTally {
  const byCommand: Record<string, number> = {};
  for (const [name, calls] of Object.entries(from.byCommand)) {
    const left = calls - (less.byCommand[name] ?? 0) * times;
    if (left > 0) byCommand[name] = left;
  }
  const scale = (value: number, minus: number) => Math.max(0, value - minus * times);
  return { roundTrips: scale(from.roundTrips, less.roundTrips), serverReads: scale(from.serverReads, less.serverReads), luaCalls: scale(from.luaCalls, less.luaCalls), commands: scale(from.commands, less.commands), byCommand };
}
