import { createHmac } from 'node:crypto';
import { isValidSlackRequest, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import { headerOf, readBodyOrRefuse, sendJson, type Route } from '../../app/http-route.js';
import type { Logger, SlackMetrics } from '../../app/ports.js';
import { checkSlackPayload } from './check-slack-payload.js';

export const SLACK_EVENTS_PATH = '/slack/events';
/** Slack's own bound: it refuses requests older than 5 minutes; we also refuse ones from the future. */
const MAX_SKEW_MS = 5 * 60_000;
/** Slack waits 3 s for an acknowledgement; Bolt's HTTP receiver gives up after 3001 ms too. */
const ACK_TIMEOUT_MS = 3_001;

export interface SlackRouteOptions {
  readonly signingSecret: string;
  readonly maxBytes: number;
  readonly logger: Logger;
  readonly metrics?: SlackMetrics;
  readonly now: () => number;
}

/**
 * Bolt's transport on cxloop's own HTTP server: POST /slack/events (events, interactivity and the
 * slash command) is read with a size cap, its Slack signature checked against the raw bytes
 * (v0 HMAC, timestamp within 5 minutes either way), parsed, and handed to Bolt's listeners; the
 * listeners' ack() writes the HTTP response.
 */
export class SlackRouteReceiver implements Receiver {
  private app: App | undefined;

  constructor(private readonly options: SlackRouteOptions) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  route(): Route {
    return { method: 'POST', path: SLACK_EVENTS_PATH, handler: (request, response) => this.handle(request, response) };
  }

  private async handle(request: Parameters<Route['handler']>[0], response: Parameters<Route['handler']>[1]): Promise<void> {
    const { logger } = this.options;
    const body = await readBodyOrRefuse(request, response, this.options.maxBytes);
    if (body === null) return void this.options.metrics?.request('too_large');
    const raw = body.toString('utf8');
    const header = (name: string) => headerOf(request, name);
    const signature = header('x-slack-signature');
    const timestamp = Number(header('x-slack-request-timestamp'));
    const now = this.options.now();
    const problem =
      signature === undefined || !Number.isInteger(timestamp)
        ? 'missing x-slack-signature or x-slack-request-timestamp'
        : Math.abs(now - timestamp * 1000) > MAX_SKEW_MS
          ? 'stale or future x-slack-request-timestamp'
          : !isValidSlackRequest({ signingSecret: this.options.signingSecret, body: raw, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp }, nowMilliseconds: now })
            ? 'bad signature'
            : null;
    if (problem !== null) {
      logger.log('warn', 'slack request rejected', { reason: problem });
      this.options.metrics?.request('unauthorized');
      return sendJson(response, 401, { error: problem });
    }
    let payload: Record<string, unknown>;
    try {
      payload = parsePayload(raw, header('content-type') ?? '');
    } catch {
      this.options.metrics?.request('invalid');
      return sendJson(response, 400, { error: 'body is neither a Slack form nor JSON' });
    }
    if ((payload as Record<string, unknown> | null)?.ssl_check === '1') {
      this.options.metrics?.request('accepted');
      return sendJson(response, 200, {});
    }
    const malformed = checkSlackPayload(payload);
    if (malformed !== null) {
      logger.log('warn', 'slack request malformed', { reason: malformed });
      this.options.metrics?.request('invalid');
      return sendJson(response, 400, { error: malformed });
    }
    this.options.metrics?.request('accepted');
    if (payload.type === 'url_verification') return sendJson(response, 200, { challenge: String(payload.challenge ?? '') });
    await this.dispatch(payload, response, header);
  }

  private async dispatch(payload: Record<string, unknown>, response: Parameters<Route['handler']>[1], header: (name: string) => string | undefined): Promise<void> {
    const { logger } = this.options;
    let acked = false;
    const timer = setTimeout(() => {
      if (acked) return;
      acked = true;
      logger.log('error', `slack request not acknowledged within ${Math.floor(ACK_TIMEOUT_MS / 1000)} seconds`, { type: String(payload.type ?? payload.command ?? '') });
      sendJson(response, 404, { error: 'not acknowledged' });
    }, ACK_TIMEOUT_MS);
    const ack: ReceiverEvent['ack'] = async (reply?: unknown) => {
      if (acked) return;
      acked = true;
      clearTimeout(timer);
      if (reply === undefined || reply === '') {
        response.writeHead(200).end();
      } else if (typeof reply === 'string') {
        response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(reply);
      } else {
        sendJson(response, 200, reply);
      }
    };
    const retryNum = Number(header('x-slack-retry-num'));
    const event: ReceiverEvent = {
      body: payload,
      ack,
      ...(Number.isInteger(retryNum) ? { retryNum } : {}),
      ...(header('x-slack-retry-reason') ? { retryReason: header('x-slack-retry-reason')! } : {}),
    };
    try {
      await this.app!.processEvent(event);
    } catch (error) {
      logger.log('error', 'slack listener failed', { error: (error as Error).message });
      if (!acked) {
        acked = true;
        clearTimeout(timer);
        sendJson(response, 500, { error: 'internal error' });
      }
    }
    // Events nobody listens to (or listeners that ack later than they return) are acknowledged by the timer.
  }
}

/** Interactions come as form field `payload` (JSON), slash commands as form fields, events as JSON. */
function parsePayload(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(raw);
    const payload = form.get('payload');
    return payload !== null ? (JSON.parse(payload) as Record<string, unknown>) : Object.fromEntries(form);
  }
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
  return parsed as Record<string, unknown>;
}

/** Slack's v0 request signature (https://docs.slack.dev/authentication/verifying-requests-from-slack), as Slack computes it: for the demo and tests that play Slack. */
export function signSlackRequest(body: string, timestampSeconds: number, secret: string): Record<'x-slack-signature' | 'x-slack-request-timestamp', string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestampSeconds}:${body}`).digest('hex')}`;
  return { 'x-slack-signature': signature, 'x-slack-request-timestamp': String(timestampSeconds) };
}
