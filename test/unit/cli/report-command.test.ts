import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyLoopEvents, openTicketLoop, type LoopDeps } from '../../../src/app/run-loop.js';
import { runCli } from '../../../src/cli/main.js';
import { fakeIo } from '../../support/fake-io.js';
import { dropPrefix, historyLoopDeps, REDIS_URL, uniquePrefix } from '../../support/zendesk-fixtures.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-16T09:00:00Z');
const UNTIL = '2026-11-20T09:00:00Z';

/** Loops written through the same use-case the workers run (timers and effects not queued here). */
describe('cxloop report (real Redis)', () => {
  const prefix = uniquePrefix();
  const redis = new Redis(REDIS_URL);
  const env = { REDIS_URL, CXLOOP_REDIS_PREFIX: prefix };
  let clock = T0;
  const deps: LoopDeps = historyLoopDeps(redis, prefix, () => clock);

  beforeAll(async () => {
    // 1: acknowledged at 1 h, solved at 20 h. 2: acknowledged at 3 h. 3: never acknowledged. 4: opened before the window.
    const open = async (ticketId: number, at: number) => {
      clock = at;
      await openTicketLoop({ ticketId, category: 'billing_issue', tier: 'normal', zendeskStatus: 'new' }, deps);
    };
    const apply = async (ticketId: number, at: number, type: 'acknowledge' | 'solved') => {
      clock = at;
      await applyLoopEvents(ticketId, [type === 'acknowledge' ? { type, user: 'U1' } : { type: 'status_changed', status: 'solved' }], `${ticketId}-${at}`, deps);
    };
    await open(4, T0 - 30 * 24 * HOUR);
    await open(1, T0);
    await open(2, T0);
    await open(3, T0);
    await apply(1, T0 + HOUR, 'acknowledge');
    await apply(2, T0 + 3 * HOUR, 'acknowledge');
    await apply(1, T0 + 20 * HOUR, 'solved');
  });
  afterAll(async () => {
    redis.disconnect();
    await dropPrefix(prefix);
  });

  it('prints the figures of the loops opened in the window', async () => {
    const io = fakeIo({ env });
    expect(await runCli(['report', '--since', '7d', '--until', UNTIL], io)).toBe(0);
    const out = io.out();
    expect(out).toContain('Loops: 3 opened, 3 not yet verified or closed');
    expect(out).toMatch(/Acknowledged within 2 h\s+33\.3%\s+\(1\/3\)/);
    expect(out).toMatch(/Acknowledged within 6 h\s+66\.7%\s+\(2\/3\)/);
    expect(out).toMatch(/Closed within 48 h\s+33\.3%\s+\(1\/3\)/);
  });

  it('gives the same figures as JSON with --json, and a longer window takes the older loop in', async () => {
    const io = fakeIo({ env });
    expect(await runCli(['report', '--since', '60d', '--until', UNTIL, '--json'], io)).toBe(0);
    const report = JSON.parse(io.out()) as { window: { since: string }; loops: { opened: number }; acknowledgedWithin2h: { count: number; of: number } };
    expect(report.window.since).toBe('2026-09-21T09:00:00.000Z');
    expect(report.loops.opened).toBe(4);
    expect(report.acknowledgedWithin2h).toEqual({ count: 1, of: 4, share: 0.25 });
  });

  it('says what is wrong with bad options or an unreachable Redis', async () => {
    const bad = fakeIo({ env });
    expect(await runCli(['report', '--since', 'weekly'], bad)).toBe(2);
    expect(bad.err()).toContain('cxloop report: --since: invalid duration "weekly"');
    const badDate = fakeIo({ env });
    expect(await runCli(['report', '--until', 'tomorrow'], badDate)).toBe(2);
    expect(badDate.err()).toContain('--until: "tomorrow" is not a date');
    const down = fakeIo({ env: { REDIS_URL: 'redis://127.0.0.1:1', CXLOOP_REDIS_PREFIX: prefix } });
    expect(await runCli(['report'], down)).toBe(1);
    expect(down.err()).toMatch(/cannot connect to Redis at redis:\/\/127\.0\.0\.1:1 /);
  });
});
