import { describe, expect, it } from 'vitest';
import type { ClassifierRules } from '../../../src/core/classify/classifier-rules.js';
import { Classifier } from '../../../src/core/classify/classifier.js';
import { LEXICONS } from '../../../src/core/classify/lexicons/index.js';
import type { Ticket } from '../../../src/core/ticket.js';
import { defaultClassifier, defaultRules } from '../../support/default-classifier.js';

function withRules(change: (rules: ClassifierRules) => ClassifierRules): Classifier {
  return new Classifier(LEXICONS, change(defaultRules));
}

function withCategoryRules(category: keyof ClassifierRules['categories'], extra: Partial<ClassifierRules['categories']['bug_report']>): Classifier {
  return withRules((rules) => ({ ...rules, categories: { ...rules.categories, [category]: { ...rules.categories[category], ...extra } } }));
}

const plain: Ticket = { subject: 'Acme gizmo order', description: 'Order 42 from the gizmo portal.' };

describe('tiers', () => {
  it.each([
    ['no signal', {}, 'Please send me a copy of the invoice.', 'normal'],
    ['Zendesk urgent', { priority: 'urgent' }, 'Please send me a copy of the invoice.', 'critical'],
    ['Zendesk high', { priority: 'high' }, 'Please send me a copy of the invoice.', 'high'],
    ['Zendesk low', { priority: 'low' }, 'Please send me a copy of the invoice.', 'normal'],
    ['outage wording', {}, 'The whole site is down, nobody can log in.', 'critical'],
    ['German outage wording', {}, 'Die Seite ist komplett ausgefallen, niemand kann sich anmelden.', 'critical'],
    ['strongly negative wording', {}, 'This is unacceptable, the export lost my data again.', 'high'],
    ['VIP requester', { requester: { vip: true } }, 'Please send me a copy of the invoice.', 'high'],
    ['VIP and strongly negative', { requester: { vip: true } }, 'This is unacceptable, I was charged twice.', 'critical'],
    ['repeat contact', { requester: { recentTicketCount: 3 } }, 'Please send me a copy of the invoice.', 'high'],
    ['few earlier contacts', { requester: { recentTicketCount: 2 } }, 'Please send me a copy of the invoice.', 'normal'],
    ['negated outage', {}, 'The site is not down, it is just a question about invoices.', 'normal'],
  ] as const)('%s -> %s', (_name, fields, description, tier) => {
    const decision = defaultClassifier.classify({ subject: '', description, ...fields });
    expect(decision.tier, decision.tierReasons.join('; ')).toBe(tier);
    expect(decision.tierReasons.length).toBeGreaterThan(0);
  });

  it('applies a category minimum tier and policy tier rules', () => {
    const classifier = withRules((rules) => ({
      ...rules,
      categories: { ...rules.categories, billing_issue: { ...rules.categories.billing_issue, minTier: 'high' } },
      tierRules: [{ tier: 'critical', tags: ['enterprise'], channels: [], forms: [], organizations: [] }],
    }));
    expect(classifier.classify({ subject: 'Invoice', description: 'Please resend the invoice.' }).tier).toBe('high');
    const tagged = classifier.classify({ subject: 'Invoice', description: 'Please resend the invoice.', tags: ['enterprise'] });
    expect(tagged.tier).toBe('critical');
    expect(tagged.tierReasons).toContain('policy tier rule tag:enterprise');
  });
});

describe('policy additions', () => {
  it('falls back to other below the threshold, keeping the best guess', () => {
    const decision = defaultClassifier.classify(plain);
    expect(decision.category).toBe('other');
    expect(decision.summary).toBe('Other: no category rule matched; tier normal (default tier)');
  });

  it('adds terms', () => {
    const classifier = withCategoryRules('billing_issue', { terms: ['gizmo portal'] });
    const decision = classifier.classify(plain);
    expect(decision.category).toBe('billing_issue');
    expect(decision.evidence[0]).toMatchObject({ rule: 'term', value: 'gizmo portal', source: 'policy', part: 'body' });
  });

  it('adds regexes', () => {
    const classifier = withCategoryRules('bug_report', { regexes: ['\\border \\d+\\b'] });
    expect(classifier.classify(plain)).toMatchObject({ category: 'bug_report', evidence: expect.arrayContaining([expect.objectContaining({ rule: 'regex', part: 'body' })]) });
  });

  it.each([
    ['tags', { tags: ['billing'] }, { tags: ['billing', 'x'] }],
    ['channels', { channels: ['chat'] }, { channel: 'chat' }],
    ['forms', { forms: ['360001'] }, { formId: '360001' }],
    ['organizations', { organizations: ['acme'] }, { organization: 'acme' }],
  ] as const)('adds %s conditions', (_name, rule, fields) => {
    const classifier = withCategoryRules('billing_issue', rule);
    const decision = classifier.classify({ ...plain, ...fields });
    expect(decision.category).toBe('billing_issue');
    expect(defaultClassifier.classify({ ...plain, ...fields }).category).toBe('other');
  });

  it('uses only the languages the policy lists', () => {
    const englishOnly = withRules((rules) => ({ ...rules, languages: ['en'] }));
    const german = { subject: 'Absturz', description: 'Die Anwendung stürzt beim Speichern ab.' };
    expect(defaultClassifier.classify(german).category).toBe('bug_report');
    expect(englishOnly.classify(german).category).toBe('other');
  });

  it('counts subject terms more than body terms', () => {
    const decision = defaultClassifier.classify({ subject: 'Refund', description: 'The app is slow.' });
    expect(decision.category).toBe('billing_issue');
  });

  it('reads requester comments but not agent notes', () => {
    const ticket: Ticket = {
      subject: '',
      description: 'Hello',
      comments: [
        { body: 'I was charged twice, please refund me.', public: true, fromRequester: true },
        { body: 'Internal: looks like a crash in the bug tracker, maybe a bug.', public: false, fromRequester: false },
      ],
    };
    const decision = defaultClassifier.classify(ticket);
    expect(decision.category).toBe('billing_issue');
    expect(decision.scores.bug_report).toBe(0);
  });

  it('ignores markup, code and URLs', () => {
    const decision = defaultClassifier.classify({
      subject: 'Invoice address',
      description: '<!-- Describe the bug --> Please change the address on my invoice.\n```\nError: crash\n```\nhttps://example.com/bugs/crash',
    });
    expect(decision.category).toBe('billing_issue');
    expect(decision.scores.bug_report).toBe(0);
  });
});

describe('evidence counting', () => {
  it('counts a word two lexicons share once per occurrence', () => {
    const decision = defaultClassifier.classify({ subject: '', description: 'App login app' });
    const app = decision.evidence.find((item) => item.value === 'app' && item.for === 'sentiment_experience');
    expect(app?.count).toBe(2);
    const login = decision.evidence.filter((item) => item.value === 'login');
    expect(login).toHaveLength(1);
    expect(login[0]?.count).toBe(1);
  });
});

describe('the words a decision shows people', () => {
  it.each([
    {
      name: 'a stem term shows the forms that matched, once each, and the category label',
      ticket: { subject: 'Crash on start', description: 'The app crashes when I open a report; it crashed again. Crash!' },
      summary: 'Bug report (confidence 0.97): "crash", "crashes", "crashed";',
    },
    {
      name: 'accents and punctuation as the customer wrote them, not folded',
      ticket: { subject: 'Comment inviter mon équipe ?', description: "Bonjour, comment puis-je ajouter des collègues ? Je ne trouve pas l'option dans les paramètres." },
      summary: 'Onboarding help (confidence 0.90): "comment inviter", "?", "comment puis-je", "ne trouve pas", "paramètres";',
    },
    {
      name: 'a word two lexicons match ("export*" de, "exportar" es) once',
      ticket: { subject: 'Exportar a Excel', description: 'Sería genial poder exportar los informes a Excel. ¿Podrían añadir esa opción?' },
      summary: 'Feature request (confidence 0.80): "sería genial", "podrían añadir", "exportar", "opción";',
    },
    {
      name: 'a denied defect says so outside the quotes',
      ticket: { subject: 'Thanks', description: 'The new version never crashes, no problems at all. Great app.' },
      summary: 'Sentiment experience',
    },
  ])('$name', ({ ticket, summary }) => {
    const decision = defaultClassifier.classify(ticket);
    expect(decision.summary.startsWith(summary)).toBe(true);
    expect(decision.summary).not.toMatch(/\*|\[[a-z]{2}\]| x\d/);
  });

  it('shows a denied defect as not "word"', () => {
    const decision = defaultClassifier.classify({ subject: 'Thanks', description: 'The new version never crashes, no problems at all.' });
    expect(decision.summary).toContain('not "crashes"');
  });

  it('reads words back past an expanded contraction as the folded tokens', () => {
    const decision = defaultClassifier.classify({ subject: "It doesn't start", description: "The app doesn't open and crashes, it's broken" });
    expect(decision.category).toBe('bug_report');
    expect(decision.evidence.find((item) => item.value === 'crash*')?.words).toEqual(['crashes']);
  });

  it('shows the text a policy regex matched, and a field condition as its rule', () => {
    const regex = withCategoryRules('bug_report', { regexes: ['\\bERR_[A-Z_]+\\b'] }).classify({ subject: 'Help', description: 'I get ERR_TIMEOUT_LONG on save' });
    expect(regex.evidence.find((item) => item.rule === 'regex')?.words).toEqual(['ERR_TIMEOUT_LONG']);
    const tagged = withCategoryRules('billing_issue', { tags: ['billing'] }).classify({ ...plain, tags: ['billing'] });
    expect(tagged.summary).toContain('"tag:billing"');
  });
});
