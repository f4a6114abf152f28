import type { RedisClient } from './redis-connection.js';
import type { SavedTrainingExport, TrainingExportStore } from '../../app/ports.js';
import type { RedisKeys } from './redis-keys.js';

/** An export left unfinished is forgotten this long after its last page (a later run starts afresh). */
const KEPT_SECONDS = 30 * 86_400;

/** The training export's place in Redis: the saved state as JSON and the exported tickets as a set. */
export class RedisTrainingExportStore implements TrainingExportStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async load(): Promise<{ saved: SavedTrainingExport; exported: Set<number> } | null> {
    const text = await this.redis.get(this.keys.trainingExport);
    if (text === null) return null;
    const saved = JSON.parse(text) as SavedTrainingExport;
    const exported = new Set<number>();
    let cursor = '0';
    do {
      const [next, members] = await this.redis.sscan(this.keys.trainingExported, cursor, 'COUNT', 5_000);
      cursor = next;
      for (const member of members) exported.add(Number(member));
    } while (cursor !== '0');
    return { saved, exported };
  }

  async save(saved: SavedTrainingExport, exported: readonly number[]): Promise<void> {
    const transaction = this.redis.multi().set(this.keys.trainingExport, JSON.stringify(saved), 'EX', KEPT_SECONDS);
    if (exported.length > 0) transaction.sadd(this.keys.trainingExported, ...exported.map(String));
    const replies = await transaction.expire(this.keys.trainingExported, KEPT_SECONDS).exec();
    const failed = replies?.find(([error]) => error !== null);
    if (failed?.[0]) throw failed[0];
  }

  async clear(): Promise<void> {
    await this.redis.del(this.keys.trainingExport, this.keys.trainingExported);
  }
}
