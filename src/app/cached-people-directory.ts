import { isPersonId, zendeskAgentId, type PersonNames } from '../core/loop/person-ref.js';
import type { Logger, NameCache, PeopleDirectory } from './ports.js';

/** How names are looked up: Slack's users.info, Zendesk's Show User. null = no such person. */
export interface PeopleLookups {
  slackName(userId: string): Promise<string | null>;
  zendeskName(agentId: number): Promise<string | null>;
}

export interface CachedPeopleDirectoryOptions {
  readonly cache: NameCache;
  readonly lookups: PeopleLookups;
  readonly logger: Logger;
  /** How long a name found is kept (people rename themselves rarely). */
  readonly ttlMs?: number;
  /** How long "no such person" is kept, so an unknown id is not asked about at every message. */
  readonly missTtlMs?: number;
  /** The longest a message waits for a name; the lookup carries on and fills the cache for the next one. */
  readonly waitMs?: number;
}

export const NAME_TTL_MS = 12 * 3_600_000;
const MISS_TTL_MS = 3_600_000;
const WAIT_MS = 2_000;

/**
 * Names of people for every message cxloop sends: from the shared cache, else looked up (one
 * lookup per person at a time in this process) and cached for `ttlMs`. A lookup that fails or
 * is slow leaves the person out of the answer, so the message shows the id and is still sent:
 * nothing that carries the loop waits on a name or fails for one. Failures are not cached, so the
 * next message tries again.
 */
export class CachedPeopleDirectory implements PeopleDirectory {
  private readonly inFlight = new Map<string, Promise<string | null>>();
  private readonly ttlMs: number;
  private readonly missTtlMs: number;
  private readonly waitMs: number;

  constructor(private readonly options: CachedPeopleDirectoryOptions) {
    this.ttlMs = options.ttlMs ?? NAME_TTL_MS;
    this.missTtlMs = options.missTtlMs ?? MISS_TTL_MS;
    this.waitMs = options.waitMs ?? WAIT_MS;
  }

  async namesOf(people: readonly string[]): Promise<PersonNames> {
    const wanted = [...new Set(people.filter(isPersonId))];
    if (wanted.length === 0) return {};
    const cached = await this.options.cache.get(wanted).catch((error: unknown) => {
      this.options.logger.log('warn', 'names: the name cache could not be read; looking names up', { error: (error as Error).message });
      return new Map<string, string>();
    });
    const names: Record<string, string> = {};
    await Promise.all(
      wanted.map(async (person) => {
        const name = cached.has(person) ? cached.get(person)! : await this.within(this.lookup(person));
        if (name) names[person] = name;
      }),
    );
    return names;
  }

  /** One lookup per person at a time; its answer is cached, a failure only logged (the answer is then null). */
  private lookup(person: string): Promise<string | null> {
    const running = this.inFlight.get(person);
    if (running) return running;
    const agentId = zendeskAgentId(person);
    const { lookups, cache, logger } = this.options;
    const lookup = (agentId === null ? lookups.slackName(person) : lookups.zendeskName(agentId))
      .then(async (found) => {
        const name = found?.trim() ?? '';
        await cache.set(person, name, name === '' ? this.missTtlMs : this.ttlMs).catch((error: unknown) => {
          logger.log('warn', 'names: a name could not be cached', { person, error: (error as Error).message });
        });
        return name === '' ? null : name;
      })
      .catch((error: unknown) => {
        logger.log('warn', `names: ${agentId === null ? 'Slack' : 'Zendesk'} lookup failed; showing the id`, { person, error: (error as Error).message });
        return null;
      })
      .finally(() => this.inFlight.delete(person));
    this.inFlight.set(person, lookup);
    return lookup;
  }

  /** The lookup's answer if it comes within waitMs, else null (the lookup goes on and fills the cache). */
  private async within(lookup: Promise<string | null>): Promise<string | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.waitMs);
      timer.unref?.();
    });
    try {
      return await Promise.race([lookup, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
