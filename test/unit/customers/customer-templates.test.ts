import { describe, expect, it } from 'vitest';
import { CUSTOMER_PLACEHOLDERS, CUSTOMER_UPDATE_KINDS } from '../../../src/core/customers/customer-texts.js';
import { fillCustomerTemplate, languageOfLocale, pickCustomerTemplate, unknownPlaceholders } from '../../../src/core/customers/fill-customer-template.js';
import { CUSTOMER_LANGUAGES } from '../../../src/core/customers/texts/index.js';
import { LEXICONS } from '../../../src/core/classify/lexicons/index.js';

const VALUES = { ticket: '42', eta: 'Nov 26, 10:00', next_update: 'Nov 24, 10:10', status_link: 'https://cx.example/status/abc' };

describe('customer comment templates', () => {
  it('has built-in texts for exactly the languages the classifier reads, each comment naming only known placeholders', () => {
    expect(CUSTOMER_LANGUAGES.map((language) => language.code).sort()).toEqual(LEXICONS.map((lexicon) => lexicon.language).sort());
    for (const language of CUSTOMER_LANGUAGES) {
      for (const kind of CUSTOMER_UPDATE_KINDS) {
        const template = language.updates[kind];
        expect(unknownPlaceholders(template), `${language.code}.${kind}`).toEqual([]);
        expect(template, `${language.code}.${kind}`).toContain('{ticket}');
        expect(template, `${language.code}.${kind}`).toContain('{status_link}');
        if (kind !== 'solved') expect(template, `${language.code}.${kind}`).toContain('{eta}');
      }
      expect(Object.keys(language.page.stages).sort()).toEqual(['acknowledged', 'acted', 'closed', 'follow_up', 'routed', 'verified']);
    }
  });

  it('fills placeholders and leaves out a line whose value is missing', () => {
    expect(fillCustomerTemplate('Hi,\n\nOn it: #{ticket}.\nETA {eta}.\nNext by {next_update}.\n{status_link}', { ...VALUES, eta: null, status_link: null })).toBe('Hi,\n\nOn it: #42.\nNext by Nov 24, 10:10.');
  });

  it('keeps braces that are not placeholders as they are', () => {
    expect(fillCustomerTemplate('Code {ERR} for #{ticket}', VALUES)).toBe('Code {ERR} for #42');
    expect(unknownPlaceholders('{eta} {ETA} {due_date}')).toEqual(['ETA', 'due_date']);
    expect(CUSTOMER_PLACEHOLDERS).toEqual(['ticket', 'eta', 'next_update', 'status_link']);
  });

  it.each([
    ['pt-BR', 'pt'],
    ['en-us', 'en'],
    ['de', 'de'],
    ['zh_TW', 'zh'],
    ['', null],
    [null, null],
    ['123', null],
  ])('reads the language of the Zendesk locale %j as %j', (locale, language) => {
    expect(languageOfLocale(locale)).toBe(language);
  });

  it('picks the policy template, else the built-in, else English, and says when it fell back', () => {
    const overrides = { de: { solved: 'Erledigt: #{ticket}' }, ja: { acknowledged: '対応中です #{ticket}' }, en: { revised_eta: 'New ETA {eta}' } };
    expect(pickCustomerTemplate('solved', 'de', overrides)).toEqual({ template: 'Erledigt: #{ticket}', language: 'de', fellBack: false });
    expect(pickCustomerTemplate('acknowledged', 'de', overrides).template).toContain('wir kümmern uns darum');
    expect(pickCustomerTemplate('acknowledged', 'ja', overrides)).toEqual({ template: '対応中です #{ticket}', language: 'ja', fellBack: false });
    expect(pickCustomerTemplate('solved', 'ja', overrides)).toEqual({ template: expect.stringContaining('Your request #{ticket} is solved'), language: 'en', fellBack: true });
    expect(pickCustomerTemplate('revised_eta', 'ja', overrides)).toEqual({ template: 'New ETA {eta}', language: 'en', fellBack: true });
    expect(pickCustomerTemplate('revised_eta', null, {})).toMatchObject({ language: 'en', fellBack: true });
    expect(pickCustomerTemplate('revised_eta', 'en', {})).toMatchObject({ language: 'en', fellBack: false });
  });
});
