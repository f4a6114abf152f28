import type { ArticleLink } from './article-suggestions.js';
import type { RequesterContext } from './requester-context.js';

/**
 * What the routing write's on_routing actions found, kept for the internal note and the Slack
 * card (both show the same): the requester's context (or why it is missing) and the articles to
 * suggest. An action a category does not list leaves its part out.
 */
export interface RoutingExtras {
  /** attach_requester_context: the context, or why it could not be read (routing went on without it). */
  readonly requester?: { readonly ok: true; readonly context: RequesterContext } | { readonly ok: false; readonly reason: string };
  /** suggest_article: good matches of the Help Center search, else the category's article_url; absent when neither. */
  readonly articles?: { readonly source: 'search' | 'fallback'; readonly links: readonly ArticleLink[] };
}

/**
 * What a ticket's brief keeps for its Slack card: what was found. Why something is missing is the
 * note's and the log's to tell (and a retried routing event reads it again); every open loop keeps
 * a brief, so it carries nothing it does not show.
 */
export function foundExtras(extras: RoutingExtras): RoutingExtras | undefined {
  const found: RoutingExtras = { ...(extras.requester?.ok ? { requester: extras.requester } : {}), ...(extras.articles ? { articles: extras.articles } : {}) };
  return Object.keys(found).length > 0 ? found : undefined;
}

/** The note's lines for the extras; `ticketUrl` links an earlier ticket for the agent (null: no link). */
export function describeRoutingExtras(extras: RoutingExtras, ticketUrl: (ticketId: number) => string | null): string[] {
  const lines: string[] = [];
  const { requester, articles } = extras;
  if (requester && !requester.ok) lines.push(`Requester context not attached: ${requester.reason}.`);
  if (requester?.ok) {
    const { context } = requester;
    const organisations = context.organizations.length > 0 ? `organisation ${context.organizations.join(', ')}` : 'no organisation';
    const vip = context.vip === null ? 'not a VIP' : `VIP: ${context.vip}`;
    const earlier = context.earlier === null ? 'earlier tickets not counted' : `${context.earlier} earlier ticket${context.earlier === 1 ? '' : 's'}`;
    lines.push(`Requester: ${organisations}; ${vip}; ${earlier}${context.recent.length > 0 ? ', latest:' : '.'}`);
    for (const ticket of context.recent) {
      const url = ticketUrl(ticket.id);
      lines.push(`  #${ticket.id} "${ticket.subject}"${url === null ? '' : ` ${url}`}`);
    }
  }
  if (articles) {
    lines.push(articles.source === 'search' ? 'Suggested articles (Help Center search):' : "Suggested article (the category's article_url):");
    for (const link of articles.links) lines.push(`  ${link.title === '' ? link.url : `${link.title} ${link.url}`}`);
  }
  return lines;
}
