import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { decodeModelMeta } from '../../../src/core/learn/model-codec.js';
import { fakeIo } from '../../support/fake-io.js';
import { makeTickets, writeTicketsCsv } from '../../support/labeled-tickets.js';
import { dropPrefix, uniquePrefix } from '../../support/zendesk-fixtures.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('cxloop train and eval --model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cxloop-train-'));
  const csv = join(dir, 'labelled.csv');
  const heldOut = join(dir, 'held-out.csv');
  const modelFile = join(dir, 'model.cxm');
  const prefix = uniquePrefix();
  const env = { REDIS_URL, CXLOOP_REDIS_PREFIX: prefix };
  let redis: Redis;
  let train: { code: number; out: string; err: string };

  beforeAll(async () => {
    writeTicketsCsv(csv, makeTickets(30, { seed: 11 }));
    writeTicketsCsv(heldOut, makeTickets(10, { seed: 12 }));
    redis = new Redis(REDIS_URL);
    // Two agents' corrections: one with the ticket's text (a training row), one recorded without.
    await redis.xadd(`${prefix}:corrections`, '*', 'ticket', '9001', 'field', 'category', 'from', 'bug_report', 'to', 'content_communication', 'actor', '5', 'at', '2026-12-01T10:00:00.000Z', 'subject', 'zorblat kwix', 'body', 'blorp wording in the kwix digest');
    await redis.xadd(`${prefix}:corrections`, '*', 'ticket', '9002', 'field', 'category', 'from', 'bug_report', 'to', 'billing_issue', 'actor', '5', 'at', '2026-12-01T10:00:00.000Z');
    const io = fakeIo({ env });
    const code = await runCli(['train', csv, '--out', modelFile, '--folds', '3'], io);
    train = { code, out: io.out(), err: io.err() };
  }, 120_000);

  afterAll(async () => {
    redis.disconnect();
    await dropPrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints rules, model and combination figures from cross-validation, and what it turned on', () => {
    expect(train.err).toContain('1 agent corrections from');
    expect(train.err).toContain('1 without text and 0 naming no category skipped');
    expect(train.err).toContain('learning from 121 rows: bug_report 30, billing_issue 30, feature_request 30, content_communication 31');
    expect(train.err).toContain('fold 3/3 done');
    expect(train.out).toMatch(/^== 3-fold cross-validation \(stratified, seed 1\) on labelled\.csv, 1 corrections: 121 rows\n {24} {8}rules {8}model {2}combination {2}support\nmacro-F1 +[01]\.\d{3} +[01]\.\d{3} +[01]\.\d{3}\n/);
    for (const category of ['bug_report', 'billing_issue', 'feature_request', 'content_communication']) expect(train.out).toMatch(new RegExp(`\\n  ${category} +[01]\\.\\d{3} +[01]\\.\\d{3} +[01]\\.\\d{3} +3[01]\\n`));
    expect(train.out).toMatch(/\nCombination: (on for [a-z_, ]+: the model decides when it is at least 0\.\d\d sure|off: the rules decide every ticket)/);
    expect(train.out).toContain(`Written to ${modelFile}.`);
    expect(train.out).toContain(`Stored in Redis as ${prefix}:model (version `);
    expect(train.code).toBe(0);
  });

  it('stores the same model in Redis and in the file, for this install', async () => {
    const file = readFileSync(modelFile);
    expect((await redis.getBuffer(`${prefix}:model`))?.equals(file)).toBe(true);
    const meta = decodeModelMeta(file);
    expect(meta).toMatchObject({ rows: 121, install: { zendesk: null, prefix }, examples: { content_communication: 31 } });
    expect(await redis.get(`${prefix}:model:version`)).toBe(meta.fingerprint);
  });

  it('with --if-better, keeps the stored model when the combination does not beat the rules', async () => {
    const before = await redis.getBuffer(`${prefix}:model`);
    // Ten tickets per category: fewer than the model needs to decide any (MIN_EXAMPLES), so the combination stays off.
    const few = join(dir, 'few.csv');
    writeTicketsCsv(few, makeTickets(10, { seed: 4, categories: ['billing_issue', 'bug_report'] }));
    const io = fakeIo({ env });
    expect(await runCli(['train', few, '--if-better', '--no-corrections', '--json'], io)).toBe(0);
    const result = JSON.parse(io.out()) as { stored: boolean; meta: { combination: { categories: string[] } }; kept: string[] };
    expect(result.meta.combination.categories).toEqual([]);
    expect(result.stored).toBe(false);
    expect(result.kept).toEqual(['not stored in Redis (--if-better): the combination does not beat the rules, so the stored model stays as it was']);
    expect((await redis.getBuffer(`${prefix}:model`))?.equals(before!)).toBe(true);
  });

  it('measures the model and the combination the way eval measures the rules', async () => {
    const io = fakeIo({ env });
    expect(await runCli(['eval', '--model', modelFile, heldOut], io)).toBe(0);
    expect(io.out()).toMatch(/^model model\.cxm: trained \d{4}-\d\d-\d\dT[\d:.]+Z on 121 rows \(bug_report 30, billing_issue 30, feature_request 30, content_communication 31\); combination /);
    expect(io.out()).toMatch(/\n== held-out\.csv: 40 rows\n {24} {8}rules {8}model {2}combination {2}support\nmacro-F1 +[01]\.\d{3} +[01]\.\d{3} +[01]\.\d{3}\n/);
    expect(io.out()).toContain('== held-out.csv: the combination: 40 rows');
    expect(io.out()).toContain('confusion matrix (rows: gold, columns: predicted)');
    const json = fakeIo({ env });
    expect(await runCli(['eval', '--model', modelFile, heldOut, '--json'], json)).toBe(0);
    const report = JSON.parse(json.out()) as { files: Array<{ compared: Record<'rules' | 'model' | 'combination', { rows: number; macroF1: number }> }> };
    expect(report.files[0]!.compared.model.rows).toBe(40);
    // The jargon category no lexicon knows: the model gets it, the rules cannot.
    expect(report.files[0]!.compared.model.macroF1).toBeGreaterThan(report.files[0]!.compared.rules.macroF1);
  });

  it("refuses the model in another install's environment, naming both installs", async () => {
    const io = fakeIo({ env: { ...env, CXLOOP_REDIS_PREFIX: 'another-install' } });
    expect(await runCli(['eval', '--model', modelFile, heldOut], io)).toBe(1);
    expect(io.err()).toBe(`cxloop eval: ${modelFile}: the model was trained for another install: no Zendesk account (Redis prefix "${prefix}"), this is no Zendesk account (Redis prefix "another-install"); a model learns one account's tickets, so train one here with \`cxloop train\`\n`);
  });

  it('says what is wrong with too little data', async () => {
    const tiny = join(dir, 'tiny.csv');
    writeTicketsCsv(tiny, makeTickets(3, { seed: 1, categories: ['bug_report'] }));
    const io = fakeIo({ env });
    expect(await runCli(['train', tiny, '--no-store', '--no-corrections'], io)).toBe(1);
    expect(io.err()).toContain('cxloop train: a model needs labelled tickets of at least two categories; these rows have only bug_report');
  });
});
