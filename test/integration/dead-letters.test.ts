import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../src/adapters/redis/redis-keys.js';
import { RedisSlackOutbox } from '../../src/adapters/redis/redis-slack-outbox.js';
import { QUEUE_NAMES } from '../../src/app/job-catalogue.js';
import { checkDeadLetters } from '../../src/cli/commands/doctor/check-dead-letters.js';
import { runCli } from '../../src/cli/main.js';
import type { Cxloop } from '../../src/main.js';
import { fakeIo } from '../support/fake-io.js';
import { dropPrefix, nockZendeskReads, postSigned, REDIS_URL, startLive, ticketEvent, uniquePrefix, waitFor, ZENDESK_URL } from '../support/zendesk-fixtures.js';

/**
 * A job that fails for good is never silent: it stays on the dead-letter list (its queue's failed
 * set) with its payload and error, /metrics counts it, doctor warns, and `cxloop dead-letters
 * --replay` runs it again. Real server, Redis and workers; Zendesk faked by nock.
 */
describe('dead letters', () => {
  const prefix = uniquePrefix();
  const queuePrefix = createRedisKeys(prefix).queuePrefix;
  const redis = new Redis(REDIS_URL);
  const env = { REDIS_URL, CXLOOP_REDIS_PREFIX: prefix };
  const NOW = Date.parse('2026-11-23T09:00:00Z');
  let app: Cxloop;
  const puts: string[] = [];

  beforeAll(async () => {
    nockZendeskReads();
    // Zendesk refuses the first routing write (422: fails for good), then accepts it.
    nock(ZENDESK_URL).put('/api/v2/tickets/777.json').reply(422, { error: 'RecordInvalid', description: 'Record validation errors' });
    nock(ZENDESK_URL)
      .persist()
      .put(/\/api\/v2\/tickets\/\d+\.json/)
      .reply(200, (path) => {
        puts.push(path);
        return { ticket: {} };
      });
    app = await startLive(prefix, { now: () => NOW });
  });
  afterAll(async () => {
    await app.stop();
    nock.cleanAll();
    nock.enableNetConnect();
    await dropPrefix(prefix);
    redis.disconnect();
  });

  it('keeps a refused routing write and a Slack job that does not parse, counts them, lists them and replays one', async () => {
    await postSigned(app.http.url, ticketEvent('created', { id: 777, created_at: new Date(NOW - 60_000).toISOString() }), { at: NOW });
    const slack = new Queue(QUEUE_NAMES.slack, { connection: redis, prefix: queuePrefix(QUEUE_NAMES.slack) });
    // A payload an older or newer release could have left: no ticket id.
    await slack.add('acknowledge', { v: 1, kind: 'acknowledge', user: 'U0AAA1111' } as never, { jobId: 's-bad-payload', attempts: 5 });
    await waitFor(async () => (await app.queues.routes.getFailedCount()) === 1 && (await slack.getFailedCount()) === 1, 15_000, 'both jobs to fail for good');
    // Failed for good at the first attempt: a payload that does not parse is not retried 5 times.
    expect((await slack.getJob('s-bad-payload'))?.attemptsMade).toBe(1);
    await slack.close();

    const metrics = await (await fetch(`${app.http.url}/metrics`)).text();
    expect(metrics).toMatch(/^cxloop_jobs_dead_lettered_total\{queue="zendesk-routes"\} 1$/m);
    expect(metrics).toMatch(/^cxloop_jobs_dead_lettered_total\{queue="cxloop-slack"\} 1$/m);

    const doctor = await checkDeadLetters(redis, createRedisKeys(prefix));
    expect(doctor).toEqual({
      name: 'dead-letters',
      status: 'warn',
      detail: '2 failed for good: 1 in zendesk-routes, 1 in cxloop-slack',
      fix: 'read them with cxloop dead-letters, fix the cause, then cxloop dead-letters --replay',
    });

    const list = fakeIo({ env });
    expect(await runCli(['dead-letters'], list)).toBe(0);
    expect(list.out()).toMatch(/^2 jobs and 0 Slack messages failed for good\n {2}zendesk-routes 1, cxloop-slack 1\n/);
    expect(list.out()).toMatch(/zendesk-routes {2}route route-777 ticket #777 {2}after 1 attempt: .*422/);
    expect(list.out()).toMatch(/cxloop-slack {2}acknowledge s-bad-payload {2}after 1 attempt: job acknowledge \(s-bad-payload\) on cxloop-slack does not match its schema: ticketId: /);

    const json = fakeIo({ env });
    expect(await runCli(['dead-letters', '--json'], json)).toBe(0);
    expect(JSON.parse(json.out())).toMatchObject({ prefix, counts: { 'zendesk-routes': 1, 'cxloop-slack': 1 }, jobs: [expect.anything(), expect.anything()], slack: [] });

    const replay = fakeIo({ env });
    expect(await runCli(['dead-letters', '--replay', '--id', 'route-777'], replay)).toBe(0);
    expect(replay.out()).toBe('replayed 1 job and 0 Slack messages\n');
    await waitFor(() => puts.includes('/api/v2/tickets/777.json'), 15_000, 'the replayed routing write');
    expect(await app.queues.routes.getFailedCount()).toBe(0);
    expect(await checkDeadLetters(redis, createRedisKeys(prefix))).toMatchObject({ status: 'warn', detail: '1 failed for good: 1 in cxloop-slack' });
  });

  it('refuses --id without --replay, and a bad --limit, as usage errors', async () => {
    const io = fakeIo({ env });
    expect(await runCli(['dead-letters', '--id', 'x'], io)).toBe(2);
    expect(io.err()).toContain('--id only goes with --replay');
    expect(await runCli(['dead-letters', '--limit', '0'], io)).toBe(2);
  });
});

describe('the Slack outbox dead-letter list', () => {
  const prefix = uniquePrefix();
  const redis = new Redis(REDIS_URL);
  afterAll(async () => {
    await dropPrefix(prefix);
    redis.disconnect();
  });

  it('lists the messages Slack refused and queues them again on their channel, oldest first', async () => {
    const keys = createRedisKeys(prefix);
    const outbox = new RedisSlackOutbox(redis, keys);
    await outbox.push('C0BILLING', 'first', 1_000);
    await outbox.push('C0BILLING', 'second', 1_000);
    const claim = (await outbox.claim(1_000, 30_000))!;
    expect(await outbox.deadLetter(claim, 'channel_not_found', Date.parse('2026-11-23T09:00:00Z'))).toBe(true);
    expect(await outbox.deadLetter(claim, 'is_archived', Date.parse('2026-11-23T09:01:00Z'))).toBe(true);
    expect(await outbox.deadLetters()).toEqual([
      { at: '2026-11-23T09:01:00.000Z', channel: 'C0BILLING', reason: 'is_archived', item: 'second' },
      { at: '2026-11-23T09:00:00.000Z', channel: 'C0BILLING', reason: 'channel_not_found', item: 'first' },
    ]);
    expect(await checkDeadLetters(redis, createRedisKeys(prefix))).toMatchObject({ status: 'warn', detail: '2 failed for good: 2 Slack messages' });
    expect(await outbox.replayDeadLetters(2_000)).toBe(2);
    expect(await outbox.peek('C0BILLING', 10)).toEqual(['first', 'second']);
    expect(await outbox.deadLetters()).toEqual([]);
    expect(await checkDeadLetters(redis, createRedisKeys(prefix))).toMatchObject({ status: 'ok' });
  });
});
