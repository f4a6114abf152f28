import { describe, expect, it } from 'vitest';
import { digest, statusParent, ticketCard } from '../../../src/adapters/slack/slack-blocks.js';
import { ticketRef } from '../../../src/adapters/slack/slack-blocks-parts.js';
import type { CardView } from '../../../src/adapters/slack/slack-views.js';
import { loopPolicyFrom } from '../../../src/app/loop-policy.js';
import { openLoop } from '../../../src/core/loop/transition.js';
import { keyTypeOf } from '../../../bench/redis-memory.js';
import { ticketsIn } from '../../../bench/slack-burst.js';
import { maxInWindow } from '../../../bench/support.js';
import { defaultPolicy } from '../../support/default-classifier.js';
import { accepted } from '../../support/loop-fixtures.js';

const T0 = Date.UTC(2026, 10, 23, 9, 0);

function view(ticketId: number): CardView {
  const loop = accepted(openLoop({ ticketId, category: 'billing_issue', tier: 'normal', zendeskStatus: 'new' }, T0, loopPolicyFrom(defaultPolicy))).state;
  return { loop, brief: { ticketId, subject: 'Charged twice', excerpt: 'Please refund', why: 'billing terms' }, zendeskUrl: `https://bench.zendesk.com/agent/tickets/${ticketId}`, timeZone: 'UTC', now: T0, snoozeMinutes: [30], names: {} };
}

describe('ticketsIn: the tickets a recorded Slack message names', () => {
  it('finds the ticket of a card (block id and #ref) and of a status message', () => {
    expect([...ticketsIn(ticketCard(view(4242)))]).toEqual([4242]);
    expect([...ticketsIn(statusParent(view(77)))]).toEqual([77]);
  });

  it('finds every ticket a digest lists, linked or not, and nothing from channel names or entities', () => {
    const lines = [1001, 1002, 1003].map((id) => ({ line: `${ticketRef(id, id === 1002 ? null : `https://bench.zendesk.com/agent/tickets/${id}`)} Charged twice: billing` }));
    const message = digest('3 updates at once', lines);
    expect([...ticketsIn(message)].sort()).toEqual([1001, 1002, 1003]);
    expect(ticketsIn({ text: 'posted to #cx-billing &#39;quoted&#39; at 10:00', blocks: [{ type: 'section', block_id: 'cx_x_5' }] }).size).toBe(0);
  });
});

describe('maxInWindow', () => {
  it.each([
    { times: [], expected: 0 },
    { times: [0, 1_000, 2_000], expected: 3 },
    { times: [0, 59_999, 60_000, 60_001], expected: 3 },
    { times: [0, 10, 20, 100_000], expected: 3 },
  ])('$times -> $expected in any 60 s', ({ times, expected }) => {
    expect(maxInWindow(times, 60_000)).toBe(expected);
  });
});

describe('keyTypeOf', () => {
  it.each([
    ['p:l:{42}', 'l:{id}'],
    ['p:b:{42}', 'b:{id}'],
    ['p:loops', 'loops'],
    ['p:so:#cx-billing', 'so:#cx-billing'],
    ['p:q:cxloop-timers:t-16-ar-lz', 'q:cxloop-timers:<job>'],
    ['p:q:cxloop-timers:t-16-ar-lz:lock', 'q:cxloop-timers:<job>:lock'],
    ['p:q:cxloop-timers:delayed', 'q:cxloop-timers:delayed'],
    ['p:q:zendesk-events:de:abc', 'q:zendesk-events:de:<id>'],
  ])('%s -> %s', (key, type) => {
    expect(keyTypeOf(key, 'p')).toBe(type);
  });
});
