import type { ZendeskTrigger, ZendeskWebhook } from './zendesk-admin-api.js';
import { TRIGGER_SUBSCRIPTION, type TriggerAction, type TriggerCondition, type TriggerDefinition, type WebhookDefinition } from './zendesk-install-definitions.js';

/**
 * What to do about one definition, given what the account holds: create it, update it (saying
 * what differs), or leave it. Pure, so every case is a table row in
 * test/unit/zendesk/plan-zendesk-install.test.ts.
 */
export type InstallPlan =
  | { readonly action: 'create' }
  | { readonly action: 'update'; readonly id: string; readonly changes: readonly string[] }
  | { readonly action: 'unchanged'; readonly id: string };

/** A webhook that exists with the other connection method (events vs triggers) cannot be updated into this one. */
export type WebhookPlan = (InstallPlan | { readonly action: 'blocked'; readonly id: string; readonly reason: string }) & { readonly duplicates: readonly string[] };
export type TriggerPlan = InstallPlan & { readonly duplicates: readonly string[] };

/** The webhook named exactly as defined; others that merely contain the name are not cxloop's. */
export function planWebhook(desired: WebhookDefinition, existing: readonly ZendeskWebhook[]): WebhookPlan {
  const [found, ...others] = existing.filter((webhook) => webhook.name === desired.name);
  const duplicates = others.map((webhook) => webhook.id);
  if (!found) return { action: 'create', duplicates };
  const mismatch = connectionMismatch(desired, found);
  if (mismatch) return { action: 'blocked', id: found.id, reason: mismatch, duplicates };
  const changes = webhookChanges(desired, found);
  return changes.length === 0 ? { action: 'unchanged', id: found.id, duplicates } : { action: 'update', id: found.id, changes, duplicates };
}

/**
 * The trigger titled exactly as defined. When there is none, one titled `adopt` (a trigger an
 * older cxloop installed under another title) is updated into it, title included, instead of
 * creating a second trigger next to it.
 */
export function planTrigger(desired: TriggerDefinition, existing: readonly ZendeskTrigger[], adopt?: string): TriggerPlan {
  const titled = (title: string) => existing.filter((trigger) => trigger.title === title);
  const exact = titled(desired.title);
  const [found, ...others] = exact.length > 0 || adopt === undefined ? exact : titled(adopt);
  const duplicates = others.map((trigger) => trigger.id);
  if (!found) return { action: 'create', duplicates };
  const renamed = found.title === desired.title ? [] : [`title "${found.title}" -> "${desired.title}"`];
  const changes = [...renamed, ...triggerChanges(desired, found)];
  return changes.length === 0 ? { action: 'unchanged', id: found.id, duplicates } : { action: 'update', id: found.id, changes, duplicates };
}

/** Zendesk cannot switch a webhook between event subscriptions and triggers (https://developer.zendesk.com/documentation/webhooks/creating-and-monitoring-webhooks/). */
function connectionMismatch(desired: WebhookDefinition, found: ZendeskWebhook): string | null {
  const wantsTriggers = desired.subscriptions.includes(TRIGGER_SUBSCRIPTION);
  const hasTriggers = found.subscriptions.includes(TRIGGER_SUBSCRIPTION);
  if (wantsTriggers === hasTriggers) return null;
  const kind = (triggers: boolean) => (triggers ? 'connected to triggers' : 'subscribed to events');
  return (
    `webhook ${found.name} (id ${found.id}) is ${kind(hasTriggers)} but must be ${kind(wantsTriggers)}, and Zendesk cannot change that: ` +
    'delete it in Admin Center > Apps and integrations > Webhooks, then run again'
  );
}

export function webhookChanges(desired: WebhookDefinition, actual: ZendeskWebhook): string[] {
  const changes: string[] = [];
  for (const field of ['endpoint', 'status', 'http_method', 'request_format'] as const) {
    if (actual[field] !== desired[field]) changes.push(`${field} ${actual[field]} -> ${desired[field]}`);
  }
  const added = desired.subscriptions.filter((type) => !actual.subscriptions.includes(type));
  const removed = actual.subscriptions.filter((type) => !desired.subscriptions.includes(type));
  if (added.length > 0 || removed.length > 0) {
    changes.push(`subscriptions ${[...added.map((type) => `+${shortType(type)}`), ...removed.map((type) => `-${shortType(type)}`)].join(' ')}`);
  }
  if ((actual.description ?? '') !== desired.description) changes.push('description');
  return changes;
}

export function triggerChanges(desired: TriggerDefinition, actual: ZendeskTrigger): string[] {
  const changes: string[] = [];
  if (actual.active !== desired.active) changes.push(`${actual.active ? 'active' : 'inactive'} -> ${desired.active ? 'active' : 'inactive'}`);
  if (!sameConditions(actual.conditions.all, desired.conditions.all) || !sameConditions(actual.conditions.any, desired.conditions.any)) {
    changes.push('conditions');
  }
  changes.push(...actionChanges(desired.actions, actual.actions));
  if ((actual.description ?? '') !== desired.description) changes.push('description');
  return changes;
}

/** The webhook action is named precisely (its webhook id, its body); any other difference is "actions". */
function actionChanges(desired: readonly TriggerAction[], actual: readonly TriggerAction[]): string[] {
  if (sameList(desired.map(canonical), actual.map(canonical))) return [];
  const want = webhookActionOf(desired);
  const have = webhookActionOf(actual);
  const changes: string[] = [];
  if (want && have && want.webhookId !== have.webhookId) changes.push(`webhook id in the action ${have.webhookId} -> ${want.webhookId}`);
  if (want && have && want.body !== have.body) changes.push('webhook body');
  const others = (actions: readonly TriggerAction[]) => actions.filter((action) => action.field !== 'notification_webhook').map(canonical);
  if (!want || !have || !sameList(others(desired), others(actual))) changes.push('actions');
  return changes;
}

function webhookActionOf(actions: readonly TriggerAction[]): { webhookId: unknown; body: unknown } | null {
  const action = actions.find((candidate) => candidate.field === 'notification_webhook');
  if (!action || !Array.isArray(action.value)) return null;
  return { webhookId: action.value[0], body: action.value[1] };
}

function sameConditions(actual: readonly TriggerCondition[], desired: readonly TriggerCondition[]): boolean {
  const key = (condition: TriggerCondition) => JSON.stringify([condition.field, condition.operator, condition.value ?? null]);
  return sameList(actual.map(key).sort(), desired.map(key).sort());
}

function canonical(action: TriggerAction): string {
  return JSON.stringify([action.field, action.value]);
}

function sameList(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((item, index) => item === right[index]);
}

function shortType(type: string): string {
  return type.replace(/^zen:event-type:/, '');
}
