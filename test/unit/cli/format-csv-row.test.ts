import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCsvRow } from '../../../src/cli/format-csv-row.js';
import { readLabeledCsv } from '../../../src/cli/read-labeled-csv.js';

describe('formatCsvRow', () => {
  it('quotes only what needs it', () => {
    expect(formatCsvRow(['1', 'plain', 'a, b', 'say "hi"', ' padded', 'two\nlines'])).toBe('1,plain,"a, b","say ""hi"""," padded","two\nlines"\n');
  });

  it('writes rows cxloop eval reads back as they were, customer text of any shape included', async () => {
    const rows = [
      ['1', 'Charged twice, again', 'Line one\r\nLine "two", with a comma\n\n  indented', 'de', 'billing_issue'],
      ['2', '=HYPERLINK("x")', 'Ünïcödé · 日本語 · emoji 🎉', '', 'other'],
      ['3', '', 'only a body', 'pt', 'onboarding_help'],
    ];
    const file = join(mkdtempSync(join(tmpdir(), 'cxloop-csv-')), 'rows.csv');
    writeFileSync(file, [formatCsvRow(['id', 'subject', 'body', 'language', 'category']), ...rows.map(formatCsvRow)].join(''));
    const read = await readLabeledCsv(file);
    expect(read.problems).toEqual([]);
    expect(read.rows.map((row) => [row.id, row.subject, row.body, row.language === 'unknown' ? '' : row.language, row.category])).toEqual(rows);
  });
});
