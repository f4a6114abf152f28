import { taggedCategory } from '../core/routing/detect-override.js';
import { planTicketUpdate, ticketFieldsOf, type RoutePlan, type TicketFields } from '../core/routing/route-plan.js';
import { categoryTag, type TicketSnapshot } from '../core/ticket-event.js';
import { ZENDESK_BULK_LIMIT, type Logger, type RouteEntry, type TicketStore, type ZendeskApi } from './ports.js';

export type { RouteEntry };
import { isZendeskError, ZendeskApiError } from './zendesk-api-error.js';

export interface RouteWriterDeps {
  readonly zendesk: ZendeskApi;
  readonly store: TicketStore;
  readonly logger: Logger;
  readonly now: () => number;
  /** Called once Zendesk took a routing write, with when it left (routing latency = sentAt - plan.receivedAt). */
  readonly onSent?: (plans: readonly RoutePlan[], sentAt: number) => void;
}

export type WriteOutcome = 'written' | 'already_routed' | 'overridden' | 'skipped';

/** Re-reads after a 409 at most this many times before leaving the retry to the queue. */
const CONFLICT_ROUNDS = 3;

export interface WriteRouteOptions {
  /** The ticket as last read (after an earlier conflict); default: as classified. */
  readonly lastRead?: TicketFields;
  /**
   * An earlier attempt failed without an answer (5xx, timeout): it may have landed. Read the
   * ticket first (reads cost no Update Ticket budget) instead of spending a call on a 409.
   */
  readonly reread?: boolean;
  /** Keeps a fresh read for the next attempt, should this one stop before writing (budget spent, 429). */
  readonly onReread?: (fields: TicketFields) => Promise<void>;
}

/**
 * Routes one ticket with one Update Ticket call. safe_update makes Zendesk refuse (409) if the
 * ticket changed since it was read; then it is re-read and the plan re-applied to the fresh
 * ticket, keeping whatever the other writer did.
 */
export async function writeRoute(plan: RoutePlan, deps: RouteWriterDeps, options: WriteRouteOptions = {}): Promise<WriteOutcome> {
  if (!(await isStillPending(plan, deps))) return 'skipped';
  let current: TicketFields = options.lastRead ?? plan.base;
  if (options.reread) {
    const fresh = await deps.zendesk.getTicket(plan.ticketId);
    const settled = await settleAgainst(plan, fresh, deps);
    if (settled !== null) return settled;
    current = ticketFieldsOf(fresh);
    await options.onReread?.(current);
  }
  for (let round = 0; round < CONFLICT_ROUNDS; round += 1) {
    try {
      const sentAt = deps.now();
      await deps.zendesk.updateTicket(planTicketUpdate(plan, current));
      deps.onSent?.([plan], sentAt);
      await deps.store.markRouted(plan.ticketId, current.updatedAt);
      return 'written';
    } catch (error) {
      if (!isZendeskError(error, 'CONFLICT')) throw error;
    }
    const fresh = await deps.zendesk.getTicket(plan.ticketId);
    const settled = await settleAgainst(plan, fresh, deps);
    if (settled !== null) return settled;
    current = ticketFieldsOf(fresh);
    await options.onReread?.(current);
  }
  throw new ZendeskApiError('CONFLICT', `ticket ${plan.ticketId} kept changing during ${CONFLICT_ROUNDS} attempts; retrying later`);
}

/**
 * Sends many routing writes as one update_many call (each ticket its own changes, each with
 * safe_update). Returns the Zendesk job id to settle later, or null when none still needed writing.
 */
export async function sendRouteBatch(entries: readonly RouteEntry[], deps: RouteWriterDeps): Promise<{ jobId: string; sent: RouteEntry[] } | null> {
  const pending = await Promise.all(entries.map(async (entry) => ((await isStillPending(entry.plan, deps)) ? entry : null)));
  const sent = pending.filter((entry): entry is RouteEntry => entry !== null);
  if (sent.length === 0) return null;
  const sentAt = deps.now();
  const jobId = await deps.zendesk.updateMany(sent.map((entry) => planTicketUpdate(entry.plan, entry.current ?? entry.plan.base)));
  deps.onSent?.(
    sent.filter((entry) => entry.round === undefined).map((entry) => entry.plan),
    sentAt,
  );
  return { jobId, sent };
}

/**
 * Entries whose batch write conflicted (the ticket changed since it was read), re-read in bulk
 * with show_many: reads do not spend the Update Ticket budget, and re-batching keeps a burst from
 * falling back to one call (two, with the 409) per ticket. Tickets already routed or re-categorised
 * by an agent are settled here; deleted ones are dropped.
 */
export async function rebaseConflicts(entries: readonly RouteEntry[], deps: RouteWriterDeps): Promise<RouteEntry[]> {
  const fresh = new Map<number, TicketSnapshot>();
  for (let start = 0; start < entries.length; start += ZENDESK_BULK_LIMIT) {
    const chunk = entries.slice(start, start + ZENDESK_BULK_LIMIT).map((entry) => entry.plan.ticketId);
    for (const snapshot of await deps.zendesk.getTickets(chunk)) fresh.set(snapshot.id, snapshot);
  }
  const rebased: RouteEntry[] = [];
  for (const entry of entries) {
    const ticket = fresh.get(entry.plan.ticketId);
    if (ticket === undefined) {
      deps.logger.log('warn', 'ticket vanished before it could be routed', { ticketId: entry.plan.ticketId });
      continue;
    }
    if ((await settleAgainst(entry.plan, ticket, deps)) !== null) continue;
    rebased.push({ plan: entry.plan, current: ticketFieldsOf(ticket), round: (entry.round ?? 0) + 1 });
  }
  return rebased;
}

/**
 * Reads an update_many job's per-ticket results. Succeeded tickets are routed; the others (a
 * conflict, a failure, no result) come back to be retried.
 */
export async function settleRouteBatch(
  jobId: string,
  entries: readonly RouteEntry[],
  deps: RouteWriterDeps,
): Promise<{ finished: false } | { finished: true; routed: number; retry: RouteEntry[] }> {
  const job = await deps.zendesk.getJobStatus(jobId);
  if (job.status === 'queued' || job.status === 'working') return { finished: false };
  const succeeded = new Set(job.status === 'completed' ? job.results.filter((result) => result.success).map((result) => result.ticketId) : []);
  const retry = entries.filter((entry) => !succeeded.has(entry.plan.ticketId));
  await deps.store.markAllRouted(
    entries.filter((entry) => succeeded.has(entry.plan.ticketId)).map((entry) => ({ ticketId: entry.plan.ticketId, writtenOver: (entry.current ?? entry.plan.base).updatedAt })),
  );
  if (retry.length > 0) {
    const errors = [...new Set(job.results.filter((result) => !result.success).map((result) => result.error ?? 'failed'))];
    deps.logger.log('info', 'update_many left tickets unrouted; retrying them', { jobId, status: job.status, tickets: retry.length, errors });
  }
  return { finished: true, routed: entries.length - retry.length, retry };
}

async function isStillPending(plan: RoutePlan, deps: RouteWriterDeps): Promise<boolean> {
  const record = await deps.store.get(plan.ticketId);
  return record !== null && !record.overridden && record.routing?.status === 'pending';
}

/** After a 409: did our earlier write land (its answer lost), did an agent set a category, or is the routing no longer ours to write? */
async function settleAgainst(plan: RoutePlan, fresh: TicketSnapshot, deps: RouteWriterDeps): Promise<WriteOutcome | null> {
  if (fresh.tags.includes(categoryTag(plan.category))) {
    // Which version the earlier write was made on is unknown: every snapshot older than this one counts as before it.
    await deps.store.markRouted(plan.ticketId, fresh.updatedAt - 1);
    return 'already_routed';
  }
  const agentCategory = taggedCategory(fresh.tags);
  if (agentCategory !== null) {
    await deps.store.recordOverride({
      ticketId: plan.ticketId,
      override: { field: 'category', from: plan.category, to: agentCategory },
      actorId: null,
      at: fresh.updatedAt,
      text: { subject: fresh.subject, description: fresh.description },
    });
    return 'overridden';
  }
  // Meanwhile an agent's change reached cxloop as an event (a group moved, say: the re-read ticket
  // shows it, and writing on it would undo it), or another attempt routed the ticket.
  if (!(await isStillPending(plan, deps))) return 'skipped';
  return null;
}
