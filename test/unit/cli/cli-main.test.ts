import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { fakeIo } from '../../support/fake-io.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('cxloop: help, --version and a mistyped command', () => {
  it('--version prints the version of package.json', async () => {
    const io = fakeIo();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.out()).toBe(`cxloop ${VERSION}\n`);
  });

  it('help lists every command and --version', async () => {
    const io = fakeIo();
    expect(await runCli(['help'], io)).toBe(0);
    for (const command of ['serve', 'demo', 'classify', 'eval', 'config check', 'report', 'install zendesk', 'doctor', 'dead-letters', '--version']) {
      expect(io.out()).toMatch(new RegExp(`^ {2}${command.replace('-', '\\-')}\\b`, 'm'));
    }
  });

  it('a mistyped command gets the one it most likely meant, and exit 2', async () => {
    const io = fakeIo();
    expect(await runCli(['doctr'], io)).toBe(2);
    expect(io.err()).toBe('cxloop: unknown command "doctr" (did you mean "doctor"?)\nRun "cxloop help" for the commands.\n');
    expect(io.out()).toBe('');
  });

  it('an unknown command that resembles none gets the whole help', async () => {
    const io = fakeIo();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(io.err()).toMatch(/^cxloop: unknown command "frobnicate"\n\ncxloop: closed-loop Zendesk \+ Slack ticket routing\n/);
  });

  it('names of Object.prototype are not commands', async () => {
    const io = fakeIo();
    expect(await runCli(['constructor'], io)).toBe(2);
    expect(io.err()).toContain('unknown command "constructor"');
  });
});
