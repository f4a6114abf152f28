import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signZendeskPayload } from '../../src/adapters/zendesk/verify-signature.js';
import type { Cxloop } from '../../src/main.js';
import { SLACK_SECRET, signSlack } from '../support/slack-fixtures.js';
import { dropPrefix, nockZendeskReads, startLive, ticketEvent, uniquePrefix, WEBHOOK_SECRET } from '../support/zendesk-fixtures.js';

/** cxloop's clock here; signatures are made on it. */
const NOW = Date.parse('2026-11-22T10:00:00Z');
const VALID = JSON.parse(ticketEvent('created', { id: 42, created_at: '2026-11-22T09:55:00Z' })) as Record<string, unknown> & { detail: Record<string, unknown> };
const withDetail = (detail: Record<string, unknown>) => ({ ...VALID, detail: { ...VALID.detail, ...detail } });

/**
 * Hostile requests to both public routes through the real server (signed where the signature is
 * not what is under test, so they reach the parsers): each is answered 4xx with a short reason,
 * never 500. The web role alone: nothing is routed.
 */
describe('hostile requests are refused with a 4xx and a reason', () => {
  const prefix = uniquePrefix();
  let app: Cxloop;

  beforeAll(async () => {
    nockZendeskReads();
    app = await startLive(prefix, { role: 'web', now: () => NOW });
  });
  afterAll(async () => {
    await app.stop();
    nock.cleanAll();
    nock.enableNetConnect();
    await dropPrefix(prefix);
  });

  async function expectRefused(response: Response, status: number, reason: RegExp): Promise<void> {
    const body = (await response.json()) as { error?: unknown };
    expect({ status: response.status, error: body.error }).toEqual({ status, error: expect.stringMatching(reason) });
    expect(String(body.error).length).toBeLessThanOrEqual(200);
  }

  function postZendesk(body: string | Buffer, headers: Record<string, string | null> = {}): Promise<Response> {
    const timestamp = new Date(NOW).toISOString();
    const all: Record<string, string | null> = {
      'content-type': 'application/json',
      'x-zendesk-webhook-signature-timestamp': timestamp,
      'x-zendesk-webhook-signature': signZendeskPayload(body, timestamp, WEBHOOK_SECRET),
      ...headers,
    };
    const sent = Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== null));
    return fetch(`${app.http.url}/webhooks/zendesk`, { method: 'POST', headers: sent, body });
  }

  const webhookCases: [string, string | Buffer, Record<string, string | null>, number, RegExp][] = [
    ['not JSON', '{"type":', {}, 400, /^body is not valid JSON$/],
    ['empty body', '', {}, 400, /^body is not valid JSON$/],
    ['a byte-order mark before the JSON', `\uFEFF${JSON.stringify(VALID)}`, {}, 400, /^body is not valid JSON$/],
    ['invalid UTF-8', Buffer.concat([Buffer.from('{"type":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]), {}, 400, /^type: must be a zen:event-type/],
    ['JSON null', 'null', {}, 400, /^body: .*expected object/],
    ['a JSON array', '[]', {}, 400, /^body: .*expected object/],
    ['nested 100,000 deep', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, {}, 400, /^body: .*expected object/],
    ['id of 17 digits', JSON.stringify(withDetail({ id: '99999999999999999' })), {}, 400, /^detail\.id: /],
    ['id past 2^53 in 16 digits', JSON.stringify(withDetail({ id: '9999999999999999' })), {}, 400, /^detail\.id: must be a numeric id no larger than 9007199254740991$/],
    ['id 1e300', JSON.stringify(withDetail({ id: 1e300 })), {}, 400, /^detail\.id: /],
    ['negative id', JSON.stringify(withDetail({ id: -1 })), {}, 400, /^detail\.id: /],
    ['id as an object', JSON.stringify(withDetail({ id: { $gt: 0 } })), {}, 400, /^detail\.id: /],
    ['tags as a string', JSON.stringify(withDetail({ tags: 'vip' })), {}, 400, /^detail\.tags: /],
    ['a status Zendesk has not', JSON.stringify(withDetail({ status: 'EXPLODED' })), {}, 400, /^detail\.status: /],
    ['time that is not a date', JSON.stringify({ ...VALID, time: 'yesterday' }), {}, 400, /^time: must be an ISO-8601 date$/],
    ['detail null', JSON.stringify({ ...VALID, detail: null }), {}, 400, /^detail: /],
    ['event id of 5,000 characters', JSON.stringify({ ...VALID, id: 'x'.repeat(5_000) }), {}, 400, /^id: /],
    ['a CSAT trigger with a ticket id past 2^53', JSON.stringify({ cxloop_trigger: 'satisfaction', ticket_id: '9999999999999999', updated_at: '2026-11-22T09:00:00Z', rating: 'good' }), {}, 400, /^ticket_id: /],
    ['a CSAT trigger with a rating as a number', JSON.stringify({ cxloop_trigger: 'satisfaction', ticket_id: '42', updated_at: '2026-11-22T09:00:00Z', rating: 5 }), {}, 400, /^rating: /],
    ['content-type text/plain', JSON.stringify(VALID), { 'content-type': 'text/plain' }, 415, /^content-type must be application\/json$/],
    ['content-type form', JSON.stringify(VALID), { 'content-type': 'application/x-www-form-urlencoded' }, 415, /^content-type must be application\/json$/],
    ['no signature header', JSON.stringify(VALID), { 'x-zendesk-webhook-signature': null }, 401, /^missing x-zendesk-webhook-signature/],
    ['no timestamp header', JSON.stringify(VALID), { 'x-zendesk-webhook-signature-timestamp': null }, 401, /^missing x-zendesk-webhook-signature/],
    ['a signature that is not base64', JSON.stringify(VALID), { 'x-zendesk-webhook-signature': '%%%' }, 401, /^signature does not match/],
    ['a timestamp that is no date', JSON.stringify(VALID), { 'x-zendesk-webhook-signature-timestamp': '2026-99-99T99:99Z' }, 401, /^signature timestamp is not an ISO-8601 date$/],
  ];

  it.each(webhookCases)('POST /webhooks/zendesk: %s', async (_name, body, headers, status, reason) => {
    await expectRefused(await postZendesk(body, headers), status, reason);
  });

  function postSlack(body: string | Buffer, contentType: string | null): Promise<Response> {
    const headers: Record<string, string> = { ...signSlack(body.toString('utf8'), Math.floor(NOW / 1000), SLACK_SECRET) };
    if (contentType !== null) headers['content-type'] = contentType;
    return fetch(`${app.http.url}/slack/events`, { method: 'POST', headers, body });
  }

  const form = 'application/x-www-form-urlencoded';
  const payload = (value: unknown) => `payload=${encodeURIComponent(JSON.stringify(value))}`;
  const slackCases: [string, string | Buffer, string | null, number, RegExp][] = [
    ['payload that is not JSON', 'payload=%7B', form, 400, /^body is neither a Slack form nor JSON$/],
    ['payload null', 'payload=null', form, 400, /^payload must be a JSON object$/],
    ['payload a number', 'payload=5', form, 400, /^payload must be a JSON object$/],
    ['payload an array', 'payload=%5B%5D', form, 400, /^payload must be a JSON object$/],
    ['payload nested 20,000 deep', `payload=${'%5B'.repeat(20_000)}${'%5D'.repeat(20_000)}`, form, 400, /^payload must be a JSON object$/],
    ['a form that is neither a command nor an interaction', 'a=b', form, 400, /^payload must have a type$/],
    ['block_actions without a user', payload({ type: 'block_actions', actions: [] }), form, 400, /^block_actions: user\.id must be a string$/],
    ['block_actions with actions as a string', payload({ type: 'block_actions', actions: 'x', user: { id: 'U1' } }), form, 400, /^actions must be a list of objects$/],
    ['view_submission with a user that is a number', payload({ type: 'view_submission', view: {}, user: 5 }), form, 400, /^view_submission: user\.id must be a string$/],
    ['view_submission without a view', payload({ type: 'view_submission', user: { id: 'U1' } }), form, 400, /^view_submission: view must be an object$/],
    ['a shortcut without a user', payload({ type: 'shortcut', callback_id: 'x' }), form, 400, /^shortcut: user\.id must be a string$/],
    ['a slash command without text', 'command=%2Fcxloop&user_id=U1', form, 400, /^slash command: text must be a string$/],
    ['a slash command without a user', 'command=%2Fcxloop&text=help', form, 400, /^slash command: user_id must be a string$/],
    ['an event that is a number', JSON.stringify({ type: 'event_callback', event: 5 }), 'application/json', 400, /^event must be an object with a type$/],
    ['url_verification with an object challenge', JSON.stringify({ type: 'url_verification', challenge: { a: 1 } }), 'application/json', 400, /^url_verification: challenge must be a string$/],
    ['JSON null', 'null', 'application/json', 400, /^body is neither a Slack form nor JSON$/],
    ['JSON nested 100,000 deep', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'application/json', 400, /^body is neither a Slack form nor JSON$/],
    ['invalid UTF-8', Buffer.concat([Buffer.from('{"type":"'), Buffer.from([0xff]), Buffer.from('"')]), 'application/json', 400, /^body is neither a Slack form nor JSON$/],
    ['no content-type', 'payload=5', null, 400, /^body is neither a Slack form nor JSON$/],
  ];

  it.each(slackCases)('POST /slack/events: %s', async (_name, body, contentType, status, reason) => {
    await expectRefused(await postSlack(body, contentType), status, reason);
  });

  it('POST /slack/events without a signature: 401', async () => {
    const response = await fetch(`${app.http.url}/slack/events`, { method: 'POST', headers: { 'content-type': form }, body: 'payload=5' });
    await expectRefused(response, 401, /^missing x-slack-signature or x-slack-request-timestamp$/);
  });

  it('after all that, a valid webhook is still accepted', async () => {
    const response = await postZendesk(JSON.stringify(VALID));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'accepted' });
  });
});
