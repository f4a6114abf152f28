import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { parseEnv, type Env } from '../../src/config/env-schema.js';
import { DEFAULT_POLICY_PATH, loadPolicyFile } from '../../src/config/load-policy.js';
import type { Policy } from '../../src/config/policy-schema.js';
import { startCxloop, type Cxloop } from '../../src/main.js';
import { fakeIo } from '../support/fake-io.js';
import { dropPrefix, uniquePrefix } from '../support/zendesk-fixtures.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const silent = { log: () => undefined };

function envOf(values: Record<string, string>): Env {
  const result = parseEnv({ REDIS_URL, PORT: '0', ...values });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.env;
}

async function policy(): Promise<Policy> {
  const result = await loadPolicyFile();
  if (!result.ok) throw new Error('default policy invalid');
  return result.policy;
}

describe('cxloop server (real HTTP on port 0, real Redis)', () => {
  // Its own prefix, as every test has: the default `cxloop` would join the queues of an install
  // running against the same Redis.
  const prefix = uniquePrefix();
  let app: Cxloop;
  beforeAll(async () => {
    app = await startCxloop({ env: envOf({ CXLOOP_REDIS_PREFIX: prefix }), policy: await policy(), logger: silent, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.stop();
    await dropPrefix(prefix);
  });

  it('starts in dry-run without credentials', () => {
    expect(app.dryRun).toBe(true);
  });

  it('GET /healthz answers 200 when Redis answers', async () => {
    const response = await fetch(`${app.http.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', dryRun: true, checks: { redis: 'ok' } });
  });

  it('GET /metrics answers Prometheus text', async () => {
    const response = await fetch(`${app.http.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^# TYPE cxloop_dry_run gauge$/m);
    expect(text).toMatch(/^cxloop_dry_run 1$/m);
    expect(text).toMatch(/^cxloop_process_cpu_seconds_total /m);
  });

  it('answers 404 for unknown paths and 405 for a wrong method', async () => {
    expect((await fetch(`${app.http.url}/nope`)).status).toBe(404);
    const wrongMethod = await fetch(`${app.http.url}/healthz`, { method: 'POST' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });
});

describe('cxloop refuses to start', () => {
  it('when Redis does not answer, saying where it looked', async () => {
    const env = envOf({ REDIS_URL: 'redis://user:pw@127.0.0.1:1' });
    await expect(startCxloop({ env, policy: await policy(), logger: silent })).rejects.toThrow(
      /cannot connect to Redis at redis:\/\/\*\*\*@127\.0\.0\.1:1 .*start redis-server or set REDIS_URL/,
    );
  });

  it('live without a webhook secret', async () => {
    const env = envOf({
      ZENDESK_SUBDOMAIN: 'acme',
      ZENDESK_EMAIL: 'bot@acme.test',
      ZENDESK_API_TOKEN: 't',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
    });
    await expect(startCxloop({ env, policy: await policy(), logger: silent })).rejects.toThrow(/ZENDESK_WEBHOOK_SECRET is not set/);
  });

  it('on an invalid policy, with the messages of config check', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cxloop-serve-')), 'policy.yaml');
    writeFileSync(file, readFileSync(DEFAULT_POLICY_PATH, 'utf8').replace('team: billing', 'team: accounting'));
    const serve = fakeIo({ env: { CXLOOP_CONFIG: file, REDIS_URL, PORT: '0' } });
    const check = fakeIo({ env: { CXLOOP_CONFIG: file } });
    expect(await runCli(['serve'], serve)).toBe(1);
    expect(await runCli(['config', 'check'], check)).toBe(1);
    const message = '  categories.billing_issue.team: team "accounting" is not defined under teams';
    expect(serve.err()).toContain(message);
    expect(check.err()).toContain(message);
  });

  it('on an invalid environment, naming the key', async () => {
    const io = fakeIo({ env: { PORT: 'http' } });
    expect(await runCli(['serve'], io)).toBe(1);
    expect(io.err()).toMatch(/invalid environment, refusing to start:\n {2}PORT: /);
  });
});
