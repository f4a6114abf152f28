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
}

export interface ReconcileSummary {
  readonly pages: number;
  readonly seen: number;
  /** Tickets cxloop had not seen at this version: sent through the normal event path. */
  readonly queued: number;
  readonly unreadable: number;
  readonly endOfStream: boolean;
}

/**
 * Catches what missed webhooks would lose: reads Zendesk's incremental ticket export from the
 * saved cursor and feeds every ticket cxloop has not seen at that version into the same event
 * path as a webhook (so it is routed, or its newer state stored). The cursor is saved after each
 * page, so a crash re-reads at most one page.
 */
export async function reconcileTickets(deps: ReconcileDeps): Promise<ReconcileSummary> {
  const saved = await deps.store.getExportCursor();
  let from: { cursor: string } | { startTime: number } = saved !== null ? { cursor: saved } : { startTime: deps.now() - deps.firstRunLookbackMs };
  let pages = 0;
  let seen = 0;
  let queued = 0;
  let unreadable = 0;
  let endOfStream = false;
  while (pages < deps.maxPages && !endOfStream) {
    const page = await deps.zendesk.exportTickets(from);
    pages += 1;
    unreadable += page.skipped;
    for (const snapshot of page.snapshots) {
      seen += 1;
      const known = await deps.store.get(snapshot.id);
      if (known !== null && known.updatedAt >= snapshot.updatedAt) continue;
      const receivedAt = deps.now();
      const outcome = await deps.inbox.accept(
        { key: `rec:${snapshot.id}:${snapshot.updatedAt}`, kind: 'observed', ticketId: snapshot.id, occurredAt: snapshot.updatedAt, actorId: null, snapshot },
        receivedAt,
      );
      if (outcome === 'accepted') queued += 1;
    }
    endOfStream = page.endOfStream;
    if (page.afterCursor !== null) {
      await deps.store.setExportCursor(page.afterCursor);
      from = { cursor: page.afterCursor };
    } else {
      break;
    }
  }
  const summary = { pages, seen, queued, unreadable, endOfStream };
  deps.logger.log(queued > 0 ? 'info' : 'debug', 'reconciliation read the Zendesk export', summary);
  return summary;
}
