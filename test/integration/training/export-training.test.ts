import { appendFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { RedisModelStore } from '../../../src/adapters/redis/redis-model-store.js';
import { RedisTicketStore } from '../../../src/adapters/redis/redis-ticket-store.js';
import { applyLoopEvents, openTicketLoop } from '../../../src/app/run-loop.js';
import { runCli } from '../../../src/cli/main.js';
import { readLabeledCsv } from '../../../src/cli/read-labeled-csv.js';
import { decodeModelMeta } from '../../../src/core/learn/model-codec.js';
import { fakeIo, type FakeIo } from '../../support/fake-io.js';
import { DAY, FIELD, nockTicketExport, NOW, page, REQUESTER_PT, SINCE_S, ticket, writePolicy } from '../../support/zendesk-export-fixtures.js';
import { dropPrefix, historyLoopDeps, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, REDIS_URL, uniquePrefix, ZENDESK_URL } from '../../support/zendesk-fixtures.js';

/**
 * `cxloop export-training --from-zendesk` against Zendesk faked at its HTTP boundary (nock) and
 * the real Redis: pages of the cursor-based incremental export built from Zendesk's published
 * example (test/fixtures/zendesk/incremental-tickets-cursor-published.json), the OAuth grant, a
 * 429 with Retry-After and a stop half-way, on an injected clock whose sleeps only move it.
 */
const PAGE_1 = page(
  [
    ticket(1, { subject: 'Charged twice', description: 'My card was charged twice this month.', group_id: 1002 }),
    ticket(2, { subject: 'Export crashes', description: 'The export crashes every time.', group_id: 1002, tags: ['cxloop_bug_report'] }),
    ticket(3, { status: 'open', subject: 'Still open', group_id: 1002 }),
    ticket(4, { subject: 'Engineering, but which?', group_id: 1001 }),
  ],
  'c1',
  false,
);
const PAGE_2 = page(
  [
    ticket(5, { status: 'closed', subject: 'Money back', description: 'Please refund me.', group_id: 1003, tags: ['refund'] }),
    ticket(6, { subject: 'Printer on fire', description: 'The fire is very colorful.', group_id: null, custom_fields: [{ id: FIELD, value: 'hardware' }, { id: 27648, value: 'yes' }] }),
    ticket(7, { subject: 'Somewhere else', group_id: 999 }),
    ticket(8, { subject: 'Nobody', group_id: null }),
    ticket(9, { subject: '', description: '<p></p>', group_id: 1002 }),
    ticket(10, { subject: 'Nice, thanks', description: 'All good now.', group_id: 1002, tags: ['cxloop_other', 'refund'] }),
  ],
  'c2',
  false,
);
const PAGE_3 = page(
  [
    ticket(11, { status: 'open', subject: 'Wrong invoice address', description: 'The invoice shows my old address.', group_id: 1001, tags: ['cxloop_bug_report'] }),
    ticket(12, { subject: 'Typo on the pricing page', description: 'There is a typo.', group_id: 1002, tags: ['cxloop_billing_issue'] }),
    ticket(2, { subject: 'Export crashes', description: 'The export crashes every time.', group_id: 1002, tags: ['cxloop_bug_report'] }),
    ticket(13, {
      subject: 'Como convido minha equipe?',
      description: '<div><p>Como convido minha equipe?</p><p>Veja https://example.com/help</p></div>\nObrigado\n\n> On Mon, Ana wrote:\n> older text',
      group_id: 1004,
      requester_id: REQUESTER_PT,
    }),
  ],
  'c3',
  true,
);

interface ExportRequest {
  readonly query: Record<string, string>;
  readonly at: number;
  readonly authorization: string;
}

describe('cxloop export-training --from-zendesk', () => {
  let prefix: string;
  let redis: Redis;
  let clock: number;
  let sleeps: number[];
  let requests: ExportRequest[];
  /** What the fake export answers next for a start or a cursor: a status and body, used up in order (the last stays). */
  let answers: Map<string, { status: number; body: unknown; headers?: Record<string, string> }[]>;
  let dir: string;
  let policyFile: string;
  /** The command as `cxloop export-training ...` runs it, on the test's clock: a sleep only moves the clock. */
  const run = (args: string[], io: FakeIo): Promise<number> =>
    runCli(['export-training', ...args], {
      ...io,
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
    });

  beforeEach(() => {
    prefix = uniquePrefix();
    redis = new Redis(REDIS_URL);
    clock = NOW;
    sleeps = [];
    requests = [];
    dir = mkdtempSync(join(tmpdir(), 'cxloop-export-'));
    policyFile = writePolicy();
    answers = new Map([
      [`start:${SINCE_S}`, [{ status: 200, body: PAGE_1 }]],
      ['c1', [{ status: 200, body: PAGE_2 }]],
      ['c2', [{ status: 200, body: PAGE_3 }]],
    ]);
    nockTicketExport((key, query, authorization) => {
      requests.push({ query, at: clock, authorization });
      const queue = answers.get(key) ?? [{ status: 404, body: { error: 'InvalidCursor' } }];
      const answer = queue.length > 1 ? queue.shift()! : queue[0]!;
      return [answer.status, answer.body, answer.headers ?? {}];
    });
  });

  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    redis.disconnect();
    await dropPrefix(prefix);
  });

  function env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      REDIS_URL,
      CXLOOP_REDIS_PREFIX: prefix,
      CXLOOP_CONFIG: policyFile,
      ZENDESK_SUBDOMAIN: 'acme',
      ZENDESK_API_URL: ZENDESK_URL,
      ZENDESK_OAUTH_CLIENT_ID: OAUTH_CLIENT_ID,
      ZENDESK_OAUTH_CLIENT_SECRET: OAUTH_CLIENT_SECRET,
      // train --from-zendesk keeps what it reads in this folder's cxloop/ until the model is trained.
      XDG_CACHE_HOME: dir,
      ...extra,
    };
  }

  /** What cxloop recorded: ticket 11 reassigned in Slack to billing, ticket 12 moved by an agent to group 1007 (content). */
  async function recordCorrections(): Promise<void> {
    const keys = createRedisKeys(prefix);
    const loopDeps = historyLoopDeps(redis, prefix, () => NOW - 10 * DAY);
    await openTicketLoop({ ticketId: 11, category: 'bug_report', tier: 'normal', zendeskStatus: 'new' }, loopDeps);
    await applyLoopEvents(11, [{ type: 'reassign', user: 'U0ANA', category: 'billing_issue' }], 'slack-reassign-11', loopDeps);
    const store = new RedisTicketStore(redis, keys);
    await store.claimRouting(12, { status: 'pending', category: 'billing_issue', tier: 'normal', groupId: 1002, baseGroupId: null }, 'evt:12');
    await store.recordOverride({ ticketId: 12, override: { field: 'group', from: 1002, to: 1007 }, actorId: 4242, at: NOW - 9 * DAY });
  }

  it('pages through the export to end_of_stream within its rate limit, labels each ticket once and writes rows cxloop eval reads back', async () => {
    await recordCorrections();
    answers.set('c1', [{ status: 429, body: { error: 'APIRateLimitExceeded' }, headers: { 'retry-after': '30' } }, { status: 200, body: PAGE_2 }]);
    const out = join(dir, 'training.csv');
    const io = fakeIo({ env: env() });
    expect(await run(['--from-zendesk', '--out', out], io)).toBe(0);

    // The requests: start_time 180 days back, then each cursor (the 429'd one again), always with the users sideload.
    expect(requests.map((request) => request.query)).toEqual([
      { start_time: String(SINCE_S), include: 'users', exclude_deleted: 'true' },
      { cursor: 'c1', include: 'users', exclude_deleted: 'true' },
      { cursor: 'c1', include: 'users', exclude_deleted: 'true' },
      { cursor: 'c2', include: 'users', exclude_deleted: 'true' },
    ]);
    expect(requests.every((request) => request.authorization === 'Bearer zd-access-1')).toBe(true);
    // Never more than 10 a minute (6 s apart on cxloop's clock), and the Retry-After waited for in full, not in real time.
    for (let index = 1; index < requests.length; index += 1) expect(requests[index]!.at - requests[index - 1]!.at).toBeGreaterThanOrEqual(6_000);
    expect(sleeps).toContain(30_000);
    expect(requests[2]!.at - requests[1]!.at).toBeGreaterThanOrEqual(30_000);
    // The export endpoint's own limit: the install's other reads are not paused for it.
    expect(await redis.exists(`${prefix}:{zr}:paused`)).toBe(0);
    // Each request spent one read of the install's budget (ZENDESK_READS_PER_MINUTE).
    const spent = await Promise.all((await redis.keys(`${prefix}:{zr}:*`)).map((key) => redis.get(key)));
    expect(spent.reduce((sum, value) => sum + Number(value), 0)).toBe(4);
    expect(io.err()).toContain("waiting 30s: Zendesk's rate limit (429, Retry-After 30 s)");
    expect(io.err()).toMatch(/page 2: 10 tickets read, 5 labelled, 5 skipped; at 2026-07-04 \(17% of the window\), ETA \dm \d\ds\n/);
    expect(io.err()).toContain('page 3: 14 tickets read, 8 labelled, 6 skipped; reached the present\n');
    expect(io.err()).toContain('corrections cxloop recorded: 2 (1 Slack reassignment) on 2 tickets');

    const read = await readLabeledCsv(out);
    expect(read.problems).toEqual([]);
    expect(read.rows.map(({ id, subject, body, language, category }) => ({ id, subject, body, language, category }))).toEqual([
      { id: '1', subject: 'Charged twice', body: 'My card was charged twice this month.', language: 'de', category: 'billing_issue' },
      { id: '2', subject: 'Export crashes', body: 'The export crashes every time.', language: 'de', category: 'bug_report' },
      { id: '5', subject: 'Money back', body: 'Please refund me.', language: 'de', category: 'billing_issue' },
      { id: '6', subject: 'Printer on fire', body: 'The fire is very colorful.', language: 'de', category: 'bug_report' },
      { id: '10', subject: 'Nice, thanks', body: 'All good now.', language: 'de', category: 'other' },
      { id: '11', subject: 'Wrong invoice address', body: 'The invoice shows my old address.', language: 'de', category: 'billing_issue' },
      { id: '12', subject: 'Typo on the pricing page', body: 'There is a typo.', language: 'de', category: 'content_communication' },
      { id: '13', subject: 'Como convido minha equipe?', body: 'Como convido minha equipe?  Veja', language: 'pt', category: 'onboarding_help' },
    ]);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(io.out()).toBe(
      [
        `8 rows written to ${out} (14 tickets read in 3 pages, changed since 2026-06-04T12:00:00Z)`,
        '  labelled by: correction 2, tag 2, mapping 2, group 2',
        "  skipped 6: not solved or closed 1, no subject or description 1, read again (already exported) 1, no group 1, in a group that is no category's zendesk_group_id 1, in a group several categories share 1",
        '',
      ].join('\n'),
    );
    // Finished: nothing left to resume.
    expect(await redis.exists(`${prefix}:{training-export}`, `${prefix}:{training-export}:tickets`)).toBe(0);
  });

  it('continues an interrupted export where it stopped, cutting off what was written after the last saved page', async () => {
    answers.set('c1', [{ status: 403, body: { error: 'Forbidden', description: 'You do not have access to this page' } }, { status: 200, body: PAGE_2 }]);
    const out = join(dir, 'resumed.csv');
    const first = fakeIo({ env: env() });
    expect(await run(['--from-zendesk', '--out', out, '--no-corrections'], first)).toBe(1);
    expect(first.err()).toContain('the export stopped: GET /incremental/tickets/cursor: Zendesk answered 403 (Forbidden: You do not have access to this page); its place after page 1 is saved: run the same command again to continue');
    expect((await readLabeledCsv(out)).rows.map((row) => row.id)).toEqual(['1', '2']);
    // A row half written when the process died.
    appendFileSync(out, '99,"half a row');

    const second = fakeIo({ env: env() });
    expect(await run(['--from-zendesk', '--out', out, '--no-corrections'], second)).toBe(0);
    expect(second.err()).toContain('resuming the export started 2026-12-01T12:00:00Z (tickets changed since 2026-06-04T12:00:00Z): 4 tickets read, 2 labelled, 2 skipped so far');
    // The second run starts from the saved cursor, not from the start time again.
    expect(requests.slice(2).map((request) => request.query.cursor ?? 'start')).toEqual(['c1', 'c2']);
    const read = await readLabeledCsv(out);
    expect(read.problems).toEqual([]);
    // Without corrections, 11 (open) is not exported and 12 keeps its tag's label; ticket 2, read again on page 3, once.
    expect(read.rows.map((row) => `${row.id}:${row.category}`)).toEqual(['1:billing_issue', '2:bug_report', '5:billing_issue', '6:bug_report', '10:other', '12:billing_issue', '13:onboarding_help']);
    expect(readFileSync(out, 'utf8').match(/^id,subject,body,language,category$/gm)).toHaveLength(1);
    expect(second.out()).toContain('7 rows written to');
    expect(second.out()).toContain('(14 tickets read in 3 pages');
    expect(second.out()).toContain('labelled by: correction 0, tag 3, mapping 2, group 2');
  });

  it('cxloop train --from-zendesk learns the same rows straight from the export, within its rate limit, and stores the model in Redis', async () => {
    await recordCorrections();
    answers.set('c1', [{ status: 429, body: { error: 'APIRateLimitExceeded' }, headers: { 'retry-after': '30' } }, { status: 200, body: PAGE_2 }]);
    const io = fakeIo({ env: env() });
    const code = await runCli(['train', '--from-zendesk', '--folds', '2', '--json'], {
      ...io,
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
    });
    expect(io.err()).not.toContain('Error');
    expect(code).toBe(0);

    // Paged to end_of_stream, the 429'd page asked again after its Retry-After, 6 s apart at least.
    expect(requests.map((request) => request.query.cursor ?? `start:${request.query.start_time}`)).toEqual([`start:${SINCE_S}`, 'c1', 'c1', 'c2']);
    for (let index = 1; index < requests.length; index += 1) expect(requests[index]!.at - requests[index - 1]!.at).toBeGreaterThanOrEqual(6_000);
    expect(sleeps).toContain(30_000);
    expect(io.err()).toContain("waiting 30s: Zendesk's rate limit (429, Retry-After 30 s)");
    expect(io.err()).toContain('page 3: 14 tickets read, 8 labelled, 6 skipped; reached the present\n');
    expect(io.err()).toContain('from Zendesk: 8 labelled rows (14 tickets read in 3 pages, changed since 2026-06-04T12:00:00Z)\n');
    expect(io.err()).toContain('  skipped 6: not solved or closed 1, no subject or description 1, read again (already exported) 1, no group 1');

    // The 8 rows export-training writes, learned from; the model stored where every process reloads it.
    const result = JSON.parse(io.out()) as { rows: number; meta: { rows: number; fingerprint: string; trainedAt: string; examples: Record<string, number> } };
    expect(result.rows).toBe(8);
    expect(result.meta.examples).toEqual({ billing_issue: 3, bug_report: 2, other: 1, content_communication: 1, onboarding_help: 1 });
    expect(result.meta.trainedAt).toBe(new Date(clock).toISOString());
    const stored = await new RedisModelStore(redis, createRedisKeys(prefix)).load();
    expect(stored?.version).toBe(result.meta.fingerprint);
    expect(decodeModelMeta(stored!.bytes).rows).toBe(8);
  });

  it('cxloop train --from-zendesk continues an interrupted read where it stopped, and removes its rows file once the model is trained', async () => {
    // An admin's access withdrawn mid-read (not retried), given back before the next run.
    answers.set('c1', [{ status: 403, body: { error: 'Forbidden' } }, { status: 200, body: PAGE_2 }]);
    const cache = mkdtempSync(join(tmpdir(), 'cxloop-cache-'));
    const rowsFile = join(cache, 'cxloop', `training-${prefix}.csv`);
    const train = (io: FakeIo, extra: string[] = []) =>
      runCli(['train', '--from-zendesk', '--no-corrections', '--folds', '2', '--json', ...extra], {
        ...io,
        now: () => clock,
        sleep: async (ms) => {
          sleeps.push(ms);
          clock += ms;
        },
      });
    const first = fakeIo({ env: env({ XDG_CACHE_HOME: cache }) });
    expect(await train(first)).toBe(1);
    expect(first.err()).toContain(`exporting tickets changed since 2026-06-04T12:00:00Z to ${rowsFile}`);
    expect(first.err()).toMatch(/the export stopped: GET \/incremental\/tickets\/cursor: Zendesk answered 403 \(Forbidden\); its place after page 1 is saved: run the same command again to continue/);
    // What page 1 labelled is kept, owner-only, in the cache folder (itself owner-only).
    expect((await readLabeledCsv(rowsFile)).rows.map((row) => row.id)).toEqual(['1', '2']);
    expect(statSync(rowsFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(cache, 'cxloop')).mode & 0o777).toBe(0o700);
    const before = requests.length;

    const second = fakeIo({ env: env({ XDG_CACHE_HOME: cache }) });
    expect(await train(second)).toBe(0);
    expect(second.err()).toContain('resuming the export started 2026-12-01T12:00:00Z (tickets changed since 2026-06-04T12:00:00Z): 4 tickets read, 2 labelled, 2 skipped so far');
    // The second run asks for the saved cursor first, never the start time again.
    expect(requests.slice(before).map((request) => request.query.cursor ?? 'start')).toEqual(['c1', 'c2']);
    const result = JSON.parse(second.out()) as { rows: number; meta: { examples: Record<string, number> } };
    // The 7 rows export-training writes without corrections: page 1's two and the five read after it.
    expect(result.rows).toBe(7);
    expect(result.meta.examples).toEqual({ billing_issue: 3, bug_report: 2, other: 1, onboarding_help: 1 });
    expect(existsSync(rowsFile)).toBe(false);
    expect(await redis.exists(`${prefix}:{training-export}`, `${prefix}:{training-export}:tickets`)).toBe(0);

    // A file of one's own is kept; --rows and --restart go with --from-zendesk only.
    const kept = join(dir, 'kept.csv');
    answers.set(`start:${String((clock - 180 * DAY) / 1000)}`, [{ status: 200, body: PAGE_1 }]);
    expect(await train(fakeIo({ env: env() }), ['--rows', kept])).toBe(0);
    expect((await readLabeledCsv(kept)).rows).toHaveLength(7);
    const misplaced = fakeIo({ env: env() });
    expect(await runCli(['train', '--rows', kept], misplaced)).toBe(2);
    expect(misplaced.err()).toContain('--rows goes with --from-zendesk');
  });

  it('refuses to mix an export under way with another file, and --restart starts over', async () => {
    answers.set('c1', [{ status: 403, body: { error: 'Forbidden' } }]);
    const out = join(dir, 'a.csv');
    expect(await run(['--from-zendesk', '--out', out], fakeIo({ env: env() }))).toBe(1);
    // An existing file the restarted export writes is made owner-only too.
    writeFileSync(join(dir, 'b.csv'), 'old\n', { mode: 0o644 });
    const other = fakeIo({ env: env() });
    expect(await run(['--from-zendesk', '--out', join(dir, 'b.csv')], other)).toBe(1);
    expect(other.err()).toContain(`an export to ${out} is under way (started 2026-12-01T12:00:00Z): run it again with --out ${out} to continue it, or add --restart to start over`);
    answers.set('c1', [{ status: 200, body: PAGE_2 }]);
    const restartAt = clock;
    const startTime = String(Math.floor((restartAt - 30 * DAY) / 1000));
    answers.set(`start:${startTime}`, [{ status: 200, body: PAGE_1 }]);
    const restarted = fakeIo({ env: env() });
    expect(await run(['--from-zendesk', '--out', join(dir, 'b.csv'), '--restart', '--since', '30d'], restarted)).toBe(0);
    expect(restarted.err()).not.toContain('resuming');
    expect(requests.at(-3)?.query.start_time).toBe(startTime);
    expect((await readLabeledCsv(join(dir, 'b.csv'))).rows).toHaveLength(7);
    expect(statSync(join(dir, 'b.csv')).mode & 0o777).toBe(0o600);
  });

  it('says what to set without an account, and refuses a read budget of 0', async () => {
    const noAccount = fakeIo({ env: { REDIS_URL, CXLOOP_REDIS_PREFIX: prefix, CXLOOP_CONFIG: policyFile } });
    expect(await run(['--from-zendesk', '--out', join(dir, 'x.csv')], noAccount)).toBe(1);
    expect(noAccount.err()).toContain('needs the Zendesk account: set ZENDESK_SUBDOMAIN, ZENDESK_OAUTH_CLIENT_ID and ZENDESK_OAUTH_CLIENT_SECRET');
    expect(existsSync(join(dir, 'x.csv'))).toBe(false);
    const noReads = fakeIo({ env: env({ ZENDESK_READS_PER_MINUTE: '0' }) });
    expect(await run(['--from-zendesk', '--out', join(dir, 'x.csv')], noReads)).toBe(1);
    expect(noReads.err()).toContain('ZENDESK_READS_PER_MINUTE=0');
    const noSource = fakeIo({ env: env() });
    expect(await run(['--out', join(dir, 'x.csv')], noSource)).toBe(2);
    expect(noSource.err()).toContain('--from-zendesk');
    expect(requests).toEqual([]);
  });
});
