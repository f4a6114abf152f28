import type { Queue } from 'bullmq';
import type { RouteQueue } from '../../app/ports.js';
import type { RouteEntry } from '../../app/write-routes.js';
import type { RoutePlan, TicketFields } from '../../core/routing/route-plan.js';
import { JOB_OPTIONS, routeJobId, type RouteJob } from '../../app/job-catalogue.js';

/** Routing writes as BullMQ jobs with the ticket's id: queueing the same ticket twice is a no-op. */
export class BullmqRouteQueue implements RouteQueue {
  constructor(private readonly queue: Queue<RouteJob>) {}

  async enqueue(plan: RoutePlan): Promise<void> {
    await this.retry({ plan });
  }

  /** Queues a write again after a conflict or a failed batch; `single` keeps it out of batches. */
  async retry(entry: RouteEntry, options: { single?: boolean } = {}): Promise<void> {
    await this.queue.add('route', { v: 1, ...entry, ...(options.single ? { single: true } : {}) }, { ...JOB_OPTIONS.routes, jobId: routeJobId(entry.plan.ticketId) });
  }

  async rebase(ticketId: number, current: TicketFields): Promise<void> {
    const job = await this.queue.getJob(routeJobId(ticketId));
    if (!job || (job.data.current ?? job.data.plan.base).updatedAt >= current.updatedAt) return;
    // Only a write still waiting: a running one has read its data (it re-reads on a 409 anyway).
    if ((await job.getState()) !== 'waiting') return;
    await job.updateData({ ...job.data, current }).catch(() => undefined); // taken into a batch or done meanwhile
  }

  async cancel(ticketId: number): Promise<void> {
    // 0 when the job is active: its writer re-reads the store and skips an overridden ticket.
    await this.queue.remove(routeJobId(ticketId));
  }
}
