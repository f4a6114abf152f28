import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseZendeskWebhook } from '../../../src/adapters/zendesk/parse-webhook.js';
import { ticketEvent } from '../../../src/adapters/zendesk/sample-webhooks.js';
import {
  csatTriggerBody,
  csatTriggerDefinition,
  LEGACY_CSAT_TRIGGER_BODY,
  SUBSCRIBED_EVENT_TYPES,
  zendeskWebhookDefinitions,
} from '../../../src/adapters/zendesk/zendesk-install-definitions.js';

const PUBLIC_URL = '{{CXLOOP_PUBLIC_URL}}';
const WEBHOOK_ID = '{{WEBHOOK_ID}}';
const manifestText = (file: string) => readFileSync(new URL(`../../../manifests/zendesk/${file}`, import.meta.url), 'utf8');
/** The files are exactly what JSON.stringify(…, null, 2) prints, so a diff shows any drift line by line. */
const asFile = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const MANIFESTS = ['webhook-events.json', 'webhook-csat.json', 'trigger-csat-good.json', 'trigger-csat-bad.json'];

describe('manifests/zendesk/*.json are the definitions `cxloop install zendesk` sends', () => {
  const definitions = zendeskWebhookDefinitions(PUBLIC_URL);

  it.each([
    { file: 'webhook-events.json', body: { webhook: definitions.events } },
    { file: 'webhook-csat.json', body: { webhook: definitions.csat } },
    { file: 'trigger-csat-good.json', body: { trigger: csatTriggerDefinition('good', WEBHOOK_ID) } },
    { file: 'trigger-csat-bad.json', body: { trigger: csatTriggerDefinition('bad', WEBHOOK_ID) } },
  ])('$file', ({ file, body }) => {
    expect(manifestText(file)).toBe(asFile(body));
  });

  it('use only the two documented placeholders besides Zendesk\'s own Liquid ones', () => {
    const placeholders = MANIFESTS.flatMap((file) => manifestText(file).match(/\{\{[^}]+\}\}/g) ?? []);
    const ours = [...new Set(placeholders)].filter((placeholder) => !/^\{\{(ticket|satisfaction)\./.test(placeholder)).sort();
    expect(ours).toEqual([PUBLIC_URL, WEBHOOK_ID]);
  });

  it('the README shows how to use every file', () => {
    const readme = manifestText('README.md');
    for (const file of MANIFESTS) expect(readme).toContain(file);
  });
});

describe('the definitions match what parse-webhook.ts reads', () => {
  it('every subscribed event type is one parse-webhook maps to a kind of its own (not the generic "updated")', () => {
    const kinds = SUBSCRIBED_EVENT_TYPES.map((type) => {
      const parsed = parseZendeskWebhook(JSON.parse(ticketEvent(type.replace('zen:event-type:ticket.', ''), { id: 7 })));
      return parsed.ok && 'event' in parsed ? parsed.event.kind : `not parsed: ${type}`;
    });
    expect(kinds).toEqual(['created', 'status_changed', 'comment_added', 'priority_changed', 'group_changed', 'assignee_changed', 'tags_changed']);
  });

  it('an event type parse-webhook does not map comes out as "updated" (so the check above can fail)', () => {
    const parsed = parseZendeskWebhook(JSON.parse(ticketEvent('subject_changed', { id: 7 })));
    expect(parsed.ok && 'event' in parsed ? parsed.event.kind : null).toBe('updated');
  });

  /** A body as Zendesk renders it: the placeholders replaced by the ticket's values (the rating in the requester's language). */
  const render = (body: string, values: { rating?: string; comment: string }) =>
    body
      .replace('{{ticket.id}}', '42')
      .replace('{{ticket.updated_at_with_timestamp}}', '2026-11-20T10:00:00Z')
      .replace('{{satisfaction.current_rating}}', values.rating ?? '')
      .replace('{{satisfaction.current_comment}}', values.comment);
  const rated = (score: string | null, comment: string) => ({
    ok: true,
    event: { key: 'csat:42:2026-11-20T10:00:00Z', kind: 'satisfaction_rated', ticketId: 42, occurredAt: Date.parse('2026-11-20T10:00:00Z'), score, comment, source: 'legacy' },
  });

  it.each(['good', 'bad'] as const)('the %s trigger body, rendered as Zendesk would, parses as that score whatever the language', (score) => {
    expect(parseZendeskWebhook(JSON.parse(render(csatTriggerBody(score), { comment: 'Sehr langsam' })))).toEqual(rated(score, 'Sehr langsam'));
  });

  it('each trigger sends the score its conditions select', () => {
    for (const score of ['good', 'bad'] as const) {
      const trigger = csatTriggerDefinition(score, WEBHOOK_ID);
      expect(trigger.conditions.any.map((condition) => condition.value)).toEqual([score, `${score}_with_comment`]);
      expect(trigger.actions[0]!.value).toEqual([WEBHOOK_ID, csatTriggerBody(score)]);
      expect(csatTriggerBody(score)).not.toContain('satisfaction.current_rating');
    }
  });

  it('a body from the older single trigger still parses: English ratings as their score, others left for a read-back', () => {
    expect(parseZendeskWebhook(JSON.parse(render(LEGACY_CSAT_TRIGGER_BODY, { rating: "Bad, I'm unsatisfied", comment: 'Too slow' })))).toEqual(rated('bad', 'Too slow'));
    expect(parseZendeskWebhook(JSON.parse(render(LEGACY_CSAT_TRIGGER_BODY, { rating: 'Gut, ich bin zufrieden', comment: 'Danke' })))).toEqual(rated(null, 'Danke'));
  });
});
