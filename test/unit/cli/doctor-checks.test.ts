import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkMode } from '../../../src/cli/commands/doctor/check-mode.js';
import { checkPolicyAccess, checkPolicyGroups, checkPolicySlack } from '../../../src/cli/commands/doctor/check-policy.js';
import { compareVersions, judgeRedisServer, parseInfo } from '../../../src/cli/commands/doctor/check-redis.js';
import { readManifestBotScopes } from '../../../src/cli/commands/doctor/read-manifest-bot-scopes.js';
import { checkWebhookSecret } from '../../../src/cli/commands/doctor/check-webhook-secret.js';
import type { DoctorResult } from '../../../src/cli/commands/doctor/doctor-result.js';
import { doctorReportJson, formatDoctorReport } from '../../../src/cli/commands/doctor/format-doctor-report.js';
import { parseEnv, type Env } from '../../../src/config/env-schema.js';
import { DEFAULT_POLICY_PATH, parsePolicyText } from '../../../src/config/load-policy.js';
import type { Policy } from '../../../src/config/policy-schema.js';
import { readManifestYaml } from '../../support/slack-manifest.js';

const ZENDESK = { ZENDESK_SUBDOMAIN: 'acme', ZENDESK_EMAIL: 'cxloop@acme.test', ZENDESK_API_TOKEN: 'zd-token' };
const SLACK = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'signing' };

function envOf(values: Record<string, string>): Env {
  const parsed = parseEnv(values);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.env;
}

function shippedPolicy(): Policy {
  const parsed = parsePolicyText(readFileSync(DEFAULT_POLICY_PATH, 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return structuredClone(parsed.policy);
}

describe('doctor: Redis version and eviction policy', () => {
  it.each([
    ['7.0.15', 'noeviction', 'ok', 'redis://h:6379, Redis 7.0.15, noeviction'],
    ['6.2.0', 'noeviction', 'ok', 'redis://h:6379, Redis 6.2.0, noeviction'],
    ['6.0.16', 'noeviction', 'warn', 'redis://h:6379, Redis 6.0.16, noeviction; BullMQ 6 recommends Redis 6.2.0 or later'],
    ['4.0.14', 'noeviction', 'fail', 'redis://h:6379, Redis 4.0.14, noeviction; BullMQ 6 needs Redis 5.0.0 or later'],
    ['7.2.4', 'allkeys-lru', 'warn', expect.stringContaining('allkeys-lru; maxmemory-policy must be noeviction for BullMQ')],
    ['4.0.14', 'volatile-lru', 'fail', expect.stringContaining('BullMQ 6 needs Redis 5.0.0 or later; maxmemory-policy must be noeviction')],
  ] as const)('Redis %s with %s: %s', (version, policy, status, detail) => {
    const result = judgeRedisServer('redis://h:6379', { redis_version: version, maxmemory_policy: policy });
    expect(result).toMatchObject({ name: 'redis', status, detail });
    if (policy !== 'noeviction') expect(result.fix).toContain('CONFIG SET maxmemory-policy noeviction');
    if (status === 'ok') expect(result.fix).toBeUndefined();
  });

  it.each([
    ['1', 'everysec', 'ok', 'redis://h:6379, Redis 7.0.15, noeviction'],
    ['1', 'always', 'ok', 'redis://h:6379, Redis 7.0.15, noeviction'],
    ['1', undefined, 'ok', 'redis://h:6379, Redis 7.0.15, noeviction'],
    ['1', 'no', 'warn', expect.stringContaining('noeviction; appendfsync no: the operating system decides')],
    ['0', undefined, 'warn', 'redis://h:6379, Redis 7.0.15, noeviction; persistence is off (appendonly no): a restart loses accepted webhooks, queued routing writes and loop state'],
  ] as const)('aof_enabled %s, appendfsync %s (undefined: CONFIG refused): %s', (aof, fsync, status, detail) => {
    const result = judgeRedisServer('redis://h:6379', { redis_version: '7.0.15', maxmemory_policy: 'noeviction', aof_enabled: aof }, fsync);
    expect(result).toMatchObject({ name: 'redis', status, detail });
    if (status === 'ok') expect(result.fix).toBeUndefined();
    else expect(result.fix).toContain('appendfsync everysec');
  });

  it('warns, not fails, when INFO does not say', () => {
    expect(judgeRedisServer('redis://h:6379', {})).toMatchObject({ status: 'warn', detail: expect.stringContaining('cannot read the Redis version from INFO') });
  });

  it.each([
    ['7.0.15', '6.2.0', 1],
    ['6.2.0', '6.2.0', 0],
    ['6.2', '6.2.0', 0],
    ['6.0.20', '6.2.0', -1],
    ['10.0.0', '6.2.0', 1],
  ])('compareVersions(%s, %s) = %i', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });

  it('reads INFO sections into one record', () => {
    expect(parseInfo('# Server\r\nredis_version:7.0.15\r\nos:Linux 6.1\r\n\r\n# Memory\r\nmaxmemory_policy:noeviction\r\n')).toEqual({
      redis_version: '7.0.15',
      os: 'Linux 6.1',
      maxmemory_policy: 'noeviction',
    });
  });
});

describe('doctor: dry-run or live, and why', () => {
  it.each([
    [{ ...ZENDESK, ...SLACK }, 'ok', /^live: Zendesk \(https:\/\/acme\.zendesk\.com\) and Slack calls are sent$/],
    [{ ...ZENDESK, ...SLACK, CXLOOP_DRY_RUN: 'true' }, 'ok', /^dry-run because CXLOOP_DRY_RUN=true/],
    [{ ...ZENDESK }, 'warn', /^dry-run because the Slack credentials \(SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET\) are not set/],
    [{ ...SLACK, CXLOOP_DRY_RUN_LOG: 'off' }, 'warn', /^dry-run because the Zendesk credentials .* are not set: Zendesk and Slack calls are recorded in the log, not sent$/],
    [{ CXLOOP_DRY_RUN: 'false' }, 'fail', /^CXLOOP_DRY_RUN=false but the Zendesk credentials .* and the Slack credentials .* are not set: cxloop serve refuses to start$/],
  ] as const)('%j -> %s', (values, status, detail) => {
    expect(checkMode(envOf(values))).toMatchObject({ name: 'mode', status, detail: expect.stringMatching(detail) });
  });
});

describe('doctor: webhook signing secret', () => {
  it.each([
    [{ ...ZENDESK, ...SLACK, ZENDESK_WEBHOOK_SECRET: 'one' }, 'ok', '1 signing secret set (ZENDESK_WEBHOOK_SECRET)'],
    [{ ...ZENDESK, ...SLACK, ZENDESK_WEBHOOK_SECRET: 'one, two' }, 'ok', '2 signing secrets set (ZENDESK_WEBHOOK_SECRET)'],
    [{ ...ZENDESK, ...SLACK, ZENDESK_WEBHOOK_SECRET: ' , ' }, 'fail', 'ZENDESK_WEBHOOK_SECRET holds only commas or spaces: cxloop serve refuses to start'],
    [{ ...ZENDESK, ...SLACK }, 'fail', 'ZENDESK_WEBHOOK_SECRET is not set: cxloop serve refuses to start live without it'],
    [{ ...ZENDESK }, 'warn', expect.stringContaining('real Zendesk webhooks fail the signature check')],
    [{}, 'skip', expect.stringMatching(/^skipped: dry-run without Zendesk credentials/)],
  ] as const)('%j -> %s', (values, status, detail) => {
    const result = checkWebhookSecret(envOf(values));
    expect(result).toMatchObject({ name: 'zendesk-webhook', status, detail });
    expect(JSON.stringify(result)).not.toMatch(/"one|two"/);
  });
});

describe('doctor: what the policy leaves unset', () => {
  it('names the categories without a zendesk_group_id', () => {
    const policy = shippedPolicy();
    policy.categories.bug_report.zendesk_group_id = 1001;
    const result = checkPolicyGroups(policy, '/etc/cxloop/policy.yaml');
    expect(result).toMatchObject({ status: 'warn', detail: expect.stringMatching(/^no zendesk_group_id for 7 of 8 categories \(billing_issue, feature_request, /) });
    expect(result.fix).toContain('/etc/cxloop/policy.yaml');
  });

  it('names unset Slack targets the policy sends to', () => {
    const policy = shippedPolicy();
    policy.slack.status_channel = null;
    policy.slack.incident_channel = null;
    for (const team of Object.values(policy.teams)) team.escalation.lead_user_id = 'U0LEAD0001';
    policy.teams.billing!.escalation.escalation_channel = null;
    const result = checkPolicySlack(policy, '/etc/cxloop/policy.yaml');
    expect(result.status).toBe('warn');
    expect(result.detail.split('; ')).toEqual([
      'slack.status_channel is not set: status updates are not published to a status channel and performance_issue get no live incidents summary',
      'slack.incident_channel is not set but performance_issue ping it: those pings are not posted',
      'no escalation.escalation_channel for billing: their escalations to it are not posted',
    ]);
  });

  it('is ok for a copy with every target set', () => {
    const policy = shippedPolicy();
    for (const team of Object.values(policy.teams)) team.escalation.lead_user_id = 'U0LEAD0001';
    expect(checkPolicySlack(policy, '/etc/cxloop/policy.yaml')).toEqual({ name: 'policy-slack', status: 'ok', detail: '7 team channels, status channel #cx-status' });
  });
});

describe('doctor: who may act on each team', () => {
  it('warns about teams with neither members nor a user group: their channel decides', () => {
    const policy = shippedPolicy();
    for (const name of ['engineering', 'product', 'support', 'cx_insights', 'content']) policy.teams[name] = { ...policy.teams[name]!, members: ['U0MEMBER01'] };
    policy.teams.operations = { ...policy.teams.operations!, escalation: { ...policy.teams.operations!.escalation, usergroup_id: 'S0OPS0001' } };
    expect(checkPolicyAccess(policy, '/etc/cxloop/policy.yaml')).toEqual({
      name: 'policy-access',
      status: 'warn',
      detail: '1 of 7 teams (billing) list no members and no user group: anyone in their Slack channels (#cx-billing) may act on their loops',
      fix: "list each team's people in teams.<team>.members, or its Slack user group in teams.<team>.escalation.usergroup_id, in /etc/cxloop/policy.yaml",
    });
  });

  it('is ok when every team lists its people', () => {
    const policy = shippedPolicy();
    for (const [name, team] of Object.entries(policy.teams)) policy.teams[name] = { ...team, members: ['U0MEMBER01'] };
    expect(checkPolicyAccess(policy, '/etc/cxloop/policy.yaml')).toEqual({ name: 'policy-access', status: 'ok', detail: 'every team lists who may act on its loops (members or a user group) (7 teams)' });
  });
});

describe('doctor: report', () => {
  const results: DoctorResult[] = [
    { name: 'redis', status: 'ok', detail: 'redis://127.0.0.1:6379, Redis 7.0.15, noeviction' },
    { name: 'workers', status: 'warn', detail: 'no worker connected', fix: 'start cxloop serve' },
    { name: 'zendesk', status: 'fail', detail: 'rejected (HTTP 401)', fix: 'check the token' },
    { name: 'zendesk-groups', status: 'skip', detail: 'skipped: the Zendesk credentials were not confirmed' },
  ];

  it('prints one line per check, an indented fix line, and a summary', () => {
    expect(formatDoctorReport(results)).toBe(
      [
        'ok    redis            redis://127.0.0.1:6379, Redis 7.0.15, noeviction',
        'warn  workers          no worker connected',
        '      fix: start cxloop serve',
        'FAIL  zendesk          rejected (HTTP 401)',
        '      fix: check the token',
        'skip  zendesk-groups   skipped: the Zendesk credentials were not confirmed',
        '',
        '1 ok, 1 warning, 1 failed, 1 skipped: cxloop will not work until the FAIL lines are fixed',
        '',
      ].join('\n'),
    );
  });

  it('--json: ok false when a check failed, counts by status, the checks as they are', () => {
    expect(JSON.parse(doctorReportJson(results))).toEqual({ ok: false, summary: { ok: 1, warn: 1, fail: 1, skip: 1 }, checks: results });
  });
});

describe('doctor: the manifest scopes it compares with', () => {
  it('are the bot scopes of manifests/slack-app.yaml', async () => {
    const manifest = readManifestYaml() as { oauth_config: { scopes: { bot: string[] } } };
    expect(await readManifestBotScopes()).toEqual(manifest.oauth_config.scopes.bot);
    expect(manifest.oauth_config.scopes.bot).toContain('chat:write');
  });
});
