import { describe, expect, it } from 'vitest';
import type { ZendeskReadBudget } from '../../../src/app/ports.js';
import { runRoutingActions, type RoutingActionDeps } from '../../../src/app/run-routing-actions.js';
import { ZendeskApiError } from '../../../src/app/zendesk-api-error.js';
import type { Policy } from '../../../src/config/policy-schema.js';
import { compileLanguageDetector } from '../../../src/core/classify/detect-languages.js';
import type { TicketSnapshot } from '../../../src/core/ticket-event.js';
import { defaultPolicy } from '../../support/default-classifier.js';

const snapshot = (overrides: Partial<TicketSnapshot> = {}): TicketSnapshot => ({
  id: 900,
  subject: 'How do I invite my team?',
  description: 'I want to add colleagues to my account.',
  status: 'new',
  priority: 'normal',
  groupId: null,
  assigneeId: null,
  requesterId: 501,
  organizationId: null,
  formId: null,
  tags: [],
  channel: 'web',
  createdAt: 0,
  updatedAt: 0,
  ...overrides,
});

/** A Zendesk whose reads are counted; each answers what the test gives it. */
function depsWith(options: { budget?: ZendeskReadBudget; policy?: Policy; fail?: Error } = {}): RoutingActionDeps & { reads: string[] } {
  const reads: string[] = [];
  const answer = async <T>(name: string, value: T): Promise<T> => {
    reads.push(name);
    if (options.fail) throw options.fail;
    return value;
  };
  return {
    reads,
    zendesk: {
      getRequester: (id) => answer(`user ${id}`, { organizations: [{ id: 7, name: 'Acme' }] }),
      getRequestedTickets: (id, perPage) => answer(`requested ${id} ${perPage}`, { count: 2, tickets: [{ id: 900, subject: 'this' }, { id: 800, subject: 'older' }] }),
      searchArticles: (query, locale, perPage) => answer(`search ${query} ${locale} ${perPage}`, [{ title: 'Inviting team members', url: 'https://acme.zendesk.com/hc/en-us/articles/1', snippet: '' }]),
    },
    budget: options.budget ?? { take: async () => null, pause: async () => undefined },
    policy: options.policy ?? defaultPolicy,
    detectLanguages: compileLanguageDetector(defaultPolicy.classifier.languages),
    logger: { log: () => undefined },
  };
}

describe('runRoutingActions: the routing write half of on_routing', () => {
  it("runs only the category's actions: bug reports read the requester, feature requests only tag, billing does nothing", async () => {
    const bug = depsWith();
    const result = await runRoutingActions(snapshot(), 'bug_report', bug);
    expect(bug.reads.sort()).toEqual(['requested 501 4', 'user 501']);
    expect(result).toEqual({ tags: [], extras: { requester: { ok: true, context: { organizations: ['Acme'], vip: null, earlier: 1, recent: [{ id: 800, subject: 'older' }] } } } });
    const feature = depsWith();
    expect(await runRoutingActions(snapshot(), 'feature_request', feature)).toEqual({ tags: ['cxloop_pm_review'], extras: {} });
    const billing = depsWith();
    expect(await runRoutingActions(snapshot(), 'billing_issue', billing)).toEqual({ tags: [], extras: {} });
    expect([...feature.reads, ...billing.reads]).toEqual([]);
  });

  it('reuses what an earlier attempt found, and reads again what it did not find', async () => {
    const found = { organizations: ['Beta'], vip: null, earlier: 0, recent: [] };
    const again = depsWith();
    expect(await runRoutingActions(snapshot(), 'bug_report', again, { requester: { ok: true, context: found } })).toEqual({ tags: [], extras: { requester: { ok: true, context: found } } });
    expect(again.reads).toEqual([]);
    const retried = depsWith();
    await runRoutingActions(snapshot(), 'bug_report', retried, {});
    expect(retried.reads).toHaveLength(2);
  });

  it('spends the budget before reading, and reads nothing it refuses', async () => {
    const taken: number[] = [];
    const refusing = depsWith({ budget: { take: async (reads) => (taken.push(reads), 'the budget is spent'), pause: async () => undefined } });
    expect((await runRoutingActions(snapshot(), 'bug_report', refusing)).extras).toEqual({ requester: { ok: false, reason: 'not read (the budget is spent)' } });
    expect((await runRoutingActions(snapshot(), 'onboarding_help', refusing)).extras).toEqual({});
    expect(taken).toEqual([2, 1]);
    expect(refusing.reads).toEqual([]);
  });

  it('a 429 pauses the budget for its Retry-After; a ticket without a requester or keywords reads nothing', async () => {
    const paused: number[] = [];
    const limited = depsWith({ fail: new ZendeskApiError('RATE_LIMITED', 'GET /users/501: Zendesk answered 429', { status: 429, retryAfterMs: 12_000 }), budget: { take: async () => null, pause: async (ms) => void paused.push(ms) } });
    expect((await runRoutingActions(snapshot(), 'bug_report', limited)).extras).toEqual({ requester: { ok: false, reason: "Zendesk's rate limit (429); optional reads wait 12 s" } });
    expect(paused).toEqual([12_000]);
    const policy = structuredClone(defaultPolicy);
    policy.categories.onboarding_help.article_url = 'https://help.acme.test/start';
    const quiet = depsWith({ policy });
    expect((await runRoutingActions(snapshot({ requesterId: null }), 'bug_report', quiet)).extras).toEqual({ requester: { ok: false, reason: 'the ticket has no requester' } });
    expect((await runRoutingActions(snapshot({ subject: 'Hi', description: 'Thanks!' }), 'onboarding_help', quiet)).extras).toEqual({
      articles: { source: 'fallback', links: [{ title: '', url: 'https://help.acme.test/start' }] },
    });
    expect(quiet.reads).toEqual([]);
  });

  it("searches in the ticket's language with a couple more results than it shows", async () => {
    const deps = depsWith();
    expect((await runRoutingActions(snapshot(), 'onboarding_help', deps)).extras).toEqual({ articles: { source: 'search', links: [{ title: 'Inviting team members', url: 'https://acme.zendesk.com/hc/en-us/articles/1' }] } });
    expect(deps.reads).toEqual(['search invite team add colleagues account en-us 5']);
  });
});
