/**
 * Redis memory of an install by key type: every key under the prefix is named by its shape
 * (`l:{id}`, `q:cxloop-timers:<job>`, `q:zendesk-events:de:<id>` ...) and weighed with MEMORY
 * USAGE, so a per-loop figure can be split into what each key costs.
 */
import type { Redis } from 'ioredis';

export interface KeyTypeMemory {
  /** The key's shape without the install prefix, e.g. `b:{id}` or `q:cxloop-timers:<job>`. */
  readonly type: string;
  readonly keys: number;
  readonly bytes: number;
  /** bytes / loops: what one loop costs in this key type (a share, for structures all loops use). */
  readonly bytesPerLoop: number;
}

/** BullMQ's own structures under <queue prefix>:<queue>: (anything else there is a job or job sub-key). */
const BULLMQ_KEYS = new Set(['wait', 'paused', 'active', 'delayed', 'prioritized', 'completed', 'failed', 'stalled', 'stalled-check', 'meta', 'id', 'events', 'marker', 'pc', 'limiter', 'repeat', 'waiting-children']);

/** `bench-x:l:{42}` -> `l:{id}`; `bench-x:q:cxloop-timers:t-16-ar-lz` -> `q:cxloop-timers:<job>`. */
export function keyTypeOf(key: string, prefix: string): string {
  const rest = key.startsWith(`${prefix}:`) ? key.slice(prefix.length + 1) : key;
  const queue = /^q:([^:]+):(.+)$/.exec(rest);
  if (!queue) return rest.replace(/\{\d+\}/g, '{id}');
  const [, name, tail] = queue as unknown as [string, string, string];
  if (BULLMQ_KEYS.has(tail)) return `q:${name}:${tail}`;
  if (tail.startsWith('de:')) return `q:${name}:de:<id>`;
  const [, sub] = tail.split(':');
  return `q:${name}:<job>${sub === undefined ? '' : `:${sub}`}`;
}

/** Every key under `prefix` grouped by type, heaviest first; bytesPerLoop divides by `loops`. */
export async function memoryByKeyType(redis: Redis, prefix: string, loops: number): Promise<KeyTypeMemory[]> {
  const totals = new Map<string, { keys: number; bytes: number }>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', 0);
    const sizes = (await pipeline.exec()) ?? [];
    keys.forEach((key, index) => {
      const type = keyTypeOf(key, prefix);
      const entry = totals.get(type) ?? { keys: 0, bytes: 0 };
      entry.keys += 1;
      entry.bytes += Number(sizes[index]?.[1] ?? 0);
      totals.set(type, entry);
    });
  } while (cursor !== '0');
  return [...totals.entries()]
    .map(([type, { keys, bytes }]) => ({ type, keys, bytes, bytesPerLoop: Math.round((bytes / Math.max(1, loops)) * 10) / 10 }))
    .sort((a, b) => b.bytes - a.bytes);
}
