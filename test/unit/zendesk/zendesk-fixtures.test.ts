import { readdirSync, readFileSync } from 'node:fs';
import nock from 'nock';
import { parse, stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseJob } from '../../../src/app/job-catalogue.js';
import { apiTokenAuth } from '../../../src/adapters/zendesk/zendesk-auth.js';
import { NodeZendeskApi } from '../../../src/adapters/zendesk/node-zendesk-api.js';
import { parseZendeskWebhook, satisfactionFromRestTicket, snapshotFromRestTicket, type ParsedWebhook } from '../../../src/adapters/zendesk/parse-webhook.js';
import { createClassifier } from '../../../src/app/create-classifier.js';
import { whyNotRoute } from '../../../src/app/handle-ticket-event.js';
import { ticketFromSnapshot } from '../../../src/app/plan-route.js';
import { DEFAULT_POLICY_PATH, parsePolicyText } from '../../../src/config/load-policy.js';
import type { TicketChangeEvent, TicketSnapshot } from '../../../src/core/ticket-event.js';

/** Zendesk's published (or, where noted, reconstructed) payloads: test/fixtures/zendesk/README.md names the source of each. */
const DIR = new URL('../../fixtures/zendesk/', import.meta.url);
const fixture = (file: string): unknown => JSON.parse(readFileSync(new URL(file, DIR), 'utf8'));
const ZENDESK = 'https://acme.zendesk.test';

function changeEventOf(parsed: ParsedWebhook): TicketChangeEvent {
  if (!parsed.ok || !('event' in parsed) || parsed.event.kind === 'satisfaction_rated') throw new Error(`expected a ticket event, got ${JSON.stringify(parsed)}`);
  return parsed.event;
}

function restSnapshotOf(ticket: unknown): TicketSnapshot {
  const parsed = snapshotFromRestTicket(ticket);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.snapshot;
}

describe('test/fixtures/zendesk', () => {
  it('names the source of every fixture in its README, and every file the README names exists', () => {
    const files = readdirSync(DIR).filter((file) => file.endsWith('.json'));
    const readme = readFileSync(new URL('README.md', DIR), 'utf8');
    for (const file of files) expect(readme, file).toContain(`\`${file}\``);
    const named = [...readme.matchAll(/`([a-z-]+\.json)`/g)].map((match) => match[1]!);
    for (const file of named) expect(files).toContain(file);
  });
});

describe('Zendesk event-subscription payloads', () => {
  it('ignores events that are not about tickets (Zendesk\'s published user and messaging examples)', () => {
    expect(parseZendeskWebhook(fixture('user-active-changed.json'))).toEqual({ ok: true, ignored: 'not a ticket event (user.active_changed)' });
    expect(parseZendeskWebhook(fixture('messaging-message-added.json'))).toEqual({ ok: true, ignored: 'not a ticket event (messaging_ticket.message_added)' });
  });

  it('maps ticket.created (event.current and no event.previous; via mail; organization "0"; a time in nanoseconds)', () => {
    expect(changeEventOf(parseZendeskWebhook(fixture('ticket-created.json')))).toEqual({
      key: 'evt:cbe4028c-7239-495d-b020-f22348516046',
      kind: 'created',
      ticketId: 5158,
      occurredAt: Date.parse('2025-01-08T10:12:07.672Z'),
      actorId: 8447388090494,
      change: { current: { status: 'NEW' }, previous: null },
      snapshot: {
        id: 5158,
        subject: 'Charged twice for my subscription',
        description: 'I was charged twice for my subscription this month. Please refund the duplicate payment.',
        status: 'new',
        priority: 'normal',
        groupId: null,
        assigneeId: null,
        requesterId: 8447388090494,
        organizationId: null,
        formId: 8646151517822,
        tags: ['billing'],
        channel: 'email',
        createdAt: Date.parse('2025-01-08T10:12:07Z'),
        updatedAt: Date.parse('2025-01-08T10:12:07Z'),
      },
    });
  });

  it('maps ticket.status_changed to solved, via web_service as the api channel', () => {
    const event = changeEventOf(parseZendeskWebhook(fixture('ticket-status-changed-solved.json')));
    expect(event).toMatchObject({ kind: 'status_changed', ticketId: 5158, change: { current: 'solved', previous: 'open' } });
    expect(event.snapshot).toMatchObject({ status: 'solved', channel: 'api', assigneeId: 8447388090500, groupId: 8447320466430 });
  });

  it.each([
    ['ticket-status-changed-archived.json', 'archived', 'closed'],
    ['ticket-status-changed-scrubbed.json', 'scrubbed', 'deleted'],
  ])('accepts %s (status %s, previously %s) and would not route such a ticket seen for the first time', (file, status, previous) => {
    const event = changeEventOf(parseZendeskWebhook(fixture(file)));
    expect(event).toMatchObject({ kind: 'status_changed', ticketId: 5158, change: { current: status, previous } });
    expect(event.snapshot.status).toBe(status);
    expect(whyNotRoute(event.snapshot, event.snapshot.updatedAt)).toBe(`status ${status}`);
  });

  it('maps ticket.comment_added: a public agent reply, via native_messaging', () => {
    const event = changeEventOf(parseZendeskWebhook(fixture('ticket-comment-added.json')));
    expect(event).toMatchObject({ kind: 'comment_added', comment: { public: true, authorId: 8447388090500 } });
    expect(event.snapshot.channel).toBe('native_messaging');
  });

  it.each(['ticket-created.json', 'ticket-status-changed-solved.json', 'ticket-status-changed-archived.json', 'ticket-status-changed-scrubbed.json', 'ticket-comment-added.json'])(
    '%s survives the events queue: stored as JSON, it parses as the job schema again',
    (file) => {
      const event = changeEventOf(parseZendeskWebhook(fixture(file)));
      const job = JSON.parse(JSON.stringify({ v: 1, event, receivedAt: 1 })) as unknown;
      expect(() => parseJob('event', { name: 'ticket-event', data: job })).not.toThrow();
    },
  );

  it('refuses a fixture whose status is not one of Zendesk\'s, naming the field', () => {
    const body = fixture('ticket-created.json') as { detail: Record<string, unknown> };
    expect(parseZendeskWebhook({ ...body, detail: { ...body.detail, status: 'WAITING' } })).toEqual({ ok: false, reason: expect.stringMatching(/^detail\.status: /) });
  });
});

describe('Zendesk REST payloads', () => {
  const rest = (fixture('rest-ticket.json') as { ticket: unknown }).ticket;

  it('maps the published Tickets API example, form and satisfaction included', () => {
    expect(restSnapshotOf(rest)).toEqual({
      id: 35436,
      subject: 'Help, my printer is on fire!',
      description: 'The fire is very colorful.',
      status: 'open',
      priority: 'high',
      groupId: 98738,
      assigneeId: 235323,
      requesterId: 20978392,
      organizationId: 509974,
      formId: null,
      tags: ['enterprise', 'other_tag'],
      channel: 'web',
      createdAt: Date.parse('2009-07-20T22:55:29Z'),
      updatedAt: Date.parse('2011-05-05T10:38:52Z'),
    });
    expect(satisfactionFromRestTicket(rest)).toEqual({ ok: true, score: 'good' });
  });

  describe('an incremental export page (the reconciliation read)', () => {
    beforeAll(() => nock.disableNetConnect());
    afterEach(() => nock.cleanAll());
    afterAll(() => nock.enableNetConnect());

    it('reads archived and scrubbed tickets instead of skipping them, organization 0 as none', async () => {
      nock(ZENDESK).get('/api/v2/incremental/tickets/cursor.json').query({ cursor: 'prev' }).reply(200, fixture('incremental-tickets-page.json') as object);
      const page = await new NodeZendeskApi({ auth: apiTokenAuth('a@b.test', 't'), baseUrl: ZENDESK, timeoutMs: 5_000 }).exportTickets({ cursor: 'prev' });
      expect(page.skipped).toBe(0);
      expect(page.snapshots.map(({ id, status, organizationId, channel }) => ({ id, status, organizationId, channel }))).toEqual([
        { id: 35440, status: 'archived', organizationId: 509974, channel: 'email' },
        { id: 35441, status: 'scrubbed', organizationId: null, channel: 'web' },
        { id: 35442, status: 'open', organizationId: null, channel: 'api' },
      ]);
      expect(page).toMatchObject({ afterCursor: 'MTU3NjYxMzUzOS4wfHw0NTF8', endOfStream: true });
    });
  });
});

describe('CSAT trigger bodies', () => {
  it.each([
    ['csat-trigger-good.json', 'good'],
    ['csat-trigger-bad.json', 'bad'],
    ['csat-legacy-rating-en.json', 'bad'],
    ['csat-legacy-rating-de.json', null],
    ['csat-legacy-rating-es.json', null],
  ])('%s -> score %s (null: read back from Zendesk)', (file, score) => {
    const parsed = parseZendeskWebhook(fixture(file));
    expect(parsed).toMatchObject({ ok: true, event: { kind: 'satisfaction_rated', key: 'csat:5158:2025-01-09T08:00:00Z', ticketId: 5158, score } });
  });
});

describe('one channel vocabulary for webhooks, reconciliation and the policy', () => {
  it('a channels: rule written in the webhook spelling (mail) matches the ticket whether it came by webhook (mail) or by the export (email)', () => {
    const yaml = parse(readFileSync(DEFAULT_POLICY_PATH, 'utf8'), { merge: true }) as { categories: Record<string, { match?: Record<string, unknown> }> };
    yaml.categories['feature_request']!.match = { ...yaml.categories['feature_request']!.match, channels: ['mail'] };
    const policy = parsePolicyText(stringify(yaml));
    if (!policy.ok) throw new Error(JSON.stringify(policy.problems));
    expect(policy.policy.categories.feature_request.match.channels).toEqual(['email']);
    const classifier = createClassifier(policy.policy);

    const byWebhook = changeEventOf(parseZendeskWebhook(fixture('ticket-created.json'))).snapshot;
    const byExport = restSnapshotOf({
      id: 5158,
      subject: byWebhook.subject,
      description: byWebhook.description,
      status: 'new',
      priority: 'normal',
      requester_id: 8447388090494,
      organization_id: null,
      ticket_form_id: 8646151517822,
      tags: ['billing'],
      via: { channel: 'email', source: { from: { address: 'customer@example.com' }, to: {}, rel: null } },
      created_at: '2025-01-08T10:12:07Z',
      updated_at: '2025-01-08T10:12:07Z',
    });
    expect(byExport).toEqual(byWebhook);
    const decision = classifier.classify(ticketFromSnapshot(byWebhook));
    expect(decision.evidence).toContainEqual(expect.objectContaining({ rule: 'channel', value: 'channel:email' }));
    expect(classifier.classify(ticketFromSnapshot(byExport))).toEqual(decision);
  });
});
