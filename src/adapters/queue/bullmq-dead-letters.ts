import { Queue, type Job } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { QUEUE_IDS, QUEUE_NAMES, type QueueId } from '../../app/job-catalogue.js';
import { ticketOf } from '../../app/log-fields.js';

/** A job that failed for good: attempts used up, or a payload that never parses. */
export interface DeadJob {
  readonly queue: string;
  readonly name: string;
  readonly id: string;
  readonly ticketId: number | null;
  /** Epoch milliseconds of the last failure. */
  readonly failedAt: number;
  readonly attempts: number;
  readonly reason: string;
}

/**
 * The dead letters of cxloop's queues are the jobs in each BullMQ queue's failed set: BullMQ puts
 * a job there only once it has failed for good, and keeps it (DEAD_LETTER_KEEP_S) with its payload
 * and the last error. Replaying moves it back to waiting with its attempts reset, so the same
 * worker runs it again (after a deploy that fixed the cause, say).
 */
export class BullmqDeadLetters {
  private readonly queues: ReadonlyMap<QueueId, Queue>;

  constructor(connection: Redis | Cluster, prefix: (queue: string) => string) {
    this.queues = new Map(QUEUE_IDS.map((id) => [id, new Queue(QUEUE_NAMES[id], { connection, prefix: prefix(QUEUE_NAMES[id]) })]));
  }

  /** How many dead letters each queue holds (queues with none included). */
  async counts(): Promise<Record<string, number>> {
    const entries = await Promise.all([...this.queues.values()].map(async (queue) => [queue.name, await queue.getFailedCount()] as const));
    return Object.fromEntries(entries);
  }

  /** The newest `limit` dead letters of each queue, newest first overall. */
  async list(limit: number): Promise<DeadJob[]> {
    const perQueue = await Promise.all([...this.queues.values()].map(async (queue) => (await queue.getFailed(0, limit - 1)).map((job) => deadJobOf(queue.name, job))));
    return perQueue.flat().sort((a, b) => b.failedAt - a.failedAt);
  }

  /** Moves dead letters back to their queue; only `ids` when given. Returns how many were replayed. */
  async replay(ids?: ReadonlySet<string>): Promise<number> {
    let replayed = 0;
    for (const queue of this.queues.values()) {
      for (let start = 0; ; ) {
        const jobs = await queue.getFailed(start, start + 99);
        if (jobs.length === 0) break;
        let moved = 0;
        for (const job of jobs) {
          if (ids !== undefined && !ids.has(job.id ?? '')) continue;
          await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
          moved += 1;
        }
        replayed += moved;
        // A replayed job leaves the failed set: the next page starts where the kept ones end.
        start += jobs.length - moved;
      }
    }
    return replayed;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}

function deadJobOf(queue: string, job: Job): DeadJob {
  return {
    queue,
    name: job.name,
    id: job.id ?? '',
    ticketId: ticketOf(job.data).ticketId ?? null,
    failedAt: job.finishedOn ?? job.processedOn ?? job.timestamp,
    attempts: job.attemptsMade,
    reason: (job.failedReason ?? '').slice(0, 300),
  };
}
