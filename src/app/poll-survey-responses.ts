import type { EventInbox, Logger, TicketStore, ZendeskApi } from './ports.js';

export interface SurveyPollDeps {
  readonly zendesk: Pick<ZendeskApi, 'exportSurveyResponses'>;
  readonly store: Pick<TicketStore, 'getSurveyCursor' | 'setSurveyCursor'>;
  readonly inbox: EventInbox;
  readonly logger: Logger;
  readonly now: () => number;
  /** Where the very first run starts reading (no saved start time yet). */
  readonly firstRunLookbackMs: number;
  /** Pages per run: the incremental exports share 10 requests/min with reconciliation. */
  readonly maxPages: number;
}

export interface SurveyPollSummary {
  readonly pages: number;
  readonly found: number;
  /** Responses not seen before: sent through the normal event path. */
  readonly queued: number;
  readonly unreadable: number;
}

/** The export leaves out the latest minute; asking for it only returns an error. */
const NEWEST_READABLE_MS = 60_000;

/**
 * Zendesk's current CSAT: survey responses are ticket audit events, not webhook events, so they
 * are read from the incremental ticket event export, from the saved start time, and fed into the
 * same event path as a webhook (each once: its key is the audit event's). The start time is saved
 * after each page, so a crash re-reads at most one page, whose responses are then duplicates.
 */
export async function pollSurveyResponses(deps: SurveyPollDeps): Promise<SurveyPollSummary> {
  const newest = deps.now() - NEWEST_READABLE_MS;
  let startTime = Math.min((await deps.store.getSurveyCursor()) ?? deps.now() - deps.firstRunLookbackMs, newest);
  let pages = 0;
  let found = 0;
  let queued = 0;
  let unreadable = 0;
  while (pages < deps.maxPages) {
    const page = await deps.zendesk.exportSurveyResponses(startTime);
    pages += 1;
    unreadable += page.unreadable;
    for (const response of page.responses) {
      found += 1;
      const event = { key: response.key, kind: 'satisfaction_rated', ticketId: response.ticketId, occurredAt: response.occurredAt, score: null, comment: response.comment, source: 'survey', rating: response.rating } as const;
      if ((await deps.inbox.accept(event, deps.now())) === 'accepted') queued += 1;
    }
    // A page that ends where it started would be read forever: stop and come back next run.
    if (page.nextStartTime === null || page.nextStartTime <= startTime) break;
    startTime = Math.min(page.nextStartTime, newest);
    await deps.store.setSurveyCursor(startTime);
    if (page.endOfStream) break;
  }
  if (unreadable > 0) {
    deps.logger.log('warn', 'survey responses without a readable rating were left out: the ticket event export shows them in a form cxloop does not know', { unreadable });
  }
  const summary = { pages, found, queued, unreadable };
  deps.logger.log(queued > 0 ? 'info' : 'debug', 'read survey responses from the Zendesk ticket event export', summary);
  return summary;
}
