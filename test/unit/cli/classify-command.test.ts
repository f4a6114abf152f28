import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { fakeIo } from '../../support/fake-io.js';

describe('cxloop classify', () => {
  it('classifies a text argument and says why', async () => {
    const io = fakeIo();
    expect(await runCli(['classify', 'The app crashes every time I open the settings'], io)).toBe(0);
    expect(io.out()).toMatch(/^category\s+bug_report\s+\(confidence 0\.\d\d\)/m);
    expect(io.out()).toMatch(/^owner\s+engineering\s+#cx-engineering/m);
    expect(io.out()).toMatch(/bug_report\s+term "crash\*" \[en\] in body/);
  });

  it('reads a JSON ticket from stdin and prints JSON with --json', async () => {
    const ticket = { subject: 'Invoice', description: 'Please send the invoice for March again.', priority: 'urgent', tags: ['vip'] };
    const io = fakeIo({ stdin: JSON.stringify(ticket) });
    expect(await runCli(['classify', '--json'], io)).toBe(0);
    const decision = JSON.parse(io.out()) as { category: string; tier: string; tierReasons: string[]; owner: { team: string } };
    expect(decision).toMatchObject({ category: 'billing_issue', tier: 'critical', owner: { team: 'billing' } });
    expect(decision.tierReasons).toContain('Zendesk priority urgent');
  });

  it.each([
    ['not json', /stdin is not valid JSON/],
    ['{"subject": 5}', /subject/],
    ['{"subject": "", "description": ""}', /needs a subject or a description/],
    ['{"subject": "x", "priority": "asap"}', /priority/],
  ])('rejects bad stdin %s with a clear message', async (stdin, message) => {
    const io = fakeIo({ stdin });
    expect(await runCli(['classify'], io)).toBe(2);
    expect(io.err()).toMatch(message);
  });

  it('asks for input when there is none', async () => {
    const io = fakeIo();
    expect(await runCli(['classify'], io)).toBe(2);
    expect(io.err()).toContain('nothing to classify');
  });
});

describe('cxloop (no or unknown command)', () => {
  it('prints help for an unknown command and exits 2', async () => {
    const io = fakeIo();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(io.err()).toContain('unknown command "frobnicate"');
  });

  it('explains an unknown option', async () => {
    const io = fakeIo();
    expect(await runCli(['classify', '--colour', 'x'], io)).toBe(2);
    expect(io.err()).toMatch(/Unknown option '--colour'/);
  });
});
