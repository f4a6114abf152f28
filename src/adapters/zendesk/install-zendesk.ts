import { planTrigger, planWebhook, type TriggerPlan, type WebhookPlan } from './plan-zendesk-install.js';
import type { ZendeskAdminApi } from './zendesk-admin-api.js';
import { csatTriggerDefinition, legacyCsatTriggerTitle, zendeskWebhookDefinitions, type TriggerDefinition, type WebhookDefinition } from './zendesk-install-definitions.js';

export interface InstallZendeskOptions {
  /** https://cxloop.example.com, no trailing slash. */
  readonly publicUrl: string;
  /** Prefix of the webhook names and the trigger title ("cxloop"). */
  readonly name: string;
  /** Only changes the wording of progress lines; the api decides whether writes are sent. */
  readonly dryRun: boolean;
}

export interface InstallStep {
  readonly kind: 'webhook' | 'trigger';
  readonly name: string;
  readonly outcome: 'created' | 'updated' | 'unchanged';
  readonly id: string;
  readonly changes: readonly string[];
}

export interface InstallResult {
  readonly steps: readonly InstallStep[];
  /** Signing secrets of the events webhook and the CSAT webhook, in that order. */
  readonly secrets: readonly string[];
}

/** The account holds something cxloop must not change by itself (see the message). */
export class ZendeskInstallBlockedError extends Error {
  override readonly name = 'ZendeskInstallBlockedError';
  readonly code = 'ZENDESK_INSTALL_BLOCKED';
}

/**
 * Makes the account match the definitions: both webhooks, then the two CSAT triggers (good, bad)
 * pointing at the CSAT webhook's id, then reads both signing secrets. Idempotent: what already
 * matches is left alone, so a second run writes nothing. Progress lines never contain a secret.
 *
 * An account set up by an older cxloop has one trigger, "<name>: CSAT rating received", whose body
 * carries the rating as display text. The "good" trigger is created first, then that old trigger
 * is updated into the "bad" one (title, conditions, body), so at no moment is a rating sent by
 * neither; one sent by both has the same delivery key and is applied once.
 */
export async function installZendesk(api: ZendeskAdminApi, options: InstallZendeskOptions, progress: (line: string) => void): Promise<InstallResult> {
  const definitions = zendeskWebhookDefinitions(options.publicUrl, options.name);
  const existing = await api.listWebhooks(options.name);
  const planned = [definitions.events, definitions.csat].map((definition) => ({ definition, plan: planWebhook(definition, existing) }));
  for (const { plan } of planned) {
    if (plan.action === 'blocked') throw new ZendeskInstallBlockedError(plan.reason);
  }
  const webhookSteps: InstallStep[] = [];
  for (const { definition, plan } of planned) webhookSteps.push(await applyWebhook(api, definition, plan, options.dryRun, progress));
  const [events, csat] = webhookSteps as [InstallStep, InstallStep];
  const triggers = await api.searchTriggers(options.name);
  const legacyTitle = legacyCsatTriggerTitle(options.name);
  const good = csatTriggerDefinition('good', csat.id, options.name);
  const bad = csatTriggerDefinition('bad', csat.id, options.name);
  const badPlan = planTrigger(bad, triggers, legacyTitle);
  const triggerSteps = [
    await applyTrigger(api, good, planTrigger(good, triggers), options.dryRun, progress),
    await applyTrigger(api, bad, badPlan, options.dryRun, progress),
  ];
  // Old triggers the "bad" plan did not adopt (nor already report as duplicates) still fire: say so.
  const handled = new Set([...(badPlan.action === 'create' ? [] : [badPlan.id]), ...badPlan.duplicates]);
  const leftOver = triggers.filter((trigger) => trigger.title === legacyTitle && !handled.has(trigger.id));
  if (leftOver.length > 0) {
    progress(
      `warning: trigger "${legacyTitle}" (id ${leftOver.map((trigger) => trigger.id).join(', ')}) is from an older cxloop and sends ratings as display text: ` +
        'delete it in Admin Center > Objects and rules > Triggers (the two triggers above replace it)',
    );
  }
  const secrets = [await api.signingSecret(events.id), await api.signingSecret(csat.id)];
  progress(await describeCsat(api));
  return { steps: [...webhookSteps, ...triggerSteps], secrets };
}

/**
 * Which CSAT the account uses, and how cxloop gets it. Survey responses are ticket audit events,
 * which no webhook delivers: the worker reads them from the ticket event export, so there is
 * nothing to subscribe to in Zendesk for them. The legacy triggers are installed either way, for
 * an account that is on (or goes back to) legacy ratings.
 */
async function describeCsat(api: ZendeskAdminApi): Promise<string> {
  let legacy: boolean;
  try {
    legacy = await api.legacyCsatOn();
  } catch (error) {
    return `CSAT: cannot read which kind the account uses (${(error as Error).message}); both are covered: legacy ratings by the triggers above, survey responses from the ticket event export`;
  }
  return legacy
    ? 'CSAT: the account uses legacy good/bad satisfaction ratings: the two triggers above send them to cxloop'
    : "CSAT: the account uses CSAT survey responses (legacy ratings are off): cxloop's worker reads them from Zendesk's ticket event export on the reconciliation schedule and scores them with the policy's loop.csat_survey (no webhook carries them)";
}

async function applyWebhook(api: ZendeskAdminApi, definition: WebhookDefinition, plan: WebhookPlan, dryRun: boolean, progress: (line: string) => void): Promise<InstallStep> {
  if (plan.action === 'blocked') throw new ZendeskInstallBlockedError(plan.reason);
  const writes = { create: () => api.createWebhook(definition), update: (id: string) => api.updateWebhook(id, definition) };
  return applyPlan({ kind: 'webhook', name: definition.name, label: `webhook ${definition.name}` }, plan, writes, dryRun, progress);
}

async function applyTrigger(api: ZendeskAdminApi, definition: TriggerDefinition, plan: TriggerPlan, dryRun: boolean, progress: (line: string) => void): Promise<InstallStep> {
  const writes = { create: () => api.createTrigger(definition), update: (id: string) => api.updateTrigger(id, definition) };
  return applyPlan({ kind: 'trigger', name: definition.title, label: `trigger "${definition.title}"` }, plan, writes, dryRun, progress);
}

/** Carries out one webhook's or trigger's plan (create, update or leave it) and reports it. */
async function applyPlan(
  target: { kind: InstallStep['kind']; name: string; label: string },
  plan: TriggerPlan,
  writes: { create(): Promise<string>; update(id: string): Promise<void> },
  dryRun: boolean,
  progress: (line: string) => void,
): Promise<InstallStep> {
  warnDuplicates(target.label, plan, progress);
  const { kind, name } = target;
  let step: InstallStep;
  if (plan.action === 'create') {
    step = { kind, name, outcome: 'created', id: await writes.create(), changes: [] };
  } else if (plan.action === 'update') {
    await writes.update(plan.id);
    step = { kind, name, outcome: 'updated', id: plan.id, changes: plan.changes };
  } else {
    step = { kind, name, outcome: 'unchanged', id: plan.id, changes: [] };
  }
  progress(describeStep(target.label, step, dryRun));
  return step;
}

/** "webhook cxloop-events: updated (id 01H...): endpoint a -> b; status inactive -> active" */
function describeStep(label: string, step: InstallStep, dryRun: boolean): string {
  const changes = step.changes.length > 0 ? `: ${step.changes.join('; ')}` : '';
  if (step.outcome === 'unchanged') return `${label}: unchanged (id ${step.id})`;
  if (dryRun && step.outcome === 'created') return `${label}: would be created`;
  if (dryRun) return `${label}: would be updated (id ${step.id})${changes}`;
  return `${label}: ${step.outcome} (id ${step.id})${changes}`;
}

/** Only a found definition can have duplicates: several webhooks (or triggers) with its exact name. */
function warnDuplicates(label: string, plan: WebhookPlan | TriggerPlan, progress: (line: string) => void): void {
  if (plan.action === 'create' || plan.duplicates.length === 0) return;
  progress(`warning: ${label} exists ${plan.duplicates.length + 1} times; cxloop manages ${plan.id} and leaves ${plan.duplicates.join(', ')} alone (delete the extra ones in Admin Center)`);
}
