import { describe, expect, it } from 'vitest';
import { tokenizeClauses } from '../../../src/core/classify/tokenize-clauses.js';
import { InvalidTermError, TermMatcher } from '../../../src/core/classify/term-matcher.js';

const matchesOf = (terms: string[], text: string): string[] =>
  new TermMatcher(terms.map((term) => ({ term, payload: term }))).match(tokenizeClauses(text).tokens).map((match) => match.entry.payload);

describe('TermMatcher', () => {
  it.each([
    [['bug'], 'a bug here', ['bug']],
    [['bug'], 'debugging the bugs', []],
    [['bug*'], 'debugging the bugs', ['bug*']],
    [['crash*'], 'it crashed, crashes, crashing', ['crash*', 'crash*', 'crash*']],
    [['*fehler'], 'ein Anmeldefehler', ['*fehler']],
    [['*fehler'], 'Fehlerbericht', []],
    [['*reproduc*'], 'irreproducible', ['*reproduc*']],
    [['stürzt ab'], 'Die App STÜRZT AB', ['stürzt ab']],
    [['stürzt ab'], 'die app sturzt ab', ['stürzt ab']],
    [['błąd*'], 'Wystąpił BŁĄD', ['błąd*']],
    [['ошибк*'], 'Ошибка при входе', ['ошибк*']],
    [['çalışmıyor'], 'UYGULAMA ÇALIŞMIYOR', ['çalışmıyor']],
    [['does not work'], "it doesn't work", ['does not work']],
    [['can not'], 'I cannot log in', ['can not']],
    [['not working'], 'not, working', ['not working']],
    [['steps to reproduce'], 'steps to', []],
  ])('%j in %j -> %j', (terms, text, expected) => {
    expect(matchesOf(terms, text)).toEqual(expected);
  });

  it.each([
    ['meldet mich ab', 0, ['meldet … ab']],
    ['meldet mich ständig ab', 0, ['meldet … ab']],
    ['meldet mich seit dem letzten Update immer ab', 0, ['meldet … ab']],
    ['meldet mich seit dem allerletzten großen Update immer ab', 0, []],
    ['meldet ab', 0, ['meldet … ab']],
    ['sie meldet sich. Ab morgen', 0, []],
    ['hängt sich ständig auf', 1, ['hängt sich … auf']],
    ['hängt ständig sich auf', 1, []],
  ] as const)('a gap: %j', (text, index, expected) => {
    const terms = ['meldet … ab', 'hängt sich … auf'];
    const tokens = tokenizeClauses(text);
    const found = new TermMatcher(terms.map((term) => ({ term, payload: term }))).match(tokens.tokens, undefined, tokens.clauses);
    expect(found.map((match) => match.entry.payload)).toEqual(expected);
    if (expected.length > 0) {
      const [match] = found;
      // The match spans first word to last; `words` names the tokens its own words matched.
      expect(match!.words!.map((at) => tokens.tokens[at])).toEqual(terms[index]!.split(' ').filter((word) => word !== '…').map((word) => word.normalize('NFKD').replace(/\p{M}/gu, '')));
      expect(match!.start + match!.length - 1).toBe(match!.words!.at(-1));
    }
  });

  it('reads a gap written as three dots as "…", and keeps accent-aware matching for gapped terms', () => {
    const matcher = new TermMatcher([{ term: 'fällt ... aus', payload: 'fällt' }]);
    const tokens = tokenizeClauses('Der Server fällt ständig aus');
    expect(matcher.match(tokens.tokens, tokens.written, tokens.clauses).map((match) => match.entry.payload)).toEqual(['fällt']);
    const other = tokenizeClauses('Der Server fallt ständig aus');
    expect(matcher.match(other.tokens, other.written, other.clauses)).toEqual([]);
  });

  it.each([
    ['ab*', /at least 3 letters/],
    ['… ab', /gap/],
    ['meldet …', /gap/],
    ['meldet … … ab', /gap/],
    ['*abcd*', /at least 5 letters/],
    ['bad-term', /letters or digits/],
    ['   ', /empty/],
  ])('rejects %j', (term, message) => {
    expect(() => new TermMatcher([{ term, payload: null }])).toThrow(InvalidTermError);
    expect(() => new TermMatcher([{ term, payload: null }])).toThrow(message);
  });
});
