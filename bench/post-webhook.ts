import { signZendeskPayload } from '../src/adapters/zendesk/verify-signature.js';

/** POSTs a webhook body to cxloop signed as Zendesk signs it, stamped `at` (default now); anything but 200 throws. */
export async function postSignedWebhook(url: string, body: string, secret: string, at: number = Date.now()): Promise<void> {
  const timestamp = new Date(at).toISOString();
  const response = await fetch(`${url}/webhooks/zendesk`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-zendesk-webhook-signature-timestamp': timestamp,
      'x-zendesk-webhook-signature': signZendeskPayload(body, timestamp, secret),
    },
    body,
  });
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
}
