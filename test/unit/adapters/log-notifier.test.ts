import { describe, expect, it } from 'vitest';
import { LogNotifier } from '../../../src/adapters/log/log-notifier.js';

describe('LogNotifier (dry run / no Slack)', () => {
  it('logs the effect with readable times and without its text', async () => {
    const lines: { message: string; fields?: Readonly<Record<string, unknown>> }[] = [];
    const notifier = new LogNotifier({ log: (_level, message, fields) => lines.push({ message, ...(fields ? { fields } : {}) }) });
    await notifier.notify(7, { type: 'publish_status', stage: 'routed', text: 'customer said: call me at +1 555', etaAt: Date.UTC(2026, 10, 23, 9), automatic: true });
    expect(lines).toEqual([
      {
        message: 'loop effect (not posted: Slack is not connected)',
        fields: { ticketId: 7, effect: 'publish_status', stage: 'routed', etaAt: '2026-11-23T09:00:00.000Z', automatic: true },
      },
    ]);
  });
});
