import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../src/config/env-schema.js';

const LIVE = {
  ZENDESK_SUBDOMAIN: 'acme',
  ZENDESK_EMAIL: 'bot@acme.test',
  ZENDESK_API_TOKEN: 'zd-token',
  ZENDESK_WEBHOOK_SECRET: 'whsec',
  SLACK_BOT_TOKEN: 'xoxb-1-2-3',
  SLACK_SIGNING_SECRET: 'slack-secret',
};

describe('parseEnv', () => {
  it('applies the documented defaults to an empty environment', () => {
    const result = parseEnv({});
    expect(result).toEqual({
      ok: true,
      env: {
        PORT: 3000,
        REDIS_URL: 'redis://127.0.0.1:6379',
        CXLOOP_REDIS_PREFIX: 'cxloop',
        LOG_LEVEL: 'info',
        CXLOOP_DRY_RUN_LOG: '.cxloop/dry-run.jsonl',
        CXLOOP_DASHBOARD_SESSION: 8 * 3_600_000,
        ZENDESK_WEBHOOK_MAX_AGE: 300_000,
        ZENDESK_WEBHOOK_MAX_BYTES: 262_144,
        ZENDESK_UPDATES_PER_MINUTE: 100,
        ZENDESK_RECONCILE_EVERY: 600_000,
        ZENDESK_READS_PER_MINUTE: 100,
        ZENDESK_EXPORTS_PER_MINUTE: 10,
        CXLOOP_TRAIN_EVERY: null,
      },
    });
  });

  it('takes the training schedule as off or a duration of a day or more, with the Zendesk account it reads', () => {
    const account = { ZENDESK_SUBDOMAIN: 'acme', ZENDESK_OAUTH_CLIENT_ID: 'id', ZENDESK_OAUTH_CLIENT_SECRET: 'secret' };
    expect(parseEnv({ ...account, CXLOOP_TRAIN_EVERY: '7d' })).toMatchObject({ ok: true, env: { CXLOOP_TRAIN_EVERY: 7 * 86_400_000 } });
    expect(parseEnv({ ...account, CXLOOP_TRAIN_EVERY: 'off' })).toMatchObject({ ok: true, env: { CXLOOP_TRAIN_EVERY: null } });
    expect(parseEnv({ CXLOOP_TRAIN_EVERY: 'off' })).toMatchObject({ ok: true, env: { CXLOOP_TRAIN_EVERY: null } });
    expect(parseEnv({ ...account, CXLOOP_TRAIN_EVERY: '2h' })).toEqual({
      ok: false,
      problems: [{ path: 'CXLOOP_TRAIN_EVERY', message: 'must be "off" or a duration of at least 1d, e.g. 7d (how often cxloop trains on the account\'s tickets)' }],
    });
    expect(parseEnv({ ...account, CXLOOP_TRAIN_EVERY: 'weekly' })).toMatchObject({ ok: false, problems: [{ path: 'CXLOOP_TRAIN_EVERY', message: expect.stringMatching(/^must be "off" or a duration of at least 1d, e\.g\. 7d .*: invalid duration "weekly"/) }] });
    expect(parseEnv({ CXLOOP_TRAIN_EVERY: '7d' })).toEqual({
      ok: false,
      problems: [{ path: 'CXLOOP_TRAIN_EVERY', message: "needs the Zendesk account it learns from: set ZENDESK_SUBDOMAIN, ZENDESK_OAUTH_CLIENT_ID and ZENDESK_OAUTH_CLIENT_SECRET (an admin's OAuth client reads the incremental export), or leave it unset" }],
    });
    expect(parseEnv({ ...account, ZENDESK_READS_PER_MINUTE: '0', CXLOOP_TRAIN_EVERY: '7d' })).toMatchObject({ ok: false, problems: [{ path: 'CXLOOP_TRAIN_EVERY', message: expect.stringContaining('ZENDESK_READS_PER_MINUTE is 0') }] });
  });

  it("takes the training export's pace up to the High Volume API's 30 a minute, and names a bad one", () => {
    expect(parseEnv({ ZENDESK_EXPORTS_PER_MINUTE: '30' })).toMatchObject({ ok: true, env: { ZENDESK_EXPORTS_PER_MINUTE: 30 } });
    expect(parseEnv({ ZENDESK_EXPORTS_PER_MINUTE: '31' })).toMatchObject({ ok: false, problems: [{ path: 'ZENDESK_EXPORTS_PER_MINUTE' }] });
    expect(parseEnv({ ZENDESK_EXPORTS_PER_MINUTE: '0' })).toMatchObject({ ok: false, problems: [{ path: 'ZENDESK_EXPORTS_PER_MINUTE' }] });
  });

  it('takes Sign in with Slack as three keys with the public URL, and names what is missing', () => {
    const oidc = { SLACK_CLIENT_ID: '111.222', SLACK_CLIENT_SECRET: 's', SLACK_TEAM_ID: 'T0INSTALL' };
    expect(parseEnv({ ...oidc, CXLOOP_PUBLIC_URL: 'https://cx.example.test' })).toMatchObject({ ok: true, env: oidc });
    expect(parseEnv({ SLACK_CLIENT_ID: '111.222', CXLOOP_PUBLIC_URL: 'https://cx.example.test' })).toMatchObject({ ok: false, problems: [{ path: 'SLACK_CLIENT_SECRET' }, { path: 'SLACK_TEAM_ID' }] });
    expect(parseEnv(oidc)).toMatchObject({ ok: false, problems: [{ path: 'CXLOOP_PUBLIC_URL' }] });
    expect(parseEnv({ ...oidc, SLACK_TEAM_ID: 'acme', CXLOOP_PUBLIC_URL: 'https://cx.example.test' })).toMatchObject({ ok: false, problems: [{ path: 'SLACK_TEAM_ID' }] });
  });

  it('takes the optional-read budget, 0 turning the reads off, and names a bad one', () => {
    expect(parseEnv({ ZENDESK_READS_PER_MINUTE: '0' })).toMatchObject({ ok: true, env: { ZENDESK_READS_PER_MINUTE: 0 } });
    expect(parseEnv({ ZENDESK_READS_PER_MINUTE: 'lots' })).toMatchObject({ ok: false, problems: [{ path: 'ZENDESK_READS_PER_MINUTE' }] });
  });

  it('parses ingest and routing limits, naming the bad key', () => {
    const parsed = parseEnv({ ZENDESK_WEBHOOK_MAX_AGE: '2m', ZENDESK_UPDATES_PER_MINUTE: '300' });
    expect(parsed).toMatchObject({ ok: true, env: { ZENDESK_WEBHOOK_MAX_AGE: 120_000, ZENDESK_UPDATES_PER_MINUTE: 300 } });
    const bad = parseEnv({ ZENDESK_RECONCILE_EVERY: 'soon', ZENDESK_WEBHOOK_MAX_BYTES: '0', CXLOOP_REDIS_PREFIX: 'a:b' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((problem) => problem.path).sort()).toEqual(['CXLOOP_REDIS_PREFIX', 'ZENDESK_RECONCILE_EVERY', 'ZENDESK_WEBHOOK_MAX_BYTES']);
  });

  it('returns a frozen object', () => {
    const result = parseEnv(LIVE);
    expect(result.ok && Object.isFrozen(result.env)).toBe(true);
  });

  it('treats blank values as unset', () => {
    expect(parseEnv({ PORT: '  ', ZENDESK_SUBDOMAIN: '' })).toMatchObject({ ok: true, env: { PORT: 3000 } });
  });

  it('parses booleans strictly ("false" stays false)', () => {
    expect(parseEnv({ CXLOOP_DRY_RUN: 'false' })).toMatchObject({ ok: true, env: { CXLOOP_DRY_RUN: false } });
    expect(parseEnv({ CXLOOP_DRY_RUN: 'true' })).toMatchObject({ ok: true, env: { CXLOOP_DRY_RUN: true } });
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['REDIS_URL', { REDIS_URL: 'http://localhost:6379' }],
    ['CXLOOP_DRY_RUN', { CXLOOP_DRY_RUN: 'maybe' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }],
    ['ZENDESK_SUBDOMAIN', { ...LIVE, ZENDESK_SUBDOMAIN: 'acme.zendesk.com' }],
    ['ZENDESK_EMAIL', { ...LIVE, ZENDESK_EMAIL: 'not-an-email' }],
    ['ZENDESK_API_URL', { ZENDESK_API_URL: 'ftp://fake' }],
    ['SLACK_BOT_TOKEN', { ...LIVE, SLACK_BOT_TOKEN: 'xoxp-user-token' }],
    ['SLACK_API_URL', { SLACK_API_URL: 'not a url' }],
    ['ZENDESK_API_TOKEN', { ZENDESK_SUBDOMAIN: 'acme', ZENDESK_EMAIL: 'bot@acme.test' }],
    ['SLACK_SIGNING_SECRET', { SLACK_BOT_TOKEN: 'xoxb-1' }],
  ])('names %s when it is invalid', (key, env) => {
    const result = parseEnv(env);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((problem) => problem.path)).toContain(key);
  });

  it('never echoes a value in its messages', () => {
    const result = parseEnv({ ...LIVE, SLACK_BOT_TOKEN: 'super-secret-value' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(JSON.stringify(result.problems)).not.toContain('super-secret-value');
  });
});
