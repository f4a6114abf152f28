import { taggedCategory } from '../core/routing/detect-override.js';
import { planTicketUpdate, type RoutePlan, type TicketFields } from '../core/routing/route-plan.js';
import { categoryTag, type TicketSnapshot } from '../core/ticket-event.js';
import type { Logger, TicketStore, ZendeskApi } from './ports.js';
import { isZendeskError, ZendeskApiError } from './zendesk-api-error.js';

export interface RouteWriterDeps {
  readonly zendesk: ZendeskApi;
  readonly store: TicketStore;
  readonly logger: Logger;
  readonly now: () => number;
  /** Called when a routing write leaves for Zendesk (routing latency = sentAt - plan.receivedAt). */
  readonly onSent?: (plans: readonly RoutePlan[], sentAt: number) => void;
}

export type WriteOutcome = 'written' | 'already_routed' | 'overridden' | 'skipped';

/** Re-reads after a 409 at most this many times before leaving the retry to the queue. */
const CONFLICT_ROUNDS = 3;

/**
 * Routes one ticket with one Update Ticket call. safe_update makes Zendesk refuse (409) if the
 * ticket changed since it was read; then it is re-read and the plan re-applied to the fresh
 * ticket, keeping whatever the other writer did.
 */
export async function writeRoute(plan: RoutePlan, deps: RouteWriterDeps): Promise<WriteOutcome> {
  if (!(await isStillPending(plan, deps))) return 'skipped';
  let current: TicketFields = plan.base;
  for (let round = 0; round < CONFLICT_ROUNDS; round += 1) {
    try {
      if (round === 0) deps.onSent?.([plan], deps.now());
      await deps.zendesk.updateTicket(planTicketUpdate(plan, current));
      await deps.store.markRouted(plan.ticketId, deps.now());
      return 'written';
    } catch (error) {
      if (!isZendeskError(error, 'CONFLICT')) throw error;
    }
    const fresh = await deps.zendesk.getTicket(plan.ticketId);
    const settled = await settleAgainst(plan, fresh, deps);
    if (settled !== null) return settled;
    current = { tags: fresh.tags, groupId: fresh.groupId, priority: fresh.priority, updatedAt: fresh.updatedAt };
  }
  throw new ZendeskApiError('CONFLICT', `ticket ${plan.ticketId} kept changing during ${CONFLICT_ROUNDS} attempts; retrying later`);
}

/**
 * Sends many routing writes as one update_many call (each ticket its own changes, each with
 * safe_update). Returns the Zendesk job id to settle later, or null when none still needed writing.
 */
export async function sendRouteBatch(plans: readonly RoutePlan[], deps: RouteWriterDeps): Promise<{ jobId: string; sent: RoutePlan[] } | null> {
  const pending = await Promise.all(plans.map(async (plan) => ((await isStillPending(plan, deps)) ? plan : null)));
  const sent = pending.filter((plan): plan is RoutePlan => plan !== null);
  if (sent.length === 0) return null;
  deps.onSent?.(sent, deps.now());
  const jobId = await deps.zendesk.updateMany(sent.map((plan) => planTicketUpdate(plan, plan.base)));
  return { jobId, sent };
}

/**
 * Reads an update_many job's per-ticket results. Succeeded tickets are routed; the others (a
 * conflict, a failure, no result) come back to be written one by one, which re-reads on 409.
 */
export async function settleRouteBatch(
  jobId: string,
  plans: readonly RoutePlan[],
  deps: RouteWriterDeps,
): Promise<{ finished: false } | { finished: true; routed: number; retry: RoutePlan[] }> {
  const job = await deps.zendesk.getJobStatus(jobId);
  if (job.status === 'queued' || job.status === 'working') return { finished: false };
  const succeeded = new Set(job.status === 'completed' ? job.results.filter((result) => result.success).map((result) => result.ticketId) : []);
  const now = deps.now();
  const retry: RoutePlan[] = [];
  for (const plan of plans) {
    if (succeeded.has(plan.ticketId)) await deps.store.markRouted(plan.ticketId, now);
    else retry.push(plan);
  }
  if (retry.length > 0) {
    const errors = [...new Set(job.results.filter((result) => !result.success).map((result) => result.error ?? 'failed'))];
    deps.logger.log('warn', 'update_many left tickets unrouted; writing them one by one', { jobId, status: job.status, tickets: retry.length, errors });
  }
  return { finished: true, routed: plans.length - retry.length, retry };
}

async function isStillPending(plan: RoutePlan, deps: RouteWriterDeps): Promise<boolean> {
  const record = await deps.store.get(plan.ticketId);
  return record !== null && !record.overridden && record.routing?.status === 'pending';
}

/** After a 409: did our earlier write land (its answer lost), or did an agent set a category? */
async function settleAgainst(plan: RoutePlan, fresh: TicketSnapshot, deps: RouteWriterDeps): Promise<WriteOutcome | null> {
  if (fresh.tags.includes(categoryTag(plan.category))) {
    await deps.store.markRouted(plan.ticketId, deps.now());
    return 'already_routed';
  }
  const agentCategory = taggedCategory(fresh.tags);
  if (agentCategory !== null) {
    await deps.store.recordOverride({
      ticketId: plan.ticketId,
      override: { field: 'category', from: plan.category, to: agentCategory },
      actorId: null,
      at: fresh.updatedAt,
    });
    return 'overridden';
  }
  return null;
}
