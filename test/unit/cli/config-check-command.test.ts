import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { DEFAULT_POLICY_PATH } from '../../../src/config/load-policy.js';
import { fakeIo } from '../../support/fake-io.js';

const dir = mkdtempSync(join(tmpdir(), 'cxloop-config-'));

describe('cxloop config check', () => {
  it('accepts the shipped policy', async () => {
    const io = fakeIo();
    expect(await runCli(['config', 'check'], io)).toBe(0);
    expect(io.out()).toContain(`policy ok: ${DEFAULT_POLICY_PATH} (8 categories, 7 teams)`);
  });

  it('prints every problem with its key path and exits 1', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      readFileSync(DEFAULT_POLICY_PATH, 'utf8').replace(/threshold: [0-9.]+/, 'threshold: 3').replace('remind: 2d, breach: 5d', 'remind: 2x, breach: 5d'),
    );
    const io = fakeIo();
    expect(await runCli(['config', 'check', file], io)).toBe(1);
    expect(io.err()).toContain(`policy invalid: ${file}`);
    expect(io.err()).toMatch(/^ {2}classifier\.threshold: /m);
    expect(io.err()).toMatch(/^ {2}categories\.feature_request\.acknowledge\.remind: invalid duration "2x"/m);
  });

  it('reports a schema error, a typo with the key it meant, and an unknown team with the team it meant, all in one run', async () => {
    const file = join(dir, 'typos.yaml');
    writeFileSync(
      file,
      readFileSync(DEFAULT_POLICY_PATH, 'utf8').replace(/threshold: [0-9.]+/, 'threshold: 3').replace('escalation:', 'escalaton:').replace('team: billing', 'team: biling'),
    );
    const io = fakeIo();
    expect(await runCli(['config', 'check', file], io)).toBe(1);
    expect(io.err()).toMatch(/^ {2}classifier\.threshold: /m);
    expect(io.err()).toMatch(/^ {2}teams\.support: unknown key "escalaton" \(did you mean "escalation"\?\)$/m);
    expect(io.err()).toMatch(/^ {2}teams\.support\.escalation: is missing \(expected object\)$/m);
    expect(io.err()).toMatch(/^ {2}categories\.billing_issue\.team: team "biling" is not defined under teams \(defined: .*\); did you mean "billing"\?$/m);
  });

  it('checks the policy named by CXLOOP_CONFIG, and the environment', async () => {
    const io = fakeIo({ env: { CXLOOP_CONFIG: join(dir, 'missing.yaml'), PORT: 'abc' } });
    expect(await runCli(['config', 'check'], io)).toBe(1);
    expect(io.err()).toContain('missing.yaml: file not found');
    expect(io.err()).toMatch(/environment invalid:\n {2}PORT: /);
  });
});
