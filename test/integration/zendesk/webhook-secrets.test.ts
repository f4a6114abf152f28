import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cxloop } from '../../../src/main.js';
import { dropPrefix, nockZendeskReads, postSigned, startLive, ticketEvent, uniquePrefix } from '../../support/zendesk-fixtures.js';

const EVENTS_SECRET = 'whsec-events-0123456789';
const CSAT_SECRET = 'whsec-csat-9876543210';

/**
 * ZENDESK_WEBHOOK_SECRET as `cxloop install zendesk` prints it (one secret per webhook, comma-
 * separated; a stray blank entry too): the started app accepts either signature.
 */
describe('ZENDESK_WEBHOOK_SECRET with two secrets (real server and Redis)', () => {
  const prefix = uniquePrefix();
  let app: Cxloop;

  beforeAll(async () => {
    nockZendeskReads();
    nock('https://acme.zendesk.test').persist().put(/\/api\/v2\/tickets\/\d+\.json/).reply(200, { ticket: {} });
    app = await startLive(prefix, { extraEnv: { ZENDESK_WEBHOOK_SECRET: `${EVENTS_SECRET}, ,${CSAT_SECRET}` } });
  });
  afterAll(async () => {
    await app.stop();
    nock.cleanAll();
    nock.enableNetConnect();
    await dropPrefix(prefix);
  });

  it('accepts an event signed with the events webhook secret', async () => {
    const response = await postSigned(app.http.url, ticketEvent('created', { id: 301 }), { secret: EVENTS_SECRET });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'accepted' });
  });

  it('accepts a CSAT body signed with the CSAT webhook secret', async () => {
    const body = JSON.stringify({ cxloop_trigger: 'satisfaction', ticket_id: '301', updated_at: '2026-11-22T10:00:00Z', rating: 'good', comment: '' });
    const response = await postSigned(app.http.url, body, { secret: CSAT_SECRET });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'accepted' });
  });

  it('rejects a signature made with the two secrets joined (the raw env value is not a key)', async () => {
    const response = await postSigned(app.http.url, ticketEvent('created', { id: 302 }), { secret: `${EVENTS_SECRET}, ,${CSAT_SECRET}` });
    expect(response.status).toBe(401);
  });
});
