import type { RedisClient } from './redis-connection.js';
import type { NameCache } from '../../app/ports.js';
import type { RedisKeys } from './redis-keys.js';

/** NameCache in Redis: one string per person, expiring on its own, read for many people in one MGET. */
export class RedisNameCache implements NameCache {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async get(people: readonly string[]): Promise<ReadonlyMap<string, string>> {
    if (people.length === 0) return new Map();
    const values = await this.redis.mget(...people.map((person) => this.keys.personName(person)));
    const found = new Map<string, string>();
    people.forEach((person, index) => {
      const value = values[index];
      if (value !== null && value !== undefined) found.set(person, value);
    });
    return found;
  }

  async set(person: string, name: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.keys.personName(person), name, 'PX', Math.max(1, Math.round(ttlMs)));
  }
}
