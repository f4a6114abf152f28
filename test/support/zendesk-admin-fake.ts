import nock from 'nock';
import { zendeskAdminAccount, type FakeTrigger, type FakeWebhook, type ZendeskAdminAccountOptions } from './zendesk-admin-account.js';

export type { FakeTrigger, FakeWebhook };

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly authorization: string | undefined;
}

export interface FakeZendeskAdmin {
  readonly webhooks: FakeWebhook[];
  readonly triggers: FakeTrigger[];
  /** Every request the fake answered, in order. */
  readonly requests: SeenRequest[];
  /** The POST and PUT requests among them. */
  writes(): SeenRequest[];
  secretOf(webhookId: string): string;
}

/**
 * The fake account's admin API (zendesk-admin-account.ts) behind nock, recording every request
 * with its Authorization header. `pageSize` forces several pages.
 */
export function fakeZendeskAdmin(baseUrl: string, options: Omit<ZendeskAdminAccountOptions, 'groups'> = {}): FakeZendeskAdmin {
  const account = zendeskAdminAccount(options);
  const requests: SeenRequest[] = [];
  for (const method of ['GET', 'POST', 'PUT']) {
    nock(baseUrl)
      .persist()
      .intercept((path) => account.serves(new URL(path, baseUrl).pathname), method)
      .reply(function (uri, body) {
        const url = new URL(uri, baseUrl);
        const header = this.req.headers.authorization;
        requests.push({ method, path: url.pathname, body: body === '' ? undefined : body, authorization: Array.isArray(header) ? header[0] : header });
        const answer = account.answer(method, url, body) ?? { status: 404, body: { error: 'RecordNotFound', description: 'Not found' } };
        return [answer.status, answer.body as nock.Body];
      });
  }
  return {
    webhooks: account.webhooks,
    triggers: account.triggers,
    requests,
    writes: () => requests.filter((request) => request.method !== 'GET'),
    secretOf: account.secretOf,
  };
}
