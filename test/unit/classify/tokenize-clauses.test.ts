import { describe, expect, it } from 'vitest';
import { tokenizeClauses } from '../../../src/core/classify/tokenize-clauses.js';

describe('tokenizeClauses: tokens as written', () => {
  it.each([
    ['Das ist schön', [undefined, undefined, 'schön']],
    ['Größe ok', ['grösse', undefined]],
    // A letter and a combining accent, composed as written.
    ['cafe\u0301 closed', ['café', undefined]],
    // Compatibility forms fold into Latin letters too.
    ['ﬁle Ａpp', ['ﬁle', 'ａpp']],
    ['𝐛𝐮𝐠 here', ['𝐛𝐮𝐠', undefined]],
  ])('keeps the written form of %j where folding changed a Latin token', (text, written) => {
    expect(tokenizeClauses(text).written).toEqual(written);
  });

  it.each([
    'It doesn’t work — at all 🙂',
    '“Quoted” – and… ★★★★★',
    'Ошибка при входе',
    '无法登录',
  ])('has none when no character folds into a Latin letter: %j', (text) => {
    expect(tokenizeClauses(text).written).toBeUndefined();
  });
});
