import { Redis } from 'ioredis';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { RedisLoopStore } from '../../../src/adapters/redis/redis-loop-store.js';
import { RedisLoopTimers } from '../../../src/adapters/redis/redis-loop-timers.js';
import { RedisTicketStore } from '../../../src/adapters/redis/redis-ticket-store.js';
import { handleTicketEvent, type TicketEventDeps } from '../../../src/app/handle-ticket-event.js';
import { loopPolicyFrom } from '../../../src/app/loop-policy.js';
import { NO_LOOP_METRICS, type EffectQueue, type LoopTimers, type Notifier } from '../../../src/app/ports.js';
import { applyLoopEvents, fireLoopTimer, openTicketLoop, timerKey, type LoopDeps } from '../../../src/app/run-loop.js';
import type { Effect } from '../../../src/core/loop/loop-types.js';
import type { TicketChangeEvent } from '../../../src/core/ticket-event.js';
import { settle as settleQueues, type Cxloop } from '../../../src/main.js';
import { defaultClassifier } from '../../support/default-classifier.js';
import { dropPrefix, policyWithGroups, postSigned, REDIS_URL, silent, startLive, ticketEvent, uniquePrefix, waitFor, ZENDESK_URL, nockZendeskReads } from '../../support/zendesk-fixtures.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface Put {
  path: string;
  body: { ticket?: Record<string, unknown> };
}

/** The loop end to end: real server, Redis and BullMQ workers; time is an injected clock moved by the test. */
describe('the closed loop (real Redis + BullMQ, injected clock, Zendesk faked with nock)', () => {
  let prefix: string;
  let app: Cxloop | undefined;
  let clock: number;
  let notified: { ticketId: number; effect: Effect }[];
  let puts: Put[];

  const notifier: Notifier = {
    async notify(ticketId, effect) {
      notified.push({ ticketId, effect });
    },
  };

  beforeEach(async () => {
    prefix = uniquePrefix();
    clock = Date.parse('2026-11-23T09:00:00Z');
    notified = [];
    puts = [];
    nockZendeskReads();
    nock(ZENDESK_URL)
      .persist()
      .put(/\/api\/v2\/tickets\/\d+\.json/)
      .reply(function (uri, body) {
        puts.push({ path: uri, body: body as Put['body'] });
        return [200, { ticket: {} }];
      });
    app = await startLive(prefix, { now: () => clock, notifier });
  });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    nock.cleanAll();
    nock.enableNetConnect();
    await dropPrefix(prefix);
  });

  async function send(type: string, detail: Parameters<typeof ticketEvent>[1], event?: Record<string, unknown>): Promise<void> {
    const response = await postSigned(app!.http.url, ticketEvent(type, { created_at: iso(openedAt), updated_at: iso(clock), ...detail }, event ? { event } : {}), {
      timestamp: new Date(clock).toISOString(),
    });
    expect(response.status).toBe(200);
    await settle();
  }

  /** Runs the queues dry: timers due at the clock are released, and every job they cause is done. */
  const settle = () => settleQueues(app!, 15_000);

  async function advance(ms: number): Promise<void> {
    clock += ms;
    await settle();
  }

  async function scheduledTimers(): Promise<string[]> {
    return (await app!.queues.loopTimers.scheduled()).map((timer) => timer.key).sort();
  }

  const effectsOf = (type: Effect['type']) => notified.filter((n) => n.effect.type === type).map((n) => n.effect);
  let openedAt = 0;

  async function openTicket(id: number, detail: Partial<Parameters<typeof ticketEvent>[1]> = {}): Promise<void> {
    openedAt = clock;
    await send('created', { id, status: 'new', ...detail });
    await waitFor(() => app!.loops.get(id), 5_000, 'loop opened');
  }

  it('opens a loop when a ticket is routed, then climbs the escalation ladder on the clock until acknowledged', async () => {
    await openTicket(301); // billing_issue, normal: acknowledge breach 2h (remind = breach: no separate reminder)
    const opened = (await app!.loops.get(301))!.state;
    expect(opened).toMatchObject({ stage: 'routed', category: 'billing_issue', tier: 'normal', team: 'billing', version: 0 });
    expect(opened.timers).toEqual({ ack_breach: clock + 2 * HOUR, resolve_breach: clock + 72 * HOUR });
    // One wake-up per loop: the earliest timer.
    expect(await scheduledTimers()).toEqual([timerKey(301, { kind: 'ack_breach', at: clock + 2 * HOUR })]);
    expect(effectsOf('publish_status')).toEqual([expect.objectContaining({ stage: 'routed', text: 'Received and passed to the billing team.', automatic: true })]);

    await advance(2 * HOUR - MINUTE);
    expect(effectsOf('escalate')).toEqual([]);
    await advance(MINUTE); // breach, and level 1 (0 min after it) at once
    expect(effectsOf('escalate')).toEqual([expect.objectContaining({ level: 1, round: 0, notify: ['team_channel', 'usergroup'] })]);
    expect(effectsOf('publish_status').at(-1)).toMatchObject({ text: 'No one has picked this up within 2 h; escalating to the billing team.' });
    await advance(30 * MINUTE);
    await advance(30 * MINUTE);
    await advance(30 * MINUTE);
    expect(effectsOf('escalate').map((e) => (e.type === 'escalate' ? `${e.level}/${e.round}` : ''))).toEqual(['1/0', '2/0', '1/1', '2/1']);

    // Acknowledged in Slack: the ladder stops, the cadence starts, Zendesk gets an internal note.
    await applyLoopEvents(301, [{ type: 'acknowledge', user: 'U0OWNER' }], 'slack-ack-1', loopDeps());
    await settle();
    const acknowledged = (await app!.loops.get(301))!.state;
    expect(acknowledged).toMatchObject({ stage: 'acknowledged', owner: 'U0OWNER', escalation: { step: 0, breachAt: null } });
    expect(Object.keys(acknowledged.timers).sort()).toEqual(['resolve_breach', 'update_breach']);
    expect(await scheduledTimers()).toEqual([timerKey(301, { kind: 'update_breach', at: clock + 24 * HOUR })]);
    // Slack cannot be reached here (no Slack fake): the note names the person by id rather than wait.
    expect(puts.at(-1)).toEqual({ path: '/api/v2/tickets/301.json', body: { ticket: { comment: { body: 'Acknowledged in Slack by U0OWNER.', public: false } } } });
    await advance(3 * HOUR);
    expect(effectsOf('escalate')).toHaveLength(4);

    const history = await app!.loops.history(301);
    expect(history.map((entry) => entry.event)).toEqual([
      'opened',
      'timer:ack_breach',
      'timer:escalate',
      'timer:escalate',
      'timer:escalate',
      'timer:escalate',
      'acknowledge',
    ]);
    expect(history.map((entry) => entry.version)).toEqual([0, 1, 2, 3, 4, 5, 6]);

    const metrics = await (await fetch(`${app!.http.url}/metrics`)).text();
    expect(metrics).toContain('cxloop_loop_transitions_total{event="timer:escalate",outcome="applied"} 4');
    expect(metrics).toContain('cxloop_loop_escalations_total{level="2"} 2');
    expect(metrics).toContain('cxloop_loop_stage_entered_total{stage="routed"} 1');
    expect(metrics).toMatch(/cxloop_loop_effects_total\{type="escalate"\} 4/);
  });

  it('follows Zendesk: an assignment acknowledges, a public reply is a status update, solved starts the verify window', async () => {
    await openTicket(302);
    await advance(30 * MINUTE);
    await send('agent_assignment_changed', { id: 302, status: 'open', assignee_id: 777, actor_id: 777 });
    expect((await app!.loops.get(302))!.state).toMatchObject({ stage: 'acknowledged', owner: 'zd:777', zendeskStatus: 'open' });
    expect(await scheduledTimers()).toEqual([timerKey(302, { kind: 'update_breach', at: clock + 24 * HOUR })]);

    // No update for 24 h: cxloop publishes one with a revised ETA and escalates to level 1.
    await advance(24 * HOUR);
    const overdue = effectsOf('publish_status').at(-1);
    expect(overdue).toMatchObject({ automatic: true, text: 'Still being worked on; no new update from the team in the last 24 h.', etaAt: openedAt + 72 * HOUR });
    expect(effectsOf('escalate').at(-1)).toMatchObject({ level: 1, reason: 'waiting for a status update', about: 'update', dueAt: clock });

    await advance(HOUR);
    await send('comment_added', { id: 302, status: 'open', assignee_id: 777, actor_id: 777 }, { comment: { id: '1', body: 'Refund issued', is_public: true, author: { id: '777' } } });
    expect(effectsOf('publish_status').at(-1)).toMatchObject({ automatic: false, text: '<@zd:777> replied to the customer.' });
    // A reply from the requester is not an update.
    const version = (await app!.loops.get(302))!.state.version;
    await send('comment_added', { id: 302, status: 'open', assignee_id: 777, actor_id: 501 }, { comment: { id: '2', body: 'thanks', is_public: true, author: { id: '501' } } });
    expect((await app!.loops.get(302))!.state.version).toBe(version);

    await advance(HOUR);
    const solvedAt = clock;
    await send('status_changed', { id: 302, status: 'solved', assignee_id: 777, actor_id: 777 });
    expect((await app!.loops.get(302))!.state).toMatchObject({ stage: 'acted', solvedAt, timers: { verify_end: solvedAt + 72 * HOUR } });
    expect(await scheduledTimers()).toEqual([timerKey(302, { kind: 'verify_end', at: solvedAt + 72 * HOUR })]);
    await advance(72 * HOUR);
    expect((await app!.loops.get(302))!.state).toMatchObject({ stage: 'verified', timers: {} });
    expect(await scheduledTimers()).toEqual([]);
    const history = await app!.loops.history(302);
    expect(history.map((entry) => `${entry.event}>${entry.stage}${entry.update ? `:${entry.update}` : ''}`)).toEqual([
      'opened>routed',
      'assigned>acknowledged',
      'status:open>acknowledged',
      'timer:update_breach>acknowledged:overdue',
      'agent_comment>acknowledged:manual',
      'status:solved>acted',
      'timer:verify_end>verified',
    ]);
  });

  it('sends a reopened ticket and a bad rating back to the owner as follow-ups with the 48 h SLA', async () => {
    await openTicket(303);
    await send('agent_assignment_changed', { id: 303, status: 'open', assignee_id: 777, actor_id: 777 });
    await advance(HOUR);
    await send('status_changed', { id: 303, status: 'solved', assignee_id: 777, actor_id: 777 });
    await advance(HOUR);
    await send('status_changed', { id: 303, status: 'open', assignee_id: 777, actor_id: 501 });
    const reopened = (await app!.loops.get(303))!.state;
    expect(reopened).toMatchObject({ stage: 'follow_up', reopens: 1, owner: 'zd:777' });
    expect(reopened.timers.ack_breach).toBe(clock + 48 * HOUR);
    expect(effectsOf('csat_follow_up')).toEqual([{ type: 'csat_follow_up', reason: 'reopened', dueAt: clock + 48 * HOUR }]);

    await send('comment_added', { id: 303, status: 'open', assignee_id: 777, actor_id: 777 }, { comment: { id: '3', body: 'Looking again', is_public: false, author: { id: '777' } } });
    await send('status_changed', { id: 303, status: 'solved', assignee_id: 777, actor_id: 777 });
    const rating = JSON.stringify({ cxloop_trigger: 'satisfaction', ticket_id: '303', updated_at: iso(clock), rating: 'bad', comment: 'still broken' });
    expect((await postSigned(app!.http.url, rating, { timestamp: new Date(clock).toISOString() })).status).toBe(200);
    await settle();
    expect((await app!.loops.get(303))!.state).toMatchObject({ stage: 'follow_up', csat: 'bad' });
    expect(effectsOf('csat_follow_up').at(-1)).toEqual({ type: 'csat_follow_up', reason: 'detractor', dueAt: clock + 48 * HOUR });
    const followUps = (await app!.loops.history(303)).filter((entry) => entry.followUp).map((entry) => entry.followUp);
    expect(followUps).toEqual(['reopened', 'detractor']);
  });

  it('ignores a timer for a stage that moved on, and applies a retried delivery once', async () => {
    await openTicket(304);
    const breach = { kind: 'ack_breach' as const, at: (await app!.loops.get(304))!.state.timers.ack_breach! };
    await applyLoopEvents(304, [{ type: 'acknowledge', user: 'U1' }], 'slack-1', loopDeps());
    await settle();
    const version = (await app!.loops.get(304))!.state.version;
    clock = breach.at;
    expect(await fireLoopTimer(304, breach, loopDeps())).toBe('rejected');
    expect(await applyLoopEvents(304, [{ type: 'post_update', user: 'U1', text: 'Working on it' }], 'slack-2', loopDeps())).toEqual(['applied']);
    expect(await applyLoopEvents(304, [{ type: 'post_update', user: 'U1', text: 'Working on it' }], 'slack-2', loopDeps())).toEqual(['duplicate']);
    expect((await app!.loops.get(304))!.state.version).toBe(version + 1);
  });

  it('still fires the delayed timer job an older release queued, and the next timer goes to the schedule', async () => {
    await openTicket(306); // billing_issue: its first timer is the acknowledge breach
    const breach = { kind: 'ack_breach' as const, at: (await app!.loops.get(306))!.state.timers.ack_breach! };
    // As the release before the timer schedule kept it: a delayed job in cxloop-timers, not a member of the schedule.
    await app!.queues.loopTimers.cancel(306, breach);
    await app!.queues.timers.add(breach.kind, { v: 1, t: 306, k: breach.kind, a: breach.at }, { attempts: 10, jobId: timerKey(306, breach), delay: 2 * HOUR });
    expect(await scheduledTimers()).toEqual([]);
    await advance(2 * HOUR);
    expect((await app!.loops.history(306)).map((entry) => entry.event)).toEqual(['opened', 'timer:ack_breach', 'timer:escalate']);
    expect(await app!.queues.timers.getDelayed()).toEqual([]);
    expect(await scheduledTimers()).toEqual([timerKey(306, { kind: 'escalate', at: clock + 30 * MINUTE })]);
  });

  it('opens each loop once, even when the routing event is handled again', async () => {
    await openTicket(305);
    expect(await openTicketLoop({ ticketId: 305, category: 'bug_report', tier: 'high', zendeskStatus: 'new' }, loopDeps())).toBe('duplicate');
    expect((await app!.loops.get(305))!.state.category).toBe('billing_issue');
  });

  function loopDeps(): LoopDeps {
    return {
      store: app!.loops,
      timers: app!.queues.loopTimers,
      effects: app!.queues.effectQueue,
      policy: loopPolicyFrom(policyWithGroups()),
      metrics: NO_LOOP_METRICS,
      logger: silent,
      now: () => clock,
    };
  }
});


describe('loop commits under concurrency (real Redis)', () => {
  let prefix: string;
  let connections: Redis[];

  beforeEach(() => {
    prefix = uniquePrefix();
    connections = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
  });
  afterEach(async () => {
    for (const connection of connections) connection.disconnect();
    await dropPrefix(prefix);
  });

  function depsOn(redis: Redis, scheduled: string[], queued: number[], outboxGraceMs?: number, now = 1_800_000_000_000): LoopDeps {
    const timers: LoopTimers = {
      schedule: async (_ticket, timer) => scheduled.push(`${timer.kind}@${timer.at}`) > 0,
      cancel: async () => undefined,
    };
    const effects: EffectQueue = { enqueue: async (pending) => void queued.push(pending.version) };
    return { store: new RedisLoopStore(redis, createRedisKeys(prefix), outboxGraceMs), timers, effects, policy: loopPolicyFrom(policyWithGroups()), metrics: NO_LOOP_METRICS, logger: silent, now: () => now };
  }

  it('fires a timer that is already due when its transition commits, though its job ran first and found nothing due', async () => {
    const opening = depsOn(connections[0]!, [], []);
    await openTicketLoop({ ticketId: 2, category: 'billing_issue', tier: 'normal', zendeskStatus: 'new' }, opening);
    const breach = { kind: 'ack_breach' as const, at: (await opening.store.get(2))!.state.timers.ack_breach! };
    const atBreach = depsOn(connections[0]!, [], [], undefined, breach.at);
    // The breach schedules level 1 for the same moment; its job wins the race against the commit.
    const early: string[] = [];
    const racing: LoopDeps = {
      ...atBreach,
      timers: {
        schedule: async (ticket, timer) => {
          if (timer.at <= breach.at) early.push(await fireLoopTimer(ticket, timer, atBreach));
          return true;
        },
        cancel: async () => undefined,
      },
    };
    expect(await fireLoopTimer(2, breach, racing)).toBe('applied');
    expect(early).toEqual(['rejected']);
    const history = await opening.store.history(2);
    expect(history.map((entry) => entry.event)).toEqual(['opened', 'timer:ack_breach', 'timer:escalate']);
    expect(history.at(-1)!.escalation).toBe(1);
  });

  /**
   * A bug recategorised as a performance issue (same team: the acknowledge clock is retargeted
   * from 1 h to 4 h) and straight back: the second commit comes back to the very timer the first
   * replaced, while the first's worker has yet to cancel it. Real timer schedule on real Redis;
   * each worker is held at one step until the other has got to a given point.
   */
  describe('a commit that comes back to the timer an earlier commit replaced', () => {
    async function backAndForth(late: 'first cancels' | 'second commits'): Promise<{ scheduled: string[]; next: string }> {
      const schedule = new RedisLoopTimers(connections[0]!, createRedisKeys(prefix));
      const plain = depsOn(connections[0]!, [], []);
      await openTicketLoop({ ticketId: 3, category: 'bug_report', tier: 'normal', zendeskStatus: 'open' }, { ...plain, timers: schedule });
      const opened = (await plain.store.get(3))!.state.timers;
      const [cancelMay, commitMay, secondScheduled] = [gate(), gate(), gate()];
      const first = applyLoopEvents(3, [{ type: 'recategorised', category: 'performance_issue' }], 'to-perf', {
        ...plain,
        timers: { schedule: (ticket, timer) => schedule.schedule(ticket, timer), cancel: async (ticket, timer) => { await cancelMay.wait(); await schedule.cancel(ticket, timer); } },
      });
      await waitFor(async () => (await plain.store.get(3))!.state.version === 1, 5_000, 'the first commit');
      const second = applyLoopEvents(3, [{ type: 'recategorised', category: 'bug_report' }], 'to-bug', {
        ...depsOn(connections[1]!, [], []),
        timers: {
          schedule: async (ticket, timer) => {
            const added = await schedule.schedule(ticket, timer);
            secondScheduled.open();
            await commitMay.wait();
            return added;
          },
          cancel: (ticket, timer) => schedule.cancel(ticket, timer),
        },
      });
      if (late === 'first cancels') {
        // The first worker stalls between its commit and its cancel until the second is done.
        commitMay.open();
        void second.then(() => cancelMay.open());
      } else {
        // The second worker found the timer waiting, and commits only once the first has cancelled it and read the loop.
        void secondScheduled.wait().then(() => cancelMay.open());
        void first.then(() => commitMay.open());
      }
      expect([...(await first), ...(await second)]).toEqual(['applied', 'applied']);
      const stored = (await plain.store.get(3))!.state;
      expect(stored.version).toBe(2);
      expect(stored.timers).toEqual(opened);
      return { scheduled: (await schedule.scheduled()).map((entry) => entry.key), next: timerKey(3, { kind: 'ack_breach', at: opened.ack_breach! }) };
    }

    it('the first worker cancels after the second commit: it reads the loop again and puts the timer back', async () => {
      const { scheduled, next } = await backAndForth('first cancels');
      expect(scheduled).toContain(next);
    });

    it('the first worker cancels and reads before the second commit: the second worker adds the timer again', async () => {
      const { scheduled, next } = await backAndForth('second commits');
      expect(scheduled).toContain(next);
    });
  });

  it('loses no event when two workers update one loop at the same moment', async () => {
    const scheduled: string[] = [];
    const queued: number[] = [];
    const [a, b] = [depsOn(connections[0]!, scheduled, queued), depsOn(connections[1]!, scheduled, queued)];
    await openTicketLoop({ ticketId: 1, category: 'bug_report', tier: 'high', zendeskStatus: 'open' }, a);
    await applyLoopEvents(1, [{ type: 'acknowledge', user: 'U1' }], 'ack', a);
    const updates = Array.from({ length: 40 }, (_, index) => applyLoopEvents(1, [{ type: 'post_update', user: 'U1', text: `update ${index}` }], `u-${index}`, index % 2 ? a : b));
    expect((await Promise.all(updates)).flat()).toEqual(Array(40).fill('applied'));
    const stored = await a.store.get(1);
    expect(stored!.state.version).toBe(41);
    const history = await a.store.history(1);
    expect(history).toHaveLength(42);
    expect(history.map((entry) => entry.version)).toEqual(Array.from({ length: 42 }, (_, index) => index));
    // Every committed transition's effects were queued exactly once.
    expect(new Set(queued).size).toBe(queued.length);
    expect(queued).toHaveLength(42);
  });

  it('queues effects a crash left in the outbox with the next commit', async () => {
    const queued: number[] = [];
    const deps = depsOn(connections[0]!, [], queued, 0);
    const store = deps.store as RedisLoopStore;
    await openTicketLoop({ ticketId: 2, category: 'bug_report', tier: 'normal', zendeskStatus: 'open' }, deps);
    const { state } = (await store.get(2))!;
    // A worker commits version 1 with an effect, then dies before queueing it.
    const crashed = { ...state, version: 1 };
    const entry = { at: 1, version: 1, event: 'post_update', stage: state.stage, category: state.category, tier: state.tier, team: state.team };
    expect((await store.commit({ state: crashed, entry, eventKey: 'lost', eventKeys: ['lost'], effects: [{ type: 'incident', text: 'x' }] })).committed).toBe(true);
    queued.length = 0;
    await applyLoopEvents(2, [{ type: 'acknowledge', user: 'U2' }], 'next', deps);
    expect(queued).toEqual([1, 2]);
    const again = await store.commit({ state: { ...crashed, version: 3 }, entry: { ...entry, version: 3 }, eventKey: 'k', eventKeys: ['k'], effects: [] });
    expect(again).toMatchObject({ committed: true, leftover: [] });
    expect(again.committed && again.history?.map((each) => each.version)).toEqual([0, 1, 2, 3]);
  });

  it("classifies a new ticket once per attempt when the job of the event that claimed its routing is retried", async () => {
    const t0 = 1_800_000_000_000;
    const loopDeps = depsOn(connections[0]!, [], [], undefined, t0 + 5_000);
    const policy = policyWithGroups();
    const classified: string[] = [];
    const plans: number[] = [];
    const deps: TicketEventDeps = {
      store: new RedisTicketStore(connections[0]!, createRedisKeys(prefix)),
      routes: { enqueue: async (plan: { ticketId: number }) => void plans.push(plan.ticketId) } as unknown as TicketEventDeps['routes'],
      zendesk: { currentUserId: async () => 999, satisfactionOf: () => Promise.reject(new Error('not used')) },
      classifier: { classify: (ticket) => (classified.push(ticket.subject), defaultClassifier.classify(ticket)) },
      policy,
      loop: loopDeps,
      briefs: { save: async () => undefined, get: async () => null, forget: async () => undefined } as unknown as TicketEventDeps['briefs'],
      // A billing ticket: the policy runs no on_routing action for it, so no Zendesk read.
      actions: { policy, logger: silent } as unknown as TicketEventDeps['actions'],
      ticketUrl: () => null,
      logger: silent,
      now: () => t0 + 5_000,
    };
    const created: TicketChangeEvent = {
      key: 'evt:created-6',
      ticketId: 6,
      occurredAt: t0,
      kind: 'created',
      actorId: 42,
      snapshot: { id: 6, subject: 'Charged twice', description: 'I was charged twice for my subscription.', status: 'new', priority: null, groupId: null, assigneeId: null, requesterId: 42, organizationId: null, formId: null, tags: [], channel: 'web', createdAt: t0, updatedAt: t0 },
    };
    expect(await handleTicketEvent(created, t0 + 1_000, deps)).toBe('routing');
    // Its job is retried (the first attempt died after the claim): the write is queued again, on one classification.
    expect(await handleTicketEvent(created, t0 + 1_000, deps)).toBe('routing');
    expect(classified).toEqual(['Charged twice', 'Charged twice']);
    expect(plans).toEqual([6, 6]);
  });

  it("leaves a solved-then-reopened ticket's loop reopened when the two status events are handled in parallel and the older commits last", async () => {
    const policy = policyWithGroups();
    const group = policy.categories.bug_report.zendesk_group_id;
    const t0 = 1_800_000_000_000;
    const loopDeps = depsOn(connections[0]!, [], [], undefined, t0 + 5_000);
    const tickets = new RedisTicketStore(connections[0]!, createRedisKeys(prefix));
    const snapshot = { id: 5, subject: 'Export fails', description: 'The CSV export fails', priority: null, groupId: group, assigneeId: 777, requesterId: 42, organizationId: null, formId: null, tags: ['cxloop_bug_report'], channel: 'web', createdAt: t0 };
    await tickets.observe({ ...snapshot, status: 'new', groupId: null, tags: [], updatedAt: t0 });
    await tickets.claimRouting(5, { status: 'pending', category: 'bug_report', tier: 'normal', groupId: group, baseGroupId: null }, 'evt:created');
    await tickets.markRouted(5, t0);
    await openTicketLoop({ ticketId: 5, category: 'bug_report', tier: 'normal', zendeskStatus: 'open' }, loopDeps);
    const event = (key: string, status: 'solved' | 'open', updatedAt: number): TicketChangeEvent => ({ key, ticketId: 5, occurredAt: updatedAt, kind: 'status_changed', actorId: 777, snapshot: { ...snapshot, status, updatedAt } });
    const solved = event('evt:solved', 'solved', t0 + 2_000);
    const reopened = event('evt:reopened', 'open', t0 + 3_000);
    const unused = () => Promise.reject(new Error('not used by a routed ticket'));
    const deps = (currentUserId: () => Promise<number | null>): TicketEventDeps => ({
      store: tickets,
      routes: { enqueue: unused, cancel: unused, rebase: unused } as unknown as TicketEventDeps['routes'],
      zendesk: { currentUserId, satisfactionOf: unused },
      classifier: { classify: unused } as unknown as TicketEventDeps['classifier'],
      policy,
      loop: loopDeps,
      briefs: { save: unused, get: unused, forget: unused } as unknown as TicketEventDeps['briefs'],
      actions: {} as TicketEventDeps['actions'],
      ticketUrl: () => null,
      logger: silent,
      now: () => t0 + 5_000,
    });
    // The solve's worker has read the loop (still open) when the reopening is handled from start to end by another.
    let calls = 0;
    const solving = deps(async () => {
      calls += 1;
      if (calls === 2) expect(await handleTicketEvent(reopened, t0 + 3_000, deps(async () => 999))).toBe('updated');
      return 999;
    });
    expect(await handleTicketEvent(solved, t0 + 2_000, solving)).toBe('updated');
    expect(calls).toBe(2);
    const { state } = (await loopDeps.store.get(5))!;
    expect(state).toMatchObject({ zendeskStatus: 'open', stage: 'follow_up', reopens: 1 });
    expect((await loopDeps.store.history(5)).map((entry) => entry.event)).toEqual(['opened', 'status:solved', 'status:open']);
  });

  it('applies a delivery retried after others were applied in between once, and a multi-event delivery from where it stopped', async () => {
    const deps = depsOn(connections[0]!, [], []);
    await openTicketLoop({ ticketId: 6, category: 'bug_report', tier: 'normal', zendeskStatus: 'open' }, deps);
    const update = (text: string) => ({ type: 'post_update' as const, user: 'U1', text });
    await applyLoopEvents(6, [{ type: 'acknowledge', user: 'U1' }], 'zen:ack', deps);
    expect(await applyLoopEvents(6, [update('first')], 'zen:first', deps)).toEqual(['applied']);
    // Three more deliveries land before the first one's job is retried (its worker died after the commit).
    for (const key of ['zen:a', 'zen:b', 'zen:c']) await applyLoopEvents(6, [update(key)], key, deps);
    expect(await applyLoopEvents(6, [update('first')], 'zen:first', deps)).toEqual(['duplicate']);
    expect(await applyLoopEvents(6, [update('a')], 'zen:a', deps)).toEqual(['duplicate']);

    // Two events in one delivery; the worker died after the first: the retry applies only the second.
    const first = update('one');
    const two = [first, { type: 'assigned' as const, agentId: 9 }];
    await applyLoopEvents(6, [first], 'zen:two#0', deps);
    await applyLoopEvents(6, [update('other')], 'zen:other', deps);
    expect(await applyLoopEvents(6, two, 'zen:two', deps)).toEqual(['duplicate', 'applied']);
    // The fifth delivery back is forgotten: four are remembered.
    expect((await deps.store.get(6))!.eventKeys).toEqual(['zen:two#1', 'zen:other', 'zen:two#0', 'zen:c']);
    const history = await deps.store.history(6);
    expect(history.filter((entry) => entry.event === 'post_update')).toHaveLength(6);
  });

  it("keeps a loop's delivery keys through a timer's commit: a timer never pushes a delivery out", async () => {
    const opening = depsOn(connections[0]!, [], []);
    await openTicketLoop({ ticketId: 7, category: 'billing_issue', tier: 'normal', zendeskStatus: 'new' }, opening);
    expect((await opening.store.get(7))!.eventKeys).toEqual([]);
    await applyLoopEvents(7, [{ type: 'assigned', agentId: 9 }], 'zen:assigned', opening);
    const breach = { kind: 'ack_breach' as const, at: (await opening.store.get(7))!.state.timers.ack_breach! };
    const atBreach = depsOn(connections[0]!, [], [], undefined, breach.at);
    expect(await fireLoopTimer(7, breach, atBreach)).toBe('applied');
    const stored = (await opening.store.get(7))!;
    expect(stored.state.version).toBeGreaterThanOrEqual(2);
    expect(stored.eventKeys).toEqual(['zen:assigned']);
    expect(await applyLoopEvents(7, [{ type: 'assigned', agentId: 9 }], 'zen:assigned', atBreach)).toEqual(['duplicate']);
  });

  it('queues what a crashed delivery parked when that delivery is retried', async () => {
    const queued: number[] = [];
    const deps = depsOn(connections[0]!, [], queued); // default grace: a later commit would leave them
    const store = deps.store as RedisLoopStore;
    await openTicketLoop({ ticketId: 3, category: 'bug_report', tier: 'normal', zendeskStatus: 'open' }, deps);
    const { state } = (await store.get(3))!;
    const entry = { at: 1, version: 1, event: 'acknowledge', stage: state.stage, category: state.category, tier: state.tier, team: state.team };
    await store.commit({ state: { ...state, version: 1 }, entry, eventKey: 'delivery-1', eventKeys: ['delivery-1'], effects: [{ type: 'incident', text: 'x' }] });
    // Another worker has just committed version 2 and is queueing its effects: they are its own to queue.
    await store.commit({ state: { ...state, version: 2 }, entry: { ...entry, version: 2 }, eventKey: 'delivery-2', eventKeys: ['delivery-2', 'delivery-1'], effects: [{ type: 'incident', text: 'y' }] });
    queued.length = 0;
    expect(await applyLoopEvents(3, [{ type: 'acknowledge', user: 'U3' }], 'delivery-1', deps)).toEqual(['duplicate']);
    expect(queued).toEqual([1]);
    expect(await store.parkedEffects(3)).toEqual([{ ticketId: 3, version: 2, effects: [{ type: 'incident', text: 'y' }] }]);
    // Parked by an earlier release (no key): a retried delivery queues it, as before.
    await connections[0]!.hset(createRedisKeys(prefix).loopOutbox(3), '5', `${Date.now()}|[{"type":"incident","text":"z"}]`);
    expect(await store.parkedEffects(3, 'delivery-1')).toEqual([{ ticketId: 3, version: 5, effects: [{ type: 'incident', text: 'z' }] }]);
  });
});

/** A point one step waits at until another opens it. */
function gate(): { wait(): Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { wait: () => opened, open: () => open() };
}
