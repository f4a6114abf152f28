import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { BullmqEffectQueue } from '../../../src/adapters/queue/bullmq-loop-queues.js';
import { createRedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { QUEUE_NAMES } from '../../../src/app/job-catalogue.js';
import type { Notifier } from '../../../src/app/ports.js';
import type { Effect } from '../../../src/core/loop/loop-types.js';
import { dropPrefix, REDIS_URL, uniquePrefix } from '../../support/zendesk-fixtures.js';

const STATUS: Effect = { type: 'publish_status', stage: 'acknowledged', text: 'Acknowledged by the billing team.', etaAt: null, automatic: true };
const NOTE: Effect = { type: 'zendesk_note', text: 'Acknowledged in Slack by Dana.' };
const REMIND: Effect = { type: 'remind_owner', about: 'update', dueAt: 1_800_000_000_000 };

/**
 * A committed transition's effects (real Redis and BullMQ queues; the notifier is the test's):
 * Slack effects are delivered in the process, and only what the notifier fails on becomes a job,
 * under the id it always had.
 */
describe('effects delivered in the process that committed them', () => {
  const prefix = uniquePrefix();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const keys = createRedisKeys(prefix);
  const effects = new Queue(QUEUE_NAMES.effects, { connection: redis, prefix: keys.queuePrefix(QUEUE_NAMES.effects) });
  const routes = new Queue(QUEUE_NAMES.routes, { connection: redis, prefix: keys.queuePrefix(QUEUE_NAMES.routes) });
  const jobsOf = async (queue: Queue) => (await queue.getJobs(['wait', 'delayed', 'prioritized'])).map((job) => ({ id: job.id, name: job.name, data: job.data as unknown }));

  afterAll(async () => {
    await effects.close();
    await routes.close();
    await dropPrefix(prefix);
    redis.disconnect();
  });

  it('hands Slack effects to the notifier, queues the Zendesk note, and queues what the notifier failed on as its own job', async () => {
    const queue = new BullmqEffectQueue(effects, routes);
    const delivered: [number, Effect['type']][] = [];
    const counted: string[] = [];
    const warnings: string[] = [];
    const notifier: Notifier = {
      notify: async (ticketId, effect) => {
        if (effect.type === 'remind_owner') throw new Error('Redis is busy');
        delivered.push([ticketId, effect.type]);
      },
    };
    queue.deliverInline({ notifier, metrics: { effect: (type) => counted.push(type) }, logger: { log: (level, message) => warnings.push(`${level}: ${message}`) } });

    await queue.enqueue({ ticketId: 7, version: 3, effects: [STATUS, NOTE, REMIND] });

    expect(delivered).toEqual([[7, 'publish_status']]);
    expect(counted).toEqual(['publish_status']);
    expect(warnings).toEqual(['warn: loop effect not delivered; queued for retries']);
    // The failed effect keeps the index it has in the transition: fx-<ticket>-<version>-<index>.
    expect(await jobsOf(effects)).toEqual([{ id: 'fx-7-3-2', name: 'remind_owner', data: { v: 1, ticketId: 7, version: 3, effect: REMIND } }]);
    expect(await jobsOf(routes)).toEqual([{ id: 'note-fx-7-3-1', name: 'note', data: { v: 1, ticketId: 7, body: NOTE.text } }]);
  });

  it("hands a transition's Slack effects to a notifier that takes several at once in one call, and queues only the one it failed on", async () => {
    const queue = new BullmqEffectQueue(effects, routes);
    const calls: Effect['type'][][] = [];
    const notifier: Notifier = {
      notify: async () => {
        throw new Error('notify is not used for several effects');
      },
      notifyAll: async (_ticketId, given) => {
        calls.push(given.map((effect) => effect.type));
        return given.map((effect) => (effect.type === 'remind_owner' ? new Error('Redis is busy') : null));
      },
    };
    const counted: string[] = [];
    queue.deliverInline({ notifier, metrics: { effect: (type) => counted.push(type) }, logger: { log: () => undefined } });
    await queue.enqueue({ ticketId: 9, version: 2, effects: [STATUS, NOTE, REMIND] });
    expect(calls).toEqual([['publish_status', 'remind_owner']]);
    expect(counted).toEqual(['publish_status']);
    expect((await jobsOf(effects)).filter((job) => job.id!.startsWith('fx-9-'))).toEqual([{ id: 'fx-9-2-2', name: 'remind_owner', data: { v: 1, ticketId: 9, version: 2, effect: REMIND } }]);
  });

  it('without a notifier given, every effect is a job', async () => {
    const queue = new BullmqEffectQueue(effects, routes);
    await queue.enqueue({ ticketId: 8, version: 0, effects: [STATUS, REMIND] });
    expect((await jobsOf(effects)).filter((job) => job.id!.startsWith('fx-8-')).map((job) => job.id)).toEqual(expect.arrayContaining(['fx-8-0-0', 'fx-8-0-1']));
  });
});
