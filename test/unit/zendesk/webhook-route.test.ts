import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningServer } from '../../../src/adapters/http/http-server.js';
import { ticketEvent } from '../../../src/adapters/zendesk/sample-webhooks.js';
import { postSigned } from '../../support/zendesk-fixtures.js';
import { zendeskWebhookRoute, type WebhookRouteOptions } from '../../../src/adapters/zendesk/webhook-route.js';
import type { TicketEvent } from '../../../src/core/ticket-event.js';

const EVENTS_SECRET = 'events-webhook-secret';
const CSAT_SECRET = 'csat-webhook-secret';
const silent = { log: () => undefined };
const metrics = { webhook: () => undefined, event: () => undefined, routed: () => undefined, routingLatency: () => undefined };

function routeOptions(secrets: readonly string[], accepted: TicketEvent[]): WebhookRouteOptions {
  return {
    secrets,
    maxAgeMs: 5 * 60_000,
    maxBytes: 64 * 1024,
    inbox: {
      accept: async (event) => {
        accepted.push(event);
        return 'accepted';
      },
    },
    metrics,
    logger: silent,
    now: () => Date.now(),
  };
}

const CSAT_BODY = JSON.stringify({
  cxloop_trigger: 'satisfaction',
  ticket_id: '42',
  updated_at: '2026-11-20T10:00:00Z',
  rating: 'bad',
  comment: 'slow answer',
});

/** The route behind a real HTTP server, configured as main.ts does from ZENDESK_WEBHOOK_SECRET="events,,csat". */
describe('POST /webhooks/zendesk with two signing secrets', () => {
  const accepted: TicketEvent[] = [];
  let server: RunningServer;

  beforeAll(async () => {
    const route = zendeskWebhookRoute(routeOptions(`${EVENTS_SECRET},,${CSAT_SECRET}`.split(','), accepted));
    server = await startHttpServer({ port: 0, host: '127.0.0.1', routes: [route], logger: silent });
  });
  afterAll(async () => {
    await server.close();
  });

  const post = (body: string, secret: string) => postSigned(server.url, body, { secret });

  it('accepts an event signed by the events webhook secret', async () => {
    const response = await post(ticketEvent('created', { id: 41 }), EVENTS_SECRET);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'accepted' });
    expect(accepted.at(-1)).toMatchObject({ kind: 'created', ticketId: 41 });
  });

  it('accepts a CSAT body signed by the trigger webhook secret', async () => {
    const response = await post(CSAT_BODY, CSAT_SECRET);
    expect(response.status).toBe(200);
    expect(accepted.at(-1)).toMatchObject({ kind: 'satisfaction_rated', ticketId: 42, score: 'bad' });
  });

  it('rejects a body signed with any other secret, and stores nothing', async () => {
    const before = accepted.length;
    const response = await post(CSAT_BODY, 'not-a-configured-secret');
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toMatch(/ZENDESK_WEBHOOK_SECRET/);
    expect(accepted).toHaveLength(before);
  });
});

describe('zendeskWebhookRoute configuration', () => {
  it('refuses to start when ZENDESK_WEBHOOK_SECRET holds only commas', () => {
    expect(() => zendeskWebhookRoute(routeOptions(',, ,'.split(','), []))).toThrow(/ZENDESK_WEBHOOK_SECRET holds no secret/);
  });
});
