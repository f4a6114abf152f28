import { afterEach, describe, expect, it } from 'vitest';
import type { Cxloop } from '../../../src/main.js';
import {
  corrections,
  maxInAnyWindow,
  routingWrites,
  startFakeZendesk,
  startLiveOnFake,
  updateCalls,
  webhookOf,
  zendeskTime,
  type FakeZendesk,
  type FakeZendeskOptions,
} from '../../support/fake-zendesk-fixtures.js';
import { dropPrefix, postSigned, uniquePrefix, zendeskQueuesIdle } from '../../support/zendesk-fixtures.js';

/** cxloop's and the fake Zendesk's clock: it moves only when the test moves it. */
const START = Date.parse('2026-11-22T10:00:00Z');
const BUDGET = 5;

/**
 * The Update Ticket budget through the real server, Redis and BullMQ workers, against the fake
 * Zendesk (which records when each call arrived on the same injected clock). Time moves only when
 * the routing queue has gone quiet, so the windows are counted on cxloop's clock, never the wall's.
 */
describe('the Update Ticket budget holds in every sliding 60 s window', () => {
  let prefix: string;
  let clock: number;
  let fake: FakeZendesk | undefined;
  const apps: Cxloop[] = [];

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
    await fake?.close();
    fake = undefined;
    await dropPrefix(prefix);
  });

  async function start(faults: FakeZendeskOptions['faults'], budget = BUDGET): Promise<FakeZendesk> {
    prefix = uniquePrefix();
    clock = START;
    fake = await startFakeZendesk({ now: () => clock, updateLimitPerMinute: budget, faults });
    const options = { now: () => clock, batchThreshold: Number.MAX_SAFE_INTEGER, timeoutMs: 300, extraEnv: { ZENDESK_UPDATES_PER_MINUTE: String(budget) } };
    // Two processes' worth of workers on one install: the budget is shared through Redis.
    apps.push(await startLiveOnFake(prefix, fake, options));
    apps.push(await startLiveOnFake(prefix, fake, { ...options, role: 'worker' }));
    return fake;
  }

  /** Moves the clock on by `stepMs` each time the fake has seen no call for a moment, until `done`. */
  async function runClockUntil(done: () => boolean | Promise<boolean>, stepMs: number, what: string): Promise<void> {
    const deadline = Date.now() + 50_000;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      const seen = fake!.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 150));
      if (fake!.requests.length === seen) clock += stepMs;
    }
  }

  it('spends at most ZENDESK_UPDATES_PER_MINUTE calls per window with 500s, a 429, a hang, conflicts and internal notes, across two worker processes', async () => {
    // The 2nd and 9th calls fail with 500 (the 9th was applied all the same), the 4th gets a 429, the 6th hangs (applied, never answered).
    const faults: FakeZendeskOptions['faults'] = ({ index }) =>
      index === 1 ? { status: 500 } : index === 3 ? { status: 429, retryAfterSeconds: 1 } : index === 5 ? 'hang' : index === 8 ? { status: 500, applied: true } : undefined;
    const zendesk = await start(faults);
    const ids = Array.from({ length: 10 }, (_, index) => 801 + index);
    const created = zendeskTime(START - 10 * 60_000);
    for (const id of ids) zendesk.seed({ id, subject: 'Charged twice for my subscription', description: 'please refund the duplicate payment', tags: ['web_widget'], created_at: created, updated_at: created });
    const webhooks = ids.map((id) => webhookOf(zendesk.tickets.get(id)!, 'created'));
    // The same versions again later, as another event (a kill -9 or a hang leaves a write landed but unconfirmed; these must not look like an agent undoing it).
    const sameVersions = ids.map((id) => webhookOf(zendesk.tickets.get(id)!, 'comment_added', { actorId: 501 }));
    // Four tickets changed after their webhook left: each first write conflicts (409) and is re-read.
    for (const id of ids.slice(0, 4)) zendesk.tickets.get(id)!.updated_at = zendeskTime(START - 5 * 60_000);
    for (const body of webhooks) expect((await postSigned(apps[0]!.http.url, body, { at: clock })).status).toBe(200);
    await runClockUntil(() => ids.every((id) => routingWrites(zendesk.tickets.get(id)!) === 1), 15_000, 'every ticket routed');

    // Internal notes (loop effects such as "Acknowledged in Slack by ...") spend the same budget.
    for (const id of ids.slice(0, 6)) {
      await apps[0]!.queues.effectQueue.enqueue({ ticketId: id, version: 2, effects: [{ type: 'zendesk_note', text: `Acknowledged in Slack by <U0${id}>.` }] });
    }
    const notes = () => ids.slice(0, 6).filter((id) => zendesk.tickets.get(id)!.comments.some((comment) => comment.body.startsWith('Acknowledged in Slack'))).length;
    await runClockUntil(() => notes() === 6, 15_000, 'the internal notes');
    for (const body of sameVersions) expect((await postSigned(apps[0]!.http.url, body, { at: clock })).status).toBe(200);
    // Retries of writes whose answer was lost (the hang) may still wait for the budget: the clock moves until they are done.
    await runClockUntil(() => zendeskQueuesIdle(apps[0]!), 15_000, 'the queues to be idle');

    expect(await corrections(prefix)).toEqual([]);
    const calls = updateCalls(zendesk);
    expect(calls.length).toBeGreaterThan(2 * BUDGET);
    expect(maxInAnyWindow(calls.map((call) => call.at))).toBe(BUDGET);
    expect(zendesk.stats.rateLimited).toBe(0);
    for (const id of ids) expect(routingWrites(zendesk.tickets.get(id)!)).toBe(1);
  }, 60_000);

  it('a flood at the default 100: 250 tickets written one by one, never more than 100 in any window, and Zendesk never answers 429', async () => {
    const zendesk = await start(undefined, 100);
    const ids = Array.from({ length: 250 }, (_, index) => 3_001 + index);
    const created = zendeskTime(START - 10 * 60_000);
    for (const id of ids) zendesk.seed({ id, subject: 'Charged twice for my subscription', description: 'please refund the duplicate payment', tags: ['web_widget'], created_at: created, updated_at: created });
    await Promise.all(ids.map(async (id) => expect((await postSigned(apps[0]!.http.url, webhookOf(zendesk.tickets.get(id)!, 'created'), { at: clock })).status).toBe(200)));
    await runClockUntil(() => ids.every((id) => routingWrites(zendesk.tickets.get(id)!) === 1), 20_000, 'every ticket routed');

    const times = updateCalls(zendesk).map((call) => call.at);
    expect(times).toHaveLength(250);
    // At most the budget in any window (fewer when a loaded machine sends slower), so 250 writes span at least three windows.
    expect(maxInAnyWindow(times)).toBeLessThanOrEqual(100);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(2 * 60_000);
    expect(zendesk.stats.rateLimited).toBe(0);
  }, 60_000);
});
