import { describe, expect, it } from 'vitest';
import { createLearnedClassifier } from '../../../src/app/create-classifier.js';
import { trainModel } from '../../../src/app/train-model.js';
import { LearnedModel, StaleReadingError } from '../../../src/core/learn/learned-model.js';
import { TrainingSet } from '../../../src/core/learn/training-set.js';
import { decodeModel, decodeModelMeta, encodeModel, ModelRefusedError } from '../../../src/core/learn/model-codec.js';
import { CATEGORY_IDS } from '../../../src/core/taxonomy.js';
import { defaultClassifier } from '../../support/default-classifier.js';
import { makeTickets } from '../../support/labeled-tickets.js';

const install = { zendesk: 'acme', prefix: 'cxloop' };
const trainedAt = '2026-12-01T10:00:00.000Z';
const run = trainModel(makeTickets(40, { seed: 3 }), defaultClassifier, { install, trainedAt, folds: 4, seed: 1 });

describe('a model trained on labelled tickets', () => {
  it('says what it learnt from: rows, examples per category, install, time, categories', () => {
    const { meta } = run.model;
    expect(meta).toMatchObject({
      formatVersion: 2,
      categorySet: CATEGORY_IDS,
      install,
      trainedAt,
      rows: 160,
      examples: { billing_issue: 40, bug_report: 40, feature_request: 40, content_communication: 40 },
      classes: ['bug_report', 'billing_issue', 'feature_request', 'content_communication'],
      ruleSignals: true,
    });
    expect(meta.fingerprint).toMatch(/^2026-12-01T10:00:00\.000Z\/[0-9a-f]{8}$/);
  });

  it.each([
    ['en', 'Refund for my invoice', 'I was charged twice, please send the receipt', 'billing_issue'],
    ['de', 'Rechnung doppelt abgebucht', 'Hallo, die Lastschrift kam zweimal', 'billing_issue'],
    ['tr', 'uygulama çöküyor', 'merhaba, hata mesajı ve boş ekran', 'bug_report'],
    ['es', 'modo oscuro', 'me encantaría una opción de exportar', 'feature_request'],
    ['jargon', 'zorblat again', 'the kwix digest has blorp wording', 'content_communication'],
  ] as const)('predicts unseen %s tickets, with a probability', (_language, subject, description, expected) => {
    const ticket = { subject, description };
    const prediction = run.model.predict(ticket, defaultClassifier.classify(ticket));
    expect(prediction.category).toBe(expected);
    expect(prediction.probability).toBeGreaterThan(0.4);
    expect(prediction.probability).toBeLessThanOrEqual(1);
  });

  it('names the words that counted, as the customer wrote them', () => {
    const ticket = { subject: 'Rechnung doppelt abgebucht', description: 'Hallo, bitte Erstattung' };
    const rules = defaultClassifier.classify(ticket);
    const words = run.model.explain(ticket, rules, run.model.predict(ticket, rules));
    expect(words.length).toBeGreaterThan(0);
    expect(words.length).toBeLessThanOrEqual(3);
    for (const word of words) expect('rechnung doppelt abgebucht hallo, bitte erstattung').toContain(word);
    expect(words.join(' ')).toMatch(/rechnung|abgebucht|erstattung/);
  });

  it('reads a ticket once for its prediction and its words, and refuses words asked after another read', () => {
    const ticket = { subject: 'Rechnung doppelt abgebucht', description: 'Hallo, bitte Erstattung' };
    const other = { subject: 'uygulama çöküyor', description: 'hata mesajı' };
    const rules = defaultClassifier.classify(ticket);
    const reading = run.model.read(ticket, rules);
    const words = reading.explain();
    expect(words.length).toBeGreaterThan(0);
    expect(reading.prediction).toEqual(run.model.predict(ticket, rules));
    expect(words).toEqual(run.model.explain(ticket, rules, reading.prediction));
    // The words of a second ticket, read in between, never leak into the first one's.
    const stale = run.model.read(ticket, rules);
    run.model.read(other, defaultClassifier.classify(other));
    expect(() => stale.explain()).toThrow(StaleReadingError);
    expect(run.model.read(ticket, rules).explain()).toEqual(words);
  });

  it('predicts from its cache of word scores what the training vectors predict', () => {
    const tickets = makeTickets(30, { seed: 5 }).map((ticket) => ({ ...ticket, category: ticket.category, rules: defaultClassifier.classify({ subject: ticket.subject, description: ticket.body }) }));
    const set = new TrainingSet(tickets);
    const rows = [...tickets.keys()];
    const train = rows.filter((row) => row % 3 !== 0);
    const fit = set.fit(train);
    const model = set.modelOf(fit, train, { install, trainedAt, combination: { categories: [], threshold: 1, minExamples: 0, rulesOwn: [] } });
    for (const row of rows.filter((row) => row % 3 === 0)) {
      const ticket = tickets[row]!;
      const fromVectors = set.predict(fit, row);
      const fromCache = model.predict({ subject: ticket.subject, description: ticket.body }, ticket.rules);
      expect(fromCache.category).toBe(fromVectors.category);
      expect(fromCache.probability).toBeCloseTo(fromVectors.probability, 5);
    }
  });

  it('predicts and explains the same after its cache of words filled up and started over', () => {
    const ticket = { subject: 'Rechnung doppelt abgebucht', description: 'Hallo, bitte Erstattung' };
    const rules = defaultClassifier.classify(ticket);
    const model = new LearnedModel(run.model.data);
    const reading = model.read(ticket, rules);
    const before = { prediction: reading.prediction, words: reading.explain() };
    // 70,000 words never seen, 400 to a ticket: more than the 65,536 the cache keeps.
    for (let first = 0; first < 70_000; first += 400) {
      const description = Array.from({ length: 400 }, (_, index) => `w${(first + index).toString(36)}x`).join(' ');
      model.read({ subject: '', description }, rules);
    }
    const after = model.read(ticket, rules);
    expect(after.prediction).toEqual(before.prediction);
    expect(after.explain()).toEqual(before.words);
    // A ticket read only now, against a model that never filled up.
    const late = { subject: 'uygulama çöküyor', description: 'hata mesajı, uygulama açılmıyor' };
    const lateRules = defaultClassifier.classify(late);
    const fresh = new LearnedModel(run.model.data).read(late, lateRules);
    const filled = model.read(late, lateRules);
    expect(filled.prediction).toEqual(fresh.prediction);
    expect(filled.explain()).toEqual(fresh.explain());
  });

  it('trains the same model from the same rows and seed', () => {
    const again = trainModel(makeTickets(40, { seed: 3 }), defaultClassifier, { install, trainedAt, folds: 4, seed: 1 });
    expect(Buffer.from(again.bytes).equals(run.bytes)).toBe(true);
    expect(again.cv.combination.macroF1).toBe(run.cv.combination.macroF1);
  });
});

describe('the stored model', () => {
  it('decodes to a model that predicts exactly as the one encoded', () => {
    const decoded = new LearnedModel(decodeModel(run.bytes, { install }));
    expect(decoded.meta).toEqual(run.model.meta);
    for (const ticket of makeTickets(5, { seed: 99 })) {
      const text = { subject: ticket.subject, description: ticket.body };
      const rules = defaultClassifier.classify(text);
      expect(decoded.predict(text, rules)).toEqual(run.model.predict(text, rules));
    }
    expect(Buffer.from(encodeModel(decoded.data)).equals(run.bytes)).toBe(true);
  });

  it('decodes from a Node Buffer that is a view into a larger one (as fs and Redis hand them out)', () => {
    const view = Buffer.concat([Buffer.alloc(3), Buffer.from(run.bytes)]).subarray(3);
    const decoded = new LearnedModel(decodeModel(view, { install }));
    const ticket = { subject: 'Rechnung doppelt abgebucht', description: 'bitte Erstattung' };
    const rules = defaultClassifier.classify(ticket);
    expect(decoded.predict(ticket, rules)).toEqual(run.model.predict(ticket, rules));
  });

  it('is refused for another install, naming both', () => {
    const refused = (): unknown => decodeModel(run.bytes, { install: { zendesk: 'globex', prefix: 'cxloop' } });
    expect(refused).toThrow(ModelRefusedError);
    expect(refused).toThrow('the model was trained for another install: Zendesk account "acme" (Redis prefix "cxloop"), this is Zendesk account "globex" (Redis prefix "cxloop")');
    expect(() => decodeModel(run.bytes, { install: { zendesk: 'acme', prefix: 'staging' } })).toThrow(/Redis prefix "cxloop"\), this is Zendesk account "acme" \(Redis prefix "staging"\)/);
    expect(() => decodeModel(run.bytes, { install: { zendesk: null, prefix: 'cxloop' } })).toThrow(/this is no Zendesk account/);
  });

  it('is refused for another category set, naming what differs', () => {
    const withRefund = [...CATEGORY_IDS.slice(0, 7), 'refund_request', 'other'];
    let error: unknown;
    try {
      decodeModel(run.bytes, { install, categorySet: withRefund });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ModelRefusedError);
    expect((error as ModelRefusedError).code).toBe('MODEL_CATEGORY_SET');
    expect((error as Error).message).toMatch(/^the model was trained on another category set \(bug_report, .*, other\) than this install's \(.*refund_request, other\): it lacks refund_request; train it again/);
    expect(() => createLearnedClassifier(defaultClassifier, run.bytes, { zendesk: 'other', prefix: 'cxloop' })).toThrow(ModelRefusedError);
  });

  it('is refused when it is not a model, of another format version, or cut short', () => {
    expect(() => decodeModelMeta(new TextEncoder().encode('id,subject,body\n'))).toThrow(/not a cxloop model/);
    // Version 1 weighed TF-IDF per bucket; its weights mean nothing to version 2's units.
    const header = JSON.stringify({ ...run.model.meta, formatVersion: 1 });
    const other = encodeModel({ ...run.model.data, meta: JSON.parse(header) });
    expect(() => decodeModel(other, { install })).toThrow('the model has format version 1, this cxloop reads version 2; train it again with this cxloop (`cxloop train`)');
    expect(() => decodeModel(run.bytes.subarray(0, run.bytes.length - 4), { install })).toThrow(/truncated or damaged/);
  });
});
