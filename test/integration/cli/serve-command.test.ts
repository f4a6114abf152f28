import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signZendeskPayload } from '../../../src/adapters/zendesk/verify-signature.js';
import { ZENDESK_TEST_SECRET } from '../../../src/adapters/zendesk/webhook-route.js';
import { runCli } from '../../../src/cli/main.js';
import { dropPrefix, ticketEvent, uniquePrefix, waitFor } from '../../support/zendesk-fixtures.js';
import { fakeIo } from '../../support/fake-io.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('cxloop serve in dry-run (in process, real Redis and HTTP)', () => {
  const prefix = uniquePrefix();
  afterAll(() => dropPrefix(prefix));

  it('says it is a dry run, shows and records what it would send, and shuts down gracefully on SIGTERM', async () => {
    const record = join(mkdtempSync(join(tmpdir(), 'cxloop-serve-')), 'dry-run.jsonl');
    // SLACK_TOKEN: a typo of SLACK_BOT_TOKEN, which the start-up log warns of (without its value).
    const io = fakeIo({ env: { REDIS_URL, PORT: '0', CXLOOP_REDIS_PREFIX: prefix, CXLOOP_DRY_RUN_LOG: record, LOG_LEVEL: 'info', SLACK_TOKEN: 'xoxb-not-read' } });
    const serving = runCli(['serve', '--host', '127.0.0.1'], io);
    const url = await waitFor(() => /listening on (http:\/\/\S+)/.exec(io.err())?.[1], 15_000, 'the start-up banner');
    expect(io.err()).toContain(`DRY-RUN: nothing is sent to Zendesk or Slack; every call cxloop would make is shown below and appended to ${record} (JSON lines).`);
    expect(io.err()).toContain('To go live set ZENDESK_SUBDOMAIN, ZENDESK_OAUTH_CLIENT_ID, ZENDESK_OAUTH_CLIENT_SECRET, ZENDESK_WEBHOOK_SECRET, SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET');

    const body = ticketEvent('created', { id: 4242, subject: 'Charged twice', description: 'I was charged twice for my subscription, please refund. Reach me at jane.doe@example.com', priority: 'normal' });
    const timestamp = new Date().toISOString();
    const response = await fetch(`${url}/webhooks/zendesk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-zendesk-webhook-signature-timestamp': timestamp, 'x-zendesk-webhook-signature': signZendeskPayload(body, timestamp, ZENDESK_TEST_SECRET) },
      body,
    });
    expect(response.status).toBe(200);
    // The terminal shows the routing write readably...
    await waitFor(() => io.err().includes('zendesk  PUT /api/v2/tickets/4242.json'), 15_000, 'the recorded routing write');
    expect(io.err()).toMatch(/#4242 -> .*tags web_widget cxloop_billing_issue cxloop_tier_normal/);

    process.emit('SIGTERM');
    expect(await serving).toBe(0);
    expect(io.err()).toContain('SIGTERM: shutting down (no new requests; waiting for running jobs');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();

    // ...and the file has the exact request, written before the process let go of it.
    const calls = readFileSync(record, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { system: string; call: string; request: { body?: { ticket?: { tags?: string[] } } } });
    const write = calls.find((call) => call.call === 'PUT /api/v2/tickets/4242.json');
    expect(write?.request.body?.ticket?.tags).toEqual(['web_widget', 'cxloop_billing_issue', 'cxloop_tier_normal']);
    // Structured logs: JSON per line, the ticket id as a field, no customer email anywhere.
    const logs = io.out().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logs).toContainEqual(expect.objectContaining({ level: 'info', msg: 'ticket classified', ticketId: 4242, category: 'billing_issue' }));
    expect(logs[0]).toMatchObject({ level: 'warn', msg: 'SLACK_TOKEN is not a cxloop variable and is ignored (did you mean SLACK_BOT_TOKEN?)', variable: 'SLACK_TOKEN', suggestion: 'SLACK_BOT_TOKEN' });
    expect(io.out() + io.err()).not.toContain('xoxb-not-read');
    expect(logs.at(-1)).toMatchObject({ level: 'info', msg: 'cxloop stopped' });
    expect(io.out()).not.toContain('jane.doe@example.com');
    expect(process.listenerCount('SIGTERM')).toBeLessThan(5);
  }, 60_000);
});
