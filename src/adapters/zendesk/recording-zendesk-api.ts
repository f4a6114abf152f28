import type { CallRecorder, DryRunPeople, ExportPage, JobStatus, Logger, RequesterView, SurveyResponsePage, ZendeskApi } from '../../app/ports.js';
import { ZendeskApiError } from '../../app/zendesk-api-error.js';
import type { HelpCenterArticle } from '../../core/routing/article-suggestions.js';
import type { RequestedTickets, RequesterProfile } from '../../core/routing/requester-context.js';
import type { TicketUpdate } from '../../core/routing/route-plan.js';
import type { SatisfactionScore, TicketSnapshot } from '../../core/ticket-event.js';
import { describeRequest, requestLine } from './describe-request.js';
import { zendeskRequests, type ZendeskRequest } from './zendesk-requests.js';

/**
 * Dry-run Zendesk: every call cxloop would send goes to the recorder (exact body, plus a summary
 * for people) and is answered as Zendesk would answer a success; reads that need a real account
 * answer "nothing". Without a recorder (benchmarks) only the request line is logged.
 */
export class RecordingZendeskApi implements ZendeskApi {
  /** Ticket ids per recorded update_many job; a dry run is one process, so memory is enough. */
  private readonly jobs = new Map<string, readonly number[]>();

  constructor(
    private readonly logger: Logger,
    private readonly recorder?: CallRecorder,
    /** Agents this dry run knows by name (the demo's people), by Zendesk user id. */
    private readonly agents: Readonly<Record<number, string>> = {},
    /** Tickets this dry run can show (the demo's): what a read of ticket and requester would answer. */
    private readonly requesterViews?: DryRunPeople['requesterView'],
  ) {}

  async addPublicComment(ticketId: number, body: string): Promise<void> {
    this.record(zendeskRequests.addPublicComment(ticketId, body));
  }

  /** Recorded; answered for the tickets the dry run was told about, else "nothing to read". */
  async getRequesterView(ticketId: number): Promise<RequesterView> {
    const request = zendeskRequests.showTicketWithUsers(ticketId);
    const view = this.requesterViews?.(ticketId) ?? null;
    if (view === null) return this.recordRead(request);
    this.record(request);
    return view;
  }

  /** A dry run sent nothing before: no comment can be there already. */
  async hasPublicComment(): Promise<boolean> {
    return false;
  }

  async currentUserId(): Promise<null> {
    return null;
  }

  async getTicket(ticketId: number): Promise<TicketSnapshot> {
    this.record(zendeskRequests.showTicket(ticketId));
    throw new ZendeskApiError('NOT_FOUND', `dry-run: ticket ${ticketId} cannot be read without a Zendesk account`);
  }

  async satisfactionOf(ticketId: number): Promise<SatisfactionScore | null> {
    this.record(zendeskRequests.showTicket(ticketId));
    throw new ZendeskApiError('NOT_FOUND', `dry-run: the rating of ticket ${ticketId} cannot be read without a Zendesk account`);
  }

  async getTickets(ticketIds: readonly number[]): Promise<TicketSnapshot[]> {
    this.record(zendeskRequests.showTickets(ticketIds));
    return [];
  }

  async updateTicket(update: TicketUpdate): Promise<void> {
    this.record(zendeskRequests.updateTicket(update));
  }

  async updateMany(updates: readonly TicketUpdate[]): Promise<string> {
    this.record(zendeskRequests.updateMany(updates));
    const jobId = `dry-run-${this.jobs.size + 1}`;
    this.jobs.set(
      jobId,
      updates.map((update) => update.ticketId),
    );
    return jobId;
  }

  async addInternalNote(ticketId: number, body: string): Promise<void> {
    this.record(zendeskRequests.addInternalNote(ticketId, body));
  }

  /** A dry run reads no account: only the agents it was told about have a name (others show as ids). Not recorded: a read. */
  async userName(userId: number): Promise<string | null> {
    return this.agents[userId] ?? null;
  }

  async getJobStatus(jobId: string): Promise<JobStatus> {
    const ids = this.jobs.get(jobId) ?? [];
    this.jobs.delete(jobId);
    return { status: 'completed', results: ids.map((ticketId) => ({ ticketId, success: true })) };
  }

  /** The optional reads of on_routing actions: recorded, and answered that a dry run has nothing to read. */
  async getRequester(userId: number): Promise<RequesterProfile> {
    return this.recordRead(zendeskRequests.showRequester(userId));
  }

  async getRequestedTickets(userId: number, perPage: number): Promise<RequestedTickets> {
    return this.recordRead(zendeskRequests.requestedTickets(userId, perPage));
  }

  async searchArticles(query: string, locale: string | null, perPage: number): Promise<HelpCenterArticle[]> {
    return this.recordRead(zendeskRequests.searchArticles(query, locale, perPage));
  }

  private recordRead(request: ZendeskRequest): never {
    this.record(request);
    throw new ZendeskApiError('DRY_RUN', `dry-run: ${requestLine(request)} recorded, not sent (no Zendesk account to read from)`);
  }

  async exportTickets(): Promise<ExportPage> {
    return { snapshots: [], skipped: 0, afterCursor: null, endOfStream: true };
  }

  async exportSurveyResponses(): Promise<SurveyResponsePage> {
    return { responses: [], unreadable: 0, nextStartTime: null, endOfStream: true };
  }

  private record(request: ZendeskRequest): void {
    const call = requestLine(request);
    this.logger.log(this.recorder ? 'debug' : 'info', 'dry-run: Zendesk call recorded, not sent', { request: call });
    this.recorder?.record({ system: 'zendesk', call, request: { method: request.method, path: `/api/v2/${request.path.join('/')}.json`, ...(request.query ? { query: request.query } : {}), ...(request.body === undefined ? {} : { body: request.body }) }, summary: describeRequest(request) });
  }
}
