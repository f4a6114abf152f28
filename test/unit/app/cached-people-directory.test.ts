import { describe, expect, it } from 'vitest';
import { CachedPeopleDirectory, NAME_TTL_MS, type PeopleLookups } from '../../../src/app/cached-people-directory.js';
import type { NameCache } from '../../../src/app/ports.js';

/** A NameCache in memory, recording each write with its TTL. */
class MemoryNameCache implements NameCache {
  readonly entries = new Map<string, string>();
  readonly writes: { person: string; name: string; ttlMs: number }[] = [];
  failReads = false;

  async get(people: readonly string[]): Promise<ReadonlyMap<string, string>> {
    if (this.failReads) throw new Error('redis down');
    return new Map(people.flatMap((person) => (this.entries.has(person) ? [[person, this.entries.get(person)!] as const] : [])));
  }

  async set(person: string, name: string, ttlMs: number): Promise<void> {
    this.entries.set(person, name);
    this.writes.push({ person, name, ttlMs });
  }
}

function lookups(slack: Record<string, string | Error | Promise<string>>, zendesk: Record<number, string | Error> = {}): PeopleLookups & { calls: string[] } {
  const calls: string[] = [];
  const answer = <T>(value: T | Error | undefined) => (value instanceof Error ? Promise.reject(value) : Promise.resolve(value ?? null));
  return {
    calls,
    slackName: (userId) => {
      calls.push(userId);
      return answer(slack[userId]) as Promise<string | null>;
    },
    zendeskName: (agentId) => {
      calls.push(`zd:${agentId}`);
      return answer(zendesk[agentId]) as Promise<string | null>;
    },
  };
}

const logs: string[] = [];
const logger = { log: (_level: string, message: string) => void logs.push(message) };

describe('CachedPeopleDirectory', () => {
  it('looks each person up once, caches the name for its TTL, and reads the cache afterwards', async () => {
    const cache = new MemoryNameCache();
    const lookup = lookups({ U0E2EMEM1: 'Ana Lima' }, { 4242: 'Ben Keller' });
    const people = new CachedPeopleDirectory({ cache, lookups: lookup, logger });
    expect(await people.namesOf(['U0E2EMEM1', 'zd:4242', 'U0E2EMEM1'])).toEqual({ U0E2EMEM1: 'Ana Lima', 'zd:4242': 'Ben Keller' });
    expect(await people.namesOf(['U0E2EMEM1', 'zd:4242'])).toEqual({ U0E2EMEM1: 'Ana Lima', 'zd:4242': 'Ben Keller' });
    expect(lookup.calls).toEqual(['U0E2EMEM1', 'zd:4242']);
    expect(cache.writes).toEqual([
      { person: 'U0E2EMEM1', name: 'Ana Lima', ttlMs: NAME_TTL_MS },
      { person: 'zd:4242', name: 'Ben Keller', ttlMs: NAME_TTL_MS },
    ]);
  });

  it('remembers that a person has no name for a shorter while, and leaves them out', async () => {
    const cache = new MemoryNameCache();
    const lookup = lookups({});
    const people = new CachedPeopleDirectory({ cache, lookups: lookup, logger, missTtlMs: 60_000 });
    expect(await people.namesOf(['U0GONE001'])).toEqual({});
    expect(await people.namesOf(['U0GONE001'])).toEqual({});
    expect(lookup.calls).toEqual(['U0GONE001']);
    expect(cache.writes).toEqual([{ person: 'U0GONE001', name: '', ttlMs: 60_000 }]);
  });

  it('leaves a person whose lookup failed out, caches nothing, and tries again next time', async () => {
    const cache = new MemoryNameCache();
    const slack: Record<string, string | Error> = { U0E2EMEM1: new Error('users.info: HTTP 503') };
    const lookup = lookups(slack);
    const people = new CachedPeopleDirectory({ cache, lookups: lookup, logger });
    expect(await people.namesOf(['U0E2EMEM1'])).toEqual({});
    expect(cache.writes).toEqual([]);
    expect(logs.at(-1)).toBe('names: Slack lookup failed; showing the id');
    slack.U0E2EMEM1 = 'Ana Lima';
    expect(await people.namesOf(['U0E2EMEM1'])).toEqual({ U0E2EMEM1: 'Ana Lima' });
    expect(lookup.calls).toEqual(['U0E2EMEM1', 'U0E2EMEM1']);
  });

  it('does not wait for a slow lookup: the id now, the name (cached meanwhile) next time', async () => {
    const cache = new MemoryNameCache();
    let answer: (name: string) => void = () => undefined;
    const slow = new Promise<string>((resolve) => (answer = resolve));
    const lookup = lookups({ U0E2EMEM1: slow });
    const people = new CachedPeopleDirectory({ cache, lookups: lookup, logger, waitMs: 10 });
    expect(await people.namesOf(['U0E2EMEM1'])).toEqual({});
    answer('Ana Lima');
    await slow;
    await new Promise((resolve) => setImmediate(resolve));
    expect(cache.entries.get('U0E2EMEM1')).toBe('Ana Lima');
    expect(await people.namesOf(['U0E2EMEM1'])).toEqual({ U0E2EMEM1: 'Ana Lima' });
    expect(lookup.calls).toEqual(['U0E2EMEM1']);
  });

  it('asks once for a person many messages want at the same time', async () => {
    const cache = new MemoryNameCache();
    const lookup = lookups({ U0E2EMEM1: 'Ana Lima' });
    const people = new CachedPeopleDirectory({ cache, lookups: lookup, logger });
    const all = await Promise.all(Array.from({ length: 5 }, () => people.namesOf(['U0E2EMEM1'])));
    expect(all).toEqual(Array.from({ length: 5 }, () => ({ U0E2EMEM1: 'Ana Lima' })));
    expect(lookup.calls).toEqual(['U0E2EMEM1']);
  });

  it('still looks names up when the cache cannot be read, and ignores anything that is not a person id', async () => {
    const cache = new MemoryNameCache();
    cache.failReads = true;
    const lookup = lookups({ U0E2EMEM1: 'Ana Lima' });
    const people = new CachedPeopleDirectory({ cache, lookups: lookup, logger });
    expect(await people.namesOf(['U0E2EMEM1', '<!channel>', 'S0GROUP01', 'zd:x'])).toEqual({ U0E2EMEM1: 'Ana Lima' });
    expect(lookup.calls).toEqual(['U0E2EMEM1']);
  });
});
