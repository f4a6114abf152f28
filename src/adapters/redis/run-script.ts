import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-connection.js';

type ScriptCommand = (numberOfKeys: number, ...args: (string | number)[]) => Promise<unknown>;

/** Script text -> the name it is defined under (the same on every connection). */
const names = new Map<string, string>();

/**
 * EVAL's signature, sent as EVALSHA: the script is defined once per connection (ioredis's
 * defineCommand, which falls back to EVAL only when Redis answers NOSCRIPT, after a restart or a
 * SCRIPT FLUSH), so its text is neither written to the socket nor hashed by Redis on every call.
 * On a cluster the keys still pick the node, as with EVAL.
 */
export function runScript(redis: RedisClient, lua: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown> {
  let name = names.get(lua);
  if (name === undefined) {
    name = `cxloop_${createHash('sha1').update(lua).digest('hex').slice(0, 16)}`;
    names.set(lua, name);
  }
  const client = redis as RedisClient & Record<string, ScriptCommand | undefined>;
  // numberOfKeys left out of the definition: it is passed first on each call, as EVAL takes it.
  if (typeof client[name] !== 'function') redis.defineCommand(name, { lua });
  return client[name]!(numberOfKeys, ...args);
}
