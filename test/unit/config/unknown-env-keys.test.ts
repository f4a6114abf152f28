import { describe, expect, it } from 'vitest';
import { checkEnvironment } from '../../../src/cli/commands/doctor/check-environment.js';
import { runDoctorChecks } from '../../../src/cli/commands/doctor/run-doctor-checks.js';
import { runCli } from '../../../src/cli/main.js';
import { parseEnv } from '../../../src/config/env-schema.js';
import { describeUnknownEnvKey, findUnknownEnvKeys } from '../../../src/config/find-unknown-env-keys.js';
import { fakeIo } from '../../support/fake-io.js';

describe('CXLOOP_*, ZENDESK_* and SLACK_* variables cxloop does not read', () => {
  it('are found by name, with the known key a typo most likely meant; other names are not its business', () => {
    const source = { SLACK_TOKEN: 'xoxb-secret', ZENDESK_SUBDOMIAN: 'acme', CXLOOP_FOO: '1', SLACK_BOT_TOKEN: 'xoxb-1', PATH: '/bin', HOME: '/root', slack_signing_secret: 's' };
    expect(findUnknownEnvKeys(source)).toEqual([
      { key: 'CXLOOP_FOO', suggestion: null },
      { key: 'SLACK_TOKEN', suggestion: 'SLACK_BOT_TOKEN' },
      { key: 'ZENDESK_SUBDOMIAN', suggestion: 'ZENDESK_SUBDOMAIN' },
      { key: 'slack_signing_secret', suggestion: 'SLACK_SIGNING_SECRET' },
    ]);
    expect(describeUnknownEnvKey({ key: 'SLACK_TOKEN', suggestion: 'SLACK_BOT_TOKEN' })).toBe('SLACK_TOKEN is not a cxloop variable and is ignored (did you mean SLACK_BOT_TOKEN?)');
  });

  it('config check warns of each on stderr, never printing a value, and still exits 0 when all else is valid', async () => {
    const io = fakeIo({ env: { SLACK_TOKEN: 'xoxb-secret-value' } });
    expect(await runCli(['config', 'check'], io)).toBe(0);
    expect(io.out()).toContain('environment ok\n');
    expect(io.err()).toBe('warning: SLACK_TOKEN is not a cxloop variable and is ignored (did you mean SLACK_BOT_TOKEN?)\n');
    expect(io.out() + io.err()).not.toContain('xoxb-secret-value');
  });

  it("doctor's env line warns of them, with what to do", () => {
    const parsed = parseEnv({ SLACK_TOKEN: 'xoxb-secret-value' });
    const result = checkEnvironment(parsed, findUnknownEnvKeys({ SLACK_TOKEN: 'xoxb-secret-value' }));
    expect(result).toEqual({
      name: 'env',
      status: 'warn',
      detail: 'valid (REDIS_URL redis://127.0.0.1:6379, prefix cxloop, port 3000); SLACK_TOKEN is not a cxloop variable and is ignored (did you mean SLACK_BOT_TOKEN?)',
      fix: 'rename or remove these variables in .env or the environment (.env.example lists every key cxloop reads)',
    });
    expect(checkEnvironment(parsed, [])).toMatchObject({ status: 'ok' });
  });

  it('doctor names them beside the invalid keys of an invalid environment', async () => {
    const results = await runDoctorChecks({ PORT: 'eighty', ZENDESK_TOKEN: 'x' });
    const env = results.find((result) => result.name === 'env');
    expect(env).toMatchObject({ status: 'fail', detail: expect.stringContaining('PORT must be a number; ZENDESK_TOKEN is not a cxloop variable and is ignored (did you mean ZENDESK_API_TOKEN?)') });
  });
});
