import type { TicketSnapshot } from '../core/ticket-event.js';
import type { EventInbox, Logger, TicketStore, ZendeskApi } from './ports.js';

export interface ReconcileDeps {
  readonly zendesk: Pick<ZendeskApi, 'exportTickets'>;
  readonly store: TicketStore;
  readonly inbox: EventInbox;
  readonly logger: Logger;
  readonly now: () => number;
  /** Where the very first run starts reading (no saved cursor yet). */
  readonly firstRunLookbackMs: number;
  /** Pages per run: the incremental export allows 10 requests/min. */
  readonly maxPages: number;
  /**
   * A ticket updated less than this long before the run is not taken for a missed webhook yet: its
   * webhook is most likely queued behind a burst. It is looked at again from then on, at the next
   * run, and sent on only if cxloop still has not seen that version (default RECHECK_AFTER_MS).
   */
  readonly recheckAfterMs?: number;
}

/** Zendesk delivers a webhook within seconds; two minutes leave a burst's queue time to drain. */
export const RECHECK_AFTER_MS = 2 * 60_000;
/** Deferred tickets looked at again per run at most (the rest wait for the next run). */
const RECHECKS_PER_RUN = 5_000;

export interface ReconcileSummary {
  readonly pages: number;
  readonly seen: number;
  /** Tickets cxloop had not seen at this version: sent through the normal event path. */
  readonly queued: number;
  /** Read too soon after their update: kept to be looked at again (see recheckAfterMs). */
  readonly deferred: number;
  /** Kept by an earlier run and looked at again now (those still unseen are among `queued`). */
  readonly rechecked: number;
  readonly unreadable: number;
  readonly endOfStream: boolean;
}

/**
 * Catches what missed webhooks would lose: reads Zendesk's incremental ticket export from the
 * saved cursor and feeds every ticket cxloop has not seen at that version into the same event
 * path as a webhook (so it is routed, or its newer state stored). The cursor is saved after each
 * page, so a crash re-reads at most one page. A ticket updated just before the run is kept and
 * looked at again a run later rather than sent at once: during a burst its webhook is still in
 * the queue, and sending the export's copy too would double the work when there is most of it.
 */
export async function reconcileTickets(deps: ReconcileDeps): Promise<ReconcileSummary> {
  const recheckAfterMs = deps.recheckAfterMs ?? RECHECK_AFTER_MS;
  const due = await deps.store.dueObservations(deps.now(), RECHECKS_PER_RUN);
  let queued = 0;
  for (const { snapshot } of due) if ((await observeIfUnseen(snapshot, deps)) === 'accepted') queued += 1;
  await deps.store.dropObservations(due.map(({ handle }) => handle));
  const saved = await deps.store.getExportCursor();
  let from: { cursor: string } | { startTime: number } = saved !== null ? { cursor: saved } : { startTime: deps.now() - deps.firstRunLookbackMs };
  let pages = 0;
  let seen = 0;
  let deferred = 0;
  let unreadable = 0;
  let endOfStream = false;
  while (pages < deps.maxPages && !endOfStream) {
    const page = await deps.zendesk.exportTickets(from);
    pages += 1;
    unreadable += page.skipped;
    for (const snapshot of page.snapshots) {
      seen += 1;
      if (deps.now() - snapshot.updatedAt < recheckAfterMs) {
        if (!(await seenAlready(snapshot, deps))) {
          await deps.store.deferObservation(snapshot, snapshot.updatedAt + recheckAfterMs);
          deferred += 1;
        }
        continue;
      }
      if ((await observeIfUnseen(snapshot, deps)) === 'accepted') queued += 1;
    }
    endOfStream = page.endOfStream;
    if (page.afterCursor !== null) {
      await deps.store.setExportCursor(page.afterCursor);
      from = { cursor: page.afterCursor };
    } else {
      break;
    }
  }
  const summary = { pages, seen, queued, deferred, rechecked: due.length, unreadable, endOfStream };
  deps.logger.log(queued > 0 ? 'info' : 'debug', 'reconciliation read the Zendesk export', summary);
  return summary;
}

async function seenAlready(snapshot: TicketSnapshot, deps: ReconcileDeps): Promise<boolean> {
  const known = await deps.store.get(snapshot.id);
  return known !== null && known.updatedAt >= snapshot.updatedAt;
}

/** Sends a ticket version cxloop has not seen through the event path, as a webhook would have. */
async function observeIfUnseen(snapshot: TicketSnapshot, deps: ReconcileDeps): Promise<'accepted' | 'duplicate' | 'seen'> {
  if (await seenAlready(snapshot, deps)) return 'seen';
  return deps.inbox.accept({ key: `rec:${snapshot.id}:${snapshot.updatedAt}`, kind: 'observed', ticketId: snapshot.id, occurredAt: snapshot.updatedAt, actorId: null, snapshot }, deps.now());
}
