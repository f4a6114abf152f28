// node-zendesk is CommonJS: Node's ESM loader cannot see its named exports, only the default.
import { z } from 'zod';
import { parseRetryAfter } from '../../app/http-route.js';
import { isZendeskError, ZendeskApiError } from '../../app/zendesk-api-error.js';
import { describeZendeskErrorBody } from './describe-zendesk-error-body.js';
import { createZendeskTransporter, type RawResponse, type ZendeskTransporter } from './node-zendesk-api.js';
import type { ZendeskAdminApi, ZendeskTrigger, ZendeskWebhook } from './zendesk-admin-api.js';
import type { ZendeskAuth } from './zendesk-auth.js';
import { adminRequestUrl, requestLabel, zendeskAdminRequests, type AdminRequest, type PageRef } from './zendesk-admin-requests.js';
import type { TriggerDefinition, WebhookDefinition } from './zendesk-install-definitions.js';

export interface NodeZendeskAdminApiOptions {
  /** https://<subdomain>.zendesk.com, or ZENDESK_API_URL: see zendeskBaseUrl(). */
  readonly baseUrl: string;
  /** OAuth client credentials (with ZENDESK_ADMIN_SCOPES) or the deprecated API token. */
  readonly auth: ZendeskAuth;
  readonly timeoutMs?: number;
  /** Told before each wait on a 429, so the command can say why it pauses. */
  readonly onRateLimited?: (waitMs: number, label: string) => void;
  /** Injected by tests; real waits otherwise. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A 429 is retried this many times, waiting Retry-After (at most MAX_WAIT_MS; DEFAULT_WAIT_MS when absent). */
const MAX_RETRIES = 2;
const MAX_WAIT_MS = 60_000;
const DEFAULT_WAIT_MS = 10_000;
/** More pages than any account has cxloop webhooks or triggers: a cursor that never ends is a bug, not data. */
const MAX_PAGES = 50;

/**
 * ZendeskAdminApi on node-zendesk's transporter, as NodeZendeskApi does it (node-zendesk 6's
 * resource methods resolve on Retry-After and drop the status), with every status checked once.
 * Errors are ZendeskApiError whose message is the one line to show: what failed and what to fix.
 */
export class NodeZendeskAdminApi implements ZendeskAdminApi {
  private readonly baseUrl: string;
  private readonly transporter: ZendeskTransporter;
  private readonly onRateLimited: (waitMs: number, label: string) => void;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly timeoutMs: number;
  private readonly authKind: ZendeskAuth['kind'];

  constructor(options: NodeZendeskAdminApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.onRateLimited = options.onRateLimited ?? (() => undefined);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.authKind = options.auth.kind;
    this.transporter = createZendeskTransporter({ endpoint: `${this.baseUrl}/api/v2`, auth: options.auth, timeoutMs: this.timeoutMs }, 'webhooks');
  }

  async listWebhooks(nameContains: string): Promise<ZendeskWebhook[]> {
    return this.readAll((page) => zendeskAdminRequests.listWebhooks(nameContains, page), 'webhooks', webhookSchema);
  }

  async createWebhook(definition: WebhookDefinition): Promise<string> {
    const request = zendeskAdminRequests.createWebhook(definition);
    const created = createdWebhookSchema.safeParse(await this.send(request));
    if (!created.success) throw unexpectedAnswer(request, created.error);
    return created.data.webhook.id;
  }

  async updateWebhook(id: string, definition: WebhookDefinition): Promise<void> {
    await this.send(zendeskAdminRequests.updateWebhook(id, definition));
  }

  async signingSecret(webhookId: string): Promise<string> {
    const request = zendeskAdminRequests.showSigningSecret(webhookId);
    const answer = signingSecretSchema.safeParse(await this.send(request));
    if (!answer.success) throw unexpectedAnswer(request, answer.error);
    return answer.data.signing_secret.secret;
  }

  async searchTriggers(query: string): Promise<ZendeskTrigger[]> {
    return this.readAll((page) => zendeskAdminRequests.searchTriggers(query, page), 'triggers', triggerSchema);
  }

  async createTrigger(definition: TriggerDefinition): Promise<string> {
    const request = zendeskAdminRequests.createTrigger(definition);
    const created = createdTriggerSchema.safeParse(await this.send(request));
    if (!created.success) throw unexpectedAnswer(request, created.error);
    return created.data.trigger.id;
  }

  async updateTrigger(id: string, definition: TriggerDefinition): Promise<void> {
    await this.send(zendeskAdminRequests.updateTrigger(id, definition));
  }

  async legacyCsatOn(): Promise<boolean> {
    const request = zendeskAdminRequests.showAccountSettings();
    const answer = accountSettingsSchema.safeParse(await this.send(request));
    if (!answer.success) throw unexpectedAnswer(request, answer.error);
    return answer.data.settings.active_features?.customer_satisfaction === true;
  }

  /** Follows cursor pages (meta.has_more + after_cursor or links.next) and offset pages (next_page). */
  private async readAll<T>(requestFor: (page?: PageRef) => AdminRequest, key: 'webhooks' | 'triggers', item: z.ZodType<T>): Promise<T[]> {
    const pageSchema = listPageSchema.extend({ [key]: z.array(item).nullish() });
    const items: T[] = [];
    let page: PageRef | undefined;
    const seen = new Set<string>();
    for (let count = 0; count < MAX_PAGES; count += 1) {
      const request = requestFor(page);
      const parsed = pageSchema.safeParse(await this.send(request));
      if (!parsed.success) throw unexpectedAnswer(request, parsed.error);
      items.push(...((parsed.data[key] as T[] | null | undefined) ?? []));
      const next = nextPageOf(parsed.data);
      if (next === null) return items;
      const mark = JSON.stringify(next);
      if (seen.has(mark)) throw new ZendeskApiError('REJECTED', `${requestLabel(request)}: Zendesk returned the same page cursor twice`);
      seen.add(mark);
      page = next;
    }
    throw new ZendeskApiError('REJECTED', `${requestLabel(requestFor(page))}: more than ${MAX_PAGES} pages; narrow --name`);
  }

  private async send(request: AdminRequest): Promise<unknown> {
    for (let attempt = 0; ; attempt += 1) {
      const raw = await this.exchange(request);
      const { status } = raw.response;
      if (status >= 200 && status < 300) return raw.result;
      if (status !== 429 || attempt >= MAX_RETRIES) throw adminFailure(request, status, raw.result, this.baseUrl, this.authKind);
      const waitMs = Math.min(parseRetryAfter(raw.response.headers.get('retry-after')) ?? DEFAULT_WAIT_MS, MAX_WAIT_MS);
      this.onRateLimited(waitMs, requestLabel(request));
      await this.sleep(waitMs);
    }
  }

  private async exchange(request: AdminRequest): Promise<RawResponse> {
    const url = adminRequestUrl(this.baseUrl, request);
    try {
      return await this.transporter.request(request.method, url, request.body);
    } catch (error) {
      if (isZendeskError(error)) throw error; // the OAuth token request's own verdict
      const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${this.timeoutMs / 1000} s` : networkReason(error);
      throw new ZendeskApiError(
        'UNAVAILABLE',
        `cannot reach Zendesk at ${this.baseUrl}${request.path} (${reason}): check ZENDESK_SUBDOMAIN or ZENDESK_API_URL and the network`,
        {},
        { cause: error },
      );
    }
  }
}

/**
 * The part of GET /api/v2/account/settings.json cxloop reads (`cxloop install zendesk` and
 * `doctor`): whether legacy CSAT is on (`active_features.customer_satisfaction`). Only one CSAT
 * kind can be on; off means survey responses or no CSAT, which the settings do not tell apart.
 * https://developer.zendesk.com/api-reference/ticketing/account-configuration/account_settings/
 */
export const accountSettingsSchema = z.looseObject({
  settings: z.looseObject({ active_features: z.looseObject({ customer_satisfaction: z.boolean().optional() }).optional() }),
});

/** One line per status, saying what to fix. */
function adminFailure(request: AdminRequest, status: number, result: unknown, baseUrl: string, auth: ZendeskAuth['kind']): ZendeskApiError {
  const label = requestLabel(request);
  const detail = describeZendeskErrorBody(result);
  const because = detail ? `: ${detail}` : '';
  if (status === 401) {
    const check = auth === 'oauth' ? 'check ZENDESK_OAUTH_CLIENT_ID and ZENDESK_OAUTH_CLIENT_SECRET (the token was refused twice)' : 'check ZENDESK_EMAIL and ZENDESK_API_TOKEN (token access must be enabled)';
    return new ZendeskApiError('REJECTED', `Zendesk rejected the credentials: ${check}`, { status });
  }
  if (status === 403) {
    const who = auth === 'oauth' ? "the admin who created cxloop's OAuth client must still be a Zendesk admin, and the client must allow the webhooks and triggers scopes" : 'the user of ZENDESK_EMAIL must be a Zendesk admin to manage webhooks and triggers';
    return new ZendeskApiError('REJECTED', `Zendesk refused ${label} (403): ${who}${because}`, { status });
  }
  if (status === 404) {
    return new ZendeskApiError('NOT_FOUND', `Zendesk answered 404 to ${label} at ${baseUrl}: check ZENDESK_SUBDOMAIN or ZENDESK_API_URL${because}`, { status });
  }
  if (status === 429) {
    return new ZendeskApiError('RATE_LIMITED', `Zendesk is still rate limiting ${label} after ${MAX_RETRIES} retries: run again in a minute`, { status });
  }
  if (status >= 500) return new ZendeskApiError('UNAVAILABLE', `Zendesk answered ${status} to ${label}: try again later${because}`, { status });
  return new ZendeskApiError('REJECTED', `Zendesk rejected ${label} (${status})${because || ': no details given'}`, { status });
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return (error as Error).message;
}

function unexpectedAnswer(request: AdminRequest, error: z.ZodError): ZendeskApiError {
  const issue = error.issues[0];
  const at = issue?.path.join('.') || 'body';
  return new ZendeskApiError('REJECTED', `${requestLabel(request)}: unexpected answer from Zendesk (${at}: ${issue?.message ?? 'invalid'})`);
}

function nextPageOf(page: z.output<typeof listPageSchema>): PageRef | null {
  if (page.meta?.has_more === true) {
    const after = page.meta.after_cursor ?? paramOf(page.links?.next, 'page[after]');
    if (!after) throw new ZendeskApiError('REJECTED', 'Zendesk said has_more but gave no cursor');
    return { after };
  }
  const number = paramOf(page.next_page, 'page');
  return number ? { page: number } : null;
}

function paramOf(url: string | null | undefined, name: string): string | null {
  if (!url) return null;
  try {
    return new URL(url).searchParams.get(name);
  } catch {
    return null;
  }
}

// Wire schemas of the answers read here.
// https://developer.zendesk.com/api-reference/webhooks/webhooks-api/webhooks/#json-format
// https://developer.zendesk.com/api-reference/ticketing/business-rules/triggers/#json-format
// https://developer.zendesk.com/api-reference/introduction/pagination/

const listPageSchema = z.looseObject({
  meta: z.looseObject({ has_more: z.boolean().optional(), after_cursor: z.string().nullish() }).nullish(),
  links: z.looseObject({ next: z.string().nullish() }).nullish(),
  next_page: z.string().nullish(),
});

const webhookSchema: z.ZodType<ZendeskWebhook> = z
  .looseObject({
    id: z.string().min(1),
    name: z.string(),
    description: z.string().nullish(),
    status: z.string(),
    endpoint: z.string(),
    http_method: z.string(),
    request_format: z.string(),
    subscriptions: z.array(z.string()).nullish(),
  })
  .transform((webhook) => ({
    id: webhook.id,
    name: webhook.name,
    description: webhook.description ?? null,
    status: webhook.status,
    endpoint: webhook.endpoint,
    http_method: webhook.http_method,
    request_format: webhook.request_format,
    subscriptions: webhook.subscriptions ?? [],
  }));

const textId = z.union([z.number().int(), z.string().min(1)]).transform(String);

/** Condition values come as text, numbers or null; kept as text (null when absent) so they compare. */
const conditionSchema = z
  .looseObject({ field: z.string(), operator: z.string(), value: z.unknown().optional() })
  .transform(({ field, operator, value }) => ({
    field,
    operator,
    value: value === undefined || value === null ? null : typeof value === 'string' ? value : JSON.stringify(value),
  }));

const triggerSchema: z.ZodType<ZendeskTrigger> = z
  .looseObject({
    id: textId,
    title: z.string(),
    description: z.string().nullish(),
    active: z.boolean(),
    conditions: z.looseObject({ all: z.array(conditionSchema).nullish(), any: z.array(conditionSchema).nullish() }).nullish(),
    actions: z.array(z.looseObject({ field: z.string(), value: z.unknown() })).nullish(),
  })
  .transform((trigger) => ({
    id: trigger.id,
    title: trigger.title,
    description: trigger.description ?? null,
    active: trigger.active,
    conditions: { all: trigger.conditions?.all ?? [], any: trigger.conditions?.any ?? [] },
    actions: (trigger.actions ?? []).map(({ field, value }) => ({ field, value })),
  }));

const createdWebhookSchema = z.looseObject({ webhook: z.looseObject({ id: z.string().min(1) }) });
const createdTriggerSchema = z.looseObject({ trigger: z.looseObject({ id: textId }) });
const signingSecretSchema = z.looseObject({ signing_secret: z.looseObject({ secret: z.string().min(1) }) });
