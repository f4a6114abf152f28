import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { DEFAULT_POLICY_PATH } from '../../src/config/load-policy.js';
import { nockZendeskToken, ZENDESK_URL } from './zendesk-fixtures.js';

/**
 * Pages of Zendesk's cursor-based incremental ticket export, built from its published example
 * (test/fixtures/zendesk/incremental-tickets-cursor-published.json), and a policy whose
 * categories have groups, for the tests of `export-training` and `train --from-zendesk`.
 */
const published = JSON.parse(readFileSync(new URL('../fixtures/zendesk/incremental-tickets-cursor-published.json', import.meta.url), 'utf8')) as {
  tickets: [Record<string, unknown>];
};
export const NOW = Date.parse('2026-12-01T12:00:00Z');
export const DAY = 86_400_000;
export const SINCE_S = (NOW - 180 * DAY) / 1000;
export const REQUESTER_DE = 20978392;
export const REQUESTER_PT = 20978393;
export const FIELD = 360001;

/** A ticket of Zendesk's published example with these changes (ids, status, group, tags, texts). */
export function ticket(id: number, changes: Record<string, unknown>): Record<string, unknown> {
  return { ...structuredClone(published.tickets[0]), id, url: `https://company.zendesk.com/api/v2/tickets/${id}`, status: 'solved', tags: [], custom_fields: [], generated_timestamp: SINCE_S + id * 3 * 86_400, ...changes };
}

/** Users as the users sideload lists them (Show User's shape, test/fixtures/zendesk/rest-user.json). */
const USERS = [
  { id: REQUESTER_DE, name: 'Jana Kunde', locale: 'de', role: 'end-user' },
  { id: REQUESTER_PT, name: 'João Cliente', locale: 'pt-BR', role: 'end-user' },
];

export function page(tickets: Record<string, unknown>[], afterCursor: string, endOfStream: boolean): Record<string, unknown> {
  return {
    after_cursor: afterCursor,
    after_url: `${ZENDESK_URL}/api/v2/incremental/tickets/cursor?cursor=${afterCursor}`,
    before_cursor: null,
    before_url: null,
    end_of_stream: endOfStream,
    tickets,
    users: USERS,
  };
}

/** The shipped policy with groups 1001 (bug_report and performance_issue), 1002 billing, 1003 feature, 1004 onboarding, 1007 content, and training_labels. */
export function writePolicy(): string {
  const groups: Record<string, number> = { bug_report: 1001, billing_issue: 1002, feature_request: 1003, onboarding_help: 1004, performance_issue: 1001, content_communication: 1007 };
  let text = readFileSync(DEFAULT_POLICY_PATH, 'utf8').replace(/\n {4}zendesk_group_id: null[^\n]*/, '');
  for (const [category, group] of Object.entries(groups)) text = text.replace(`\n  ${category}:\n`, `\n  ${category}:\n    zendesk_group_id: ${group}\n`);
  text = text.replace(/\ntraining_labels:\n(?: {2}.*\n)+/, `\ntraining_labels:\n  tags:\n    refund: billing_issue\n  ticket_fields:\n    "${FIELD}":\n      hardware: bug_report\n`);
  const file = join(mkdtempSync(join(tmpdir(), 'cxloop-training-')), 'policy.yaml');
  writeFileSync(file, text);
  return file;
}


/**
 * Fakes the account's OAuth token and its incremental ticket export (nothing else reaches the
 * network): each request is answered by `answer` with its key (`start:<start_time>` or the
 * cursor), its query and its Authorization header.
 */
export function nockTicketExport(answer: (key: string, query: Record<string, string>, authorization: string) => [number, unknown, Record<string, string>?]): void {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  nockZendeskToken();
  nock(ZENDESK_URL)
    .persist()
    .get('/api/v2/incremental/tickets/cursor.json')
    .query(true)
    .reply(function (uri) {
      const query = Object.fromEntries(new URL(uri, ZENDESK_URL).searchParams);
      const [status, body, headers] = answer(query.cursor ?? `start:${query.start_time}`, query, String(this.req.headers.authorization));
      return [status, body as nock.Body, headers ?? {}];
    });
}
