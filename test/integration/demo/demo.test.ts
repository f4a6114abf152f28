import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { DEMO_TICKETS } from '../../../src/cli/demo/demo-script.js';
import { runDemo, type DemoResult } from '../../../src/cli/demo/run-demo.js';
import { parseEnv, type Env } from '../../../src/config/env-schema.js';
import { loadPolicyFile } from '../../../src/config/load-policy.js';
import type { Policy } from '../../../src/config/policy-schema.js';
import { fakeIo } from '../../support/fake-io.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Record {
  at: string;
  system: 'zendesk' | 'slack';
  call: string;
  request: { method: string; path?: string; channel?: string; thread_ts?: string; text?: string; blocks?: unknown[]; body?: { ticket?: { group_id?: number; tags?: string[]; comment?: { body: string; public: boolean } } } };
}

describe('cxloop demo, end to end on the real endpoints, Redis and workers', () => {
  const start = Date.parse('2026-11-23T09:00:00Z');
  const file = join(mkdtempSync(join(tmpdir(), 'cxloop-demo-')), 'demo.jsonl');
  let out = '';
  let result: DemoResult;
  let records: Record[];
  let policy: Policy;
  const logged: string[] = [];

  beforeAll(async () => {
    const loaded = await loadPolicyFile();
    if (!loaded.ok) throw new Error('shipped policy invalid');
    policy = loaded.policy;
    const parsed = parseEnv({ REDIS_URL });
    if (!parsed.ok) throw new Error('env');
    const env: Env = parsed.env;
    result = await runDemo({ env, policy, out: (text) => (out += text), stepDelayMs: 0, recordFile: file, logger: { log: (_level, message) => logged.push(message) }, start });
    records = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record);
  }, 120_000);

  const slackTexts = (where: (record: Record) => boolean) => records.filter((record) => record.system === 'slack' && where(record)).map((record) => record.request.text ?? '');

  it('routes every sample ticket to its category and verifies each loop at the end', () => {
    expect(result.tickets).toEqual(DEMO_TICKETS.map((ticket) => ({ id: ticket.id, expected: ticket.expected, category: ticket.expected, stage: 'verified' })));
    for (const ticket of DEMO_TICKETS) {
      const write = records.find((record) => record.call === `PUT /api/v2/tickets/${ticket.id}.json` && record.request.body?.ticket?.tags);
      expect(write?.request.body?.ticket?.tags).toEqual(expect.arrayContaining([`cxloop_${ticket.expected}`]));
      expect(write?.request.body?.ticket?.group_id).toEqual(expect.any(Number));
      expect(write?.request.body?.ticket?.comment?.public).toBe(false);
    }
    expect(slackTexts((record) => record.request.channel === policy.slack.status_channel && record.request.thread_ts !== undefined).filter((text) => /verified/i.test(text))).toHaveLength(DEMO_TICKETS.length);
  });

  it('keeps the demo tickets consistent with what cxloop wrote, so no agent override is seen', () => {
    expect(logged.filter((message) => message.includes('overrode'))).toEqual([]);
  });

  it('posts each ticket card in its team channel and the incident in the incident channel', () => {
    for (const ticket of DEMO_TICKETS) {
      const channel = policy.categories[ticket.expected].slack_channel;
      const card = records.find((record) => record.call === `chat.postMessage ${channel}` && JSON.stringify(record.request.blocks ?? []).includes(`"cx_t_${ticket.id}"`));
      expect(card, `card of #${ticket.id} in ${channel}`).toBeDefined();
    }
    expect(slackTexts((record) => record.request.channel === policy.slack.incident_channel).join('\n')).toContain('#1001');
  });

  it('reminds, escalates up the ladder to the lead, and publishes automatic updates with a revised ETA', () => {
    expect(slackTexts(() => true).some((text) => text.includes('Reminder:') && text.includes('#1001'))).toBe(true);
    expect(slackTexts((record) => record.request.channel === 'U0DEMOOMAR').join('\n')).toMatch(/#1002 is not acknowledged \(due [^)]+, overdue by \d+m\)\. Escalated to <@U0DEMOOMAR>\./);
    expect(slackTexts((record) => record.request.channel === '#cx-escalations').join('\n')).toContain('#1002');
    expect(result.figures.escalations.total).toBeGreaterThanOrEqual(3);
    const automatic = records.filter((record) => record.call.startsWith(`chat.postMessage ${policy.slack.status_channel} (thread`) && /no new update from the team/.test(JSON.stringify(record.request.blocks)) && /ETA/.test(JSON.stringify(record.request.blocks)));
    expect(automatic.length).toBeGreaterThan(0);
    expect(out).toContain('── Slack: Ana (engineering) clicks "Acknowledge" on #1001');
  });

  it('notes the Slack click in Zendesk by name, and follows up the detractor rating with the owner, by the policy SLA', () => {
    const followUp = slackTexts((record) => record.request.channel === '#cx-billing' && record.request.thread_ts !== undefined).find((text) => text.includes('rated #1002 bad'));
    expect(followUp).toMatch(/^<@U0DEMOBEN> the customer rated #1002 bad: please follow up with them by \w{3} \d+ \w{3} \d\d:\d\d UTC \(in 2d\)\.$/);
    expect(slackTexts((record) => record.request.channel === policy.slack.status_channel)).toContain('#1002: The customer is not satisfied with the answer; Ben will follow up within 48 h.');
    expect(result.figures.detractorFollowUps.done).toMatchObject({ count: 1, of: 1 });
    expect(records.some((record) => record.call === 'PUT /api/v2/tickets/1002.json' && record.request.body?.ticket?.comment?.body === 'Acknowledged in Slack by Ben.')).toBe(true);
    // Nobody is shown by id: every person the demo has is named.
    expect(records.filter((record) => record.system === 'zendesk').map((record) => record.request.body?.ticket?.comment?.body ?? '').join('\n')).not.toMatch(/U0DEMO|zd:\d/);
    expect(slackTexts((record) => record.request.channel === policy.slack.status_channel).join('\n')).not.toMatch(/U0DEMO|zd:\d|Zendesk agent \d|automatic|SLA/);
  });

  it('comments publicly to two requesters in their own language, and their status links answer', () => {
    const comments = (id: number) =>
      records.filter((record) => record.call === `PUT /api/v2/tickets/${id}.json` && record.request.body?.ticket?.comment?.public === true).map((record) => record.request.body!.ticket!.comment!.body);
    const link = /http:\/\/127\.0\.0\.1:\d+\/status\/[A-Za-z0-9_-]{43}/;
    // #1001 (critical, en-US): acknowledged, then solved; #1005 (high, pt-BR) the same. No other ticket is opted in.
    expect(comments(1001).map((body) => body.split('\n')[2])).toEqual(['A specialist is on it: your request #1001 is being worked on.', expect.stringContaining('Your request #1001 is solved.')]);
    expect(comments(1001)[0]).toMatch(/^We expect to resolve it by Nov 24, 2026, 04:00 AM EST\.$/m);
    expect(comments(1005).map((body) => body.split('\n')[2])).toEqual(['Um especialista já está cuidando da sua solicitação #1005.', expect.stringContaining('Sua solicitação #1005 foi resolvida.')]);
    expect(comments(1005)[0]).toMatch(/^Prevemos resolvê-la até 25 de nov\. de 2026, 07:00 BRT\.$/m);
    for (const id of [1002, 1003, 1004, 1006]) expect(comments(id)).toEqual([]);
    expect(result.statusLinks).toEqual([
      { ticketId: 1001, url: expect.stringMatching(link), status: 200, stage: 'Resolved' },
      { ticketId: 1005, url: expect.stringMatching(link), status: 200, stage: 'Concluída' },
    ]);
    expect(comments(1005).every((body) => body.includes(result.statusLinks[1]!.url))).toBe(true);
    expect(out).toContain(`status page of #1005: ${result.statusLinks[1]!.url}\n    answered 200: "Concluída"`);
  });

  it('ends with the report and leaves no Redis keys behind', async () => {
    expect(out).toContain('cxloop report: loops opened');
    expect(out).toMatch(/Loops: 6 opened/);
    const redis = new Redis(REDIS_URL);
    try {
      const [, keys] = await redis.scan('0', 'MATCH', `${result.prefix}*`, 'COUNT', 10_000);
      expect(keys).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});

describe('cxloop demo command', () => {
  it('refuses a bad --step-ms with usage exit code 2', async () => {
    const io = fakeIo({ env: { REDIS_URL } });
    expect(await runCli(['demo', '--step-ms', 'soon'], io)).toBe(2);
    expect(io.err()).toContain('--step-ms must be a whole number');
  });

  it('says plainly that the demo needs Redis when none answers', async () => {
    const io = fakeIo({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    expect(await runCli(['demo', '--fast', '--record', 'off'], io)).toBe(1);
    expect(io.err()).toContain('cannot connect to Redis at redis://127.0.0.1:1');
    expect(io.err()).toContain('the demo needs a local Redis');
  });
});
