/**
 * A fake Zendesk Support REST API on loopback, for benchmarks that measure routing under Zendesk's
 * limits. It models only what routing touches: reading and updating tickets, bulk update jobs, the
 * incremental cursor export, and the limits around them (Update Ticket calls per sliding minute,
 * 30 active jobs, 10 incremental exports per minute), authenticated by an API token or by an OAuth
 * client (the client-credentials grant, tokens that expire). A test adds the account data it needs
 * (`routes`: webhooks, triggers, groups ...). Built on node:http only, so benchmarks need no
 * network, no mocking library and no extra dependency.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { closeServer, listenOnLoopback, readCappedBody, slidingWindow } from './fake-http.js';

export interface FakeTicket { id: number; subject: string; description: string; status: string; priority: string | null; group_id: number | null; assignee_id: number | null; tags: string[]; updated_at: string; created_at: string; via?: { channel: string }; organization_id?: number | null; form_id?: number | null; comments: { body: string; public: boolean; author_id: number }[] }
export interface FakeZendeskOptions {
  port?: number;
  updateLimitPerMinute?: number; // Update Ticket calls per sliding 60 s; a PUT and an update_many count 1 each (default 100)
  jobDelayMs?: number; // how long an update_many job stays queued/working before it completes (default 200)
  apiUserId?: number; // users/me id and author of API comments (default 9001)
  email?: string; // with token: every request needs Basic auth `${email}/token:${token}`, else 401
  token?: string;
  // An OAuth client instead: POST /oauth/tokens (client-credentials grant) issues access tokens, and
  // every other request needs `Bearer <token>` of one still valid, else 401
  oauth?: FakeOAuthClient;
  // Endpoints beyond routing's (account data a test needs), asked first; undefined: not theirs
  routes?: FakeZendeskRoute;
  now?: () => number;
  // Fault injection for Update Ticket calls (PUT /tickets/{id}.json, update_many), asked once per call in arrival order
  faults?: (call: { index: number; method: string; path: string }) => FakeFault | undefined;
}
// 500 (applied: the change landed all the same), 429 with Retry-After, or a hang: applied, never answered
export type FakeFault = { status: 500; applied?: boolean } | { status: 429; retryAfterSeconds: number } | 'hang';
export interface FakeOAuthClient { clientId: string; clientSecret: string; expiresInSeconds?: number } // expires_in of each token (default 7200)
export interface FakeReply { status: number; body: unknown; headers?: Record<string, string> }
// `url` is absolute, on the fake's origin, so links in answers can be built from it
export type FakeZendeskRoute = (method: string, url: URL, body: unknown) => FakeReply | undefined;
// An access token the fake issued, with the scopes asked for
export interface FakeGrant { token: string; scope: string; at: number; expiresAt: number }
// `status` 0: the call hung (never answered)
export interface FakeRequestLog { method: string; path: string; query: string; body: unknown; at: number; status: number }
// `url` is the origin, e.g. http://127.0.0.1:PORT, without /api/v2.
export interface FakeZendesk { url: string; tickets: Map<number, FakeTicket>; requests: FakeRequestLog[]; grants: FakeGrant[]; stats: { updateCalls: number; updateManyCalls: number; rateLimited: number; conflicts: number }; seed(ticket: Partial<FakeTicket> & { id: number }): FakeTicket; onRequest(listener: (entry: FakeRequestLog) => void): void; onUpdate(listener: (ticket: FakeTicket) => void): void; close(): Promise<void> }

type Json = Record<string, unknown>;
interface Reply extends FakeReply { hang?: true }
interface Changes { group_id?: number | null; priority?: string | null; status?: string; tags?: string[]; comment?: { body: string; public?: boolean }; safe_update?: boolean; updated_stamp?: string }
interface Job { id: string; url: string; status: 'queued' | 'working' | 'completed'; total: number; progress: number; results: Json[] | null }

const WINDOW_MS = 60_000;
const BODY_LIMIT_BYTES = 1024 * 1024;
const MAX_BULK_TICKETS = 100;
const MAX_ACTIVE_JOBS = 30;
const INCREMENTAL_PER_MINUTE = 10;
const CONFLICT = 'Safe Update prevented the update due to outdated ticket data. Please fetch the latest ticket data and try again.';
const NOT_FOUND: Reply = { status: 404, body: { error: 'RecordNotFound', description: 'Not found' } };
const INVALID: Reply = { status: 400, body: { error: 'InvalidRequest' } };

// Unknown fields are ignored (as Zendesk does); known ones must have the right type.
const FIELD_CHECKS: Record<keyof Changes, (value: unknown) => boolean> = {
  group_id: (v) => v === null || Number.isInteger(v),
  priority: (v) => v === null || typeof v === 'string',
  status: (v) => typeof v === 'string',
  tags: (v) => Array.isArray(v) && v.every((tag) => typeof tag === 'string'),
  comment: (v) => isObject(v) && typeof v.body === 'string' && (v.public === undefined || typeof v.public === 'boolean'),
  safe_update: (v) => typeof v === 'boolean',
  updated_stamp: (v) => typeof v === 'string',
};

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseChanges(raw: unknown): Changes | null {
  if (!isObject(raw)) return null;
  for (const [key, check] of Object.entries(FIELD_CHECKS)) if (raw[key] !== undefined && !check(raw[key])) return null;
  return raw as Changes;
}

// Zendesk timestamps have second resolution, e.g. 2024-05-01T10:00:00Z.
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

// updated_at must strictly increase, or safe_update could not tell two updates within a second apart.
function nextStamp(previous: string, nowMs: number): string {
  const previousMs = Date.parse(previous);
  const candidate = Math.floor(nowMs / 1000) * 1000;
  return isoSeconds(Number.isNaN(previousMs) || candidate > previousMs ? candidate : previousMs + 1000);
}

function publicView(ticket: FakeTicket): Partial<FakeTicket> {
  const view: Partial<FakeTicket> = { ...ticket, tags: [...ticket.tags] };
  delete view.comments; // the Tickets API never returns comments inline
  return view;
}

const encodeCursor = (ms: number, id: number): string => Buffer.from(`${ms}:${id}`).toString('base64url');
function decodeCursor(cursor: string): { ms: number; id: number } | null {
  const match = /^(\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? { ms: Number(match[1]), id: Number(match[2]) } : null;
}

export async function startFakeZendesk(options: FakeZendeskOptions = {}): Promise<FakeZendesk> {
  const now = options.now ?? Date.now;
  const apiUserId = options.apiUserId ?? 9001;
  const jobDelayMs = options.jobDelayMs ?? 200;
  const updateLimit = options.updateLimitPerMinute ?? 100;
  const basicAuth = options.email && options.token ? `Basic ${Buffer.from(`${options.email}/token:${options.token}`).toString('base64')}` : null;
  const takeUpdate = slidingWindow(updateLimit, WINDOW_MS, now);
  const takeIncremental = slidingWindow(INCREMENTAL_PER_MINUTE, WINDOW_MS, now);
  const tickets = new Map<number, FakeTicket>();
  const jobs = new Map<string, Job>();
  const timers = new Set<NodeJS.Timeout>();
  const requests: FakeRequestLog[] = [];
  const grants: FakeGrant[] = [];
  const listeners: ((entry: FakeRequestLog) => void)[] = [];
  const updateListeners: ((ticket: FakeTicket) => void)[] = [];
  let updateIndex = 0;
  const stats = { updateCalls: 0, updateManyCalls: 0, rateLimited: 0, conflicts: 0 };
  let baseUrl = '';
  let auditId = 0;

  const throttled = (retryAfter: number, headers: Record<string, string> = {}): Reply => {
    stats.rateLimited++;
    return { status: 429, body: { error: 'APIRateLimitExceeded' }, headers: { ...headers, 'Retry-After': String(retryAfter) } };
  };
  const rateHeaders = (remaining: number) => ({ 'X-Rate-Limit': String(updateLimit), 'X-Rate-Limit-Remaining': String(remaining) });

  function apply(ticket: FakeTicket, changes: Changes): 'updated' | 'conflict' {
    // Zendesk compares instants, so accept any spelling of the same second.
    if (changes.safe_update === true && Date.parse(changes.updated_stamp ?? '') !== Date.parse(ticket.updated_at)) {
      stats.conflicts++;
      return 'conflict';
    }
    if (changes.group_id !== undefined) ticket.group_id = changes.group_id;
    if (changes.priority !== undefined) ticket.priority = changes.priority;
    if (changes.status !== undefined) ticket.status = changes.status;
    if (changes.tags !== undefined) ticket.tags = [...changes.tags]; // `tags` replaces; add_tags would merge
    if (changes.comment) ticket.comments.push({ body: changes.comment.body, public: changes.comment.public ?? true, author_id: apiUserId });
    ticket.updated_at = nextStamp(ticket.updated_at, now());
    for (const listener of updateListeners) listener(ticket);
    return 'updated';
  }

  function later(ms: number, run: () => void): void {
    const timer = setTimeout(() => { timers.delete(timer); run(); }, ms);
    timers.add(timer);
  }

  function updateOne(id: number, body: unknown): Reply {
    const slot = takeUpdate();
    if (!slot.allowed) return throttled(slot.retryAfterSeconds, rateHeaders(0));
    stats.updateCalls++;
    const headers = rateHeaders(slot.remaining);
    const ticket = tickets.get(id);
    if (!ticket) return { ...NOT_FOUND, headers };
    const changes = isObject(body) ? parseChanges(body.ticket) : null;
    if (!changes) return { ...INVALID, headers };
    if (apply(ticket, changes) === 'conflict') return { status: 409, body: { error: 'UpdateConflict', description: CONFLICT }, headers };
    return { status: 200, body: { ticket: publicView(ticket), audit: { id: ++auditId, events: [] } }, headers };
  }

  function runBulkEntry(id: number, changes: Changes): Json {
    const ticket = tickets.get(id);
    if (!ticket) return { id, action: 'update', success: false, status: 'Failed', error: 'TicketNotFound', details: `Ticket ${id} not found` };
    if (apply(ticket, changes) === 'conflict') return { id, action: 'update', success: false, status: 'Failed', error: 'UpdateConflict', details: CONFLICT };
    return { id, action: 'update', success: true, status: 'Updated' };
  }

  function updateMany(body: unknown): Reply {
    const slot = takeUpdate();
    if (!slot.allowed) return throttled(slot.retryAfterSeconds, rateHeaders(0));
    stats.updateManyCalls++;
    const headers = rateHeaders(slot.remaining);
    const list = isObject(body) && Array.isArray(body.tickets) ? (body.tickets as unknown[]) : [];
    if (list.length > MAX_BULK_TICKETS) return { status: 400, body: { error: 'InvalidValue', description: `Too many tickets (max ${MAX_BULK_TICKETS})` }, headers };
    const entries: { id: number; changes: Changes }[] = [];
    for (const raw of list) {
      const changes = parseChanges(raw);
      if (!changes || !isObject(raw) || !Number.isInteger(raw.id)) return { ...INVALID, headers };
      entries.push({ id: raw.id as number, changes });
    }
    if (entries.length === 0) return { ...INVALID, headers };
    // Zendesk's job queue cap is a separate 429 that carries no Retry-After.
    if ([...jobs.values()].filter((job) => job.status !== 'completed').length >= MAX_ACTIVE_JOBS) return { status: 429, body: { error: 'TooManyJobs' }, headers };
    const id = randomBytes(16).toString('hex');
    const job: Job = { id, url: `${baseUrl}/api/v2/job_statuses/${id}.json`, status: 'queued', total: entries.length, progress: 0, results: null };
    jobs.set(id, job);
    later(jobDelayMs / 2, () => { job.status = 'working'; });
    later(jobDelayMs, () => {
      job.results = entries.map((entry) => runBulkEntry(entry.id, entry.changes));
      job.progress = job.total;
      job.status = 'completed';
    });
    return { status: 200, body: { job_status: { ...job } }, headers };
  }

  function incremental(url: URL): Reply {
    const slot = takeIncremental();
    if (!slot.allowed) return throttled(slot.retryAfterSeconds);
    const perPage = Math.min(1000, Math.max(1, Number(url.searchParams.get('per_page') ?? 100) || 100));
    const cursor = url.searchParams.get('cursor');
    const startTime = url.searchParams.get('start_time');
    // A position is (updated_at ms, id); pages hold tickets strictly after it. Ticket ids are positive,
    // so id 0 at start_time makes the export include tickets updated exactly at start_time.
    const from = cursor !== null ? decodeCursor(cursor) : startTime !== null && /^\d+$/.test(startTime) ? { ms: Number(startTime) * 1000, id: 0 } : null;
    if (!from) return { status: 400, body: { error: 'InvalidPaginationParameter', description: 'start_time or cursor is required' } };
    const after = [...tickets.values()]
      .map((ticket) => ({ ticket, ms: Date.parse(ticket.updated_at) }))
      .filter(({ ticket, ms }) => ms > from.ms || (ms === from.ms && ticket.id > from.id))
      .sort((a, b) => a.ms - b.ms || a.ticket.id - b.ticket.id);
    const page = after.slice(0, perPage);
    const last = page.at(-1);
    const afterCursor = last ? encodeCursor(last.ms, last.ticket.id) : encodeCursor(from.ms, from.id);
    const perPageParam = url.searchParams.has('per_page') ? `&per_page=${perPage}` : '';
    const afterUrl = `${baseUrl}/api/v2/incremental/tickets/cursor.json?cursor=${afterCursor}${perPageParam}`;
    const rows = page.map(({ ticket }) => publicView(ticket));
    return { status: 200, body: { tickets: rows, after_cursor: afterCursor, after_url: afterUrl, before_cursor: null, before_url: null, end_of_stream: after.length <= perPage } };
  }

  // https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/ (client_credentials: no refresh token)
  function grant(client: FakeOAuthClient, body: unknown, at: number): Reply {
    if (!isObject(body) || body.grant_type !== 'client_credentials') {
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported by the authorization server.' } };
    }
    if (body.client_id !== client.clientId || body.client_secret !== client.clientSecret) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.' } };
    }
    const expiresIn = client.expiresInSeconds ?? 7_200;
    const scope = typeof body.scope === 'string' ? body.scope : 'read';
    const token = randomBytes(24).toString('base64url');
    grants.push({ token, scope, at, expiresAt: at + expiresIn * 1_000 });
    return { status: 200, body: { access_token: token, token_type: 'bearer', scope, expires_in: expiresIn } };
  }

  function authorized(header: string | undefined, at: number): boolean {
    if (options.oauth) return grants.some((issued) => header === `Bearer ${issued.token}` && at < issued.expiresAt);
    return basicAuth === null || header === basicAuth;
  }

  function withFault(method: string, path: string, handle: () => Reply): Reply {
    const fault = options.faults?.({ index: updateIndex++, method, path });
    if (fault === undefined) return handle();
    if (fault === 'hang') return { ...handle(), hang: true };
    // Not counted in stats.rateLimited, which counts only the fake's own limit being hit.
    if (fault.status === 429) return { status: 429, body: { error: 'APIRateLimitExceeded' }, headers: { 'Retry-After': String(fault.retryAfterSeconds) } };
    if (fault.applied) handle();
    return { status: 500, body: { error: 'InternalServerError' } };
  }

  function route(method: string, url: URL, body: unknown): Reply {
    const path = url.pathname;
    if (method === 'GET' && path === '/api/v2/users/me.json') return { status: 200, body: { user: { id: apiUserId, name: 'cxloop', role: 'admin' } } };
    if (method === 'PUT' && path === '/api/v2/tickets/update_many.json') return withFault(method, path, () => updateMany(body));
    if (method === 'GET' && path === '/api/v2/incremental/tickets/cursor.json') return incremental(url);
    // The ticket event export, where survey responses (current CSAT) are read: none here.
    if (method === 'GET' && path === '/api/v2/incremental/ticket_events.json') return { status: 200, body: { ticket_events: [], count: 0, end_of_stream: true, end_time: null } };
    if (method === 'GET' && path === '/api/v2/tickets/show_many.json') {
      const ids = (url.searchParams.get('ids') ?? '').split(',').map(Number).slice(0, MAX_BULK_TICKETS);
      return { status: 200, body: { tickets: ids.flatMap((id) => (tickets.has(id) ? [publicView(tickets.get(id)!)] : [])) } };
    }
    const ticketId = /^\/api\/v2\/tickets\/(\d+)\.json$/.exec(path)?.[1];
    if (ticketId !== undefined && method === 'PUT') return withFault(method, path, () => updateOne(Number(ticketId), body));
    if (ticketId !== undefined && method === 'GET') {
      const ticket = tickets.get(Number(ticketId));
      return ticket ? { status: 200, body: { ticket: publicView(ticket) } } : NOT_FOUND;
    }
    const jobId = /^\/api\/v2\/job_statuses\/([0-9a-f]{32})\.json$/.exec(path)?.[1];
    const job = method === 'GET' && jobId !== undefined ? jobs.get(jobId) : undefined;
    return job ? { status: 200, body: { job_status: job } } : NOT_FOUND;
  }

  async function handle(req: IncomingMessage): Promise<{ reply: Reply; entry: FakeRequestLog }> {
    const at = now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', baseUrl);
    const text = await readCappedBody(req, BODY_LIMIT_BYTES);
    let body: unknown = undefined;
    if (text) {
      try { body = JSON.parse(text); } catch { body = text; } // keep unparsable text for the log; routes reject it
    }
    const tokenRequest = options.oauth !== undefined && method === 'POST' && url.pathname === '/oauth/tokens';
    const reply = text === null ? { status: 413, body: { error: 'PayloadTooLarge' } }
      : tokenRequest ? grant(options.oauth!, body, at)
        : !authorized(req.headers.authorization, at) ? { status: 401, body: { error: "Couldn't authenticate you" } }
          : options.routes?.(method, url, body) ?? route(method, url, body);
    // The log never keeps the client secret.
    const logged = tokenRequest && isObject(body) && 'client_secret' in body ? { ...body, client_secret: '[redacted]' } : body;
    return { reply, entry: { method, path: url.pathname, query: url.search.slice(1), body: logged, at, status: reply.status } };
  }

  const server = createServer((req, res) => {
    handle(req).then(({ reply, entry }) => {
      if (reply.hang) {
        requests.push({ ...entry, status: 0 });
        return; // the client gives up; closeAllConnections() ends it at close()
      }
      res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', ...reply.headers });
      res.end(JSON.stringify(reply.body));
      requests.push(entry);
      for (const listener of listeners) listener(entry);
    }, () => res.destroy()); // the client went away mid-body; nothing to answer
  });
  baseUrl = await listenOnLoopback(server, options.port);

  return {
    url: baseUrl,
    tickets,
    requests,
    grants,
    stats,
    seed(partial) {
      const stamp = isoSeconds(now());
      const defaults = { subject: '', description: '', status: 'new', priority: null, group_id: null, assignee_id: null, created_at: stamp, updated_at: stamp };
      const ticket: FakeTicket = { ...defaults, ...partial, tags: [...(partial.tags ?? [])], comments: [...(partial.comments ?? [])] };
      tickets.set(ticket.id, ticket);
      return ticket;
    },
    onRequest: (listener) => void listeners.push(listener),
    onUpdate: (listener) => void updateListeners.push(listener),
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return closeServer(server);
    },
  };
}
