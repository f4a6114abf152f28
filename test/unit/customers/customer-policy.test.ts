import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { missingCustomerTranslations } from '../../../src/config/describe-customer-languages.js';
import { DEFAULT_POLICY_PATH, parsePolicyText } from '../../../src/config/load-policy.js';
import { fakeIo } from '../../support/fake-io.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const shipped = readFileSync(DEFAULT_POLICY_PATH, 'utf8');
const withCustomers = (block: string) => shipped.replace(/\ncustomers:\n[\s\S]*$/, `\ncustomers:\n${block}`);

describe('customers in the policy', () => {
  it('ships off: no tier and no category opted in, the status page on, 7 days after the loop ends', () => {
    const parsed = parsePolicyText(shipped);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(parsed.policy.customers).toEqual({
      updates: { tiers: [], categories: [], on: ['acknowledged', 'revised_eta', 'solved'], quiet_tag: 'cxloop_quiet', time_zone: 'UTC', templates: {} },
      status_page: { enabled: true, expires_after: 7 * 24 * 60, requests_per_minute: 30 },
    });
  });

  it('names the key of a template with an unknown placeholder, an unknown tier and a bad time zone', () => {
    const parsed = parsePolicyText(withCustomers('  updates:\n    tiers: [urgent]\n    time_zone: Mars/Olympus\n    templates:\n      de:\n        solved: "Erledigt bis {ETA}"\n'));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((problem) => problem.path)).toEqual(expect.arrayContaining(['customers.updates.tiers.0', 'customers.updates.time_zone', 'customers.updates.templates.de.solved']));
    expect(parsed.problems.find((problem) => problem.path === 'customers.updates.templates.de.solved')?.message).toContain('names {ETA}; the placeholders are {ticket}, {eta}, {next_update}, {status_link}');
  });

  it('lists the comments of a policy language that fall back to English', () => {
    const parsed = parsePolicyText(withCustomers('  updates:\n    templates:\n      ja:\n        acknowledged: "対応中です #{ticket}"\n      de:\n        solved: "Erledigt: #{ticket}"\n'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    // German has built-in texts for the rest; Japanese has none.
    expect(missingCustomerTranslations(parsed.policy)).toEqual(['customers.updates.templates.ja: no revised_eta, solved; requesters in ja get those in English']);
  });

  it('config check says whether updates are on and lists the missing translations', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cxloop-policy-')), 'policy.yaml');
    writeFileSync(file, withCustomers('  updates:\n    tiers: [critical, high]\n    categories: [bug_report]\n    templates:\n      ja:\n        acknowledged: "対応中です #{ticket}"\n'));
    const io = fakeIo({ env: {} });
    expect(await runCli(['config', 'check', file], io)).toBe(0);
    expect(io.out()).toContain('customer updates: on for tiers critical, high x categories bug_report, in en de es fr pt it nl tr ru pl cs ja (other languages: English)');
    expect(io.out()).toContain('missing translation: customers.updates.templates.ja: no revised_eta, solved; requesters in ja get those in English');
    const shippedIo = fakeIo({ env: {} });
    expect(await runCli(['config', 'check'], shippedIo)).toBe(0);
    expect(shippedIo.out()).toContain('customer updates: off (customers.updates lists no tier or no category)');
  });
});
