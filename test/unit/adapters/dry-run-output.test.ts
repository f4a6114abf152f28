import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DryRunRecorder, formatRecordedCall } from '../../../src/adapters/log/dry-run-recorder.js';
import { JsonLogger } from '../../../src/adapters/log/json-logger.js';
import { blocksToText, mrkdwnToPlain } from '../../../src/adapters/slack/blocks-to-text.js';
import { RecordingSlackApi } from '../../../src/adapters/slack/recording-slack-api.js';
import { describeRequest } from '../../../src/adapters/zendesk/describe-request.js';
import { RecordingZendeskApi } from '../../../src/adapters/zendesk/recording-zendesk-api.js';
import { zendeskRequests } from '../../../src/adapters/zendesk/zendesk-requests.js';
import type { RecordedCall } from '../../../src/app/ports.js';

const silent = { log: () => undefined };
const update = { ticketId: 101, groupId: 360_001, priority: 'urgent' as const, tags: ['web_widget', 'cxloop_bug_report'], internalNote: 'cxloop routed this ticket.\nConfidence 0.9.\n\nLine 3\nLine 4\nLine 5', updatedStamp: Date.parse('2026-11-22T10:00:00Z') };

describe('mrkdwnToPlain', () => {
  it('shows links, mentions and escapes as Slack displays them', () => {
    expect(mrkdwnToPlain('<https://acme.zendesk.com/agent/tickets/1|#1> for <@U0ANA> <!subteam^S0ENG|@eng> <!here> *bold* 5 &lt; 6 &amp; 7 &gt; 2')).toBe('#1 for @U0ANA @eng @here bold 5 < 6 & 7 > 2');
  });

  it('keeps a lone asterisk (a search wildcard in customer text)', () => {
    expect(mrkdwnToPlain('outage* [en], slow* [en]')).toBe('outage* [en], slow* [en]');
  });
});

describe('blocksToText', () => {
  it('renders headers, sections with fields, context, dividers and controls', () => {
    const lines = blocksToText({
      text: 'fallback',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '#1 Site down' } },
        { type: 'section', text: { type: 'mrkdwn', text: '*Why:* outage' }, fields: [{ type: 'mrkdwn', text: '*Tier* Critical' }, { type: 'mrkdwn', text: '*Team* eng' }] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'a' }, { type: 'plain_text', text: 'b' }] },
        { type: 'divider' },
        { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Acknowledge' }, action_id: 'x' }, { type: 'static_select', placeholder: { type: 'plain_text', text: 'Snooze' }, action_id: 'y', options: [{ text: { type: 'plain_text', text: '1h' }, value: '60' }] }] },
      ],
    });
    expect(lines).toEqual(['#1 SITE DOWN', 'Why: outage', 'Tier Critical  |  Team eng', 'a · b', '─'.repeat(24), '[Acknowledge] [Snooze ▾]']);
  });

  it('falls back to the text without blocks and cuts long messages', () => {
    expect(blocksToText({ text: 'hello <@U0X>', blocks: [] })).toEqual(['hello @U0X']);
    const long = blocksToText({ text: 't', blocks: Array.from({ length: 20 }, (_, i) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text: `line ${i}` } })) });
    expect(long).toHaveLength(14);
    expect(long.at(-1)).toBe('(+7 more lines)');
  });
});

describe('describeRequest', () => {
  it('summarises a routing write: changes on one line, the internal note cut to four lines', () => {
    expect(describeRequest(zendeskRequests.updateTicket(update))).toEqual([
      '#101 -> group 360001 · priority urgent · tags web_widget cxloop_bug_report',
      '#101 internal note: cxloop routed this ticket.',
      '  Confidence 0.9.',
      '  Line 3',
      '  Line 4',
      '  (1 more line)',
    ]);
  });

  it('lists update_many tickets one per line and counts the rest', () => {
    const many = Array.from({ length: 10 }, (_, i) => ({ ...update, ticketId: 200 + i, internalNote: 'note' }));
    const lines = describeRequest(zendeskRequests.updateMany(many));
    expect(lines[0]).toBe('10 tickets, each with its own changes:');
    expect(lines).toContain('#207 internal note: note');
    expect(lines.at(-1)).toBe('... and 2 more');
  });

  it('has nothing to add to a read', () => {
    expect(describeRequest(zendeskRequests.showTicket(5))).toEqual([]);
  });
});

describe('DryRunRecorder', () => {
  const call: RecordedCall = { system: 'slack', call: 'chat.postMessage #cx-billing', request: { method: 'chat.postMessage', channel: '#cx-billing', text: 'hi' }, summary: ['line one', 'line two'] };

  it('writes the exact request as a JSON line and the summary readably', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cxloop-rec-')), 'nested', 'calls.jsonl');
    let terminal = '';
    const recorder = new DryRunRecorder({ file, terminal: (text) => (terminal += text), logger: silent, now: () => Date.parse('2026-11-22T10:00:00Z') });
    recorder.record(call);
    recorder.record({ ...call, summary: [] });
    await recorder.close();
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines[0]).toEqual({ at: '2026-11-22T10:00:00.000Z', system: 'slack', call: 'chat.postMessage #cx-billing', request: call.request });
    expect(lines).toHaveLength(2);
    expect(terminal).toBe(`${formatRecordedCall(call)}${formatRecordedCall({ ...call, summary: [] })}`);
    expect(formatRecordedCall(call, '09:00  ')).toBe('09:00  slack    chat.postMessage #cx-billing\n' + ' '.repeat(16) + '│ line one\n' + ' '.repeat(16) + '│ line two\n');
  });

  it('appends by default and starts afresh in replace mode', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cxloop-rec-')), 'calls.jsonl');
    for (const fileMode of ['append', 'append', 'replace'] as const) {
      const recorder = new DryRunRecorder({ file, fileMode, terminal: null, logger: silent });
      recorder.record(call);
      await recorder.close();
    }
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('goes on in the terminal with a warning when the file cannot be written', async () => {
    const warnings: string[] = [];
    let terminal = '';
    const notADirectory = join(mkdtempSync(join(tmpdir(), 'cxloop-rec-')), 'file');
    writeFileSync(notADirectory, '');
    const recorder = new DryRunRecorder({ file: join(notADirectory, 'calls.jsonl'), terminal: (text) => (terminal += text), logger: { log: (_level, message) => warnings.push(message) } });
    recorder.record(call);
    await recorder.close();
    expect(terminal).toContain('chat.postMessage #cx-billing');
    expect(warnings[0]).toContain('dry-run record file cannot be written');
  });

  it('closes even when the file fails after it was opened (a directory)', async () => {
    const warnings: string[] = [];
    const recorder = new DryRunRecorder({ file: mkdtempSync(join(tmpdir(), 'cxloop-rec-')), terminal: null, logger: { log: (_level, message) => warnings.push(message) } });
    recorder.record(call);
    await recorder.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).toEqual([expect.stringContaining('dry-run record file cannot be written')]);
  });

  it('receives what the dry-run Zendesk and Slack clients would send', async () => {
    const calls: RecordedCall[] = [];
    const recorder = { record: (recorded: RecordedCall) => calls.push(recorded) };
    await new RecordingZendeskApi(silent, recorder).updateTicket(update);
    await new RecordingSlackApi(silent, () => 0, recorder).post({ channel: '#cx-billing', threadTs: '1.000001', broadcast: true, text: 'Escalation', blocks: [] });
    expect(calls[0]).toMatchObject({ system: 'zendesk', call: 'PUT /api/v2/tickets/101.json', request: { method: 'PUT', path: '/api/v2/tickets/101.json', body: zendeskRequests.updateTicket(update).body } });
    expect(calls[1]).toMatchObject({ system: 'slack', call: 'chat.postMessage #cx-billing (thread, also to channel)', request: { channel: '#cx-billing', thread_ts: '1.000001', reply_broadcast: true, text: 'Escalation' }, summary: ['Escalation'] });
  });

  it("records the on_routing reads and the summary's pin, sends none, and answers the reads that nothing was read", async () => {
    const calls: RecordedCall[] = [];
    const recorder = { record: (recorded: RecordedCall) => calls.push(recorded) };
    const zendesk = new RecordingZendeskApi(silent, recorder);
    await expect(zendesk.getRequester(501)).rejects.toMatchObject({ code: 'DRY_RUN' });
    await expect(zendesk.getRequestedTickets(501, 4)).rejects.toMatchObject({ code: 'DRY_RUN' });
    await expect(zendesk.searchArticles('invite team', null, 5)).rejects.toMatchObject({ code: 'DRY_RUN' });
    await new RecordingSlackApi(silent, () => 0, recorder).pin({ channel: '#cx-status', ts: '1.000003' });
    expect(calls.map((call) => [call.call, call.request])).toEqual([
      ['GET /api/v2/users/501.json?include=organizations', { method: 'GET', path: '/api/v2/users/501.json', query: { include: 'organizations' } }],
      ['GET /api/v2/users/501/tickets/requested.json?sort_by=created_at&sort_order=desc&per_page=4', { method: 'GET', path: '/api/v2/users/501/tickets/requested.json', query: { sort_by: 'created_at', sort_order: 'desc', per_page: '4' } }],
      ['GET /api/v2/help_center/articles/search.json?query=invite+team&per_page=5', { method: 'GET', path: '/api/v2/help_center/articles/search.json', query: { query: 'invite team', per_page: '5' } }],
      ['pins.add #cx-status (pin)', { method: 'pins.add', channel: '#cx-status', timestamp: '1.000003' }],
    ]);
  });
});

describe('JsonLogger', () => {
  it('masks secrets by field name, email addresses and URL credentials anywhere in the text', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('info', (line) => lines.push(line), () => new Date('2026-11-22T10:00:00Z'));
    logger.log('warn', 'mail to jane.doe@example.com failed', { ticketId: 7, error: 'requester bob@corp.io: redis://user:pw@redis:6379 down', apiToken: 'abc', nested: { to: ['x@y.org'], password: 'p' } });
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      time: '2026-11-22T10:00:00.000Z',
      level: 'warn',
      msg: 'mail to [email] failed',
      ticketId: 7,
      error: 'requester [email]: redis://***@redis:6379 down',
      apiToken: '[redacted]',
      nested: { to: ['[email]'], password: '[redacted]' },
    });
  });
});
