import type { Policy } from '../config/policy-schema.js';
import type { LanguageDetector } from '../core/classify/detect-languages.js';
import { tokenizeClauses } from '../core/classify/tokenize-clauses.js';
import { extractKeywords, helpCenterLocale, pickArticles, type ArticleLink } from '../core/routing/article-suggestions.js';
import { cutText, summarizeRequester } from '../core/routing/requester-context.js';
import type { RoutingAction } from '../core/routing/routing-actions.js';
import type { RoutingExtras } from '../core/routing/routing-extras.js';
import type { CategoryId } from '../core/taxonomy.js';
import type { TicketSnapshot } from '../core/ticket-event.js';
import type { Logger, ZendeskApi, ZendeskReadBudget } from './ports.js';
import { isZendeskError } from './zendesk-api-error.js';

export interface RoutingActionDeps {
  readonly zendesk: Pick<ZendeskApi, 'getRequester' | 'getRequestedTickets' | 'searchArticles'>;
  readonly budget: ZendeskReadBudget;
  readonly policy: Policy;
  /** The classifier's language detector over the policy's languages (picks the Help Center locale). */
  readonly detectLanguages: LanguageDetector;
  readonly logger: Logger;
}

/** What the routing write takes from the category's on_routing: extra tags, and what the note and card show. */
export interface RoutingActionResult {
  readonly tags: readonly string[];
  readonly extras: RoutingExtras;
}

interface Part {
  readonly tags?: readonly string[];
  readonly extras?: RoutingExtras;
}

interface WriteAction {
  /** Optional Zendesk reads it spends from the read budget (0: none). */
  readonly reads: number;
  /** The part of the extras it fills: found once, it is not read again for the ticket. */
  readonly fills?: keyof RoutingExtras;
  run(snapshot: TicketSnapshot, category: CategoryId, deps: RoutingActionDeps): Promise<Part>;
}

/** Article titles are cut to this for the note and the card. */
const ARTICLE_TITLE_MAX = 100;

/**
 * The routing write's half of each on_routing action; null where the loop's opening carries the
 * action out instead (core/loop/transition.ts). Both tables are keyed by ROUTING_ACTIONS, so an
 * action neither handles cannot be added.
 */
const ROUTING_WRITE: Readonly<Record<RoutingAction, WriteAction | null>> = {
  attach_requester_context: { reads: 2, fills: 'requester', run: attachRequesterContext },
  tag_for_pm_review: { reads: 0, run: async (_snapshot, _category, deps) => ({ tags: [deps.policy.actions.tag_for_pm_review.tag] }) },
  suggest_article: { reads: 1, fills: 'articles', run: suggestArticle },
  ping_incident_channel: null,
  flag_live_status: null,
  start_csat_followup: null,
};

/**
 * Runs the routing-write actions the ticket's category lists, at once. None of them ever fails the
 * routing: a read that fails, is refused by the budget or times out leaves its part as "missing,
 * because ..." (context) or out (articles), and says so in the log. `saved`: what an earlier
 * attempt for this ticket found (kept in its brief), reused instead of reading Zendesk again.
 */
export async function runRoutingActions(snapshot: TicketSnapshot, category: CategoryId, deps: RoutingActionDeps, saved?: RoutingExtras): Promise<RoutingActionResult> {
  const parts = await Promise.all(
    deps.policy.categories[category].on_routing.map(async (action): Promise<Part> => {
      const handler = ROUTING_WRITE[action];
      if (handler === null) return {};
      if (handler.fills !== undefined && saved?.[handler.fills] !== undefined) return {};
      return handler.run(snapshot, category, deps);
    }),
  );
  const extras: RoutingExtras = Object.assign({}, saved, ...parts.map((part) => part.extras ?? {}));
  return { tags: parts.flatMap((part) => part.tags ?? []), extras };
}

async function attachRequesterContext(snapshot: TicketSnapshot, _category: CategoryId, deps: RoutingActionDeps): Promise<Part> {
  const missing = (reason: string): Part => ({ extras: { requester: { ok: false, reason } } });
  const userId = snapshot.requesterId;
  if (userId === null) return missing('the ticket has no requester');
  const refused = await deps.budget.take(ROUTING_WRITE.attach_requester_context!.reads);
  if (refused !== null) return missing(skipped(deps, snapshot.id, 'attach_requester_context', refused));
  const recentMax = deps.policy.actions.attach_requester_context.recent_tickets;
  try {
    // One more than listed: this ticket is the requester's newest and is left out.
    const [profile, requested] = await Promise.all([deps.zendesk.getRequester(userId), deps.zendesk.getRequestedTickets(userId, recentMax + 1)]);
    const context = summarizeRequester({
      ticketId: snapshot.id,
      ticketOrganizationId: snapshot.organizationId,
      profile,
      requested,
      tierRules: deps.policy.classifier.tier_rules,
      recentMax,
    });
    return { extras: { requester: { ok: true, context } } };
  } catch (error) {
    return missing(await failed(deps, snapshot.id, 'attach_requester_context', error, 'Zendesk has no such requester (404)'));
  }
}

async function suggestArticle(snapshot: TicketSnapshot, category: CategoryId, deps: RoutingActionDeps): Promise<Part> {
  const settings = deps.policy.actions.suggest_article;
  const links = await searchHelpCenter(snapshot, settings, deps);
  if (links.length > 0) return { extras: { articles: { source: 'search', links } } };
  const fallback = deps.policy.categories[category].article_url;
  return fallback === null ? {} : { extras: { articles: { source: 'fallback', links: [{ title: '', url: fallback }] } } };
}

/** Good matches of the Help Center search for the ticket's keywords; none when the search could not run. */
async function searchHelpCenter(snapshot: TicketSnapshot, settings: Policy['actions']['suggest_article'], deps: RoutingActionDeps): Promise<ArticleLink[]> {
  const keywords = extractKeywords(snapshot.subject, snapshot.description);
  if (keywords.length === 0) {
    deps.logger.log('debug', 'suggest_article: no keywords in the ticket, no search', { ticketId: snapshot.id });
    return [];
  }
  const refused = await deps.budget.take(ROUTING_WRITE.suggest_article!.reads);
  if (refused !== null) {
    skipped(deps, snapshot.id, 'suggest_article', refused);
    return [];
  }
  const detected = deps.detectLanguages([tokenizeClauses(snapshot.subject).tokens, tokenizeClauses(snapshot.description).tokens]);
  const locale = helpCenterLocale(settings.locale, detected);
  try {
    // A couple more than shown, so a poor first match does not hide a good third one.
    const results = await deps.zendesk.searchArticles(keywords.join(' '), locale, settings.max_articles + 2);
    return pickArticles(keywords, results, settings.max_articles).map((link) => ({ title: cutText(link.title, ARTICLE_TITLE_MAX), url: link.url }));
  } catch (error) {
    await failed(deps, snapshot.id, 'suggest_article', error, 'the account has no Help Center to search (404)');
    return [];
  }
}

function skipped(deps: RoutingActionDeps, ticketId: number, action: RoutingAction, reason: string): string {
  deps.logger.log('info', `${action}: Zendesk not read, routed without it`, { ticketId, reason });
  return `not read (${reason})`;
}

/** Why a read failed, in words for the note (never the request: it holds customer words); a 429 pauses every optional read for its Retry-After. */
async function failed(deps: RoutingActionDeps, ticketId: number, action: RoutingAction, error: unknown, notFound: string): Promise<string> {
  let reason: string;
  if (isZendeskError(error, 'DRY_RUN')) reason = 'a dry run reads nothing from Zendesk';
  else if (isZendeskError(error, 'RATE_LIMITED')) {
    const waitMs = error.details.retryAfterMs ?? 60_000;
    await deps.budget.pause(waitMs);
    reason = `Zendesk's rate limit (429); optional reads wait ${Math.ceil(waitMs / 1000)} s`;
  } else if (isZendeskError(error, 'NOT_FOUND')) reason = notFound;
  else if (isZendeskError(error, 'REJECTED')) reason = `Zendesk refused the read (${error.details.status ?? 'rejected'})`;
  else if (isZendeskError(error, 'UNAVAILABLE')) reason = `Zendesk did not answer (${error.details.status ?? 'timeout or network'})`;
  else reason = 'an unexpected error';
  const dryRun = isZendeskError(error, 'DRY_RUN');
  deps.logger.log(dryRun ? 'debug' : 'warn', `${action}: Zendesk read failed, routed without it`, { ticketId, reason, ...(dryRun ? {} : { error: (error as Error).message }) });
  return reason;
}
