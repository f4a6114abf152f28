import { describe, expect, it } from 'vitest';
import { normalizeText, normalizeWord } from '../../../src/core/classify/normalize-text.js';

describe('normalizeText', () => {
  it.each([
    ["I can't log in", 'i can not log in'],
    ['I CANNOT log in', 'i can not log in'],
    ["It won't open", 'it will not open'],
    ["It doesn't work and isn't fixed", 'it does not work and is not fixed'],
    ['It doesn’t work (curly apostrophe)', 'it does not work (curly apostrophe)'],
    ["I can't and won't; it doesn’t, cannot.", 'i can not and will not; it does not, can not.'],
    ["Cannot: can'tx stays, cannotx stays", "can not: can'tx stays, cannotx stays"],
    ['Doesn t work, can t log in, won t open', 'does not work, can not log in, will not open'],
  ])('expands the contractions of %j', (text, expected) => {
    expect(normalizeText(text)).toBe(expected);
  });

  it('folds diacritics and letters Unicode does not decompose', () => {
    expect(normalizeText('Błąd İptal Straße')).toBe('blad iptal strasse');
  });

  it.each(['Cannot', 'CANNOT', 'cannotx', 'x_cannot', 'Doesn', 't', 'Login42', 'Größe', 'İptal', 'ﬁle', 'paramètres'])('normalizeWord(%j) is normalizeText of the word', (word) => {
    expect(normalizeWord(word)).toBe(normalizeText(word));
  });
});
