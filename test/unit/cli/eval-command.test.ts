import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { fakeIo } from '../../support/fake-io.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));

describe('cxloop eval', () => {
  it('prints per-category figures, macro-F1, a confusion matrix and a per-language table', async () => {
    const io = fakeIo();
    expect(await runCli(['eval', fixture('labeled-small.csv')], io)).toBe(0);
    const out = io.out();
    expect(out).toContain('== labeled-small.csv: 7 rows, 3 skipped');
    expect(out).toMatch(/^bug_report\s+\d\.\d{3}\s+\d\.\d{3}\s+\d\.\d{3}\s+1\s+\d+$/m);
    expect(out).toMatch(/macro-F1 \d\.\d{3} over 7 categories present/);
    expect(out).toContain('confusion matrix (rows: gold, columns: predicted)');
    expect(out).toMatch(/^de\s+1\s/m);
    expect(out).toMatch(/^es\s+1\s/m);
  });

  it('reports each malformed row with its line number on stderr and skips it', async () => {
    const io = fakeIo();
    await runCli(['eval', fixture('labeled-small.csv')], io);
    expect(io.err()).toContain('labeled-small.csv:9: skipped row: expected 5 fields, found 6');
    expect(io.err()).toContain('labeled-small.csv:10: skipped row: unknown category "not_a_category"');
    expect(io.err()).toContain('labeled-small.csv:11: skipped row: subject and body are both empty');
  });

  it('prints the same figures as JSON with --json', async () => {
    const io = fakeIo();
    expect(await runCli(['eval', '--json', fixture('labeled-small.csv')], io)).toBe(0);
    const report = JSON.parse(io.out()) as { files: Array<{ skipped: unknown[]; evaluation: { rows: number; macroF1: number; confusion: Record<string, Record<string, number>> } }> };
    expect(report.files).toHaveLength(1);
    expect(report.files[0]!.evaluation.rows).toBe(7);
    expect(report.files[0]!.skipped).toHaveLength(3);
    const total = Object.values(report.files[0]!.evaluation.confusion).flatMap((row) => Object.values(row)).reduce((a, b) => a + b, 0);
    expect(total).toBe(7);
  });

  it('adds a combined table for several files', async () => {
    const io = fakeIo();
    await runCli(['eval', fixture('labeled-small.csv'), fixture('labeled-small.csv')], io);
    expect(io.out()).toContain('== all 2 files: 14 rows');
  });

  it('fails clearly on a missing file', async () => {
    const io = fakeIo();
    expect(await runCli(['eval', '/nonexistent/data.csv'], io)).toBe(1);
    expect(io.err()).toBe('cxloop eval: /nonexistent/data.csv: file not found or not readable\n');
  });

  it('fails clearly on a missing column', async () => {
    const io = fakeIo();
    expect(await runCli(['eval', fixture('no-category-column.csv')], io)).toBe(1);
    expect(io.err()).toMatch(/missing column\(s\) category; expected a header like id,subject,body,language,category/);
    expect(io.err()).not.toMatch(/\n\s+at /);
  });

  it('asks for a file when none is given', async () => {
    const io = fakeIo();
    expect(await runCli(['eval'], io)).toBe(2);
    expect(io.err()).toContain('no CSV file given');
  });
});
