import type { RedisClient } from './redis-connection.js';
import type { ModelStore } from '../../app/ports.js';
import type { RedisKeys } from './redis-keys.js';

/** The learned model in two keys: its bytes, and a version string every process polls. */
export class RedisModelStore implements ModelStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  version(): Promise<string | null> {
    return this.redis.get(this.keys.modelVersion);
  }

  async load(): Promise<{ version: string; bytes: Uint8Array } | null> {
    const replies = await this.redis.multi().get(this.keys.modelVersion).getBuffer(this.keys.model).exec();
    const failed = replies?.find(([error]) => error !== null)?.[0];
    if (failed) throw failed;
    const version = replies?.[0]?.[1] as string | null | undefined;
    const bytes = replies?.[1]?.[1] as Buffer | null | undefined;
    if (!version || !bytes) return null;
    return { version, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }

  async save(bytes: Uint8Array, version: string): Promise<void> {
    // One transaction: a reader sees the old pair or the new one, never new bytes under an old version.
    await this.redis.multi().set(this.keys.model, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).set(this.keys.modelVersion, version).exec();
  }

  /** Bytes the stored model takes in Redis (MEMORY USAGE), for the benchmark and doctor. */
  async memoryUsage(): Promise<number | null> {
    return (await this.redis.memory('USAGE', this.keys.model)) as number | null;
  }
}
