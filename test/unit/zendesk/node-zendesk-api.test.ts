import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jobStatusFromWire, NodeZendeskApi } from '../../../src/adapters/zendesk/node-zendesk-api.js';
import { apiTokenAuth } from '../../../src/adapters/zendesk/zendesk-auth.js';
import { parseRetryAfter } from '../../../src/app/http-route.js';
import { ZendeskApiError, type ZendeskErrorCode } from '../../../src/app/zendesk-api-error.js';
import type { TicketUpdate } from '../../../src/core/routing/route-plan.js';

const ZENDESK = 'https://acme.zendesk.test';
const BASIC_AUTH = `Basic ${Buffer.from('a@b.test/token:t').toString('base64')}`;
const STAMP = Date.UTC(2026, 10, 20, 10, 0, 0);

// A generous timeout: a loaded CI machine must not turn a prompt answer into a timeout (the timeout test sets its own).
const api = (timeoutMs = 5_000): NodeZendeskApi => new NodeZendeskApi({ auth: apiTokenAuth('a@b.test', 't'), baseUrl: ZENDESK, timeoutMs });

function update(overrides: Partial<TicketUpdate> = {}): TicketUpdate {
  return {
    ticketId: 5,
    groupId: 1002,
    priority: 'high',
    tags: ['vip', 'cxloop_billing_issue', 'cxloop_tier_high'],
    internalNote: 'routed to billing',
    updatedStamp: STAMP,
    ...overrides,
  };
}

function restTicket(id: number): Record<string, unknown> {
  return {
    id,
    subject: `Ticket ${id}`,
    description: 'text',
    status: 'open',
    priority: null,
    group_id: 1000,
    assignee_id: null,
    requester_id: 300,
    organization_id: null,
    tags: [],
    via: { channel: 'email' },
    created_at: '2026-11-20T09:00:00Z',
    updated_at: '2026-11-20T09:30:00Z',
  };
}

interface Seen {
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** Resolves to the error the call rejected with; fails the test if it resolved. */
async function failureOf(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to reject');
}

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
});

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('NodeZendeskApi.updateTicket', () => {
  it('sends PUT /api/v2/tickets/5.json with safe_update, a second-resolution stamp and Basic auth', async () => {
    const seen: Seen[] = [];
    const scope = nock(ZENDESK)
      .put('/api/v2/tickets/5.json')
      .reply(function (_uri, body) {
        seen.push({ headers: this.req.headers, body });
        return [200, { ticket: { id: 5 } }];
      });
    await api().updateTicket(update());
    expect(scope.isDone()).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.body).toEqual({
      ticket: {
        group_id: 1002,
        priority: 'high',
        tags: ['vip', 'cxloop_billing_issue', 'cxloop_tier_high'],
        comment: { body: 'routed to billing', public: false },
        safe_update: true,
        updated_stamp: '2026-11-20T10:00:00Z',
      },
    });
    expect(seen[0]!.headers.authorization).toBe(BASIC_AUTH);
  });

  it('omits group_id and priority when the update leaves them alone', async () => {
    let body: unknown;
    nock(ZENDESK)
      .put('/api/v2/tickets/5.json', (sent: unknown) => {
        body = sent;
        return true;
      })
      .reply(200, { ticket: { id: 5 } });
    await api().updateTicket(update({ groupId: undefined, priority: undefined }));
    expect(body).toEqual({
      ticket: {
        tags: ['vip', 'cxloop_billing_issue', 'cxloop_tier_high'],
        comment: { body: 'routed to billing', public: false },
        safe_update: true,
        updated_stamp: '2026-11-20T10:00:00Z',
      },
    });
  });

  it.each<[string, number, Record<string, string>, ZendeskErrorCode, { status: number; retryAfterMs?: number }]>([
    ['409 safe_update conflict', 409, {}, 'CONFLICT', { status: 409 }],
    ['429 with Retry-After', 429, { 'Retry-After': '30' }, 'RATE_LIMITED', { status: 429, retryAfterMs: 30_000 }],
    ['429 without Retry-After', 429, {}, 'RATE_LIMITED', { status: 429, retryAfterMs: 60_000 }],
    ['503', 503, { 'Retry-After': '5' }, 'UNAVAILABLE', { status: 503, retryAfterMs: 5_000 }],
    ['500', 500, {}, 'UNAVAILABLE', { status: 500 }],
    ['401', 401, {}, 'REJECTED', { status: 401 }],
    ['422', 422, {}, 'REJECTED', { status: 422 }],
    ['404', 404, {}, 'NOT_FOUND', { status: 404 }],
  ])('%s -> %s', async (_name, status, headers, code, details) => {
    nock(ZENDESK).put('/api/v2/tickets/5.json').reply(status, { error: 'RecordInvalid', description: 'Nope' }, headers);
    const error = await failureOf(api().updateTicket(update()));
    expect(error).toBeInstanceOf(ZendeskApiError);
    expect(error).toMatchObject({ code, details });
    expect((error as ZendeskApiError).details).toEqual(details);
    expect((error as Error).message).toBe(`PUT /tickets/5: Zendesk answered ${status} (RecordInvalid: Nope)`);
  });

  it('times out a slow answer as UNAVAILABLE', async () => {
    nock(ZENDESK).put('/api/v2/tickets/5.json').delay(500).reply(200, {});
    const error = await failureOf(api(100).updateTicket(update()));
    expect(error).toBeInstanceOf(ZendeskApiError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('timed out') });
  });

  it('reports a network failure as UNAVAILABLE', async () => {
    nock(ZENDESK).put('/api/v2/tickets/5.json').replyWithError('socket hang up');
    const error = await failureOf(api().updateTicket(update()));
    expect(error).toMatchObject({ name: 'ZendeskApiError', code: 'UNAVAILABLE' });
  });
});

describe('NodeZendeskApi.updateMany', () => {
  it('sends each ticket with its own changes and returns the job id', async () => {
    let body: unknown;
    const scope = nock(ZENDESK)
      .put('/api/v2/tickets/update_many.json', (sent: unknown) => {
        body = sent;
        return true;
      })
      .reply(200, { job_status: { id: 'job-1', status: 'queued' } });
    const jobId = await api().updateMany([update(), update({ ticketId: 6, groupId: undefined, priority: undefined, tags: ['x'], internalNote: 'n' })]);
    expect(jobId).toBe('job-1');
    expect(scope.isDone()).toBe(true);
    expect(body).toEqual({
      tickets: [
        {
          id: 5,
          group_id: 1002,
          priority: 'high',
          tags: ['vip', 'cxloop_billing_issue', 'cxloop_tier_high'],
          comment: { body: 'routed to billing', public: false },
          safe_update: true,
          updated_stamp: '2026-11-20T10:00:00Z',
        },
        { id: 6, tags: ['x'], comment: { body: 'n', public: false }, safe_update: true, updated_stamp: '2026-11-20T10:00:00Z' },
      ],
    });
  });

  it.each([0, 101])('rejects %i updates with a RangeError before sending', async (count) => {
    const updates = Array.from({ length: count }, (_, index) => update({ ticketId: index + 1 }));
    await expect(api().updateMany(updates)).rejects.toBeInstanceOf(RangeError);
  });

  it('rejects an answer without a job id', async () => {
    nock(ZENDESK).put('/api/v2/tickets/update_many.json').reply(200, { job_status: {} });
    await expect(api().updateMany([update()])).rejects.toMatchObject({ code: 'REJECTED' });
  });
});

describe('NodeZendeskApi.getJobStatus and jobStatusFromWire', () => {
  it('maps per-ticket results, a failure carrying its error', async () => {
    nock(ZENDESK)
      .get('/api/v2/job_statuses/job-1.json')
      .reply(200, {
        job_status: {
          id: 'job-1',
          status: 'completed',
          results: [
            { id: 5, action: 'update', success: true, status: 'Updated' },
            { id: 6, success: false, error: 'TicketUpdateFailed', details: 'safe update timestamp mismatch' },
            { id: 7, error: 'PermissionDenied' },
            { index: 3, error: 'no id' },
          ],
        },
      });
    expect(await api().getJobStatus('job-1')).toEqual({
      status: 'completed',
      results: [
        { ticketId: 5, success: true },
        { ticketId: 6, success: false, error: 'TicketUpdateFailed' },
        { ticketId: 7, success: false, error: 'PermissionDenied' },
      ],
    });
  });

  it('reads a job without results yet', () => {
    expect(jobStatusFromWire({ status: 'working', results: null })).toEqual({ status: 'working', results: [] });
  });

  it.each([undefined, {}, { status: 'done' }])('rejects an unknown status: %j', (wire) => {
    expect(() => jobStatusFromWire(wire)).toThrow(ZendeskApiError);
  });
});

describe('NodeZendeskApi.exportTickets', () => {
  it('starts at a time in unix seconds, without page[size], and skips unreadable tickets', async () => {
    let query: unknown;
    nock(ZENDESK)
      .get('/api/v2/incremental/tickets/cursor.json')
      .query((actual) => {
        query = actual;
        return true;
      })
      .reply(200, { tickets: [restTicket(5), { id: 'bad' }, restTicket(6)], after_cursor: 'cur-2', end_of_stream: false });
    const page = await api().exportTickets({ startTime: Date.UTC(2026, 10, 20, 9, 0, 0) + 999 });
    expect(query).toEqual({ start_time: String(Date.UTC(2026, 10, 20, 9, 0, 0) / 1000) });
    expect(page.snapshots.map((snapshot) => snapshot.id)).toEqual([5, 6]);
    expect(page.snapshots[0]).toMatchObject({ subject: 'Ticket 5', status: 'open', groupId: 1000, channel: 'email', updatedAt: Date.UTC(2026, 10, 20, 9, 30) });
    expect(page).toMatchObject({ skipped: 1, afterCursor: 'cur-2', endOfStream: false });
  });

  it('continues from a cursor; a missing end_of_stream ends the stream', async () => {
    let query: unknown;
    nock(ZENDESK)
      .get('/api/v2/incremental/tickets/cursor.json')
      .query((actual) => {
        query = actual;
        return true;
      })
      .reply(200, { tickets: [] });
    expect(await api().exportTickets({ cursor: 'cur-2' })).toEqual({ snapshots: [], skipped: 0, afterCursor: null, endOfStream: true });
    expect(query).toEqual({ cursor: 'cur-2' });
  });
});

describe('NodeZendeskApi.getTicket', () => {
  it('maps the ticket, and rejects an unreadable one', async () => {
    nock(ZENDESK).get('/api/v2/tickets/5.json').reply(200, { ticket: restTicket(5) }).get('/api/v2/tickets/6.json').reply(200, { ticket: { id: 6 } });
    expect(await api().getTicket(5)).toMatchObject({ id: 5, subject: 'Ticket 5' });
    await expect(api().getTicket(6)).rejects.toMatchObject({ code: 'REJECTED' });
  });
});

describe('NodeZendeskApi.satisfactionOf', () => {
  it('reads satisfaction_rating.score from GET /tickets/{id}.json, null when there is none', async () => {
    nock(ZENDESK)
      .get('/api/v2/tickets/5.json')
      .matchHeader('authorization', BASIC_AUTH)
      .reply(200, { ticket: { ...restTicket(5), satisfaction_rating: { id: 1234, score: 'bad', comment: 'Sigue sin funcionar' } } })
      .get('/api/v2/tickets/6.json')
      .reply(200, { ticket: { ...restTicket(6), satisfaction_rating: null } });
    expect(await api().satisfactionOf(5)).toBe('bad');
    expect(await api().satisfactionOf(6)).toBeNull();
  });

  it('throws NOT_FOUND for a ticket Zendesk does not show, REJECTED for an answer it cannot read, UNAVAILABLE for a 5xx', async () => {
    nock(ZENDESK)
      .get('/api/v2/tickets/7.json')
      .reply(404, { error: 'RecordNotFound', description: 'Not found' })
      .get('/api/v2/tickets/8.json')
      .reply(200, { ticket: { id: 8, satisfaction_rating: { score: 'great' } } })
      .get('/api/v2/tickets/9.json')
      .reply(503);
    await expect(api().satisfactionOf(7)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api().satisfactionOf(8)).rejects.toMatchObject({ code: 'REJECTED' });
    await expect(api().satisfactionOf(9)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});

describe('NodeZendeskApi.currentUserId', () => {
  it('reads users/me once and caches the id', async () => {
    const scope = nock(ZENDESK).get('/api/v2/users/me.json').times(2).reply(200, { user: { id: 9001 } });
    const zendesk = api();
    expect(await zendesk.currentUserId()).toBe(9001);
    expect(await zendesk.currentUserId()).toBe(9001);
    // One of the two allowed replies is still unused: the second call sent nothing.
    expect(scope.isDone()).toBe(false);
    expect(scope.pendingMocks()).toHaveLength(1);
  });

  it('does not cache a failure', async () => {
    nock(ZENDESK).get('/api/v2/users/me.json').reply(503).get('/api/v2/users/me.json').reply(200, { user: { id: 9001 } });
    const zendesk = api();
    await expect(zendesk.currentUserId()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(await zendesk.currentUserId()).toBe(9001);
  });
});

describe('NodeZendeskApi: the reads of on_routing actions', () => {
  it('reads the requester with the organizations sideload and keeps only well-formed organisations', async () => {
    nock(ZENDESK)
      .matchHeader('authorization', BASIC_AUTH)
      .get('/api/v2/users/501.json')
      .query({ include: 'organizations' })
      .reply(200, { user: { id: 501, organization_id: 7 }, organizations: [{ id: 7, name: 'Acme' }, { id: 'x', name: 'bad' }, { id: 8 }] });
    expect(await api().getRequester(501)).toEqual({ organizations: [{ id: 7, name: 'Acme' }] });
  });

  it("lists the requester's tickets newest first with Zendesk's count; no count is null", async () => {
    nock(ZENDESK)
      .get('/api/v2/users/501/tickets/requested.json')
      .query({ sort_by: 'created_at', sort_order: 'desc', per_page: '4' })
      .reply(200, { tickets: [restTicket(9), { id: 8 }, { subject: 'no id' }], count: 40 })
      .get('/api/v2/users/501/tickets/requested.json')
      .query(true)
      .reply(200, { tickets: [] });
    expect(await api().getRequestedTickets(501, 4)).toEqual({ count: 40, tickets: [{ id: 9, subject: 'Ticket 9' }, { id: 8, subject: '' }] });
    expect(await api().getRequestedTickets(501, 4)).toEqual({ count: null, tickets: [] });
  });

  it('searches articles (no locale: the parameter is left out) and drops results that are not http(s) links', async () => {
    nock(ZENDESK)
      .get('/api/v2/help_center/articles/search.json')
      .query({ query: 'invite team', per_page: '5' })
      .reply(200, {
        results: [
          { title: 'Inviting', html_url: 'https://acme.zendesk.com/hc/en-us/articles/1', snippet: 'to <em>invite</em>' },
          { title: 'Evil', html_url: 'javascript:alert(1)' },
          { title: 'No snippet', html_url: 'https://acme.zendesk.com/hc/en-us/articles/2' },
        ],
      });
    expect(await api().searchArticles('invite team', null, 5)).toEqual([
      { title: 'Inviting', url: 'https://acme.zendesk.com/hc/en-us/articles/1', snippet: 'to <em>invite</em>' },
      { title: 'No snippet', url: 'https://acme.zendesk.com/hc/en-us/articles/2', snippet: '' },
    ]);
  });

  it('fails as every call does: 429 with its Retry-After, 404, a timeout', async () => {
    nock(ZENDESK).get('/api/v2/users/501.json').query(true).reply(429, {}, { 'Retry-After': '30' });
    await expect(api().getRequester(501)).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterMs: 30_000 } });
    nock(ZENDESK).get('/api/v2/help_center/articles/search.json').query(true).reply(404, { error: 'RecordNotFound' });
    await expect(api().searchArticles('x', 'de', 5)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    nock(ZENDESK).get('/api/v2/users/501/tickets/requested.json').query(true).delay(500).reply(200, { tickets: [] });
    await expect(api(100).getRequestedTickets(501, 1)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('timed out') });
  });
});

describe('NodeZendeskApi.userName (Show User)', () => {
  const user = JSON.parse(readFileSync(new URL('../../fixtures/zendesk/rest-user.json', import.meta.url), 'utf8')) as { user: Record<string, unknown> };

  it.each([
    { name: 'an agent', status: 200, body: user, result: 'Johnny Agent' },
    { name: 'a name with spaces around it', status: 200, body: { user: { ...user.user, name: '  Johnny Agent ' } }, result: 'Johnny Agent' },
    { name: 'a user without a name', status: 200, body: { user: { ...user.user, name: '' } }, result: null },
    { name: 'no such user (404)', status: 404, body: { error: 'RecordNotFound', description: 'Not found' }, result: null },
  ])('$name -> $result', async ({ status, body, result }) => {
    const scope = nock(ZENDESK).get('/api/v2/users/35436.json').matchHeader('authorization', BASIC_AUTH).reply(status, body);
    expect(await api().userName(35436)).toBe(result);
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    { status: 500, code: 'UNAVAILABLE' },
    { status: 403, code: 'REJECTED' },
  ])('a $status is an error with code $code, for the caller to fall back on', async ({ status, code }) => {
    nock(ZENDESK).get('/api/v2/users/35436.json').reply(status, {});
    await expect(api().userName(35436)).rejects.toMatchObject({ code });
  });
});

describe('parseRetryAfter', () => {
  it.each<[string | null, number | undefined]>([
    ['2', 2000],
    ['30', 30_000],
    ['0', 0],
    ['-5', 0],
    [null, undefined],
    ['', undefined],
    ['   ', undefined],
    ['soon', undefined],
  ])('%j -> %s', (header, expected) => {
    expect(parseRetryAfter(header)).toBe(expected);
  });

  it('reads an HTTP date as the time until then', () => {
    const inAMinute = new Date(Date.now() + 60_000).toUTCString();
    const ms = parseRetryAfter(inAMinute);
    expect(ms).toBeGreaterThan(55_000);
    expect(ms).toBeLessThanOrEqual(60_000);
  });
});
