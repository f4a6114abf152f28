import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, untrustedInline } from '../../../src/adapters/slack/mrkdwn.js';

describe('customer text in Slack mrkdwn', () => {
  it.each([
    ['<!channel> refund now', '&lt;!channel&gt; refund now'],
    ['<!here|here> ping', '&lt;!here|here&gt; ping'],
    ['cc <@U0ADMIN> please', 'cc &lt;@U0ADMIN&gt; please'],
    ['<!subteam^S0ONCALL> wake up', '&lt;!subteam^S0ONCALL&gt; wake up'],
    ['see <https://evil.example/login|Zendesk ticket 42>', 'see &lt;https://evil.example/login|Zendesk ticket 42&gt;'],
    ['already &lt;!channel&gt;', 'already &amp;lt;!channel&amp;gt;'],
    ['Tom & Jerry > Itchy', 'Tom &amp; Jerry &gt; Itchy'],
  ])('neutralises %j', (hostile, safe) => {
    expect(escapeMrkdwn(hostile)).toBe(safe);
    expect(escapeMrkdwn(hostile)).not.toMatch(/<[!@#]|<https?:/);
  });

  it('folds line breaks and control characters so a subject cannot fake more lines', () => {
    expect(untrustedInline('Refund\n\n*Approved by:* <@U1>\u2028\u0007done', 200)).toBe('Refund *Approved by:* &lt;@U1&gt; done');
  });

  it('cuts long text without leaving half an entity or half a surrogate pair', () => {
    expect(untrustedInline('abc<def', 6)).toBe('abc…');
    expect(untrustedInline('ab😀cd', 4)).toBe('ab…');
    expect(untrustedInline('a'.repeat(10), 10)).toBe('a'.repeat(10));
    expect(untrustedInline('a'.repeat(11), 10)).toBe(`${'a'.repeat(9)}…`);
  });
});
