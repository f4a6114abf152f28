import type { ExportPage, JobStatus, RequesterView, SurveyResponsePage, UpdateBudget, ZendeskApi } from './ports.js';
import type { HelpCenterArticle } from '../core/routing/article-suggestions.js';
import type { RequestedTickets, RequesterProfile } from '../core/routing/requester-context.js';
import type { TicketUpdate } from '../core/routing/route-plan.js';
import type { SatisfactionScore, TicketSnapshot } from '../core/ticket-event.js';
import { isZendeskError, ZendeskApiError } from './zendesk-api-error.js';

/**
 * A ZendeskApi whose Update Ticket calls (updateTicket, updateMany, addInternalNote, addPublicComment) each spend
 * one call of the shared budget before they leave (counted from their answer on), whoever makes
 * them and however often they are retried; a call the budget cannot pay for is not sent (BUDGET_SPENT). A 429 from Zendesk holds
 * every process's calls until its Retry-After has passed. Reads go through untouched.
 */
export class BudgetedZendeskApi implements ZendeskApi {
  constructor(
    private readonly zendesk: ZendeskApi,
    private readonly budget: UpdateBudget,
    private readonly now: () => number,
  ) {}

  currentUserId(): Promise<number | null> {
    return this.zendesk.currentUserId();
  }

  getTicket(ticketId: number): Promise<TicketSnapshot> {
    return this.zendesk.getTicket(ticketId);
  }

  getTickets(ticketIds: readonly number[]): Promise<TicketSnapshot[]> {
    return this.zendesk.getTickets(ticketIds);
  }

  getJobStatus(jobId: string): Promise<JobStatus> {
    return this.zendesk.getJobStatus(jobId);
  }

  exportTickets(from: { cursor: string } | { startTime: number }): Promise<ExportPage> {
    return this.zendesk.exportTickets(from);
  }

  exportSurveyResponses(startTime: number): Promise<SurveyResponsePage> {
    return this.zendesk.exportSurveyResponses(startTime);
  }

  satisfactionOf(ticketId: number): Promise<SatisfactionScore | null> {
    return this.zendesk.satisfactionOf(ticketId);
  }

  // The on_routing reads have a budget of their own (ZENDESK_READS_PER_MINUTE, RedisReadBudget).
  getRequester(userId: number): Promise<RequesterProfile> {
    return this.zendesk.getRequester(userId);
  }

  getRequestedTickets(userId: number, perPage: number): Promise<RequestedTickets> {
    return this.zendesk.getRequestedTickets(userId, perPage);
  }

  searchArticles(query: string, locale: string | null, perPage: number): Promise<HelpCenterArticle[]> {
    return this.zendesk.searchArticles(query, locale, perPage);
  }

  // Names are cached for hours (CachedPeopleDirectory): a handful of reads, outside both budgets.
  userName(userId: number): Promise<string | null> {
    return this.zendesk.userName(userId);
  }

  updateTicket(update: TicketUpdate): Promise<void> {
    return this.spend(() => this.zendesk.updateTicket(update));
  }

  updateMany(updates: readonly TicketUpdate[]): Promise<string> {
    return this.spend(() => this.zendesk.updateMany(updates));
  }

  addInternalNote(ticketId: number, body: string): Promise<void> {
    return this.spend(() => this.zendesk.addInternalNote(ticketId, body));
  }

  addPublicComment(ticketId: number, body: string): Promise<void> {
    return this.spend(() => this.zendesk.addPublicComment(ticketId, body));
  }

  getRequesterView(ticketId: number): Promise<RequesterView> {
    return this.zendesk.getRequesterView(ticketId);
  }

  hasPublicComment(ticketId: number, body: string): Promise<boolean> {
    return this.zendesk.hasPublicComment(ticketId, body);
  }

  private async spend<T>(call: () => Promise<T>): Promise<T> {
    const grant = await this.budget.take();
    if (!grant.granted) {
      throw new ZendeskApiError('BUDGET_SPENT', `Update Ticket budget spent; next call in ${Math.ceil(grant.retryAfterMs / 1000)} s`, { retryAfterMs: grant.retryAfterMs });
    }
    try {
      return await call();
    } catch (error) {
      if (isZendeskError(error, 'RATE_LIMITED')) await this.budget.holdUntil(this.now() + (error.details.retryAfterMs ?? 60_000));
      throw error;
    } finally {
      await this.budget.answered(grant);
    }
  }
}
