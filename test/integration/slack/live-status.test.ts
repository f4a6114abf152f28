import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../src/app/ports.js';
import { settle as settleQueues, type Cxloop } from '../../../src/main.js';
import { nockSlackApi, type SlackCall } from '../../support/slack-fixtures.js';
import { nockZendeskReads, nockZendeskWrites, postSigned, REDIS_URL, startLive, tearDown, ticketEvent, uniquePrefix, waitFor } from '../../support/zendesk-fixtures.js';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const OUTAGE = { subject: 'Outage: dashboard extremely slow', description: 'Since 09:00 the dashboard takes over a minute to load and most requests time out.' };
const SLOW_EXPORTS = { subject: 'Site is very slow today', description: 'Every page takes ages to load, exports time out.' };

/**
 * flag_live_status end to end: the status channel's one summary of live incidents, posted once,
 * pinned once, edited in place (chat.update) as tickets go live and leave. Real server, Redis and
 * workers; Slack and Zendesk faked at their HTTP boundary.
 */
describe('the live incidents summary in the status channel (real server, Redis, BullMQ; Slack and Zendesk faked with nock)', () => {
  let prefix: string;
  let app: Cxloop | undefined;
  let clock: number;
  let calls: SlackCall[];
  let refusePins: number;
  let warnings: string[];
  const logger: Logger = { log: (level, message) => void (level === 'warn' && warnings.push(message)) };

  beforeEach(async () => {
    prefix = uniquePrefix();
    clock = Date.parse('2026-11-23T09:00:00Z');
    calls = [];
    refusePins = 0;
    warnings = [];
    nockZendeskReads();
    nockZendeskWrites([]);
    nockSlackApi(calls, (call) => {
      if (call.method !== 'pins.add' || refusePins === 0) return undefined;
      refusePins -= 1;
      return [200, { ok: false, error: 'not_in_channel' }];
    });
    app = await startLive(prefix, { now: () => clock, logger, slack: { sender: { intervalMs: 10 } } });
  });
  afterEach(async () => {
    await tearDown(app, prefix);
    app = undefined;
  });

  const settle = () => settleQueues(app!, 15_000);
  const summaryPosts = () => calls.filter((call) => call.method === 'chat.postMessage' && call.args.channel === '#cx-status' && call.args.text?.startsWith('Live incidents'));
  const summaryEdits = () => calls.filter((call) => call.method === 'chat.update' && call.args.text?.startsWith('Live incidents'));
  const pins = () => calls.filter((call) => call.method === 'pins.add');

  async function webhook(type: string, id: number, detail: Record<string, unknown>): Promise<void> {
    const response = await postSigned(app!.http.url, ticketEvent(type, { id, created_at: iso(clock), updated_at: iso(clock), ...detail }), { at: clock });
    expect(response.status).toBe(200);
    await settle();
  }

  async function storedRef(): Promise<string | null> {
    const redis = new Redis(REDIS_URL);
    try {
      return await redis.get(`${prefix}:slack:live-summary`);
    } finally {
      redis.disconnect();
    }
  }

  it('posts and pins one summary, edits it in place as incidents come and go, and ignores tickets whose category does not flag it', async () => {
    await webhook('created', 1001, { ...OUTAGE, status: 'new', priority: 'urgent' });
    await waitFor(() => summaryPosts().length === 1, 5_000, 'the summary');
    const [post] = summaryPosts();
    expect(post!.args.text).toBe('Live incidents: #1001');
    expect(post!.args.blocks).toContain('Outage: dashboard extremely slow · Critical · Routed, awaiting acknowledgement · nobody yet · acknowledge by');
    const summaryTs = post!.ts!;
    expect(await storedRef()).toBe(`#cx-status CCXSTATUS ${summaryTs} 1`);
    expect(pins().map((call) => call.args)).toEqual([{ channel: 'CCXSTATUS', timestamp: summaryTs }]);
    // The incident channel is pinged as well (ping_incident_channel), on its own.
    expect(calls.filter((call) => call.method === 'chat.postMessage' && call.args.channel === '#incidents').map((call) => call.args.text)).toEqual(['Possible incident: #1001 Outage: dashboard extremely slow']);

    clock += 5 * 60_000;
    await webhook('created', 1002, { ...SLOW_EXPORTS, status: 'new', priority: 'high' });
    // Edits of the summary are coalesced: how many go out depends on timing, what the last one says does not.
    await waitFor(() => summaryEdits().at(-1)?.args.text === 'Live incidents: #1001, #1002', 5_000, 'the edit for the second incident');
    expect(summaryEdits().at(-1)!.args).toMatchObject({ channel: 'CCXSTATUS', ts: summaryTs });

    // A live ticket's stage and owner change: the summary follows.
    await webhook('agent_assignment_changed', 1002, { ...SLOW_EXPORTS, status: 'open', priority: 'high', assignee_id: 777, actor_id: 777 });
    await waitFor(() => summaryEdits().at(-1)?.args.blocks?.includes('Site is very slow today · High · Acknowledged · Zendesk agent 777 · next update by'), 5_000, 'the edit for the assignment');

    const edits = summaryEdits().length;
    await webhook('created', 1003, { subject: 'Charged twice for my subscription', status: 'new' });
    expect(summaryEdits()).toHaveLength(edits);
    clock += 5 * 60_000;
    await webhook('status_changed', 1001, { ...OUTAGE, status: 'solved', assignee_id: 777, actor_id: 777 });
    await waitFor(() => summaryEdits().at(-1)?.args.text === 'Live incidents: #1002', 5_000, 'the edit for the solve');
    expect(summaryEdits().at(-1)!.args).toMatchObject({ channel: 'CCXSTATUS', ts: summaryTs });

    await webhook('status_changed', 1002, { ...SLOW_EXPORTS, status: 'closed', assignee_id: 777, actor_id: 777 });
    await waitFor(() => summaryEdits().at(-1)?.args.text === 'Live incidents: none right now', 5_000, 'the edit for the close');
    expect(summaryEdits().at(-1)!.args).toMatchObject({ channel: 'CCXSTATUS', ts: summaryTs });
    expect(summaryEdits().at(-1)!.args.blocks).toContain('No live incidents right now.');

    expect(summaryPosts()).toHaveLength(1);
    expect(new Set(summaryEdits().map((call) => `${call.args.channel} ${call.args.ts}`))).toEqual(new Set([`CCXSTATUS ${summaryTs}`]));
    expect(pins()).toHaveLength(1);
    expect(summaryEdits().filter((call) => call.args.text?.includes('#1003'))).toEqual([]);
  });

  it('a summary Slack will not pin stays up, unpinned, and the pin is tried again with the next change', async () => {
    refusePins = 1;
    await webhook('created', 1011, { ...OUTAGE, status: 'new', priority: 'urgent' });
    expect(pins().length).toBeGreaterThanOrEqual(1);
    expect(warnings).toContain('slack: the live incidents summary could not be pinned; it stays unpinned until the next change');
    await webhook('created', 1012, { ...SLOW_EXPORTS, status: 'new' });
    expect(pins()).toHaveLength(2);
    expect(pins()[1]!.args).toEqual(pins()[0]!.args);
    expect(await storedRef()).toMatch(/^#cx-status CCXSTATUS \S+ 1$/);
    await webhook('status_changed', 1011, { ...OUTAGE, status: 'solved', assignee_id: 777, actor_id: 777 });
    expect(pins()).toHaveLength(2);
    expect(summaryPosts()).toHaveLength(1);
  });
});
