import { createHash, randomFillSync } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { EventInbox } from '../../app/ports.js';
import { InboxUnavailableError } from '../../app/zendesk-api-error.js';
import type { TicketEvent } from '../../core/ticket-event.js';
import { DEDUPE_TTL_MS, JOB_OPTIONS, type EventJob } from '../../app/job-catalogue.js';

/**
 * 22 base64url characters (132 bits of SHA-256) name a delivery: collisions are out of reach, and
 * each of the 24 h dedupe keys (one per webhook, so about one per open loop) is 21 B shorter.
 */
const DEDUPE_ID_LENGTH = 22;
/** A job id's random bytes, and the pool they are taken from (filled at once: see randomJobId). */
const JOB_ID_BYTES = 8;
const POOL_BYTES = 4_096;
let pool = Buffer.alloc(0);
let taken = 0;

/**
 * Stores each verified event as a BullMQ job before the webhook is answered. BullMQ's
 * deduplication (throttle mode: the id is held for DEDUPE_TTL_MS, finished or not) makes a second
 * delivery of the same event a no-op atomically with the add, in one round trip.
 */
export class BullmqEventInbox implements EventInbox {
  constructor(private readonly queue: Queue<EventJob>) {}

  async accept(event: TicketEvent, receivedAt: number): Promise<'accepted' | 'duplicate'> {
    const deduplicationId = createHash('sha256').update(event.key).digest('base64url').slice(0, DEDUPE_ID_LENGTH);
    // A job id of our own: BullMQ answers a deduplicated add with the id of the job already there,
    // so one round trip both stores the event and tells a second delivery apart. 64 random bits
    // (11 characters): with the "e", 12, so the dedupe key's value fits Redis's 32 B allocation.
    const jobId = randomJobId();
    try {
      const job = await this.queue.add('ticket-event', { v: 1, event, receivedAt }, { ...JOB_OPTIONS.events, jobId, deduplication: { id: deduplicationId, ttl: DEDUPE_TTL_MS } });
      return job.id === jobId ? 'accepted' : 'duplicate';
    } catch (error) {
      throw new InboxUnavailableError(`could not store the event in Redis: ${(error as Error).message}`, { cause: error });
    }
  }
}

/**
 * "e" and 64 random bits, taken from a pool of random bytes filled 4 KB at a time: one call to the
 * system's generator per 512 webhooks instead of one each (about 4 % of a web process's CPU under
 * a closed-loop load).
 */
function randomJobId(): string {
  if (taken + JOB_ID_BYTES > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    taken = 0;
  }
  const id = pool.toString('base64url', taken, taken + JOB_ID_BYTES);
  taken += JOB_ID_BYTES;
  return `e${id}`;
}
