import { setTimeout as sleep } from 'node:timers/promises';
import { ZendeskApiError } from '../../app/zendesk-api-error.js';
import type { ZendeskAppsApi } from './zendesk-apps-api.js';

export const ZENDESK_APP_NAME = 'cxloop';
const SHORT_DESCRIPTION = "cxloop's closed loop in the ticket sidebar";
const POLL_MS = 2_000;
const MAX_POLLS = 90;

export interface ZendeskAppUpload {
  readonly appId: number;
  readonly installationId: number;
  /** created: a new private app; updated: a new version of the one already there. */
  readonly app: 'created' | 'updated';
}

/**
 * Uploads the app's zip and installs it with its shared secret: a new private app named cxloop, or
 * a new version of the one the account has (and its installation's settings replaced). Zendesk
 * builds the app as a job; this waits for it.
 */
export async function uploadZendeskApp(
  api: ZendeskAppsApi,
  zip: Buffer,
  sharedSecret: string,
  progress: (line: string) => void,
  wait: { readonly pollMs?: number; readonly maxPolls?: number } = {},
): Promise<ZendeskAppUpload> {
  const existing = await api.ownedApp(ZENDESK_APP_NAME);
  const uploadId = await api.upload(zip, 'cxloop-zendesk-app.zip');
  progress(`uploaded the app package (${zip.length} bytes, upload ${uploadId})`);
  const jobId = await api.buildApp({ uploadId, name: ZENDESK_APP_NAME, shortDescription: SHORT_DESCRIPTION }, existing?.id ?? null);
  let appId = existing?.id ?? null;
  for (let poll = 0; ; poll += 1) {
    const status = await api.jobStatus(jobId);
    if (status.status === 'completed') {
      appId = status.appId ?? appId;
      break;
    }
    if (status.status === 'failed' || status.status === 'killed') throw new ZendeskApiError('REJECTED', `Zendesk could not build the app: ${status.message ?? status.status}`);
    if (poll >= (wait.maxPolls ?? MAX_POLLS)) throw new ZendeskApiError('UNAVAILABLE', `Zendesk is still building the app (job ${jobId}); run the command again later`);
    await sleep(wait.pollMs ?? POLL_MS);
  }
  if (appId === null) throw new ZendeskApiError('REJECTED', `Zendesk built the app (job ${jobId}) but named no app id`);
  progress(`${existing ? 'updated' : 'created'} the private app ${ZENDESK_APP_NAME} (id ${appId})`);
  const installation = existing ? await api.installationOf(appId) : null;
  const installationId = await api.install(appId, { name: ZENDESK_APP_NAME, shared_secret: sharedSecret }, installation?.id ?? null);
  progress(`${installation ? 'updated the settings of' : 'installed'} the app (installation ${installationId}); Zendesk creates its webhooks, triggers and ticket field now`);
  return { appId, installationId, app: existing ? 'updated' : 'created' };
}

/**
 * Uninstalls the app and deletes it: Zendesk removes what its requirements created (webhooks,
 * triggers, the ticket field), so nothing of cxloop's setup is left in the account.
 */
export async function removeZendeskApp(api: ZendeskAppsApi, progress: (line: string) => void): Promise<boolean> {
  const app = await api.ownedApp(ZENDESK_APP_NAME);
  if (app === null) {
    progress(`no private app named ${ZENDESK_APP_NAME} in this account: nothing to remove`);
    return false;
  }
  const installation = await api.installationOf(app.id);
  if (installation) {
    await api.uninstall(installation.id);
    progress(`uninstalled the app (installation ${installation.id}): Zendesk removes its webhooks, triggers and ticket field`);
  }
  await api.deleteApp(app.id);
  progress(`deleted the private app ${ZENDESK_APP_NAME} (id ${app.id})`);
  return true;
}
