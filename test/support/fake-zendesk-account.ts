import { randomBytes, randomUUID } from 'node:crypto';
import { signZendeskPayload } from '../../src/adapters/zendesk/verify-signature.js';
import { startFakeZendesk, webhookOf, type FakeTicket, type FakeZendesk } from './fake-zendesk-fixtures.js';
import type { FakeOAuthClient } from '../../bench/fake-zendesk.js';
import { zendeskAdminAccount, type FakeGroup, type ZendeskAdminAccount } from './zendesk-admin-account.js';

/** How the account sends a webhook request: POST `endpoint`, answered with a status and a body. */
export type DeliverWebhook = (endpoint: string, headers: Record<string, string>, body: string) => Promise<{ status: number; body: string }>;

export interface WebhookDelivery {
  readonly webhook: string;
  readonly endpoint: string;
  readonly status: number;
  readonly body: string;
}

export interface FakeZendeskAccount {
  /** Origin, what ZENDESK_API_URL points at. */
  readonly url: string;
  /** Tickets, writes and every request (bench/fake-zendesk.ts). */
  readonly zendesk: FakeZendesk;
  /** Webhooks, triggers, groups and settings as `cxloop install zendesk` and `doctor` left and read them. */
  readonly admin: ZendeskAdminAccount;
  /**
   * A customer opens a ticket: the account keeps it and sends `ticket.created` to every active
   * webhook subscribed to it, signed with that webhook's secret, as Zendesk's event webhooks do.
   */
  openTicket(ticket: Partial<FakeTicket> & { id: number }): Promise<{ ticket: FakeTicket; deliveries: WebhookDelivery[] }>;
  close(): Promise<void>;
}

const CREATED = 'zen:event-type:ticket.created';

const fetchDelivery: DeliverWebhook = async (endpoint, headers, body) => {
  const response = await fetch(endpoint, { method: 'POST', headers, body });
  return { status: response.status, body: await response.text() };
};

/**
 * A whole Zendesk account on loopback for a walk through setting cxloop up: the benchmarks' fake
 * (tickets, routing writes, exports) behind an OAuth client, with the admin API of
 * zendesk-admin-account.ts (webhooks with random signing secrets, triggers, groups, settings) and
 * webhook deliveries to whatever endpoint install registered.
 * https://developer.zendesk.com/documentation/webhooks/verifying/ (signature and timestamp headers)
 */
export async function startFakeZendeskAccount(options: { oauth: FakeOAuthClient; groups: FakeGroup[]; pageSize?: number; legacyCsat?: boolean; deliver?: DeliverWebhook }): Promise<FakeZendeskAccount> {
  const secrets = new Map<string, string>();
  const secretOf = (id: string): string => {
    if (!secrets.has(id)) secrets.set(id, randomBytes(24).toString('base64url'));
    return secrets.get(id)!;
  };
  const { oauth, deliver = fetchDelivery, ...account } = options;
  const admin = zendeskAdminAccount({ ...account, secretOf });
  const zendesk = await startFakeZendesk({ oauth, routes: (method, url, body) => admin.answer(method, url, body) });

  async function openTicket(partial: Partial<FakeTicket> & { id: number }): Promise<{ ticket: FakeTicket; deliveries: WebhookDelivery[] }> {
    const ticket = zendesk.seed(partial);
    const body = webhookOf(ticket, 'created');
    const subscribed = admin.webhooks.filter((webhook) => webhook.status === 'active' && webhook.subscriptions.includes(CREATED));
    const deliveries = await Promise.all(
      subscribed.map(async (webhook) => {
        const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
        const answer = await deliver(webhook.endpoint, {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Zendesk Webhook',
          'x-zendesk-webhook-id': webhook.id,
          'x-zendesk-webhook-invocation-id': randomUUID(),
          'x-zendesk-webhook-signature-timestamp': timestamp,
          'x-zendesk-webhook-signature': signZendeskPayload(body, timestamp, secretOf(webhook.id)),
        }, body);
        return { webhook: webhook.name, endpoint: webhook.endpoint, ...answer };
      }),
    );
    return { ticket, deliveries };
  }

  return { url: zendesk.url, zendesk, admin, openTicket, close: () => zendesk.close() };
}
