import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../src/app/ports.js';
import type { Policy } from '../../../src/config/policy-schema.js';
import { settle, type Cxloop } from '../../../src/main.js';
import { nockSlackApi, type SlackCall } from '../../support/slack-fixtures.js';
import { nockZendeskReads, nockZendeskWrites, policyWithGroups, postSigned, startLive, tearDown, ticketEvent, uniquePrefix, waitFor, ZENDESK_URL, type RecordedPut, type TicketDetail } from '../../support/zendesk-fixtures.js';

/**
 * Public comments to the requester, against Zendesk faked at its HTTP boundary (real server,
 * Redis, BullMQ workers, an injected clock): the exact bodies sent, the cadence, the language
 * fallback, the quiet tag, and retries that never comment twice.
 */
const T0 = Date.parse('2026-11-23T09:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const AGENT = 7001;
const REQUESTER = 501;
const LINK = /https?:\/\/127\.0\.0\.1:\d+\/status\/[A-Za-z0-9_-]{43}/;

interface Requester {
  locale: string;
  timeZone: string;
  tags?: string[];
}

/** The shipped policy with bug reports of the normal tier opted in (acknowledge 1 h; status cadence 24 h; resolve 72 h). */
function optedIn(): Policy {
  const policy = policyWithGroups();
  return { ...policy, customers: { ...policy.customers, updates: { ...policy.customers.updates, tiers: ['normal'], categories: ['bug_report'] } } };
}

describe('public comments to the requester (Zendesk faked with nock)', () => {
  let prefix: string;
  let app: Cxloop | undefined;
  let clock: number;
  let puts: RecordedPut[];
  let slackCalls: SlackCall[];
  let logs: { level: string; message: string; fields: Record<string, unknown> }[];
  let requesters: Map<number, Requester>;
  let tickets: Map<number, TicketDetail>;
  let views: number[];
  const logger: Logger = { log: (level, message, fields = {}) => void logs.push({ level, message, fields: { ...fields } }) };

  beforeEach(() => {
    prefix = uniquePrefix();
    clock = T0;
    puts = [];
    slackCalls = [];
    logs = [];
    views = [];
    requesters = new Map();
    tickets = new Map();
    nockZendesk();
  });
  afterEach(async () => {
    await tearDown(app, prefix);
    app = undefined;
  });

  /** Zendesk and Slack as every test has them; `first` registers interceptors that must win over the catch-all writes. */
  function nockZendesk(first: () => void = () => undefined): void {
    nockZendeskReads();
    first();
    nockZendeskWrites(puts);
    nockSlackApi(slackCalls);
    // Show Ticket with the users sideload: the ticket's tags (as cxloop wrote them) and its requester.
    nock(ZENDESK_URL)
      .persist()
      .get(/\/api\/v2\/tickets\/\d+\.json/)
      .query({ include: 'users' })
      .reply((uri) => {
        const id = Number(/tickets\/(\d+)/.exec(uri)?.[1]);
        views.push(id);
        const requester = requesters.get(id);
        const tags = [...(tickets.get(id)?.tags ?? []), ...(requester?.tags ?? [])];
        return [200, { ticket: { id, tags, requester_id: REQUESTER }, users: [{ id: AGENT, locale: 'en-US' }, { id: REQUESTER, locale: requester?.locale, iana_time_zone: requester?.timeZone }] }];
      });
  }

  async function start(policy = optedIn()): Promise<Cxloop> {
    app = await startLive(prefix, { policy, logger, now: () => clock, slack: { sender: { intervalMs: 5 } } });
    return app;
  }

  const publicComments = (id: number) => puts.filter((put) => put.path === `/api/v2/tickets/${id}.json` && (put.body.ticket?.comment as { public?: boolean } | undefined)?.public === true).map((put) => put.body);

  async function post(type: string, detail: TicketDetail, event: Record<string, unknown> = {}): Promise<void> {
    const response = await postSigned(app!.http.url, ticketEvent(type, detail, { event }), { at: clock });
    expect(response.status).toBe(200);
    await settle(app!, 20_000);
  }

  /** A bug report opened now by the requester, routed by cxloop (its tags and group then on the ticket). */
  async function open(id: number, requester: Requester): Promise<void> {
    requesters.set(id, requester);
    const detail: TicketDetail = { id, subject: 'App crashes when I upload a photo', description: 'Since the last update the app closes every time I pick a photo.', status: 'new', priority: 'normal', created_at: iso(clock - 2 * MINUTE), updated_at: iso(clock - 2 * MINUTE), tags: ['web_widget'] };
    tickets.set(id, detail);
    await post('created', detail);
    const routing = await waitFor(() => puts.find((put) => put.path === `/api/v2/tickets/${id}.json` && put.body.ticket?.tags), 10_000, 'the routing write');
    tickets.set(id, { ...detail, tags: routing.body.ticket!.tags as string[], group_id: routing.body.ticket!.group_id as number });
  }

  async function change(id: number, type: string, changes: Partial<TicketDetail>, event: Record<string, unknown> = {}): Promise<void> {
    const detail = { ...tickets.get(id)!, ...changes, updated_at: iso(clock), actor_id: AGENT };
    tickets.set(id, detail);
    await post(type, detail, event);
  }

  const assign = (id: number) => change(id, 'agent_assignment_changed', { assignee_id: AGENT, status: 'open' });
  const setStatus = (id: number, status: string) => change(id, 'status_changed', { status }, { current: status.toUpperCase(), previous: 'OPEN' });

  it('acknowledged: one comment in German, the ETA and next update in Berlin time, and a working status link', async () => {
    await start();
    await open(4101, { locale: 'de', timeZone: 'Europe/Berlin' });
    expect(publicComments(4101)).toEqual([]);
    clock = T0 + 10 * MINUTE;
    await assign(4101);
    const [comment, ...more] = publicComments(4101);
    expect(more).toEqual([]);
    const body = (comment!.ticket!.comment as { body: string }).body;
    const link = LINK.exec(body)?.[0];
    expect(comment).toEqual({ ticket: { comment: { public: true, body } } });
    expect(body).toBe(
      [
        'Guten Tag,',
        '',
        'wir kümmern uns darum: Ihre Anfrage #4101 wird von einer Fachkraft bearbeitet.',
        // Resolve target 72 h after opening; the next update is due 24 h after the acknowledgement.
        'Wir rechnen mit einer Lösung bis 26. Nov. 2026, 10:00 MEZ.',
        'Sie hören spätestens bis 24. Nov. 2026, 10:10 MEZ wieder von uns.',
        `Den Stand sehen Sie jederzeit hier: ${link}`,
      ].join('\n'),
    );
    const page = await fetch(link!);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('Eine Fachkraft bearbeitet sie');
    expect(html).toContain('App crashes when I upload a photo');
  });

  it('revised ETA: after the missed update, with the ETA moved by the time the ticket waited on the requester', async () => {
    await start();
    await open(4102, { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' });
    clock = T0 + 10 * MINUTE;
    await assign(4102);
    clock = T0 + HOUR;
    await setStatus(4102, 'pending');
    clock = T0 + 5 * HOUR;
    await change(4102, 'status_changed', { status: 'open' }, { current: 'OPEN', previous: 'PENDING' });
    // The 24 h status cadence runs out with no update from the team.
    clock = T0 + 10 * MINUTE + 24 * HOUR;
    await settle(app!, 20_000);
    const bodies = publicComments(4102).map((put) => (put.ticket!.comment as { body: string }).body);
    expect(bodies).toHaveLength(2);
    const link = LINK.exec(bodies[0]!)?.[0];
    expect(bodies[1]).toBe(
      [
        'Olá,',
        '',
        'Continuamos trabalhando na sua solicitação #4102, mas está levando mais tempo do que o previsto. Pedimos desculpas pela espera.',
        // 72 h after opening plus the 4 h the ticket was pending: 26 Nov 13:00 UTC.
        'Nossa nova estimativa de resolução é 26 de nov. de 2026, 10:00 BRT.',
        `Acompanhe o andamento aqui: ${link}`,
      ].join('\n'),
    );
  });

  it('a requester language without texts gets English, with times in their own time zone', async () => {
    await start();
    await open(4103, { locale: 'ja', timeZone: 'Asia/Tokyo' });
    clock = T0 + 10 * MINUTE;
    await assign(4103);
    const body = (publicComments(4103)[0]!.ticket!.comment as { body: string }).body;
    expect(body.split('\n').slice(0, 4)).toEqual(['Hello,', '', 'A specialist is on it: your request #4103 is being worked on.', 'We expect to resolve it by Nov 26, 2026, 06:00 PM GMT+9.']);
    expect(logs.find((entry) => entry.message === 'public comment sent to the requester')?.fields).toEqual({ ticketId: 4103, kind: 'acknowledged', language: 'en', fellBackToEnglish: true });
  });

  it('never more often than the tier cadence: "solved" 10 minutes after "acknowledged" waits for the cadence, then goes out', async () => {
    await start();
    await open(4104, { locale: 'de', timeZone: 'Europe/Berlin' });
    clock = T0 + 10 * MINUTE;
    await assign(4104);
    clock = T0 + 20 * MINUTE;
    await setStatus(4104, 'solved');
    expect(publicComments(4104)).toHaveLength(1);
    const waiting = (await app!.queues.routes.getDelayed()).filter((job) => job.name === 'customer_update');
    expect(waiting.map((job) => job.data)).toEqual([expect.objectContaining({ ticketId: 4104, kind: 'solved' })]);
    expect(logs.find((entry) => entry.message === 'public comment not sent: cadence')?.fields).toEqual({ ticketId: 4104, kind: 'solved', until: iso(T0 + 10 * MINUTE + 24 * HOUR) });
    // Still too soon: it waits again.
    clock = T0 + 12 * HOUR;
    await waiting[0]!.promote();
    await settle(app!, 20_000);
    expect(publicComments(4104)).toHaveLength(1);
    clock = T0 + 10 * MINUTE + 24 * HOUR;
    const again = (await app!.queues.routes.getDelayed()).filter((job) => job.name === 'customer_update');
    expect(again).toHaveLength(1);
    await again[0]!.promote();
    await settle(app!, 20_000);
    const bodies = publicComments(4104).map((put) => (put.ticket!.comment as { body: string }).body);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toBe(
      [
        'Guten Tag,',
        '',
        'Ihre Anfrage #4104 ist gelöst. Wir behalten sie noch einige Tage im Blick, damit das Problem nicht wiederkehrt; falls doch noch etwas nicht stimmt, antworten Sie einfach auf diese Nachricht.',
        `Zum Stand: ${LINK.exec(bodies[0]!)?.[0]}`,
      ].join('\n'),
    );
  });

  it('the quiet tag: an agent tagged the ticket cxloop_quiet, so its requester gets nothing', async () => {
    await start();
    await open(4105, { locale: 'de', timeZone: 'Europe/Berlin', tags: ['cxloop_quiet'] });
    clock = T0 + 10 * MINUTE;
    await assign(4105);
    expect(views).toContain(4105);
    expect(publicComments(4105)).toEqual([]);
    expect(logs.some((entry) => entry.message === 'public comment not sent: quiet' && entry.fields.ticketId === 4105)).toBe(true);
  });

  it('not opted in (the shipped policy): no read, no comment', async () => {
    await start(policyWithGroups());
    await open(4106, { locale: 'de', timeZone: 'Europe/Berlin' });
    clock = T0 + 10 * MINUTE;
    await assign(4106);
    expect(views).toEqual([]);
    expect(publicComments(4106)).toEqual([]);
  });

  it('a retry after Zendesk failed mid-call looks for the comment first and does not send it twice', async () => {
    // The first public comment gets a 500 (Zendesk may have stored it), and it did: the comments list shows it.
    let stored = '';
    nock.cleanAll();
    nockZendesk(() =>
      nock(ZENDESK_URL)
        .put('/api/v2/tickets/4107.json', (body: { ticket?: { comment?: { public?: boolean; body?: string } } }) => {
          if (body.ticket?.comment?.public !== true) return false;
          stored = body.ticket.comment.body ?? '';
          return true;
        })
        .reply(500, { error: 'InternalError' }),
    );
    const listed = nock(ZENDESK_URL)
      .get('/api/v2/tickets/4107/comments.json')
      .query({ sort_order: 'desc', per_page: '10' })
      .reply(() => [200, { comments: [{ id: 2, public: true, body: stored.replace(/\n/g, '\r\n'), author_id: 9001 }, { id: 1, public: true, body: 'Since the last update...' }] }]);
    await start();
    await open(4107, { locale: 'de', timeZone: 'Europe/Berlin' });
    clock = T0 + 10 * MINUTE;
    await assign(4107);
    await waitFor(() => listed.isDone(), 20_000, 'the retry to read the comments');
    await settle(app!, 20_000);
    expect(stored).toContain('Ihre Anfrage #4107');
    expect(publicComments(4107)).toEqual([]);
    expect(logs.some((entry) => entry.message === 'public comment not sent: duplicate' && entry.fields.ticketId === 4107)).toBe(true);
  });
});

function iso(at: number): string {
  return new Date(at).toISOString();
}
