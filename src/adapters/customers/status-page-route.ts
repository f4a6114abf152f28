import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { headerOf, type Route } from '../../app/http-route.js';
import type { Logger, LoopStore, RequestRateLimit, StatusLinks, TicketBriefs } from '../../app/ports.js';
import type { CustomerSettings } from '../../config/policy-schema.js';
import { builtInLanguage } from '../../core/customers/fill-customer-template.js';
import { statusViewOf } from '../../core/customers/status-view.js';
import { FALLBACK_LANGUAGE } from '../../core/customers/texts/index.js';
import type { LoopHistoryEntry } from '../../core/loop/loop-history.js';
import type { LoopPolicy, Stage } from '../../core/loop/loop-types.js';
import { renderStatusMessage, renderStatusPage, STATUS_PAGE_CSP } from './render-status-page.js';

/** Where a status page lives: /status/<token>. */
export const STATUS_PATH = '/status/';
const ENDED: readonly Stage[] = ['verified', 'closed'];

export interface StatusPageDeps {
  readonly links: StatusLinks;
  readonly loops: Pick<LoopStore, 'get' | 'history'>;
  readonly briefs: Pick<TicketBriefs, 'get'>;
  readonly loopPolicy: LoopPolicy;
  readonly settings: CustomerSettings['status_page'];
  readonly limit: RequestRateLimit;
  /** Behind a load balancer: the client is the last address of X-Forwarded-For, not the socket's. */
  readonly trustProxy: boolean;
  readonly logger: Logger;
  readonly now: () => number;
}

/**
 * GET /status/<token>: the ticket's status page, in its requester's language. A wrong token, a
 * revoked one and one whose loop ended more than `expires_after` ago get the same 404 page (no
 * way to tell them apart, so none to enumerate); each client gets `requests_per_minute` views.
 */
export function statusPageRoute(deps: StatusPageDeps): Route {
  return {
    method: 'GET',
    path: `${STATUS_PATH}*`,
    async handler(request, response) {
      const now = deps.now();
      const limited = await deps.limit.hit(clientOf(request, deps.trustProxy), now);
      if (!limited.ok) {
        const language = acceptedLanguage(request);
        send(response, 429, renderStatusMessage(language.code, language.page.tooMany), { 'retry-after': String(Math.ceil(limited.retryAfterMs / 1000)), vary: 'accept-language' });
        return;
      }
      const token = (request.url ?? '').split('?')[0]?.slice(STATUS_PATH.length) ?? '';
      const page = deps.settings.enabled ? await pageOf(token, now, deps) : null;
      if (page === null) {
        const language = acceptedLanguage(request);
        send(response, 404, renderStatusMessage(language.code, language.page.notFound), { vary: 'accept-language' });
        return;
      }
      // Fresh on every view: the browser asks again each time, and an unchanged page costs a 304.
      const etag = `"${createHash('sha256').update(page).digest('base64url').slice(0, 27)}"`;
      if (headerOf(request, 'if-none-match') === etag) {
        response.writeHead(304, { ...COMMON_HEADERS, etag });
        response.end();
        return;
      }
      send(response, 200, page, { etag });
    },
  };
}

async function pageOf(token: string, now: number, deps: StatusPageDeps): Promise<string | null> {
  const link = await deps.links.open(token);
  if (link === null) return null;
  const loop = (await deps.loops.get(link.ticketId))?.state;
  if (!loop) return null;
  const lastChangeAt = lastNewsOf(await deps.loops.history(link.ticketId)) ?? loop.openedAt;
  if (ENDED.includes(loop.stage) && now > lastChangeAt + deps.settings.expires_after * 60_000) {
    await deps.links.revoke(link.ticketId);
    deps.logger.log('info', 'status link expired: its loop ended', { ticketId: link.ticketId });
    return null;
  }
  const brief = await deps.briefs.get(link.ticketId);
  const texts = (builtInLanguage(link.language) ?? FALLBACK_LANGUAGE).page;
  return renderStatusPage({ view: statusViewOf(loop, lastChangeAt, now, deps.loopPolicy), subject: brief?.subject ?? null, language: link.language, timeZone: link.timeZone, texts });
}

/**
 * When the requester last had news: the latest change of stage or status update. Reminders and
 * escalations are transitions too, but nothing the requester sees changes with them.
 */
function lastNewsOf(history: readonly LoopHistoryEntry[]): number | null {
  let last: number | null = null;
  history.forEach((entry, index) => {
    if (index === 0 || entry.stage !== history[index - 1]?.stage || entry.update !== undefined) last = entry.at;
  });
  return last;
}

const COMMON_HEADERS = {
  'cache-control': 'no-cache, private',
  'content-security-policy': STATUS_PAGE_CSP,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-robots-tag': 'noindex, nofollow',
};

function send(response: ServerResponse, status: number, html: string, headers: Readonly<Record<string, string>>): void {
  response.writeHead(status, { ...COMMON_HEADERS, ...headers, 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  response.end(html);
}

/** The first language of Accept-Language cxloop has texts for, else English (for pages no link speaks for). */
function acceptedLanguage(request: IncomingMessage) {
  const header = headerOf(request, 'accept-language') ?? '';
  for (const part of header.split(',').slice(0, 10)) {
    const code = /^\s*([a-z]{2,3})\b/i.exec(part)?.[1]?.toLowerCase();
    const language = code === undefined ? undefined : builtInLanguage(code);
    if (language) return language;
  }
  return FALLBACK_LANGUAGE;
}

function clientOf(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = headerOf(request, 'x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  return request.socket.remoteAddress ?? 'unknown';
}
