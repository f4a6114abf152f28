import { describe, expect, it } from 'vitest';
import { typeAnswerOf } from '../../../src/core/classify/type-answer.js';
import { defaultClassifier } from '../../support/default-classifier.js';

/**
 * A form's "type" question and the writer's answer. The texts are made up, in the shapes GitHub
 * issue forms and templates render (a "### Issue type" section, a bold question) and web forms
 * send ("Type: ..." lines).
 */
describe('the answer to a form type question', () => {
  it.each([
    ['### Issue type\n\nSupport\n\n### Source\n\nbinary', 'onboarding_help', 'Support'],
    ['### Issue Type\n\nBug\n\n### TensorFlow version\n\n2.13', 'bug_report', 'Bug'],
    ['Issue type: Feature Request\nDescription: export to PDF', 'feature_request', 'Feature Request'],
    ['**Do you want to request a *feature* or report a *bug*?**\nReport a bug.\n\n**What is the current behavior?**', 'bug_report', 'Report a bug.'],
    ['Type of request: Billing\nWe were charged for 12 seats', 'billing_issue', 'Billing'],
    ['Art der Anfrage: Frage\nWie exportiere ich?', 'onboarding_help', 'Frage'],
    ['Tipo de solicitud: Facturación', 'billing_issue', 'Facturación'],
    ['Type de demande : Amélioration', 'feature_request', 'Amélioration'],
    ['Hello,\r\nTicket type:\r\n\r\nQuestion\r\nThanks', 'onboarding_help', 'Question'],
    ['Type verzoek: Vraag', 'onboarding_help', 'Vraag'],
    ['Talep türü: Hata', 'bug_report', 'Hata'],
    ['Тип обращения: Оплата', 'billing_issue', 'Оплата'],
    ['Rodzaj zgłoszenia: Pytanie', 'onboarding_help', 'Pytanie'],
    ['Typ požadavku: Návrh', 'feature_request', 'Návrh'],
  ])('reads %j as %s', (text, category, words) => {
    expect(typeAnswerOf(text)).toEqual({ category, words });
  });

  it.each([
    ['left unanswered: the next line is another prompt', '### Issue type\n\n### Source\n\nsource'],
    ['an answer naming two kinds', '**Do you want to request a *feature* or report a *bug*?**\nNot sure if it is a bug or a feature yet.'],
    ['an answer that is a sentence, not a choice', 'Issue type: I think this is a bug in the way the export handles very large files'],
    ["a template's instructions in an HTML comment", '<!-- Issue type: Bug or Feature -->\nHow do I export?'],
    ['a kind word in prose, without a type question', 'This bug makes the feature unusable'],
    ['an answer that names no kind', 'Type: Other'],
  ])('finds none when %s', (_why, text) => {
    expect(typeAnswerOf(text)).toBeNull();
  });

  it('decides a support request written up as a bug report, says why, and gives way to a text saying much more', () => {
    const subject = 'The example crashes';
    const description = '### Issue type\n\nSupport\n\n### Current behavior?\n\nThe example crashes with an error on start, on Windows 11.';
    const decision = defaultClassifier.classify({ subject, description });
    expect(decision.category, decision.summary).toBe('onboarding_help');
    expect(decision.evidence[0]).toMatchObject({ rule: 'answer', for: 'onboarding_help', words: ['support'] });
    expect(decision.summary).toContain('"support"');
    // The same text without the answer reads as the defect it describes.
    expect(defaultClassifier.classify({ subject, description: description.replace('### Issue type\n\nSupport\n\n', '') }).category).toBe('bug_report');
    // An install that fails with an error and is not working says more than the label.
    const failing = '### Issue type\n\nSupport\n\n### Current behavior?\n\nI get an error and the build is not working: how do I install it on Windows?';
    expect(defaultClassifier.classify({ subject: 'Error when installing on Windows', description: failing }).category).toBe('bug_report');
  });
});
