// node-zendesk is CommonJS: Node's ESM loader cannot see its named exports, only the default.
import nodeZendesk from 'node-zendesk';
import { parseRetryAfter } from '../../app/http-route.js';
import { ZENDESK_BULK_LIMIT, type ExportPage, type JobStatus, type RequesterView, type SurveyResponsePage, type TrainingExportPage, type ZendeskApi, type ZendeskTrainingExport } from '../../app/ports.js';
import { isZendeskError, ZendeskApiError } from '../../app/zendesk-api-error.js';
import type { HelpCenterArticle } from '../../core/routing/article-suggestions.js';
import type { RequestedTickets, RequesterProfile } from '../../core/routing/requester-context.js';
import type { TicketUpdate } from '../../core/routing/route-plan.js';
import type { SatisfactionScore, TicketSnapshot } from '../../core/ticket-event.js';
import { surveyResponsesOfPage } from './parse-survey-responses.js';
import { parseTrainingExportPage } from './parse-training-export.js';
import { satisfactionFromRestTicket, snapshotFromRestTicket } from './parse-webhook.js';
import type { ZendeskAuth } from './zendesk-auth.js';
import { requestUrl, zendeskRequests, type ZendeskRequest } from './zendesk-requests.js';

/** Timeout of the reads on_routing actions make before the routing write (they are skipped when Zendesk is slow). */
export const QUICK_READ_TIMEOUT_MS = 5_000;

export interface NodeZendeskApiOptions {
  /** https://<subdomain>.zendesk.com, or ZENDESK_API_URL (a fake or a proxy): see zendeskBaseUrl(). */
  readonly baseUrl: string;
  /** OAuth client credentials (OAuthClientCredentials) or the deprecated API token (apiTokenAuth). */
  readonly auth: ZendeskAuth;
  readonly timeoutMs?: number;
}

export interface RawResponse {
  readonly response: { readonly status: number; readonly headers: { get(name: string): string | null } };
  readonly result: unknown;
}

export interface ZendeskTransporter {
  request(method: string, uri: string, body?: unknown): Promise<RawResponse>;
}

/**
 * node-zendesk's transporter (user agent, JSON) on global fetch with a timeout, throwing the
 * original exception so the status survives. `tickets` appends .json to paths; `webhooks` does
 * not (the Webhooks API has no .json suffix). The Authorization header is `auth`'s, taken per call
 * (an OAuth token is renewed while the process runs); a 401 renews the credential once and sends
 * the call once more, never more.
 */
export function createZendeskTransporter(options: { endpoint: string; auth: ZendeskAuth; timeoutMs: number }, resource: 'tickets' | 'webhooks'): ZendeskTransporter {
  const { timeoutMs, auth } = options;
  // The header of the call being started. node-zendesk's request() calls transportFn before its
  // first await (prepare, emit, transportFn), so the header is handed over synchronously: set
  // just before request() and taken by transportFn, concurrent calls each send their own. Not an
  // AsyncLocalStorage: on Node 20 its first run() (the credentials check at start-up) turns on
  // async hooks for every promise the process makes from then on, webhooks included (in the
  // ingest profile; the ingest bench's closed loop went from 935 to 1,030 req/s without it).
  let handedOver: string | undefined;
  const client = nodeZendesk.createClient({
    // node-zendesk wants a credential to build a header from; the real one replaces it below.
    oauth: true,
    token: 'replaced-per-request',
    endpointUri: options.endpoint,
    throwOriginalException: true,
    transportConfig: {
      transportFn: (uri: string, init: { method: string; headers: Record<string, string>; body?: string }) => {
        const authorization = handedOver;
        handedOver = undefined;
        // A node-zendesk that reached its transport later (after an await) would otherwise send
        // another call's header, or none: it fails instead.
        if (authorization === undefined) throw new Error('node-zendesk called its transport after request() returned: the Authorization header cannot be handed over');
        return fetch(uri, {
          method: init.method,
          headers: { ...init.headers, Authorization: authorization },
          body: init.body ?? null,
          signal: AbortSignal.timeout(timeoutMs),
        });
      },
      responseAdapter: (response: Response) => ({
        json: () => response.json(),
        status: response.status,
        statusText: response.statusText,
        headers: { get: (name: string) => response.headers.get(name) },
      }),
    },
  });
  const inner = client[resource].transporter as unknown as ZendeskTransporter;
  return {
    async request(method, uri, body) {
      for (let attempt = 0; ; attempt += 1) {
        const { header, generation } = await auth.authorization();
        handedOver = header;
        const call = inner.request(method, uri, body);
        handedOver = undefined;
        const raw = await call;
        if (raw.response.status !== 401 || attempt > 0 || !(await auth.refused(generation))) return raw;
      }
    },
  };
}

/**
 * ZendeskApi on node-zendesk (auth, user agent, JSON). Requests go through its transporter, not
 * its resource methods, because those hide failures (node-zendesk 6, tried against a fake Zendesk): a response carrying
 * Retry-After resolves as if it succeeded, thrown errors lose the status unless
 * throwOriginalException is set, and there is no timeout. Here every status is checked once and
 * turned into a ZendeskApiError with a stable code; the transport is global fetch with a timeout.
 */
export class NodeZendeskApi implements ZendeskApi, ZendeskTrainingExport {
  private readonly endpoint: string;
  private readonly transporter: ZendeskTransporter;
  /** For the optional reads of on_routing actions: routing waits for them, so they may not wait long. */
  private readonly quickTransporter: ZendeskTransporter;
  private selfId: Promise<number> | undefined;

  constructor(options: NodeZendeskApiOptions) {
    this.endpoint = `${options.baseUrl.replace(/\/+$/, '')}/api/v2`;
    const timeoutMs = options.timeoutMs ?? 15_000;
    this.transporter = createZendeskTransporter({ endpoint: this.endpoint, auth: options.auth, timeoutMs }, 'tickets');
    this.quickTransporter = createZendeskTransporter({ endpoint: this.endpoint, auth: options.auth, timeoutMs: Math.min(timeoutMs, QUICK_READ_TIMEOUT_MS) }, 'tickets');
  }

  currentUserId(): Promise<number> {
    this.selfId ??= this.send(zendeskRequests.currentUser()).then((result) => {
      const id = (result as { user?: { id?: unknown } }).user?.id;
      if (typeof id !== 'number') throw new ZendeskApiError('REJECTED', 'GET /users/me: no user id in the answer');
      return id;
    });
    this.selfId.catch(() => (this.selfId = undefined));
    return this.selfId;
  }

  async getTicket(ticketId: number): Promise<TicketSnapshot> {
    const result = (await this.send(zendeskRequests.showTicket(ticketId))) as { ticket?: unknown };
    const parsed = snapshotFromRestTicket(result.ticket);
    if (!parsed.ok) throw new ZendeskApiError('REJECTED', `GET /tickets/${ticketId}: unexpected answer (${parsed.reason})`);
    return parsed.snapshot;
  }

  async satisfactionOf(ticketId: number): Promise<SatisfactionScore | null> {
    const result = (await this.send(zendeskRequests.showTicket(ticketId))) as { ticket?: unknown };
    const parsed = satisfactionFromRestTicket(result.ticket);
    if (!parsed.ok) throw new ZendeskApiError('REJECTED', `GET /tickets/${ticketId}: unexpected answer (${parsed.reason})`);
    return parsed.score;
  }

  async getTickets(ticketIds: readonly number[]): Promise<TicketSnapshot[]> {
    if (ticketIds.length === 0) return [];
    if (ticketIds.length > ZENDESK_BULK_LIMIT) throw new RangeError(`show_many takes at most ${ZENDESK_BULK_LIMIT} ids`);
    const result = (await this.send(zendeskRequests.showTickets(ticketIds))) as { tickets?: unknown[] };
    return (result.tickets ?? []).flatMap((ticket) => {
      const parsed = snapshotFromRestTicket(ticket);
      return parsed.ok ? [parsed.snapshot] : [];
    });
  }

  async updateTicket(update: TicketUpdate): Promise<void> {
    await this.send(zendeskRequests.updateTicket(update));
  }

  async updateMany(updates: readonly TicketUpdate[]): Promise<string> {
    if (updates.length === 0 || updates.length > ZENDESK_BULK_LIMIT) throw new RangeError(`update_many takes 1 to ${ZENDESK_BULK_LIMIT} tickets`);
    const result = (await this.send(zendeskRequests.updateMany(updates))) as { job_status?: { id?: unknown } };
    const id = result.job_status?.id;
    if (typeof id !== 'string') throw new ZendeskApiError('REJECTED', 'PUT /tickets/update_many: no job_status id in the answer');
    return id;
  }

  async addInternalNote(ticketId: number, body: string): Promise<void> {
    await this.send(zendeskRequests.addInternalNote(ticketId, body));
  }

  async addPublicComment(ticketId: number, body: string): Promise<void> {
    await this.send(zendeskRequests.addPublicComment(ticketId, body));
  }

  async getRequesterView(ticketId: number): Promise<RequesterView> {
    const result = (await this.send(zendeskRequests.showTicketWithUsers(ticketId))) as { ticket?: { tags?: unknown; requester_id?: unknown }; users?: unknown };
    const ticket = result.ticket;
    if (ticket === undefined || !Array.isArray(ticket.tags)) throw new ZendeskApiError('REJECTED', `GET /tickets/${ticketId}?include=users: unexpected answer (no ticket tags)`);
    const users = Array.isArray(result.users) ? (result.users as { id?: unknown; locale?: unknown; iana_time_zone?: unknown }[]) : [];
    const requester = users.find((user) => user.id === ticket.requester_id);
    return {
      tags: ticket.tags.filter((tag): tag is string => typeof tag === 'string'),
      locale: typeof requester?.locale === 'string' ? requester.locale : null,
      timeZone: typeof requester?.iana_time_zone === 'string' ? requester.iana_time_zone : null,
    };
  }

  async hasPublicComment(ticketId: number, body: string): Promise<boolean> {
    const result = (await this.send(zendeskRequests.latestComments(ticketId, RECENT_COMMENTS))) as { comments?: unknown };
    const comments = Array.isArray(result.comments) ? (result.comments as { public?: unknown; body?: unknown }[]) : [];
    const wanted = sameText(body);
    return comments.some((comment) => comment.public === true && typeof comment.body === 'string' && sameText(comment.body) === wanted);
  }

  async userName(userId: number): Promise<string | null> {
    let result: { user?: { name?: unknown } };
    try {
      result = (await this.send(zendeskRequests.showUser(userId))) as { user?: { name?: unknown } };
    } catch (error) {
      if (isZendeskError(error, 'NOT_FOUND')) return null;
      throw error;
    }
    const name = result.user?.name;
    return typeof name === 'string' && name.trim() !== '' ? name.trim() : null;
  }

  async getJobStatus(jobId: string): Promise<JobStatus> {
    const result = (await this.send(zendeskRequests.showJobStatus(jobId))) as { job_status?: WireJobStatus };
    return jobStatusFromWire(result.job_status);
  }

  async exportSurveyResponses(startTime: number): Promise<SurveyResponsePage> {
    return surveyResponsesOfPage(await this.send(zendeskRequests.exportTicketEvents(startTime)));
  }

  async exportTickets(from: { cursor: string } | { startTime: number }): Promise<ExportPage> {
    const result = (await this.send(zendeskRequests.exportTickets(from))) as {
      tickets?: unknown[];
      after_cursor?: string | null;
      end_of_stream?: boolean;
    };
    const snapshots: TicketSnapshot[] = [];
    let skipped = 0;
    for (const ticket of result.tickets ?? []) {
      const parsed = snapshotFromRestTicket(ticket);
      if (parsed.ok) snapshots.push(parsed.snapshot);
      else skipped += 1;
    }
    return { snapshots, skipped, afterCursor: result.after_cursor ?? null, endOfStream: result.end_of_stream ?? true };
  }

  async exportTrainingTickets(from: { cursor: string } | { startTime: number }): Promise<TrainingExportPage> {
    const parsed = parseTrainingExportPage(await this.send(zendeskRequests.exportTrainingTickets(from)));
    if (!parsed.ok) throw new ZendeskApiError('REJECTED', `GET /incremental/tickets/cursor: unexpected answer (${parsed.reason})`);
    return parsed.page;
  }

  async getRequester(userId: number): Promise<RequesterProfile> {
    const result = (await this.send(zendeskRequests.showRequester(userId), this.quickTransporter)) as { organizations?: unknown };
    const organizations = Array.isArray(result.organizations) ? result.organizations : [];
    return {
      organizations: organizations.flatMap((organization: { id?: unknown; name?: unknown }) =>
        typeof organization.id === 'number' && typeof organization.name === 'string' ? [{ id: organization.id, name: organization.name }] : [],
      ),
    };
  }

  async getRequestedTickets(userId: number, perPage: number): Promise<RequestedTickets> {
    const result = (await this.send(zendeskRequests.requestedTickets(userId, perPage), this.quickTransporter)) as { tickets?: unknown; count?: unknown };
    const tickets = Array.isArray(result.tickets) ? result.tickets : [];
    return {
      count: typeof result.count === 'number' ? result.count : null,
      tickets: tickets.flatMap((ticket: { id?: unknown; subject?: unknown }) =>
        typeof ticket.id === 'number' ? [{ id: ticket.id, subject: typeof ticket.subject === 'string' ? ticket.subject : '' }] : [],
      ),
    };
  }

  async searchArticles(query: string, locale: string | null, perPage: number): Promise<HelpCenterArticle[]> {
    const result = (await this.send(zendeskRequests.searchArticles(query, locale, perPage), this.quickTransporter)) as { results?: unknown };
    const results = Array.isArray(result.results) ? result.results : [];
    return results.flatMap((article: { title?: unknown; html_url?: unknown; snippet?: unknown }) =>
      typeof article.title === 'string' && typeof article.html_url === 'string' && /^https?:\/\//.test(article.html_url)
        ? [{ title: article.title, url: article.html_url, snippet: typeof article.snippet === 'string' ? article.snippet : '' }]
        : [],
    );
  }

  private async send(request: ZendeskRequest, transporter: ZendeskTransporter = this.transporter): Promise<unknown> {
    // A full URL is passed so node-zendesk adds no page[size] parameter of its own.
    const url = requestUrl(this.endpoint, request);
    const label = `${request.method} /${request.path.join('/')}`;
    let raw: RawResponse;
    try {
      raw = await transporter.request(request.method, url, request.body);
    } catch (error) {
      if (isZendeskError(error)) throw error; // the OAuth token request's own verdict
      const reason = (error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message;
      throw new ZendeskApiError('UNAVAILABLE', `${label}: ${reason}`, {}, { cause: error });
    }
    const { status } = raw.response;
    if (status >= 200 && status < 300) return raw.result;
    const retryAfterMs = parseRetryAfter(raw.response.headers.get('retry-after'));
    const detail = describeError(raw.result);
    const message = `${label}: Zendesk answered ${status}${detail ? ` (${detail})` : ''}`;
    const details = { status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    if (status === 429) {
      // TooManyJobs (30 update_many jobs queued or running) comes without Retry-After and clears in seconds.
      const fallbackMs = detail.startsWith('TooManyJobs') ? 5_000 : 60_000;
      throw new ZendeskApiError('RATE_LIMITED', message, { status, retryAfterMs: retryAfterMs ?? fallbackMs });
    }
    if (status === 409) throw new ZendeskApiError('CONFLICT', message, details);
    if (status === 404) throw new ZendeskApiError('NOT_FOUND', message, details);
    if (status >= 500) throw new ZendeskApiError('UNAVAILABLE', message, details);
    throw new ZendeskApiError('REJECTED', message, details);
  }
}

/** Comments read back to find one an interrupted attempt may have added (cxloop adds at most a few per ticket). */
const RECENT_COMMENTS = 10;

/** Zendesk may rewrite line breaks and spacing of a comment's body; the words are what count. */
function sameText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

interface WireJobStatus {
  status?: string;
  results?: { id?: number; success?: boolean; error?: string; details?: string }[] | null;
}

export function jobStatusFromWire(wire: WireJobStatus | undefined): JobStatus {
  const status = wire?.status;
  if (status !== 'queued' && status !== 'working' && status !== 'completed' && status !== 'failed' && status !== 'killed') {
    throw new ZendeskApiError('REJECTED', `job status: unexpected status ${JSON.stringify(status)}`);
  }
  const results = (wire?.results ?? []).flatMap((result) =>
    typeof result.id === 'number'
      ? [{ ticketId: result.id, success: result.success ?? result.error === undefined, ...(result.error ? { error: result.error } : {}) }]
      : [],
  );
  return { status, results };
}

/** Zendesk's error title and description, shortened; never the request (it may hold customer text). */
function describeError(result: unknown): string {
  if (typeof result !== 'object' || result === null) return '';
  const { error, description } = result as { error?: unknown; description?: unknown };
  const title = typeof error === 'string' ? error : typeof error === 'object' && error !== null ? (error as { title?: string }).title : undefined;
  return [title, typeof description === 'string' ? description : undefined]
    .filter((part): part is string => typeof part === 'string' && part.length > 0)
    .join(': ')
    .slice(0, 200);
}
