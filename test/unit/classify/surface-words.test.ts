import { describe, expect, it } from 'vitest';
import { createSurfaceReader } from '../../../src/core/classify/surface-words.js';
import { tokenizeClauses } from '../../../src/core/classify/tokenize-clauses.js';

const readerOf = (text: string) => {
  const tokens = tokenizeClauses(text);
  return { tokens: tokens.tokens, read: createSurfaceReader(text, tokens) };
};

describe('createSurfaceReader', () => {
  it('reads words as written where the normalised text kept its length', () => {
    const { tokens, read } = readerOf('Die Paramètres sont PERDUS');
    expect(read(tokens.indexOf('parametres'), 2)).toBe('paramètres sont');
  });

  it('aligns word by word where normalising changed the length, up to the first word that does not fold one to one', () => {
    // "doesn't" becomes "does not": the words before it align, those after read as the folded tokens.
    const { tokens, read } = readerOf('Exportação FALHA and it doesn\u2019t Sync');
    expect(tokens).toEqual(['exportacao', 'falha', 'and', 'it', 'does', 'not', 'sync']);
    expect(read(0, 2)).toBe('exportação falha');
    expect(read(6, 1)).toBe('sync');
  });

  it('stops aligning at "cannot", which normalises into two tokens', () => {
    const { tokens, read } = readerOf('Größe: CANNOT Save Größe');
    expect(tokens).toEqual(['grosse', 'can', 'not', 'save', 'grosse']);
    expect(read(0, 1)).toBe('größe');
    expect(read(4, 1)).toBe('grosse');
  });
});
