import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZENDESK_TEST_SECRET } from '../../../src/adapters/zendesk/webhook-route.js';
import { ROUTE_MAX_AGE_MS } from '../../../src/app/handle-ticket-event.js';
import { checkOldTickets } from '../../../src/cli/commands/doctor/check-old-tickets.js';
import { parseEnv, type Env } from '../../../src/config/env-schema.js';
import { startCxloop, type Cxloop } from '../../../src/main.js';
import { dropPrefix, policyWithGroups, postSigned, REDIS_URL, ticketEvent, uniquePrefix, waitForIdle } from '../../support/zendesk-fixtures.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

interface Entry {
  readonly level: string;
  readonly msg: string;
  readonly fields: Record<string, unknown>;
}

describe(`the ${ROUTE_MAX_AGE_MS / 86_400_000}-day routing window (dry-run cxloop, real Redis, injected clock)`, () => {
  const prefix = uniquePrefix();
  const logs: Entry[] = [];
  let env: Env;
  let app: Cxloop;
  beforeAll(async () => {
    const parsed = parseEnv({ REDIS_URL, PORT: '0', CXLOOP_REDIS_PREFIX: prefix });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    env = parsed.env;
    const logger = { log: (level: string, msg: string, fields: Record<string, unknown> = {}) => void logs.push({ level, msg, fields }) };
    app = await startCxloop({ env, policy: policyWithGroups(), logger, host: '127.0.0.1', now: () => NOW });
  });
  afterAll(async () => {
    await app.stop();
    await dropPrefix(prefix);
  });

  const send = async (type: string, id: number, createdAt: number, updatedAt: number) => {
    const response = await postSigned(app.http.url, ticketEvent(type, { id, created_at: iso(createdAt), updated_at: iso(updatedAt) }), { secret: ZENDESK_TEST_SECRET, at: NOW });
    expect(response.status).toBe(200);
    await waitForIdle(app);
  };

  it('a ticket first seen 4 days after it was created is not routed, and the log says so once at info with its id and age', async () => {
    await send('created', 7001, NOW - 96 * HOUR, NOW - 96 * HOUR);
    await send('comment_added', 7001, NOW - 96 * HOUR, NOW - HOUR);
    const said = logs.filter((entry) => entry.fields.ticketId === 7001);
    expect(said.filter((entry) => entry.level === 'info')).toEqual([{ level: 'info', msg: 'ticket not routed: older than the 3-day routing window', fields: { ticketId: 7001, ageHours: 96 } }]);
    // The second event of the same ticket: debug only, not a second info line.
    expect(said.filter((entry) => entry.level === 'debug')).toEqual([{ level: 'debug', msg: 'ticket not routed', fields: { ticketId: 7001, reason: 'created before the routing window' } }]);
    expect(logs.some((entry) => entry.msg === 'ticket classified' && entry.fields.ticketId === 7001)).toBe(false);
  });

  it('a ticket 2 days old is routed', async () => {
    await send('created', 7002, NOW - 48 * HOUR, NOW - 48 * HOUR);
    expect(logs).toContainEqual(expect.objectContaining({ level: 'info', msg: 'ticket classified', fields: expect.objectContaining({ ticketId: 7002 }) }));
  });

  it('doctor counts the tickets left unrouted as too old, naming the latest', async () => {
    await send('created', 7003, NOW - 80 * HOUR, NOW - 80 * HOUR);
    expect(await checkOldTickets(env, NOW)).toEqual({
      name: 'old-tickets',
      status: 'ok',
      detail: `2 tickets left unrouted in the last 7 days: older than 3 days when cxloop saw them (latest #7003, ${iso(NOW)}); route such tickets in Zendesk by hand`,
    });
    // A week later they have aged out of the count.
    expect(await checkOldTickets(env, NOW + 8 * 24 * HOUR)).toMatchObject({ status: 'ok', detail: 'none left unrouted in the last 7 days for being older than 3 days' });
  });
});
