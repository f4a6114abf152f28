import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signZendeskPayload } from '../../../src/adapters/zendesk/verify-signature.js';
import type { Cxloop } from '../../../src/main.js';
import { dropPrefix, groupOf, postSigned as postSignedAt, startLive, ticketEvent, uniquePrefix, waitFor, waitForIdle, ZENDESK_URL, nockZendeskReads } from '../../support/zendesk-fixtures.js';

/** cxloop's clock in this file: every date below is relative to it, never to the day the test runs. */
const NOW = Date.parse('2026-11-22T10:05:00Z');
const postSigned: typeof postSignedAt = (url, body, options = {}) => postSignedAt(url, body, { at: NOW, ...options });

/** Real server on port 0, real Redis and BullMQ workers, cxloop's clock fixed at NOW; Zendesk faked by nock at its HTTP boundary. */
describe('POST /webhooks/zendesk', () => {
  const prefix = uniquePrefix();
  let app: Cxloop;
  const puts: { path: string; body: { ticket: Record<string, unknown> } }[] = [];

  beforeAll(async () => {
    nockZendeskReads();
    nock(ZENDESK_URL)
      .persist()
      .put(/\/api\/v2\/tickets\/\d+\.json/, (body: { ticket: Record<string, unknown> }) => {
        puts.push({ path: '', body });
        return true;
      })
      .reply(200, (path) => {
        const last = puts.at(-1);
        if (last) last.path = path;
        return { ticket: {} };
      });
    app = await startLive(prefix, { now: () => NOW });
  });
  afterEach(() => {
    puts.length = 0;
  });
  afterAll(async () => {
    await app.stop();
    nock.cleanAll();
    nock.enableNetConnect();
    await dropPrefix(prefix);
  });

  it('accepts a signed ticket.created event and routes it with one Update Ticket call', async () => {
    const created = new Date(NOW - 5 * 60_000).toISOString().replace('.000Z', 'Z'); // 2026-11-22T10:00:00Z, as Zendesk writes it
    const response = await postSigned(app.http.url, ticketEvent('created', { id: 101, tags: ['web_widget', 'agent_tag'], created_at: created }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'accepted' });
    await waitFor(() => puts.length === 1, 10_000, 'the routing write');
    expect(puts[0]!.path).toBe('/api/v2/tickets/101.json');
    const ticket = puts[0]!.body.ticket;
    expect(ticket).toEqual({
      group_id: groupOf('billing_issue'),
      tags: ['web_widget', 'agent_tag', 'cxloop_billing_issue', 'cxloop_tier_normal'],
      comment: { body: expect.any(String), public: false },
      safe_update: true,
      updated_stamp: created,
    });
    const note = (ticket.comment as { body: string }).body;
    expect(note).toContain('Billing issue (billing_issue)');
    expect(note).toMatch(/Confidence \d\.\d\d/);
    expect(note).toMatch(/"(charged twice|refund\*?|payment\*?)"/);
    expect(note).toContain('Acknowledge within 2h (by 2026-11-22 12:00 UTC)');
  });

  it("routes a ticket.created that carries event.current and no event.previous, as Zendesk's own example does", async () => {
    const created = new Date(NOW - 60_000).toISOString();
    const body = ticketEvent('created', { id: 106, created_at: created }, { event: { current: { id: '106', status: 'NEW', subject: 'Charged twice for my subscription' } } });
    expect(await (await postSigned(app.http.url, body)).json()).toEqual({ status: 'accepted' });
    await waitFor(() => puts.some((put) => put.path === '/api/v2/tickets/106.json'), 10_000, 'the routing write');
    expect(await app.queues.events.getFailedCount()).toBe(0);
  });

  it('answers a second delivery of the same event as a duplicate and routes once', async () => {
    const body = ticketEvent('created', { id: 102, created_at: new Date(NOW - 60_000).toISOString() }, { eventId: 'evt-dup-102' });
    const first = await postSigned(app.http.url, body);
    const second = await postSigned(app.http.url, body);
    expect(await first.json()).toEqual({ status: 'accepted' });
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ status: 'duplicate' });
    await waitFor(() => puts.length >= 1, 10_000, 'the routing write');
    await waitForIdle(app);
    expect(puts.filter((put) => put.path === '/api/v2/tickets/102.json')).toHaveLength(1);
    // Once its job is done and removed, a late retry of the same delivery is still a duplicate (24 h window).
    expect(await (await postSigned(app.http.url, body)).json()).toEqual({ status: 'duplicate' });
    expect(await app.queues.events.count()).toBe(0);
  });

  it('rejects a bad signature with 401 and stores nothing', async () => {
    const body = ticketEvent('created', { id: 103 });
    const response = await postSigned(app.http.url, body, { signature: signZendeskPayload(body, new Date(NOW).toISOString(), 'wrong-secret') });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toMatch(/ZENDESK_WEBHOOK_SECRET/);
    expect(await app.queues.events.count()).toBe(0);
  });

  it('rejects a body changed after signing', async () => {
    const body = ticketEvent('created', { id: 104 });
    const timestamp = new Date(NOW).toISOString();
    const signature = signZendeskPayload(body, timestamp, 'whsec-test-0123456789');
    const response = await postSigned(app.http.url, body.replace('Charged twice', 'Charged thrice'), { timestamp, signature });
    expect(response.status).toBe(401);
  });

  it('rejects missing signature headers and timestamps outside the 5 minute window', async () => {
    const body = ticketEvent('created', { id: 105 });
    const unsigned = await fetch(`${app.http.url}/webhooks/zendesk`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(unsigned.status).toBe(401);
    const stale = await postSigned(app.http.url, body, { timestamp: new Date(NOW - 6 * 60_000).toISOString() });
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { error: string }).error).toMatch(/window/);
    const future = await postSigned(app.http.url, body, { timestamp: new Date(NOW + 6 * 60_000).toISOString() });
    expect(future.status).toBe(401);
    const unix = await postSigned(app.http.url, body, { timestamp: String(Math.floor(NOW / 1000)) });
    expect(unix.status).toBe(401);
  });

  it('answers 413 to a body over the size cap', async () => {
    const huge = JSON.stringify({ padding: 'x'.repeat(300 * 1024) });
    const response = await postSigned(app.http.url, huge);
    expect(response.status).toBe(413);
  });

  it('answers 400 with a short reason to bad JSON and to a body that is not a Zendesk event', async () => {
    const broken = await postSigned(app.http.url, '{"type": "zen:event-type:ticket.created",');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ error: 'body is not valid JSON' });
    const wrongShape = await postSigned(app.http.url, JSON.stringify({ type: 'zen:event-type:ticket.created', id: 'e1', time: '2026-11-22T10:00:00Z', detail: { id: 'abc' } }));
    expect(wrongShape.status).toBe(400);
    expect(((await wrongShape.json()) as { error: string }).error).toMatch(/^detail\.id: /);
    const noType = await postSigned(app.http.url, JSON.stringify({ hello: 'world' }));
    expect(noType.status).toBe(400);
    expect(((await noType.json()) as { error: string }).error).toMatch(/^type: /);
  });

  it('acknowledges events of other resources without storing them', async () => {
    const body = JSON.stringify({ type: 'zen:event-type:user.created', id: 'u1', time: '2026-11-22T10:00:00Z', detail: { id: '7' } });
    const response = await postSigned(app.http.url, body);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ignored' });
  });

  it('only accepts POST', async () => {
    const response = await fetch(`${app.http.url}/webhooks/zendesk`);
    expect(response.status).toBe(405);
  });
});

describe('cxloop serve --role web', () => {
  it('accepts webhooks into the queue and leaves them for worker processes', async () => {
    const prefix = uniquePrefix();
    const web = await startLive(prefix, { role: 'web', now: () => NOW });
    try {
      const response = await postSigned(web.http.url, ticketEvent('created', { id: 901 }));
      expect(await response.json()).toEqual({ status: 'accepted' });
      // "accepted" is said only once the job is in Redis, so it is there now; and nothing takes it.
      expect(await web.queues.events.getWaitingCount()).toBe(1);
      expect(await web.queues.events.getWorkers()).toHaveLength(0);
    } finally {
      await web.stop();
      await dropPrefix(prefix);
    }
  });
});
