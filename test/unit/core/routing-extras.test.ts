import { describe, expect, it } from 'vitest';
import { extractKeywords, GOOD_MATCH_KEYWORDS, helpCenterLocale, pickArticles, type HelpCenterArticle } from '../../../src/core/routing/article-suggestions.js';
import { summarizeRequester, vipReason } from '../../../src/core/routing/requester-context.js';
import { describeRoutingExtras } from '../../../src/core/routing/routing-extras.js';

const article = (title: string, snippet = ''): HelpCenterArticle => ({ title, url: `https://acme.zendesk.com/hc/articles/${title.length}`, snippet });

describe('suggest_article: the keywords a ticket is searched by', () => {
  it('takes the subject first, then the description by frequency, without greetings, function words, URLs or digits', () => {
    expect(
      extractKeywords(
        'Comment inviter mon équipe ?',
        "Bonjour, comment puis-je ajouter des collègues à mon compte ? Je ne trouve pas l'option dans les paramètres du compte. https://acme.example/settings?id=42 merci",
      ),
    ).toEqual(['inviter', 'équipe', 'compte', 'ajouter', 'collègues', 'option']);
  });

  it('never passes on markup, quotes, operators, addresses or numbers (customer text is untrusted)', () => {
    const keywords = extractKeywords('"export" OR -billing <script>alert(1)</script>', 'mail me at eve@evil.example, order 12345, see https://evil.example/x?q="a"');
    expect(keywords).toEqual(['export', 'billing', 'alert', 'mail', 'order']);
    for (const keyword of keywords) expect(keyword).toMatch(/^\p{L}+$/u);
  });

  it("drops contractions, elisions and possessives: \"doesn't\", \"l'option\", \"team's\"", () => {
    expect(extractKeywords("The export doesn't work", "I cannot find l'option dell'app in my team's settings")).toEqual(['export', 'work', 'option', 'app', 'team', 'settings']);
  });

  it('keeps each word once and at most six', () => {
    expect(extractKeywords('Export export EXPORT to Excel', 'excel sheets sheets pivot tables charts formulas macros')).toEqual(['export', 'excel', 'sheets', 'pivot', 'tables', 'charts']);
    expect(extractKeywords('Hi', 'thanks!')).toEqual([]);
  });
});

describe('suggest_article: what "matches well" means', () => {
  const keywords = ['invite', 'team', 'members'];

  it(`needs ${GOOD_MATCH_KEYWORDS} of the ticket's keywords in the title or the snippet, inflected or accented alike`, () => {
    const picked = pickArticles(
      keywords,
      [
        article('Inviting your teammates', '...go to <em>Settings</em>...'), // invite + team (teammates shares "team")
        article('Billing FAQ', 'how a <em>team</em> plan is billed'), // team only: not good
        article('Managing members', 'add <em>members</em> to your <em>team</em>'), // members + team
      ],
      3,
    );
    expect(picked.map((link) => link.title)).toEqual(['Inviting your teammates', 'Managing members']);
  });

  it('folds accents and case: "équipe" finds "Equipes"', () => {
    expect(pickArticles(['inviter', 'équipe'], [article('Inviter des membres dans vos Equipes')], 3)).toHaveLength(1);
  });

  it('does not take a short word for a longer one, nor a shared start for the same word', () => {
    expect(pickArticles(['car', 'pass'], [article('Card passport renewal')], 3)).toEqual([]);
    expect(pickArticles(['password', 'reset'], [article('Passport reset')], 3)).toEqual([]);
  });

  it('with one keyword, that one is enough; with none, nothing matches', () => {
    expect(pickArticles(['webhooks'], [article('Webhooks overview')], 3)).toHaveLength(1);
    expect(pickArticles([], [article('Anything')], 3)).toEqual([]);
  });

  it("keeps Zendesk's order and stops at the maximum", () => {
    const many = ['Team invite one', 'Team invite two', 'Team invite three'].map((title) => article(title));
    expect(pickArticles(keywords, many, 2).map((link) => link.title)).toEqual(['Team invite one', 'Team invite two']);
  });
});

describe('suggest_article: which Help Center locale is searched', () => {
  it("the policy's locale, else the ticket's one language, else Zendesk's default (none)", () => {
    expect(helpCenterLocale('de', new Set(['fr']))).toBe('de');
    expect(helpCenterLocale(null, new Set(['fr']))).toBe('fr');
    expect(helpCenterLocale(null, new Set(['en']))).toBe('en-us');
    expect(helpCenterLocale(null, new Set(['pt']))).toBe('pt-br');
    expect(helpCenterLocale(null, new Set(['en', 'de']))).toBeNull();
  });
});

describe('attach_requester_context', () => {
  const rules = [
    { tier: 'normal' as const, tags: [], channels: [], forms: [], organizations: ['77'] },
    { tier: 'critical' as const, tags: [], channels: [], forms: [], organizations: ['360001'] },
  ];

  it('VIP is an organisation of a high or critical tier rule of the policy', () => {
    expect(vipReason([{ id: 360001, name: 'Acme' }], rules)).toBe("organisation Acme (360001) is in the policy's critical tier rule");
    expect(vipReason([{ id: 77, name: 'Small' }], rules)).toBeNull();
    expect(vipReason([], rules)).toBeNull();
  });

  it("counts earlier tickets without this one, lists the latest, and checks the ticket's own organisation too", () => {
    const context = summarizeRequester({
      ticketId: 900,
      ticketOrganizationId: 360001,
      profile: { organizations: [{ id: 5, name: 'Beta' }] },
      requested: { count: 13, tickets: [{ id: 900, subject: 'this one' }, { id: 850, subject: 'Login broken\nagain' }, { id: 801, subject: 'x'.repeat(120) }, { id: 700, subject: 'old' }] },
      tierRules: rules,
      recentMax: 2,
    });
    expect(context).toEqual({
      organizations: ['Beta'],
      vip: "organisation 360001 (360001) is in the policy's critical tier rule",
      earlier: 12,
      recent: [{ id: 850, subject: 'Login broken again' }, { id: 801, subject: `${'x'.repeat(59)}…` }],
    });
  });

  it('writes the note lines for the context, its absence and the articles', () => {
    const url = (id: number) => `https://acme.zendesk.com/agent/tickets/${id}`;
    const context = { organizations: ['Acme'], vip: null, earlier: 1, recent: [{ id: 850, subject: 'Login broken' }] };
    expect(describeRoutingExtras({ requester: { ok: true, context } }, url)).toEqual(['Requester: organisation Acme; not a VIP; 1 earlier ticket, latest:', '  #850 "Login broken" https://acme.zendesk.com/agent/tickets/850']);
    expect(describeRoutingExtras({ requester: { ok: false, reason: 'Zendesk answered 503' } }, url)).toEqual(['Requester context not attached: Zendesk answered 503.']);
    expect(describeRoutingExtras({ articles: { source: 'fallback', links: [{ title: 'Getting started', url: 'https://help.acme.com/start' }] } }, url)).toEqual([
      "Suggested article (the category's article_url):",
      '  Getting started https://help.acme.com/start',
    ]);
    expect(describeRoutingExtras({}, url)).toEqual([]);
  });
});
