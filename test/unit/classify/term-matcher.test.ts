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
    ['ab*', /at least 3 letters/],
    ['*abcd*', /at least 5 letters/],
    ['bad-term', /letters or digits/],
    ['   ', /empty/],
  ])('rejects %j', (term, message) => {
    expect(() => new TermMatcher([{ term, payload: null }])).toThrow(InvalidTermError);
    expect(() => new TermMatcher([{ term, payload: null }])).toThrow(message);
  });
});
