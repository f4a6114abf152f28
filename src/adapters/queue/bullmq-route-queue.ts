import type { Queue } from 'bullmq';
import type { RouteEntry } from '../../app/ports.js';
import { JOB_OPTIONS, routeJobId, type RouteJob } from '../../app/job-catalogue.js';

/**
 * Routing writes retried on their own as BullMQ jobs with the ticket's id (queueing the same
 * ticket twice is a no-op): the backlog's writes that failed, or that a batch could not settle.
 */
export class BullmqRouteQueue {
  constructor(private readonly queue: Queue<RouteJob>) {}

  /**
   * `reread`: an earlier attempt may have landed, so the ticket is read before the write is sent.
   * `refused`: Zendesk refused it for good; the job becomes a dead letter with this reason.
   * `backOff`: an attempt just failed, so the first run waits as BullMQ's first retry would.
   */
  async retry(entry: RouteEntry, options: { reread?: boolean; refused?: string; backOff?: boolean } = {}): Promise<void> {
    const data = { v: 1 as const, ...entry, ...(options.reread ? { reread: true } : {}), ...(options.refused !== undefined ? { refused: options.refused } : {}) };
    const delay = options.backOff ? { delay: JOB_OPTIONS.routes.backoff.delay } : {};
    await this.queue.add('route', data, { ...JOB_OPTIONS.routes, ...delay, jobId: routeJobId(entry.plan.ticketId) });
  }
}
