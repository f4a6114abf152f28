import { usableSecrets } from '../../../adapters/zendesk/verify-signature.js';
import { isDryRun, zendeskCredentials, type Env } from '../../../config/env-schema.js';
import { failed, passed, skipped, warned, type DoctorResult } from './doctor-result.js';

/** The webhook signing secret(s): without one a live cxloop refuses to start; never printed, only counted. */
export function checkWebhookSecret(env: Env): DoctorResult {
  const fix =
    "run cxloop install zendesk (it prints the ZENDESK_WEBHOOK_SECRET line), or copy the signing secrets of cxloop's webhooks (Admin Center > Apps and integrations > Webhooks), comma-separated";
  if (env.ZENDESK_WEBHOOK_SECRET === undefined) {
    if (!isDryRun(env)) return failed('zendesk-webhook', 'ZENDESK_WEBHOOK_SECRET is not set: cxloop serve refuses to start live without it', fix);
    if (zendeskCredentials(env) === null) return skipped('zendesk-webhook', 'dry-run without Zendesk credentials (webhooks are checked with the built-in test secret)');
    return warned('zendesk-webhook', 'ZENDESK_WEBHOOK_SECRET is not set: real Zendesk webhooks fail the signature check (a dry run verifies with the built-in test secret)', fix);
  }
  const secrets = usableSecrets(env.ZENDESK_WEBHOOK_SECRET.split(','));
  if (secrets.length === 0) return failed('zendesk-webhook', 'ZENDESK_WEBHOOK_SECRET holds only commas or spaces: cxloop serve refuses to start', fix);
  return passed('zendesk-webhook', `${secrets.length} signing secret${secrets.length === 1 ? '' : 's'} set (ZENDESK_WEBHOOK_SECRET)`);
}
