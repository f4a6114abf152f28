import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { RedisModelStore } from '../../../src/adapters/redis/redis-model-store.js';
import { createLearnedClassifier } from '../../../src/app/create-classifier.js';
import type { LogLevel } from '../../../src/app/ports.js';
import { ReloadingClassifier } from '../../../src/app/reloading-classifier.js';
import { trainModel } from '../../../src/app/train-model.js';
import { defaultClassifier } from '../../support/default-classifier.js';
import { makeTickets } from '../../support/labeled-tickets.js';
import { dropPrefix, uniquePrefix } from '../../support/zendesk-fixtures.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const jargon = { subject: 'zorblat again', description: 'the kwix digest has blorp wording' };

/** A model of `prefix` with the combination on for every category it learnt. */
function trainedFor(prefix: string, trainedAt: string, seed: number): { bytes: Uint8Array; version: string } {
  const run = trainModel(makeTickets(30, { seed }), defaultClassifier, { install: { zendesk: null, prefix }, trainedAt, folds: 3, seed: 1 });
  return { bytes: run.bytes, version: run.model.meta.fingerprint };
}

describe('the learned model in Redis', () => {
  let prefix: string;
  let writer: Redis;
  let reader: Redis;
  beforeEach(() => {
    prefix = uniquePrefix();
    writer = new Redis(REDIS_URL);
    reader = new Redis(REDIS_URL);
  });
  afterEach(async () => {
    writer.disconnect();
    reader.disconnect();
    await dropPrefix(prefix);
  });

  /** What another cxloop process would build: its own connection, its own classifier, an injected clock. */
  function process2(now: { value: number }, logs: Array<{ level: LogLevel; message: string }>, install = { zendesk: null, prefix }): ReloadingClassifier {
    return new ReloadingClassifier({
      rules: defaultClassifier,
      store: new RedisModelStore(reader, createRedisKeys(prefix)),
      install,
      logger: { log: (level, message) => logs.push({ level, message }) },
      now: () => now.value,
      checkEveryMs: 10_000,
    });
  }

  it('is loaded by another process, and a newer one is picked up at the next version check without a restart', async () => {
    const keys = createRedisKeys(prefix);
    const store = new RedisModelStore(writer, keys);
    const now = { value: 1_000_000 };
    const logs: Array<{ level: LogLevel; message: string }> = [];
    const other = process2(now, logs);

    // Nothing stored: the rules alone.
    expect(await other.classify(jargon)).toEqual(defaultClassifier.classify(jargon));
    expect(other.learned).toBeNull();

    const first = trainedFor(prefix, '2026-12-01T10:00:00.000Z', 1);
    await store.save(first.bytes, first.version);
    expect(await writer.get(keys.modelVersion)).toBe(first.version);
    expect((await writer.getBuffer(keys.model))?.equals(first.bytes)).toBe(true);
    // Within the check interval the process has not looked yet.
    now.value += 9_999;
    expect((await other.classify(jargon)).learned).toBeUndefined();
    now.value += 1;
    const learned = await other.classify(jargon);
    expect(other.learned?.model.meta.fingerprint).toBe(first.version);
    expect(logs).toContainEqual({ level: 'info', message: 'learned model loaded' });

    const second = trainedFor(prefix, '2026-12-02T10:00:00.000Z', 2);
    await store.save(second.bytes, second.version);
    now.value += 10_000;
    await other.classify(jargon);
    expect(other.learned?.model.meta.fingerprint).toBe(second.version);
    expect(other.learned?.model.meta.trainedAt).toBe('2026-12-02T10:00:00.000Z');
    // What it decided with the first model is what that model decides in this process.
    expect(learned).toEqual(createLearnedClassifier(defaultClassifier, first.bytes, { zendesk: null, prefix }).classify(jargon));
  });

  it("refuses another install's model with a warning naming both, and the rules decide", async () => {
    const stranger = trainedFor('someone-else', '2026-12-01T10:00:00.000Z', 1);
    await new RedisModelStore(writer, createRedisKeys(prefix)).save(stranger.bytes, stranger.version);
    const logs: Array<{ level: LogLevel; message: string }> = [];
    const other = process2({ value: 0 }, logs);
    expect(await other.classify(jargon)).toEqual(defaultClassifier.classify(jargon));
    expect(other.learned).toBeNull();
    expect(logs).toContainEqual({
      level: 'warn',
      message: `stored learned model refused, the rules decide alone: the model was trained for another install: no Zendesk account (Redis prefix "someone-else"), this is no Zendesk account (Redis prefix "${prefix}"); a model learns one account's tickets, so train one here with \`cxloop train\``,
    });
  });
});
