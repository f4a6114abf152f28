import { describe, expect, it } from 'vitest';
import { trainModel } from '../../../src/app/train-model.js';
import { Classifier } from '../../../src/core/classify/classifier.js';
import { LEXICONS } from '../../../src/core/classify/lexicons/index.js';
import { LearnedClassifier } from '../../../src/core/learn/learned-classifier.js';
import { LearnedModel } from '../../../src/core/learn/learned-model.js';
import { describeRouting } from '../../../src/core/routing/describe-routing.js';
import { defaultClassifier, defaultRules } from '../../support/default-classifier.js';
import { makeTickets } from '../../support/labeled-tickets.js';

const run = trainModel(makeTickets(40, { seed: 5 }), defaultClassifier, { install: { zendesk: null, prefix: 'cxloop' }, trainedAt: '2026-12-01T10:00:00.000Z', folds: 4, seed: 1 });
/** The trained model with the combination on for every category it knows, whatever CV chose. */
const everywhere = new LearnedModel({ ...run.model.data, meta: { ...run.model.meta, combination: { categories: run.model.meta.classes, threshold: 0.5, minExamples: 20, rulesOwn: [] } } });
const jargon = { subject: 'zorblat again', description: 'the kwix digest has blorp wording' };

describe('LearnedClassifier', () => {
  it('decides with the model and says so: learned from how many tickets, and which of its words', () => {
    const decision = new LearnedClassifier(defaultClassifier, everywhere).classify(jargon);
    expect(decision.category).toBe('content_communication');
    expect(decision.learned?.examples).toBe(160);
    expect(decision.learned?.words.length).toBeGreaterThan(0);
    expect(decision.summary).toMatch(/^Content communication \(learned from 160 of your tickets, confidence 0\.\d\d\): "(zorblat|kwix|blorp|digest|wording)[^"]*"/);
    const note = describeRouting({ decision, team: 'content', priority: 'normal', openedAt: Date.parse('2026-12-01T10:00:00Z'), acknowledgeWithinMinutes: 60, resolveWithinMinutes: 600 });
    expect(note).toContain('Learned from 160 of your tickets: "');
    expect(note).not.toContain('No rule matched');
  });

  it('leaves the decision to the rules, their words and all, when the combination is off', () => {
    const off = new LearnedModel({ ...run.model.data, meta: { ...run.model.meta, combination: { categories: [], threshold: 1, minExamples: 20, rulesOwn: [] } } });
    const ticket = { subject: 'The app crashes on login', description: 'It crashes every time since the update' };
    expect(new LearnedClassifier(defaultClassifier, off).classify(ticket)).toEqual(defaultClassifier.classify(ticket));
  });

  it("keeps an admin's tag rule: the rules decide a ticket it names", () => {
    const rules = new Classifier(LEXICONS, { ...defaultRules, categories: { ...defaultRules.categories, billing_issue: { ...defaultRules.categories.billing_issue, tags: ['payments_form'] } } });
    const ticket = { ...jargon, tags: ['payments_form'] };
    const decision = new LearnedClassifier(rules, everywhere).classify(ticket);
    expect(decision.category).toBe('billing_issue');
    expect(decision.learned).toBeUndefined();
  });

  it('sets the tier for the category the model chose (its min_tier), with the reason', () => {
    const rules = new Classifier(LEXICONS, { ...defaultRules, categories: { ...defaultRules.categories, content_communication: { ...defaultRules.categories.content_communication, minTier: 'high' } } });
    const decision = new LearnedClassifier(rules, everywhere).classify(jargon);
    expect(decision.category).toBe('content_communication');
    expect(decision.tier).toBe('high');
    expect(decision.tierReasons).toContain('content_communication is at least high by policy');
    expect(decision.summary).toMatch(/; tier high \(content_communication is at least high by policy\)$/);
  });
});
