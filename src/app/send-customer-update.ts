import type { CustomerSettings } from '../config/policy-schema.js';
import type { CustomerUpdateKind } from '../core/customers/customer-texts.js';
import { customerUpdateHolds } from '../core/customers/customer-updates.js';
import { fillCustomerTemplate, formatCustomerTime, isTimeZone, languageOfLocale, pickCustomerTemplate } from '../core/customers/fill-customer-template.js';
import { promisedEta, statusViewOf } from '../core/customers/status-view.js';
import type { LoopPolicy, LoopState } from '../core/loop/loop-types.js';
import type { CustomerMetrics, CustomerUpdateLedger, Logger, LoopStore, RequesterView, StatusLinks, ZendeskApi } from './ports.js';
import { isZendeskError } from './zendesk-api-error.js';

export interface CustomerUpdateDeps {
  readonly zendesk: Pick<ZendeskApi, 'getRequesterView' | 'addPublicComment' | 'hasPublicComment'>;
  readonly loops: Pick<LoopStore, 'get'>;
  readonly ledger: CustomerUpdateLedger;
  readonly links: StatusLinks;
  readonly settings: CustomerSettings;
  readonly loopPolicy: LoopPolicy;
  /** The page a status token opens (https://cxloop.example.com/status/<token>); null: comments carry no link. */
  readonly statusUrl: ((token: string) => string) | null;
  readonly metrics: CustomerMetrics;
  readonly logger: Logger;
  readonly now: () => number;
}

/** One public comment to send: `key` names the effect it came from (the same on every retry of it). */
export interface CustomerUpdateRequest {
  readonly ticketId: number;
  readonly key: string;
  readonly kind: CustomerUpdateKind;
  readonly etaAt: number | null;
}

export type CustomerUpdateOutcome =
  | { readonly sent: true; readonly language: string; readonly fellBack: boolean }
  | { readonly sent: false; readonly reason: 'no_loop' | 'moved_on' | 'quiet' | 'duplicate' | 'same_eta' }
  | { readonly sent: false; readonly reason: 'cadence'; readonly until: number };

/**
 * Sends one public comment to the requester, in their language, if it still holds: the loop is
 * where the comment says (an acknowledgement that waited is not sent once the ticket is solved),
 * a revised ETA differs from the one the requester was last told, no agent tagged the ticket
 * quiet, and the tier's cadence allows one now (else `cadence` says when). A comment goes out once however often its job runs: the ledger claims it before the call,
 * and a retry whose first attempt may have sent it looks for it in Zendesk first.
 */
export async function sendCustomerUpdate(request: CustomerUpdateRequest, deps: CustomerUpdateDeps): Promise<CustomerUpdateOutcome> {
  const outcome = await decide(request, deps);
  deps.metrics.update(outcome.sent ? 'sent' : outcome.reason);
  const fields = { ticketId: request.ticketId, kind: request.kind };
  if (outcome.sent) deps.logger.log('info', 'public comment sent to the requester', { ...fields, language: outcome.language, ...(outcome.fellBack ? { fellBackToEnglish: true } : {}) });
  else deps.logger.log(outcome.reason === 'cadence' ? 'info' : 'debug', `public comment not sent: ${outcome.reason}`, { ...fields, ...(outcome.reason === 'cadence' ? { until: new Date(outcome.until).toISOString() } : {}) });
  return outcome;
}

async function decide(request: CustomerUpdateRequest, deps: CustomerUpdateDeps): Promise<CustomerUpdateOutcome> {
  const loop = (await deps.loops.get(request.ticketId))?.state;
  if (!loop) return { sent: false, reason: 'no_loop' };
  if (!customerUpdateHolds(request.kind, loop.stage)) return { sent: false, reason: 'moved_on' };
  const now = deps.now();
  const eta = promisedEta(request.etaAt, now);
  if (request.kind === 'revised_eta' && (eta === null || sameMinute(eta, await deps.ledger.lastEta(request.ticketId)))) return { sent: false, reason: 'same_eta' };
  const view = await requesterViewOf(request.ticketId, deps);
  if (view.tags.includes(deps.settings.updates.quiet_tag)) return { sent: false, reason: 'quiet' };
  const comment = await render(request, loop, view, now, deps);
  const cadenceMs = deps.loopPolicy.tiers[loop.tier].update.remindMs;
  const claim = await deps.ledger.claim(request.ticketId, request.key, comment.body, now, cadenceMs);
  if (claim.outcome === 'sent') return { sent: false, reason: 'duplicate' };
  if (claim.outcome === 'wait') return { sent: false, reason: 'cadence', until: claim.until };
  if (claim.outcome === 'unsure' && (await deps.zendesk.hasPublicComment(request.ticketId, claim.body))) {
    await deps.ledger.confirm(request.ticketId, request.key, eta);
    return { sent: false, reason: 'duplicate' };
  }
  // A retry sends what the first attempt claimed, so the check above stays exact.
  await deps.zendesk.addPublicComment(request.ticketId, claim.outcome === 'unsure' && claim.body !== '' ? claim.body : comment.body);
  await deps.ledger.confirm(request.ticketId, request.key, eta);
  return { sent: true, language: comment.language, fellBack: comment.fellBack };
}

/** Comments show times to the minute: two ETAs within one read the same. */
function sameMinute(a: number, b: number | null): boolean {
  return b !== null && Math.floor(a / 60_000) === Math.floor(b / 60_000);
}

/**
 * The ticket's tags and requester. A dry run has no account to read: the comment is then recorded
 * as it would go to a requester cxloop knows nothing of (English, the policy's time zone).
 */
async function requesterViewOf(ticketId: number, deps: CustomerUpdateDeps): Promise<RequesterView> {
  try {
    return await deps.zendesk.getRequesterView(ticketId);
  } catch (error) {
    if (isZendeskError(error, 'DRY_RUN')) return { tags: [], locale: null, timeZone: null };
    throw error;
  }
}

async function render(request: CustomerUpdateRequest, loop: LoopState, view: RequesterView, now: number, deps: CustomerUpdateDeps): Promise<{ body: string; language: string; fellBack: boolean }> {
  const { settings } = deps;
  const picked = pickCustomerTemplate(request.kind, languageOfLocale(view.locale), settings.updates.templates);
  const timeZone = view.timeZone !== null && isTimeZone(view.timeZone) ? view.timeZone : settings.updates.time_zone;
  // The requester's own locale formats the times ("pt-BR"), unless the text fell back to English.
  const where = { locale: picked.fellBack || view.locale === null ? picked.language : view.locale, timeZone };
  const time = (at: number | null) => (at === null ? null : formatCustomerTime(at, where));
  const eta = promisedEta(request.etaAt, now);
  const next = request.kind === 'solved' ? null : statusViewOf(loop, now, now, deps.loopPolicy).nextUpdateAt;
  const link = settings.status_page.enabled && deps.statusUrl !== null ? deps.statusUrl(await deps.links.issue(request.ticketId, { language: picked.language, timeZone })) : null;
  const body = fillCustomerTemplate(picked.template, { ticket: String(request.ticketId), eta: time(eta), next_update: time(next), status_link: link });
  return { body, language: picked.language, fellBack: picked.fellBack };
}
