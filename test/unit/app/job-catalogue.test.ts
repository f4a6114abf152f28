import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handleTicketEvent, type TicketEventDeps } from '../../../src/app/handle-ticket-event.js';
import { failedForGood, JOB_CATALOGUE, JobPayloadError, parseJob, QUEUE_IDS, QUEUE_NAMES } from '../../../src/app/job-catalogue.js';
import type { TicketRecord } from '../../../src/app/ports.js';
import { parseZendeskWebhook } from '../../../src/adapters/zendesk/parse-webhook.js';
import { TICKET_CHANGE_KINDS, ZENDESK_STATUSES, type TicketEvent } from '../../../src/core/ticket-event.js';
import { ZENDESK_PRIORITIES } from '../../../src/core/ticket.js';

/** Zendesk's ticket event types (https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events/), plus others cxloop treats as `updated`. */
const TICKET_TYPES = [
  'created',
  'status_changed',
  'comment_added',
  'priority_changed',
  'group_assignment_changed',
  'agent_assignment_changed',
  'tags_changed',
  'subject_changed',
  'description_changed',
  'custom_field_changed',
  'marked_as_spam',
  'soft_deleted',
] as const;

const zendeskId = fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 40 }).map(String));
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const isoDate = fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2030-01-01T00:00:00Z') }).map((ms) => new Date(ms).toISOString());
const caseOf = (values: readonly string[]) => fc.constantFrom(...values).chain((value) => fc.constantFrom(value, value.toUpperCase()));
/** A change's value as Zendesk sends it: a string in upper case, an id, a list, or nothing. */
const changeValue = fc.oneof(fc.constantFrom('OPEN', 'SOLVED', 'HIGH'), fc.string({ maxLength: 20 }), fc.integer(), fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }), fc.constant(null));

/** Event-subscription bodies, fields present or missing as Zendesk's schemas allow; `event` with or without previous. */
const ticketWebhook = fc.record({
  type: fc.constantFrom(...TICKET_TYPES).map((type) => `zen:event-type:ticket.${type}`),
  id: fc.uuid(),
  time: isoDate,
  detail: fc.record(
    {
      id: zendeskId,
      subject: maybe(nullable(fc.string({ maxLength: 50 }))),
      description: maybe(nullable(fc.string({ maxLength: 200 }))),
      status: maybe(nullable(caseOf(ZENDESK_STATUSES))),
      priority: maybe(nullable(caseOf(ZENDESK_PRIORITIES))),
      group_id: maybe(nullable(zendeskId)),
      assignee_id: maybe(nullable(zendeskId)),
      requester_id: maybe(nullable(zendeskId)),
      organization_id: maybe(nullable(zendeskId)),
      form_id: maybe(nullable(zendeskId)),
      actor_id: maybe(nullable(zendeskId)),
      tags: maybe(nullable(fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 }))),
      via: maybe(nullable(fc.record({ channel: maybe(nullable(fc.constantFrom('web', 'mail', 'api', 'web_service', 'native_messaging'))) }))),
      created_at: isoDate,
      updated_at: isoDate,
    },
    { requiredKeys: ['id', 'created_at', 'updated_at'] },
  ),
  event: maybe(
    nullable(
      fc.record(
        {
          current: changeValue,
          previous: changeValue,
          comment: fc.record({ is_public: maybe(fc.boolean()), author: maybe(nullable(fc.record({ id: maybe(nullable(zendeskId)) }))) }, { requiredKeys: [] }),
        },
        { requiredKeys: [] },
      ),
    ),
  ),
});

const csatWebhook = fc.record({
  cxloop_trigger: fc.constant('satisfaction'),
  ticket_id: zendeskId,
  updated_at: isoDate,
  rating: fc.constantFrom('good', 'bad', 'Good, I am satisfied', 'Bad, I am unsatisfied', 'offered', 'unoffered'),
  comment: maybe(nullable(fc.string({ maxLength: 50 }))),
});

/** A store whose every ticket is frozen by an override, so the handler stops right after reading the event. */
function recordingDeps(reached: TicketEvent[]): TicketEventDeps {
  const frozen = { overridden: true } as TicketRecord;
  const store = {
    observe: async (snapshot: { id: number }) => {
      reached.push({ kind: 'observed', ticketId: snapshot.id } as TicketEvent);
      return { applied: true, previous: frozen };
    },
    recordSatisfaction: async (ticketId: number) => {
      reached.push({ kind: 'satisfaction_rated', ticketId } as TicketEvent);
    },
  };
  const loop = { store: { get: async () => null }, now: () => 0 };
  const briefs = { forget: async () => undefined };
  // Later than every generated ticket's routing window: a created ticket is not classified before it is stored.
  const now = () => Date.parse('2031-01-01T00:00:00Z');
  return { store, loop, briefs, now } as unknown as TicketEventDeps;
}

describe('every event the webhook parser accepts is a job the events worker takes', () => {
  it('passes the event job schema after the JSON round trip Redis makes, and reaches its handler', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(ticketWebhook, csatWebhook), async (body) => {
        const parsed = parseZendeskWebhook(JSON.parse(JSON.stringify(body)));
        if (!parsed.ok || !('event' in parsed)) return;
        accepted += 1;
        const stored = JSON.parse(JSON.stringify({ v: 1, event: parsed.event, receivedAt: 1 }));
        const job = parseJob('event', { name: 'ticket-event', id: 'e1', data: stored });
        expect(job.event).toEqual(JSON.parse(JSON.stringify(parsed.event)));
        const reached: TicketEvent[] = [];
        await handleTicketEvent(job.event, job.receivedAt, recordingDeps(reached));
        expect(reached).toEqual([{ kind: job.event.kind === 'satisfaction_rated' ? 'satisfaction_rated' : 'observed', ticketId: parsed.event.ticketId }]);
      }),
      { numRuns: 2_000 },
    );
    // The generator makes mostly valid bodies: the property is about them, not about refusals.
    expect(accepted).toBeGreaterThan(1_000);
  });

  it("accepts Zendesk's ticket.created, which carries event.current and no event.previous", () => {
    const parsed = parseZendeskWebhook({
      type: 'zen:event-type:ticket.created',
      id: 'e-created',
      time: '2026-11-22T10:00:00Z',
      detail: { id: '35436', created_at: '2026-11-22T10:00:00Z', updated_at: '2026-11-22T10:00:00Z', status: 'NEW' },
      event: { current: { id: '35436' } },
    });
    expect(parsed).toMatchObject({ ok: true, event: { kind: 'created', change: { current: { id: '35436' } } } });
    if (!parsed.ok || !('event' in parsed)) throw new Error('not parsed');
    expect(() => parseJob('event', { name: 'ticket-event', data: JSON.parse(JSON.stringify({ v: 1, event: parsed.event, receivedAt: 1 })) })).not.toThrow();
  });

  it('knows every change kind the parser can produce', () => {
    for (const type of TICKET_TYPES) {
      const parsed = parseZendeskWebhook({ type: `zen:event-type:ticket.${type}`, id: 'x', time: '2026-11-22T10:00:00Z', detail: { id: '1', created_at: '2026-11-22T10:00:00Z', updated_at: '2026-11-22T10:00:00Z' } });
      if (!parsed.ok || !('event' in parsed)) throw new Error(type);
      expect(TICKET_CHANGE_KINDS).toContain(parsed.event.kind);
    }
  });
});

describe('the job catalogue', () => {
  it('puts every job kind on a queue it names, and every queue has a name', () => {
    for (const spec of Object.values(JOB_CATALOGUE)) expect(QUEUE_IDS).toContain(spec.queue);
    expect(new Set(QUEUE_IDS.map((id) => QUEUE_NAMES[id])).size).toBe(QUEUE_IDS.length);
  });

  it('fails a payload that does not parse for good, saying which job, queue and field', () => {
    const parse = () => parseJob('slack', { name: 'acknowledge', id: 's-1', data: { v: 1, kind: 'acknowledge', user: 'U0AAA1111' } });
    expect(parse).toThrow(JobPayloadError);
    expect(parse).toThrow(/^job acknowledge \(s-1\) on cxloop-slack does not match its schema: /);
    try {
      parse();
    } catch (error) {
      // The name BullMQ reads to fail a job without further attempts.
      expect((error as Error).name).toBe('UnrecoverableError');
      expect(failedForGood({ attemptsMade: 1, opts: { attempts: 5 } }, error as Error)).toBe(true);
    }
  });

  it('says a failure is final only when no attempt is left or it is unrecoverable', () => {
    const plain = new Error('Zendesk answered 500');
    expect(failedForGood({ attemptsMade: 2, opts: { attempts: 5 } }, plain)).toBe(false);
    expect(failedForGood({ attemptsMade: 5, opts: { attempts: 5 } }, plain)).toBe(true);
    expect(failedForGood({ attemptsMade: 1, opts: {} }, plain)).toBe(true);
    expect(failedForGood(undefined, plain)).toBe(false);
  });
});
