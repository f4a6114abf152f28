import { headerOf, readBodyOrRefuse, sendJson, type Route } from '../../app/http-route.js';
import type { EventInbox, Logger, RoutingMetrics } from '../../app/ports.js';
import { InboxUnavailableError } from '../../app/zendesk-api-error.js';
import { parseZendeskWebhook } from './parse-webhook.js';
import { usableSecrets, verifyZendeskSignature } from './verify-signature.js';

/**
 * Zendesk signs "Test webhook" requests for webhooks not yet created with this published secret
 * (https://developer.zendesk.com/documentation/webhooks/verifying/). A dry run without ZENDESK_WEBHOOK_SECRET verifies against it, so even a
 * dry run never accepts an unsigned request.
 */
export const ZENDESK_TEST_SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';

export interface WebhookRouteOptions {
  /** The signing secrets of cxloop's webhooks (blank entries are ignored); a signature made with any of them is accepted. */
  readonly secrets: readonly string[];
  readonly maxAgeMs: number;
  readonly maxBytes: number;
  readonly inbox: EventInbox;
  readonly metrics: RoutingMetrics;
  readonly logger: Logger;
  readonly now: () => number;
}

/** application/json or a +json type, parameters (charset) aside; Zendesk sends application/json. */
function isJsonMediaType(contentType: string): boolean {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
}

/** Zendesk retries 503 only when Retry-After is under 60 s. */
const RETRY_AFTER_SECONDS = '10';

/**
 * POST /webhooks/zendesk: size cap (413), a JSON content type (415), signature and timestamp
 * window (401), JSON and schema (400), then the event is stored durably before 200 is sent; if Redis cannot take it, 503 so
 * Zendesk delivers it again.
 */
export function zendeskWebhookRoute(options: WebhookRouteOptions): Route {
  const { metrics, logger } = options;
  const secrets = usableSecrets(options.secrets);
  if (secrets.length === 0) throw new Error('ZENDESK_WEBHOOK_SECRET holds no secret (only commas or spaces): set the signing secrets of cxloop\'s webhooks, comma-separated');
  return {
    method: 'POST',
    path: '/webhooks/zendesk',
    async handler(request, response) {
      const receivedAt = options.now();
      const rawBody = await readBodyOrRefuse(request, response, options.maxBytes);
      if (rawBody === null) return void metrics.webhook('too_large');
      const header = (name: string) => headerOf(request, name);
      const contentType = header('content-type');
      if (contentType !== undefined && !isJsonMediaType(contentType)) {
        metrics.webhook('invalid');
        sendJson(response, 415, { error: 'content-type must be application/json' });
        return;
      }
      const signature = verifyZendeskSignature({
        rawBody,
        timestamp: header('x-zendesk-webhook-signature-timestamp'),
        signature: header('x-zendesk-webhook-signature'),
        secrets,
        now: receivedAt,
        maxAgeMs: options.maxAgeMs,
      });
      if (!signature.ok) {
        metrics.webhook('unauthorized');
        logger.log('warn', 'zendesk webhook rejected', { reason: signature.reason, webhookId: header('x-zendesk-webhook-id') });
        sendJson(response, 401, { error: signature.reason });
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(rawBody.toString('utf8'));
      } catch {
        metrics.webhook('invalid');
        sendJson(response, 400, { error: 'body is not valid JSON' });
        return;
      }
      const parsed = parseZendeskWebhook(json);
      if (!parsed.ok) {
        metrics.webhook('invalid');
        logger.log('warn', 'zendesk webhook does not match the schema', { reason: parsed.reason });
        sendJson(response, 400, { error: parsed.reason });
        return;
      }
      if ('ignored' in parsed) {
        metrics.webhook('ignored');
        sendJson(response, 200, { status: 'ignored', reason: parsed.ignored });
        return;
      }
      try {
        const outcome = await options.inbox.accept(parsed.event, receivedAt);
        metrics.webhook(outcome);
        sendJson(response, 200, { status: outcome });
      } catch (error) {
        if (!(error instanceof InboxUnavailableError)) throw error;
        metrics.webhook('unavailable');
        logger.log('error', 'zendesk webhook not stored; answered 503 so Zendesk retries', { ticketId: parsed.event.ticketId, error: error.message });
        sendJson(response, 503, { error: 'temporarily unavailable, retry later' }, { 'retry-after': RETRY_AFTER_SECONDS });
      }
    },
  };
}
