import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it, expect, afterEach } from 'vitest';
import { startFakeZendesk, type FakeZendesk, type FakeZendeskOptions } from '../../../bench/fake-zendesk.js';

interface JobStatus { id: string; url: string; status: string; total: number; progress: number; results: { id: number; success: boolean; status?: string; error?: string }[] | null }
interface Page { tickets: { id: number }[]; after_cursor: string; after_url: string; end_of_stream: boolean }

let server: FakeZendesk | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options?: FakeZendeskOptions): Promise<FakeZendesk> {
  server = await startFakeZendesk(options);
  return server;
}

async function call<T = Record<string, unknown>>(zd: FakeZendesk, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${zd.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as T };
}

async function waitForJob(zd: FakeZendesk, id: string): Promise<{ job: JobStatus; seen: Set<string> }> {
  const seen = new Set<string>();
  for (let i = 0; i < 400; i++) {
    const { json } = await call<{ job_status: JobStatus }>(zd, 'GET', `/api/v2/job_statuses/${id}.json`);
    seen.add(json.job_status.status);
    if (json.job_status.status === 'completed') return { job: json.job_status, seen };
    await sleep(5);
  }
  throw new Error(`job ${id} did not complete`);
}

describe('fake Zendesk', () => {
  it('applies a single PUT, replaces tags, appends the comment and bumps updated_at', async () => {
    const t0 = Date.parse('2024-05-01T10:00:00Z');
    const zd = await start({ now: () => t0 });
    zd.seed({ id: 1, subject: 'Refund', tags: ['old', 'vip'] });

    const first = await call<{ ticket: Record<string, unknown>; audit: { id: number } }>(zd, 'PUT', '/api/v2/tickets/1.json', {
      ticket: { group_id: 7, priority: 'high', tags: ['billing'], comment: { body: 'Routed', public: false } },
    });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(first.headers.get('x-rate-limit')).toBe('100');
    expect(first.headers.get('x-rate-limit-remaining')).toBe('99');
    expect(first.json.ticket).toMatchObject({ id: 1, group_id: 7, priority: 'high', tags: ['billing'] });
    expect(first.json.ticket).not.toHaveProperty('comments');
    expect(first.json.audit.id).toBeGreaterThan(0);
    // The clock has not moved, yet updated_at must still increase by a whole second.
    expect(zd.tickets.get(1)).toMatchObject({ tags: ['billing'], updated_at: '2024-05-01T10:00:01Z', comments: [{ body: 'Routed', public: false, author_id: 9001 }] });

    const second = await call<{ ticket: { updated_at: string } }>(zd, 'PUT', '/api/v2/tickets/1.json', { ticket: { status: 'open' } });
    expect(second.json.ticket.updated_at).toBe('2024-05-01T10:00:02Z');
    expect((await call(zd, 'GET', '/api/v2/tickets/1.json')).json.ticket).toMatchObject({ status: 'open', tags: ['billing'] });

    expect(zd.stats.updateCalls).toBe(2);
    expect(zd.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['PUT /api/v2/tickets/1.json 200', 'PUT /api/v2/tickets/1.json 200', 'GET /api/v2/tickets/1.json 200']);
  });

  it('answers 404 for unknown tickets and routes, 400 for bad bodies, 413 past 1 MB', async () => {
    const zd = await start();
    zd.seed({ id: 1 });
    expect((await call(zd, 'GET', '/api/v2/tickets/2.json')).json).toEqual({ error: 'RecordNotFound', description: 'Not found' });
    expect((await call(zd, 'PUT', '/api/v2/tickets/2.json', { ticket: {} })).status).toBe(404);
    expect((await call(zd, 'GET', '/api/v2/nope.json')).status).toBe(404);
    expect((await call(zd, 'PUT', '/api/v2/tickets/1.json', 'not json')).json).toEqual({ error: 'InvalidRequest' });
    expect((await call(zd, 'PUT', '/api/v2/tickets/1.json', { ticket: { tags: 'x' } })).status).toBe(400);
    expect((await call(zd, 'PUT', '/api/v2/tickets/1.json', 'x'.repeat(1024 * 1024 + 1))).status).toBe(413);
    expect((await call(zd, 'GET', '/api/v2/users/me.json')).json).toEqual({ user: { id: 9001, name: 'cxloop', role: 'admin' } });
  });

  it('refuses a safe_update with a stale updated_stamp with 409', async () => {
    const zd = await start();
    const ticket = zd.seed({ id: 5, tags: ['keep'], updated_at: '2024-05-01T10:00:00Z' });

    const stale = await call(zd, 'PUT', '/api/v2/tickets/5.json', { ticket: { tags: ['lost'], safe_update: true, updated_stamp: '2024-05-01T09:59:59Z' } });
    expect(stale.status).toBe(409);
    expect(stale.json).toMatchObject({ error: 'UpdateConflict' });
    expect(ticket.tags).toEqual(['keep']);
    expect(zd.stats.conflicts).toBe(1);

    const fresh = await call(zd, 'PUT', '/api/v2/tickets/5.json', { ticket: { tags: ['won'], safe_update: true, updated_stamp: ticket.updated_at } });
    expect(fresh.status).toBe(200);
    expect(ticket.tags).toEqual(['won']);
  });

  it('rate limits Update Ticket calls over a sliding minute with Retry-After', async () => {
    let clock = Date.parse('2024-05-01T10:00:00Z');
    const zd = await start({ updateLimitPerMinute: 3, now: () => clock });
    const ticket = zd.seed({ id: 1 });
    for (let i = 0; i < 3; i++) expect((await call(zd, 'PUT', '/api/v2/tickets/1.json', { ticket: { tags: [`t${i}`] } })).status).toBe(200);

    const limited = await call(zd, 'PUT', '/api/v2/tickets/1.json', { ticket: { tags: ['never'] } });
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ error: 'APIRateLimitExceeded' });
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(ticket.tags).toEqual(['t2']);

    clock += 30_500;
    // update_many shares the same budget.
    const bulk = await call(zd, 'PUT', '/api/v2/tickets/update_many.json', { tickets: [{ id: 1, status: 'open' }] });
    expect(bulk.status).toBe(429);
    expect(bulk.headers.get('retry-after')).toBe('30');

    clock += 29_500;
    expect((await call(zd, 'PUT', '/api/v2/tickets/1.json', { ticket: { tags: ['later'] } })).status).toBe(200);
    expect(zd.stats).toMatchObject({ updateCalls: 4, updateManyCalls: 0, rateLimited: 2 });
  });

  it('runs update_many as a job with per-ticket results, including a conflict', async () => {
    const zd = await start({ jobDelayMs: 20 });
    zd.seed({ id: 1, updated_at: '2024-05-01T10:00:00Z' });
    zd.seed({ id: 2, updated_at: '2024-05-01T10:00:00Z', tags: ['keep'] });

    const response = await call<{ job_status: JobStatus }>(zd, 'PUT', '/api/v2/tickets/update_many.json', {
      tickets: [
        { id: 1, group_id: 3, tags: ['a'], safe_update: true, updated_stamp: '2024-05-01T10:00:00Z' },
        { id: 2, tags: ['b'], safe_update: true, updated_stamp: '2024-01-01T00:00:00Z' },
        { id: 99, status: 'open' },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.json.job_status).toMatchObject({ status: 'queued', total: 3, progress: 0, results: null });
    expect(response.json.job_status.id).toMatch(/^[0-9a-f]{32}$/);
    expect(response.json.job_status.url).toBe(`${zd.url}/api/v2/job_statuses/${response.json.job_status.id}.json`);

    const { job } = await waitForJob(zd, response.json.job_status.id);
    expect(job.results).toEqual([
      { id: 1, action: 'update', success: true, status: 'Updated' },
      expect.objectContaining({ id: 2, success: false, status: 'Failed', error: 'UpdateConflict' }),
      expect.objectContaining({ id: 99, success: false, error: 'TicketNotFound' }),
    ]);
    expect(zd.tickets.get(1)).toMatchObject({ group_id: 3, tags: ['a'] });
    expect(zd.tickets.get(2)!.tags).toEqual(['keep']);
    expect(zd.stats).toMatchObject({ updateManyCalls: 1, conflicts: 1 });
  });

  it('rejects update_many with more than 100 tickets', async () => {
    const zd = await start();
    const tickets = Array.from({ length: 101 }, (_, i) => ({ id: i + 1, status: 'open' }));
    const response = await call(zd, 'PUT', '/api/v2/tickets/update_many.json', { tickets });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: 'InvalidValue', description: 'Too many tickets (max 100)' });
  });

  it('moves a job from queued to completed and caps active jobs at 30', async () => {
    const zd = await start({ jobDelayMs: 20 });
    zd.seed({ id: 1 });
    const created = await call<{ job_status: JobStatus }>(zd, 'PUT', '/api/v2/tickets/update_many.json', { tickets: [{ id: 1, priority: 'low' }] });
    const { job, seen } = await waitForJob(zd, created.json.job_status.id);
    expect(job).toMatchObject({ status: 'completed', total: 1, progress: 1 });
    expect([...seen].every((status) => ['queued', 'working', 'completed'].includes(status))).toBe(true);
    expect((await call(zd, 'GET', `/api/v2/job_statuses/${'0'.repeat(32)}.json`)).status).toBe(404);

    await server!.close();
    const slow = await start({ jobDelayMs: 60_000 });
    slow.seed({ id: 1 });
    for (let i = 0; i < 30; i++) expect((await call(slow, 'PUT', '/api/v2/tickets/update_many.json', { tickets: [{ id: 1, status: 'open' }] })).status).toBe(200);
    const refused = await call(slow, 'PUT', '/api/v2/tickets/update_many.json', { tickets: [{ id: 1, status: 'open' }] });
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({ error: 'TooManyJobs' });
    expect(refused.headers.get('retry-after')).toBeNull();
  });

  it('pages the incremental cursor export to end_of_stream', async () => {
    const zd = await start();
    zd.seed({ id: 9, updated_at: '2024-04-30T00:00:00Z' }); // before start_time
    zd.seed({ id: 4, updated_at: '2024-05-01T10:00:03Z' });
    zd.seed({ id: 3, updated_at: '2024-05-01T10:00:00Z' });
    zd.seed({ id: 1, updated_at: '2024-05-01T10:00:00Z' });
    zd.seed({ id: 2, updated_at: '2024-05-01T10:00:01Z' });
    zd.seed({ id: 5, updated_at: '2024-05-01T10:00:05Z' });

    const startTime = Date.parse('2024-05-01T10:00:00Z') / 1000;
    let page = (await call<Page>(zd, 'GET', `/api/v2/incremental/tickets/cursor.json?start_time=${startTime}&per_page=2`)).json;
    const ids = page.tickets.map((t) => t.id);
    let pages = 1;
    while (!page.end_of_stream) {
      expect(page.after_url).toBe(`${zd.url}/api/v2/incremental/tickets/cursor.json?cursor=${page.after_cursor}&per_page=2`);
      page = (await call<Page>(zd, 'GET', page.after_url.slice(zd.url.length))).json;
      ids.push(...page.tickets.map((t) => t.id));
      pages++;
    }
    expect(ids).toEqual([1, 3, 2, 4, 5]);
    expect(pages).toBe(3);

    // Polling from the last cursor later picks up only what changed since.
    await call(zd, 'PUT', '/api/v2/tickets/3.json', { ticket: { status: 'solved' } });
    const next = (await call<Page>(zd, 'GET', `/api/v2/incremental/tickets/cursor.json?cursor=${page.after_cursor}`)).json;
    expect(next.tickets.map((t) => t.id)).toEqual([3]);
    expect(next.end_of_stream).toBe(true);
  });

  it('limits incremental exports to 10 a minute', async () => {
    const zd = await start({ now: () => Date.parse('2024-05-01T10:00:00Z') });
    for (let i = 0; i < 10; i++) expect((await call(zd, 'GET', '/api/v2/incremental/tickets/cursor.json?start_time=0')).status).toBe(200);
    const limited = await call(zd, 'GET', '/api/v2/incremental/tickets/cursor.json?start_time=0');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
  });

  it('requires HTTP Basic auth when email and token are set', async () => {
    const zd = await start({ email: 'bot@example.com', token: 'secret', apiUserId: 42 });
    const basic = (credentials: string) => ({ authorization: `Basic ${Buffer.from(credentials).toString('base64')}` });
    expect((await call(zd, 'GET', '/api/v2/users/me.json')).status).toBe(401);
    expect((await call(zd, 'GET', '/api/v2/users/me.json', undefined, basic('bot@example.com/token:wrong'))).status).toBe(401);
    const ok = await call(zd, 'GET', '/api/v2/users/me.json', undefined, basic('bot@example.com/token:secret'));
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ user: { id: 42 } });

    const seen: number[] = [];
    zd.onRequest((entry) => seen.push(entry.status));
    await call(zd, 'GET', '/api/v2/tickets/1.json', undefined, basic('bot@example.com/token:secret'));
    expect(seen).toEqual([404]);
    expect(zd.requests.map((r) => r.status)).toEqual([401, 401, 200, 404]);
  });

  it('issues OAuth access tokens by the client-credentials grant and then requires a Bearer token still valid', async () => {
    let clock = Date.parse('2026-12-01T10:00:00Z');
    const zd = await start({ now: () => clock, oauth: { clientId: 'cxloop', clientSecret: 'client-secret', expiresInSeconds: 60 } });
    const grant = (body: Record<string, unknown>) => call<Record<string, unknown>>(zd, 'POST', '/oauth/tokens', body);
    expect(await grant({ grant_type: 'password', client_id: 'cxloop', client_secret: 'client-secret' })).toMatchObject({ status: 400, json: { error: 'unsupported_grant_type' } });
    expect(await grant({ grant_type: 'client_credentials', client_id: 'cxloop', client_secret: 'wrong' })).toMatchObject({ status: 401, json: { error: 'invalid_client' } });
    const issued = await grant({ grant_type: 'client_credentials', client_id: 'cxloop', client_secret: 'client-secret', scope: 'tickets:read users:read' });
    expect(issued).toMatchObject({ status: 200, json: { token_type: 'bearer', scope: 'tickets:read users:read', expires_in: 60 } });
    const bearer = { authorization: `Bearer ${String(issued.json.access_token)}` };
    expect(zd.grants).toEqual([{ token: issued.json.access_token, scope: 'tickets:read users:read', at: clock, expiresAt: clock + 60_000 }]);

    expect((await call(zd, 'GET', '/api/v2/users/me.json')).status).toBe(401);
    expect((await call(zd, 'GET', '/api/v2/users/me.json', undefined, { authorization: 'Bearer made-up' })).status).toBe(401);
    expect((await call(zd, 'GET', '/api/v2/users/me.json', undefined, bearer)).status).toBe(200);
    clock += 60_000; // expired
    expect((await call(zd, 'GET', '/api/v2/users/me.json', undefined, bearer)).status).toBe(401);
    // The log keeps the grant requests without the client secret.
    expect(JSON.stringify(zd.requests)).not.toContain('client-secret');
    expect(zd.requests.filter((r) => r.path === '/oauth/tokens').map((r) => (r.body as { client_secret?: string }).client_secret)).toEqual(['[redacted]', '[redacted]', '[redacted]']);
  });

  it('asks the routes a test adds first, behind the same authentication, with absolute URLs', async () => {
    const seen: string[] = [];
    const zd = await start({
      email: 'bot@example.com',
      token: 'secret',
      routes: (method, url) => {
        seen.push(`${method} ${url.href}`);
        return url.pathname === '/api/v2/groups.json' ? { status: 200, body: { groups: [] } } : undefined;
      },
    });
    const basic = { authorization: `Basic ${Buffer.from('bot@example.com/token:secret').toString('base64')}` };
    expect((await call(zd, 'GET', '/api/v2/groups.json?page%5Bsize%5D=100')).status).toBe(401);
    expect(await call(zd, 'GET', '/api/v2/groups.json?page%5Bsize%5D=100', undefined, basic)).toMatchObject({ status: 200, json: { groups: [] } });
    expect((await call(zd, 'GET', '/api/v2/users/me.json', undefined, basic)).status).toBe(200); // not theirs: the fake's own
    expect(seen).toEqual([`GET ${zd.url}/api/v2/groups.json?page%5Bsize%5D=100`, `GET ${zd.url}/api/v2/users/me.json`]);
  });
});
