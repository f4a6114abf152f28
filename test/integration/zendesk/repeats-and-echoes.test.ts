import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Cxloop } from '../../../src/main.js';
import {
  corrections,
  echoWrites,
  routingWrites,
  startFakeZendesk,
  startLiveOnFake,
  waitForRouted,
  webhookOf,
  zendeskTime,
  type FakeTicket,
  type FakeZendesk,
} from '../../support/fake-zendesk-fixtures.js';
import { dropPrefix, postSigned, uniquePrefix, waitFor, waitForIdle } from '../../support/zendesk-fixtures.js';

/** cxloop's and the fake Zendesk's clock (fixed): every ticket time is relative to it. */
const NOW = Date.parse('2026-11-22T10:00:00Z');
const REQUESTER = 501;

/**
 * Every delivery three times, out of order, and Zendesk's echo of each of cxloop's own writes
 * (a tags_changed webhook by cxloop's API user with the ticket after the write), through the real
 * server, Redis and BullMQ workers against the fake Zendesk. Counted in the fake: how many routing
 * writes (cxloop's routing note) reached each ticket, and which overrides cxloop recorded.
 */
describe('one routing write per ticket and no false override under repeats, reordering and echoes', () => {
  let prefix: string;
  let fake: FakeZendesk | undefined;
  let app: Cxloop | undefined;

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await fake?.close();
    fake = undefined;
    await dropPrefix(prefix);
  });

  async function startFake(): Promise<FakeZendesk> {
    prefix = uniquePrefix();
    fake = await startFakeZendesk({ now: () => NOW, jobDelayMs: 200 });
    return fake;
  }

  /** A delivery and its two repeats (Zendesk retries keep the event id), sent at once. */
  async function deliverThrice(body: string): Promise<void> {
    const answers = await Promise.all([0, 1, 2].map(() => postSigned(app!.http.url, body, { at: NOW })));
    for (const answer of answers) expect(answer.status).toBe(200);
  }

  /** A second event of the ticket at the same version (Zendesk sends one per change it made), e.g. the requester's comment. */
  function sameVersion(ticket: FakeTicket): string {
    return webhookOf(ticket, 'comment_added', { actorId: REQUESTER, eventId: randomUUID(), event: { comment: { is_public: true, author: { id: String(REQUESTER) } } } });
  }

  /** Lets the held echoes go, then waits until they and whatever they caused (writes echo again) are handled. */
  async function releaseEchoes(echoes: ReturnType<typeof echoWrites>): Promise<void> {
    echoes.release();
    for (let round = 0; round < 2; round += 1) {
      await echoes.settled();
      await waitForIdle(app!);
    }
  }

  function seed(zendesk: FakeZendesk, id: number, minutesAgo: number): FakeTicket {
    const at = zendeskTime(NOW - minutesAgo * 60_000);
    return zendesk.seed({ id, subject: 'Charged twice for my subscription', description: 'please refund the duplicate payment', tags: ['web_widget'], created_at: at, updated_at: at });
  }

  it('30 tickets, each event delivered three times: parallel duplicates, a status change before the creation, a newer snapshot while the write waits, the same version late, a quiet batch', async () => {
    const zendesk = await startFake();
    app = await startLiveOnFake(prefix, zendesk, { now: () => NOW });
    // Zendesk's echoes of cxloop's writes come at once for half the tickets, late for the others.
    const echoes = echoWrites(zendesk, () => app, () => NOW, (id) => id % 2 === 1);
    await app.queues.backlog.pause();
    const ids = Array.from({ length: 30 }, (_, index) => 1_001 + index);
    const late: string[] = [];
    const deliveries: Promise<void>[] = [];
    for (const [index, id] of ids.entries()) {
      const ticket = seed(zendesk, id, 20);
      const created = webhookOf(ticket, 'created');
      const kind = index % 5;
      if (kind === 0) {
        // Parallel duplicates: the creation and another event at the same version, at once.
        deliveries.push(deliverThrice(created), deliverThrice(sameVersion(ticket)));
      } else if (kind === 1 || kind === 2) {
        // The ticket moved on before cxloop wrote it: an agent opened it (or raised its priority).
        ticket.updated_at = zendeskTime(NOW - 10 * 60_000);
        if (kind === 1) ticket.status = 'open';
        else ticket.priority = 'high';
        const newer = webhookOf(ticket, kind === 1 ? 'status_changed' : 'priority_changed', { actorId: 777 });
        // The status change arrives before the creation; the priority change after it, while the write waits.
        deliveries.push(kind === 1 ? deliverThrice(newer).then(() => deliverThrice(created)) : deliverThrice(created).then(() => deliverThrice(newer)));
      } else {
        deliveries.push(deliverThrice(created));
        // The same version again, after cxloop has written the ticket.
        if (kind === 3) late.push(sameVersion(ticket));
      }
    }
    await Promise.all(deliveries);
    // The writes wait until every ticket is classified: one quiet backlog, routed through update_many.
    await waitFor(async () => (await app!.queues.backlog.waiting()).count === ids.length && (await app!.queues.events.count()) === 0, 15_000, 'every ticket classified');
    await app.queues.backlog.resume();
    await waitForRouted(zendesk, ids);
    await waitForIdle(app);
    for (const body of late) await deliverThrice(body);
    await releaseEchoes(echoes);

    // One update_many for the backlog; the ticket that changed while its write waited was written on its newer version: no 409.
    expect(zendesk.stats).toMatchObject({ updateManyCalls: 1, updateCalls: 0, conflicts: 0 });
    expect(Object.fromEntries(ids.map((id) => [id, routingWrites(zendesk.tickets.get(id)!)]))).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
    expect(await corrections(prefix)).toEqual([]);
  }, 60_000);

  it('first start: the reconciliation reads tickets whose webhooks are arriving too; nobody touched them, so no override', async () => {
    const zendesk = await startFake();
    const ids = Array.from({ length: 30 }, (_, index) => 2_001 + index);
    const tickets = ids.map((id, index) => seed(zendesk, id, 50 - index));
    const created = tickets.map((ticket) => webhookOf(ticket, 'created'));
    const again = tickets.map((ticket) => sameVersion(ticket));
    app = await startLiveOnFake(prefix, zendesk, { now: () => NOW });
    const echoes = echoWrites(zendesk, () => app, () => NOW, (id) => id % 2 === 1);
    // The first reconciliation (the last hour of the export) runs as the webhooks come in.
    await Promise.all(created.map((body) => deliverThrice(body)));
    await waitForRouted(zendesk, ids);
    await waitForIdle(app);
    // Zendesk's other event of each creation, and repeats, after cxloop wrote the tickets.
    for (const body of again) await deliverThrice(body);
    await releaseEchoes(echoes);

    expect(zendesk.requests.some((entry) => entry.path === '/api/v2/incremental/tickets/cursor.json')).toBe(true);
    expect(await corrections(prefix)).toEqual([]);
    expect(Object.fromEntries(ids.map((id) => [id, routingWrites(zendesk.tickets.get(id)!)]))).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
  }, 60_000);
});
