import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { RedisSlackOutbox } from '../../../src/adapters/redis/redis-slack-outbox.js';
import type { Logger, Notifier } from '../../../src/app/ports.js';
import type { Effect } from '../../../src/core/loop/loop-types.js';
import { settle, type Cxloop } from '../../../src/main.js';
import { dropPrefix, nockZendeskReads, postSigned, REDIS_URL, startLive, ticketEventPages, ticketEventReads, uniquePrefix, waitFor, ZENDESK_URL } from '../../support/zendesk-fixtures.js';

/** Zendesk's payloads from test/fixtures/zendesk (see its README for the source of each), posted signed to the real server. */
const fixture = (file: string): string => readFileSync(new URL(`../../fixtures/zendesk/${file}`, import.meta.url), 'utf8');
/** The moment a fixture happened in Zendesk: cxloop's clock is set to it before the fixture is posted. */
const timeOf = (body: string): number => {
  const parsed = JSON.parse(body) as { time?: string; updated_at?: string };
  return Date.parse(parsed.time ?? parsed.updated_at ?? '');
};
const TICKET = 5158;

describe('Zendesk payloads through the real server (Redis, BullMQ workers, injected clock; Zendesk faked with nock)', () => {
  let prefix: string;
  let app: Cxloop | undefined;
  let redis: Redis;
  let clock: number;
  let notified: Effect[];
  let warnings: { message: string; fields: Record<string, unknown> }[];
  let ticketReads: number;

  const notifier: Notifier = {
    async notify(_ticketId, effect) {
      notified.push(effect);
    },
  };
  const logger: Logger = {
    log(level, message, fields = {}) {
      if (level === 'warn') warnings.push({ message, fields: { ...fields } });
    },
  };

  beforeEach(async () => {
    prefix = uniquePrefix();
    redis = new Redis(REDIS_URL);
    notified = [];
    warnings = [];
    ticketReads = 0;
    clock = 0;
    nockZendeskReads();
    nock(ZENDESK_URL).persist().put(/\/api\/v2\/tickets\/\d+\.json/).reply(200, { ticket: {} });
    app = await startLive(prefix, { now: () => clock, notifier, logger });
  });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    redis.disconnect();
    nock.cleanAll();
    nock.enableNetConnect();
    await dropPrefix(prefix);
  });

  /** Posts a fixture at the moment it happened and waits until cxloop has done everything it causes. */
  async function post(file: string): Promise<unknown> {
    const body = fixture(file);
    clock = Math.max(clock, timeOf(body) + 1_000);
    const response = await postSigned(app!.http.url, body, { at: clock });
    expect(response.status, file).toBe(200);
    const answer = await response.json();
    await settle(app!, 15_000);
    return answer;
  }

  /** Zendesk's answer to GET /tickets/5158.json: the ticket with the satisfaction score the customer gave. */
  function zendeskShowsRating(score: 'good' | 'bad'): void {
    const ticket = (JSON.parse(fixture('rest-ticket.json')) as { ticket: Record<string, unknown> }).ticket;
    nock(ZENDESK_URL)
      .persist()
      .get(`/api/v2/tickets/${TICKET}.json`)
      .reply(() => {
        ticketReads += 1;
        return [200, { ticket: { ...ticket, id: TICKET, status: 'solved', satisfaction_rating: { id: 1234, score, comment: '' } } }];
      });
  }

  const loop = async () => (await app!.loops.get(TICKET))?.state;
  const brief = () => new RedisSlackOutbox(redis, createRedisKeys(prefix)).get(TICKET);
  const statusTexts = () => notified.filter((effect) => effect.type === 'publish_status').map((effect) => (effect as { text: string }).text);

  it('a ticket.created payload opens a loop and keeps a brief; ticket.status_changed to archived ends the loop as closed does', async () => {
    expect(await post('ticket-created.json')).toEqual({ status: 'accepted' });
    expect(await loop()).toMatchObject({ stage: 'routed', zendeskStatus: 'new' });
    expect(await brief()).toMatchObject({ subject: 'Charged twice for my subscription' });

    expect(await post('ticket-status-changed-archived.json')).toEqual({ status: 'accepted' });
    expect(await loop()).toMatchObject({ stage: 'closed', zendeskStatus: 'archived', timers: {} });
    expect(statusTexts().at(-1)).toBe('Archived in Zendesk without being solved.');
    expect(await app!.queues.loopTimers.scheduled()).toEqual([]);
  });

  it('ticket.status_changed to scrubbed ends the loop and leaves no brief of the ticket in Redis', async () => {
    await post('ticket-created.json');
    expect(await brief()).not.toBeNull();

    expect(await post('ticket-status-changed-scrubbed.json')).toEqual({ status: 'accepted' });
    expect(await loop()).toMatchObject({ stage: 'closed', zendeskStatus: 'scrubbed', timers: {} });
    expect(await brief()).toBeNull();
    const ticketHash = await redis.hgetall(createRedisKeys(prefix).ticket(TICKET));
    expect(Object.keys(ticketHash).filter((field) => /^b(\d+|n)$/.test(field))).toEqual([]);
    expect(await redis.exists(createRedisKeys(prefix).ticketBrief(TICKET))).toBe(0);
    expect(statusTexts().at(-1)).toBe('The ticket was deleted in Zendesk and its text erased; cxloop no longer keeps it.');
  });

  describe('CSAT on a solved ticket, whatever the requester\'s language', () => {
    beforeEach(async () => {
      await post('ticket-created.json');
      await post('ticket-status-changed-solved.json');
      expect(await loop()).toMatchObject({ stage: 'acted', zendeskStatus: 'solved' });
    });

    it('the current trigger\'s body (a literal score, a Spanish comment) is applied without reading Zendesk', async () => {
      zendeskShowsRating('good'); // would contradict the body: it must not be read
      expect(await post('csat-trigger-bad.json')).toEqual({ status: 'accepted' });
      expect(await loop()).toMatchObject({ stage: 'follow_up', csat: 'bad' });
      // Due when the loop's follow-up deadline (loop.follow_up_sla) is.
      const due = (await loop())!.timers.ack_breach;
      expect(due).toEqual(expect.any(Number));
      expect(notified).toContainEqual({ type: 'csat_follow_up', reason: 'detractor', dueAt: due });
      expect(ticketReads).toBe(0);
      expect(warnings).toEqual([]);
    });

    it('an old trigger\'s body with a German rating ("Gut, ich bin zufrieden") is accepted, its score read from Zendesk, and verifies the loop', async () => {
      zendeskShowsRating('good');
      expect(await post('csat-legacy-rating-de.json')).toEqual({ status: 'accepted' });
      expect(await loop()).toMatchObject({ stage: 'verified', csat: 'good' });
      expect(ticketReads).toBe(1);
      expect(warnings).toContainEqual({ message: expect.stringContaining('run `cxloop install zendesk` to update the trigger'), fields: { ticketId: TICKET } });
    });

    it('an old trigger\'s body with a Spanish rating ("Malo, no estoy satisfecho") is read back as bad and opens the detractor follow-up', async () => {
      zendeskShowsRating('bad');
      expect(await post('csat-legacy-rating-es.json')).toEqual({ status: 'accepted' });
      expect(await loop()).toMatchObject({ stage: 'follow_up', csat: 'bad' });
      // Due when the loop's follow-up deadline (loop.follow_up_sla) is.
      const due = (await loop())!.timers.ack_breach;
      expect(due).toEqual(expect.any(Number));
      expect(notified).toContainEqual({ type: 'csat_follow_up', reason: 'detractor', dueAt: due });
      expect(ticketReads).toBe(1);
    });

    it('an old trigger\'s English body is read as before, without a Zendesk read', async () => {
      zendeskShowsRating('good');
      expect(await post('csat-legacy-rating-en.json')).toEqual({ status: 'accepted' });
      expect(await loop()).toMatchObject({ stage: 'follow_up', csat: 'bad' });
      expect(ticketReads).toBe(0);
    });

    it('a survey response (current CSAT: 2 on a 5-point scale) read from the ticket event export opens the detractor follow-up; one without a rating is logged and left out', async () => {
      await waitFor(() => ticketEventReads.length >= 1, 10_000, 'the first read of the ticket event export, at start');
      ticketEventPages.push(JSON.parse(fixture('incremental-ticket-events-survey.json')));
      clock = Math.max(clock, Date.parse('2025-01-09T12:10:00Z'));
      await app!.queues.maintenance.add('reconcile', {});
      await waitFor(() => ticketEventReads.length >= 2, 10_000, 'the ticket event export read again');
      await waitFor(async () => (await loop())?.stage === 'follow_up', 10_000, 'the follow-up');
      await settle(app!, 15_000);
      expect(await loop()).toMatchObject({ stage: 'follow_up', csat: 'bad' });
      const due = (await loop())!.timers.ack_breach;
      expect(notified).toContainEqual({ type: 'csat_follow_up', reason: 'detractor', dueAt: due });
      // Read from one minute before the clock at most (the export leaves out the latest minute), in unix seconds.
      expect(new URL(ticketEventReads[1]!, ZENDESK_URL).searchParams.get('start_time')).toMatch(/^\d{10}$/);
      expect(warnings).toContainEqual({ message: expect.stringContaining('survey responses without a readable rating were left out'), fields: { unreadable: 1 } });
      expect(await redis.hgetall(createRedisKeys(prefix).csatReceived)).toEqual({ 'survey:at': String(Date.parse('2025-01-09T12:00:00Z')), 'survey:count': '1' });
      expect(await redis.get(createRedisKeys(prefix).surveyCursor)).toBe(String(Date.parse('2025-01-09T12:01:01Z')));
    });

    it('a localized rating whose ticket Zendesk no longer shows is answered 200, logged as not applied, and moves nothing', async () => {
      nock(ZENDESK_URL).persist().get(`/api/v2/tickets/${TICKET}.json`).reply(404, { error: 'RecordNotFound', description: 'Not found' });
      expect(await post('csat-legacy-rating-de.json')).toEqual({ status: 'accepted' });
      expect(await loop()).toMatchObject({ stage: 'acted', csat: null });
      expect(warnings.map((warning) => warning.message)).toContain('CSAT rating not applied: its score could not be read from Zendesk');
    });
  });
});
