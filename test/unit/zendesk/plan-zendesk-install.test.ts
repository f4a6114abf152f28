import { describe, expect, it } from 'vitest';
import { planTrigger, planWebhook } from '../../../src/adapters/zendesk/plan-zendesk-install.js';
import type { ZendeskTrigger, ZendeskWebhook } from '../../../src/adapters/zendesk/zendesk-admin-api.js';
import { csatTriggerBody, csatTriggerDefinition, LEGACY_CSAT_TRIGGER_BODY, legacyCsatTriggerTitle, zendeskWebhookDefinitions } from '../../../src/adapters/zendesk/zendesk-install-definitions.js';

const { events, csat } = zendeskWebhookDefinitions('https://cxloop.example.com');
const asListed = (definition: typeof events, overrides: Partial<ZendeskWebhook> = {}): ZendeskWebhook => ({
  id: 'W1',
  ...definition,
  subscriptions: [...definition.subscriptions],
  ...overrides,
});

describe('planWebhook', () => {
  const cases: Array<{ name: string; existing: ZendeskWebhook[]; expected: unknown }> = [
    { name: 'absent -> create', existing: [], expected: { action: 'create', duplicates: [] } },
    { name: 'only a name that contains it -> create', existing: [asListed(events, { name: 'cxloop-events-old' })], expected: { action: 'create', duplicates: [] } },
    { name: 'same -> unchanged', existing: [asListed(events)], expected: { action: 'unchanged', id: 'W1', duplicates: [] } },
    { name: 'description removed in Admin Center -> update', existing: [asListed(events, { description: null })], expected: { action: 'update', id: 'W1', changes: ['description'], duplicates: [] } },
    {
      name: 'subscriptions in another order -> unchanged',
      existing: [asListed(events, { subscriptions: [...events.subscriptions].reverse() })],
      expected: { action: 'unchanged', id: 'W1', duplicates: [] },
    },
    {
      name: 'endpoint and status drifted -> update, saying both',
      existing: [asListed(events, { endpoint: 'https://old.example.com/webhooks/zendesk', status: 'inactive' })],
      expected: {
        action: 'update',
        id: 'W1',
        changes: ['endpoint https://old.example.com/webhooks/zendesk -> https://cxloop.example.com/webhooks/zendesk', 'status inactive -> active'],
        duplicates: [],
      },
    },
    {
      name: 'a subscription missing and an extra one -> update',
      existing: [asListed(events, { subscriptions: [...events.subscriptions.filter((type) => !type.endsWith('tags_changed')), 'zen:event-type:ticket.subject_changed'] })],
      expected: { action: 'update', id: 'W1', changes: ['subscriptions +ticket.tags_changed -ticket.subject_changed'], duplicates: [] },
    },
    {
      name: 'method and format -> update',
      existing: [asListed(csat, { http_method: 'PUT', request_format: 'xml' })],
      expected: { action: 'update', id: 'W1', changes: ['http_method PUT -> POST', 'request_format xml -> json'], duplicates: [] },
    },
    {
      name: 'two with the exact name -> the first is managed, the rest reported',
      existing: [asListed(events), asListed(events, { id: 'W2' })],
      expected: { action: 'unchanged', id: 'W1', duplicates: ['W2'] },
    },
  ];

  it.each(cases)('$name', ({ existing, expected }) => {
    const desired = existing[0]?.subscriptions.includes('conditional_ticket_events') ? csat : events;
    expect(planWebhook(desired, existing)).toEqual(expected);
  });

  it.each([
    { name: 'events webhook found connected to triggers', desired: events, existing: asListed(csat, { name: events.name }), kind: 'is connected to triggers but must be subscribed to events' },
    { name: 'CSAT webhook found subscribed to events', desired: csat, existing: asListed(events, { name: csat.name }), kind: 'is subscribed to events but must be connected to triggers' },
  ])('$name -> blocked (Zendesk cannot change the connection)', ({ desired, existing, kind }) => {
    expect(planWebhook(desired, [existing])).toEqual({ action: 'blocked', id: 'W1', reason: expect.stringContaining(kind), duplicates: [] });
  });
});

describe('planTrigger', () => {
  const desired = csatTriggerDefinition('good', '01JCSAT');
  const asListed = (overrides: Partial<ZendeskTrigger> = {}): ZendeskTrigger => ({
    id: '77',
    title: desired.title,
    description: desired.description,
    active: true,
    conditions: { all: [...desired.conditions.all], any: [...desired.conditions.any] },
    actions: [...desired.actions],
    ...overrides,
  });

  const cases: Array<{ name: string; existing: ZendeskTrigger[]; expected: unknown }> = [
    { name: 'absent -> create', existing: [], expected: { action: 'create', duplicates: [] } },
    { name: 'same -> unchanged', existing: [asListed()], expected: { action: 'unchanged', id: '77', duplicates: [] } },
    {
      name: 'conditions in another order -> unchanged',
      existing: [asListed({ conditions: { all: [...desired.conditions.all], any: [...desired.conditions.any].reverse() } })],
      expected: { action: 'unchanged', id: '77', duplicates: [] },
    },
    { name: 'inactive -> update', existing: [asListed({ active: false })], expected: { action: 'update', id: '77', changes: ['inactive -> active'], duplicates: [] } },
    {
      name: 'points at another webhook -> update naming both ids',
      existing: [asListed({ actions: [{ field: 'notification_webhook', value: ['01JOLD', csatTriggerBody('good')] }] })],
      expected: { action: 'update', id: '77', changes: ['webhook id in the action 01JOLD -> 01JCSAT'], duplicates: [] },
    },
    {
      name: 'another body -> update',
      existing: [asListed({ actions: [{ field: 'notification_webhook', value: ['01JCSAT', '{"ticket":"{{ticket.id}}"}'] }] })],
      expected: { action: 'update', id: '77', changes: ['webhook body'], duplicates: [] },
    },
    {
      name: 'an extra action -> update',
      existing: [asListed({ actions: [...desired.actions, { field: 'set_tags', value: 'csat' }] })],
      expected: { action: 'update', id: '77', changes: ['actions'], duplicates: [] },
    },
    {
      name: 'no webhook action at all -> update',
      existing: [asListed({ actions: [] })],
      expected: { action: 'update', id: '77', changes: ['actions'], duplicates: [] },
    },
    {
      name: 'a rating value missing -> conditions',
      existing: [asListed({ conditions: { all: [...desired.conditions.all], any: desired.conditions.any.slice(1) } })],
      expected: { action: 'update', id: '77', changes: ['conditions'], duplicates: [] },
    },
    {
      name: 'a condition moved from all to any -> conditions',
      existing: [asListed({ conditions: { all: [], any: [...desired.conditions.all, ...desired.conditions.any] } })],
      expected: { action: 'update', id: '77', changes: ['conditions'], duplicates: [] },
    },
    {
      name: 'a similar title is not cxloop\'s trigger',
      existing: [asListed({ title: `${desired.title} (copy)` })],
      expected: { action: 'create', duplicates: [] },
    },
    {
      name: 'two with the exact title -> the first is managed',
      existing: [asListed(), asListed({ id: '78' })],
      expected: { action: 'unchanged', id: '77', duplicates: ['78'] },
    },
  ];

  it.each(cases)('$name', ({ existing, expected }) => {
    expect(planTrigger(desired, existing)).toEqual(expected);
  });

  describe('adopting the trigger an older cxloop installed ("cxloop: CSAT rating received")', () => {
    const bad = csatTriggerDefinition('bad', '01JCSAT');
    const legacy = asListed({
      id: '50',
      title: legacyCsatTriggerTitle(),
      description: 'Sends good and bad satisfaction ratings to cxloop (managed by `cxloop install zendesk`)',
      conditions: {
        all: [{ field: 'update_type', operator: 'is', value: 'Change' }],
        any: ['good', 'good_with_comment', 'bad', 'bad_with_comment'].map((value) => ({ field: 'satisfaction_score', operator: 'value', value })),
      },
      actions: [{ field: 'notification_webhook', value: ['01JCSAT', LEGACY_CSAT_TRIGGER_BODY] }],
    });

    it('updates it into the new trigger, naming the title, conditions, body and description', () => {
      expect(planTrigger(bad, [legacy], legacyCsatTriggerTitle())).toEqual({
        action: 'update',
        id: '50',
        changes: ['title "cxloop: CSAT rating received" -> "cxloop: CSAT rated bad"', 'conditions', 'webhook body', 'description'],
        duplicates: [],
      });
    });

    it('prefers a trigger with the exact title: the old one is not adopted then', () => {
      const current = asListed({ ...bad, id: '51' });
      expect(planTrigger(bad, [legacy, current], legacyCsatTriggerTitle())).toEqual({ action: 'unchanged', id: '51', duplicates: [] });
    });

    it('without an old title to adopt, creates', () => {
      expect(planTrigger(bad, [legacy])).toEqual({ action: 'create', duplicates: [] });
    });
  });

  it('treats a condition listed with value null like one listed without a value', () => {
    const withoutValue = { ...desired, conditions: { all: [{ field: 'satisfaction_score', operator: 'changed' }], any: [] } };
    expect(planTrigger(withoutValue, [asListed({ conditions: { all: [{ field: 'satisfaction_score', operator: 'changed', value: null }], any: [] } })]).action).toBe('unchanged');
  });
});
