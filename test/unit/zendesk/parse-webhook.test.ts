import { describe, expect, it } from 'vitest';
import { parseZendeskWebhook, satisfactionFromRestTicket, snapshotFromRestTicket, type ParsedWebhook } from '../../../src/adapters/zendesk/parse-webhook.js';
import type { TicketChangeEvent, TicketEvent, TicketEventKind } from '../../../src/core/ticket-event.js';

const CREATED_AT = '2026-11-20T09:00:00Z';
const UPDATED_AT = '2026-11-20T09:30:00Z';
const TIME = '2026-11-20T09:30:01Z';

function detail(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '42',
    subject: 'Charged twice',
    description: 'please refund',
    status: 'NEW',
    priority: 'HIGH',
    group_id: '1002',
    assignee_id: null,
    requester_id: '300',
    organization_id: '400',
    form_id: '500',
    actor_id: '600',
    tags: ['vip'],
    via: { channel: 'web_form' },
    created_at: CREATED_AT,
    updated_at: UPDATED_AT,
    ...overrides,
  };
}

function envelope(type: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: `zen:event-type:${type}`, id: '01JEVENT', time: TIME, detail: detail(), ...overrides };
}

function eventOf(parsed: ParsedWebhook): TicketEvent {
  if (!parsed.ok || !('event' in parsed)) throw new Error(`expected an event, got ${JSON.stringify(parsed)}`);
  return parsed.event;
}

function changeEventOf(parsed: ParsedWebhook): TicketChangeEvent {
  const event = eventOf(parsed);
  if (event.kind === 'satisfaction_rated') throw new Error('expected a ticket change event');
  return event;
}

describe('parseZendeskWebhook: event-subscription envelopes', () => {
  it('maps ticket.created with string ids and UPPERCASE values onto a normalised event', () => {
    const event = changeEventOf(parseZendeskWebhook(envelope('ticket.created')));
    expect(event).toEqual({
      key: 'evt:01JEVENT',
      kind: 'created',
      ticketId: 42,
      occurredAt: Date.parse(TIME),
      actorId: 600,
      snapshot: {
        id: 42,
        subject: 'Charged twice',
        description: 'please refund',
        status: 'new',
        priority: 'high',
        groupId: 1002,
        assigneeId: null,
        requesterId: 300,
        organizationId: 400,
        formId: 500,
        tags: ['vip'],
        // The webhook's via type web_form, in the REST API's name for the channel.
        channel: 'web',
        createdAt: Date.UTC(2026, 10, 20, 9, 0, 0),
        updatedAt: Date.UTC(2026, 10, 20, 9, 30, 0),
      },
    });
  });

  it.each<[string, TicketEventKind]>([
    ['ticket.created', 'created'],
    ['ticket.status_changed', 'status_changed'],
    ['ticket.comment_added', 'comment_added'],
    ['ticket.priority_changed', 'priority_changed'],
    ['ticket.group_assignment_changed', 'group_changed'],
    ['ticket.agent_assignment_changed', 'assignee_changed'],
    ['ticket.tags_changed', 'tags_changed'],
    ['ticket.subject_changed', 'updated'],
    ['ticket.custom_field_changed', 'updated'],
  ])('%s -> kind %s', (type, kind) => {
    expect(changeEventOf(parseZendeskWebhook(envelope(type))).kind).toBe(kind);
  });

  it.each([
    ['status', { current: 'OPEN', previous: 'NEW' }, { current: 'open', previous: 'new' }],
    ['priority', { current: 'URGENT', previous: 'LOW' }, { current: 'urgent', previous: 'low' }],
    ['group ids stay as sent', { current: '1003', previous: null }, { current: '1003', previous: null }],
    ['mixed-case text stays', { current: 'Hello', previous: 'World' }, { current: 'Hello', previous: 'World' }],
  ])('change (%s): event.current/previous normalised', (_name, wire, expected) => {
    const event = changeEventOf(parseZendeskWebhook(envelope('ticket.status_changed', { event: wire })));
    expect(event.change).toEqual(expected);
  });

  it.each([
    ['ARCHIVED', 'archived'],
    ['SCRUBBED', 'scrubbed'],
    ['Deleted', 'deleted'],
  ])('status %s (from Zendesk\'s ticket schema) -> %s', (status, expected) => {
    expect(changeEventOf(parseZendeskWebhook(envelope('ticket.status_changed', { detail: detail({ status }) }))).snapshot.status).toBe(expected);
  });

  it.each([['-1'], [-1]])('actor_id %j (Zendesk itself, as in its audits) is no actor, not a 400', (actor) => {
    expect(changeEventOf(parseZendeskWebhook(envelope('ticket.status_changed', { detail: detail({ actor_id: actor }) }))).actorId).toBeNull();
  });

  it.each([['0'], [0], [null], [undefined]])('organization_id %j means no organization', (organization) => {
    expect(changeEventOf(parseZendeskWebhook(envelope('ticket.created', { detail: detail({ organization_id: organization }) }))).snapshot.organizationId).toBeNull();
  });

  it.each([
    ['mail', 'email'],
    ['web_service', 'api'],
    ['web_form', 'web'],
    ['voicemail', 'voice'],
    ['native_messaging', 'native_messaging'],
    ['web_widget', 'web_widget'],
    ['EMAIL', 'email'],
    ['something_new', 'something_new'],
  ])('via.channel %s -> channel %s (the REST API\'s names)', (wire, channel) => {
    expect(changeEventOf(parseZendeskWebhook(envelope('ticket.created', { detail: detail({ via: { channel: wire } }) }))).snapshot.channel).toBe(channel);
  });

  it('has no change when the event carries no current value', () => {
    expect(changeEventOf(parseZendeskWebhook(envelope('ticket.created'))).change).toBeUndefined();
  });

  it('maps an internal comment with a string author id', () => {
    const parsed = parseZendeskWebhook(envelope('ticket.comment_added', { event: { comment: { is_public: false, author: { id: '7' } } } }));
    const event = changeEventOf(parsed);
    expect(event.kind).toBe('comment_added');
    expect(event.comment).toEqual({ public: false, authorId: 7 });
  });

  it('ignores non-ticket event types', () => {
    const parsed = parseZendeskWebhook(envelope('user.created', { detail: { id: 'not-a-ticket' } }));
    expect(parsed).toEqual({ ok: true, ignored: expect.stringContaining('user.created') });
  });

  it.each<[string, unknown, string]>([
    ['invalid detail id', envelope('ticket.created', { detail: detail({ id: 'abc' }) }), 'detail.id: '],
    ['negative detail id', envelope('ticket.created', { detail: detail({ id: -1 }) }), 'detail.id: '],
    ['unknown status', envelope('ticket.created', { detail: detail({ status: 'WAITING' }) }), 'detail.status: '],
    ['unparseable created_at', envelope('ticket.created', { detail: detail({ created_at: 'yesterday' }) }), 'detail.created_at: '],
    ['missing type', (({ type: _type, ...rest }) => rest)(envelope('ticket.created')), 'type: '],
    ['type without the zen prefix', envelope('ticket.created', { type: 'ticket.created' }), 'type: '],
    ['not an object', 'hello', 'body: '],
  ])('%s -> not ok', (_name, body, reasonPrefix) => {
    const parsed = parseZendeskWebhook(body);
    expect(parsed.ok).toBe(false);
    expect(parsed).toEqual({ ok: false, reason: expect.stringMatching(new RegExp(`^${reasonPrefix.replace('.', '\\.')}`)) });
  });
});

describe('parseZendeskWebhook: CSAT trigger', () => {
  const csat = (overrides: Record<string, unknown> = {}) => ({
    cxloop_trigger: 'satisfaction',
    ticket_id: '42',
    updated_at: '2026-11-20T10:00:00Z',
    rating: "Good, I'm satisfied",
    comment: 'thanks',
    ...overrides,
  });

  it('maps a good rating', () => {
    expect(eventOf(parseZendeskWebhook(csat()))).toEqual({
      key: 'csat:42:2026-11-20T10:00:00Z',
      kind: 'satisfaction_rated',
      ticketId: 42,
      occurredAt: Date.UTC(2026, 10, 20, 10, 0, 0),
      score: 'good',
      comment: 'thanks',
      source: 'legacy',
    });
  });

  it.each([
    ["Bad, I'm unsatisfied", 'bad'],
    ['  bad', 'bad'],
    ['Offered', 'offered'],
    ['unoffered', 'unoffered'],
  ])('rating %j -> %s', (rating, score) => {
    expect(eventOf(parseZendeskWebhook(csat({ rating })))).toMatchObject({ kind: 'satisfaction_rated', score });
  });

  it.each(['good', 'bad'] as const)('reads the literal score %s the current triggers send, with no rating text at all', (score) => {
    const body = (({ rating: _rating, ...rest }) => rest)(csat({ score, comment: 'Sehr gut' }));
    expect(eventOf(parseZendeskWebhook(body))).toEqual({ key: 'csat:42:2026-11-20T10:00:00Z', kind: 'satisfaction_rated', ticketId: 42, occurredAt: Date.UTC(2026, 10, 20, 10, 0, 0), score, comment: 'Sehr gut', source: 'legacy' });
  });

  it('the literal score wins over a rating text sent next to it', () => {
    expect(eventOf(parseZendeskWebhook(csat({ score: 'bad', rating: "Good, I'm satisfied" })))).toMatchObject({ score: 'bad' });
  });

  it.each([
    ['German', 'Gut, ich bin zufrieden'],
    ['Spanish', 'Malo, no estoy satisfecho'],
    ['French', 'Bien, je suis satisfait'],
    ['empty', ''],
    ['unknown', 'Meh'],
  ])('a rating in display text it cannot read (%s) is accepted with score null, to be read back from Zendesk', (_language, rating) => {
    expect(eventOf(parseZendeskWebhook(csat({ rating })))).toEqual({
      key: 'csat:42:2026-11-20T10:00:00Z',
      kind: 'satisfaction_rated',
      ticketId: 42,
      occurredAt: Date.UTC(2026, 10, 20, 10, 0, 0),
      score: null,
      comment: 'thanks',
      source: 'legacy',
    });
  });

  it.each([
    ['a score cxloop does not write', { score: 'gut' }, /^score: /],
    ['neither score nor rating', { rating: undefined }, /^score: must be "good" or "bad"/],
    ['unparseable updated_at', { updated_at: 'soon' }, /^updated_at: /],
    ['non-numeric ticket id', { ticket_id: 'x' }, /^ticket_id: /],
  ])('%s -> not ok', (_name, overrides, reason) => {
    expect(parseZendeskWebhook(csat(overrides))).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });
});

describe('satisfactionFromRestTicket', () => {
  it.each([
    [{ satisfaction_rating: { id: 1234, score: 'good', comment: 'Great support!' } }, 'good'],
    [{ satisfaction_rating: { score: 'bad', comment: 'Immer noch kaputt' } }, 'bad'],
    [{ satisfaction_rating: { score: 'offered' } }, 'offered'],
    [{ satisfaction_rating: null }, null],
    [{}, null],
  ])('%j -> %s', (ticket, score) => {
    expect(satisfactionFromRestTicket({ id: 5, ...ticket })).toEqual({ ok: true, score });
  });

  it('reports a score it does not know with a ticket. path', () => {
    expect(satisfactionFromRestTicket({ satisfaction_rating: { score: 'great' } })).toEqual({ ok: false, reason: expect.stringMatching(/^ticket\.satisfaction_rating\.score: /) });
  });
});

describe('snapshotFromRestTicket', () => {
  it('maps a REST API ticket (numeric ids, lower-case status, null priority)', () => {
    const parsed = snapshotFromRestTicket({
      id: 5,
      subject: 'Slow dashboard',
      description: 'it takes a minute',
      status: 'open',
      priority: null,
      group_id: 1005,
      assignee_id: 77,
      requester_id: 300,
      organization_id: null,
      tags: ['cxloop_performance_issue'],
      via: { channel: 'email', source: { from: {}, to: {} } },
      created_at: CREATED_AT,
      updated_at: UPDATED_AT,
    });
    expect(parsed).toEqual({
      ok: true,
      snapshot: {
        id: 5,
        subject: 'Slow dashboard',
        description: 'it takes a minute',
        status: 'open',
        priority: null,
        groupId: 1005,
        assigneeId: 77,
        requesterId: 300,
        organizationId: null,
        formId: null,
        tags: ['cxloop_performance_issue'],
        channel: 'email',
        createdAt: Date.parse(CREATED_AT),
        updatedAt: Date.parse(UPDATED_AT),
      },
    });
  });

  it.each([['archived'], ['scrubbed']])('accepts status %s (a closed ticket Zendesk archived, a deleted one it scrubbed)', (status) => {
    const parsed = snapshotFromRestTicket({ id: 7, status, tags: [], created_at: CREATED_AT, updated_at: UPDATED_AT });
    expect(parsed.ok && parsed.snapshot.status).toBe(status);
  });

  it('reads organization_id 0 as no organization', () => {
    const parsed = snapshotFromRestTicket({ id: 7, status: 'open', organization_id: 0, tags: [], created_at: CREATED_AT, updated_at: UPDATED_AT });
    expect(parsed.ok && parsed.snapshot.organizationId).toBeNull();
  });

  it('reads the form from ticket_form_id, the REST API name for it', () => {
    const parsed = snapshotFromRestTicket({ id: 6, status: 'new', ticket_form_id: 360001, tags: [], created_at: CREATED_AT, updated_at: UPDATED_AT });
    expect(parsed.ok && parsed.snapshot.formId).toBe(360001);
  });

  it('reports an unreadable ticket with a ticket. path', () => {
    expect(snapshotFromRestTicket({ id: 5 })).toEqual({ ok: false, reason: expect.stringMatching(/^ticket\./) });
  });
});
