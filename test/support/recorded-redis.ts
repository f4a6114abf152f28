import type { Redis } from 'ioredis';

/**
 * A connection seen through a proxy that records the name of every method called on it: commands
 * by name, and scripts by the `cxloop_<sha>` name runScript defines them under.
 */
export function recordedRedis(redis: Redis): { readonly client: Redis; readonly calls: string[]; scriptCalls(): number } {
  const calls: string[] = [];
  const client = new Proxy(redis, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        calls.push(property);
        return (value as (...args: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { client, calls, scriptCalls: () => calls.filter((name) => name.startsWith('cxloop_')).length };
}
