import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPackageRoot } from '../../config/package-root.js';
import { CATEGORY_IDS, categoryLabel } from '../../core/taxonomy.js';
import { categoryTag } from '../../core/ticket-event.js';
import { CSAT_SCORES, csatTriggerDefinition, zendeskWebhookDefinitions } from './zendesk-install-definitions.js';
import { solidPng, zipFiles } from './zip-files.js';

/**
 * The cxloop Zendesk app (Zendesk Apps Framework v2) as files: manifest.json, requirements.json,
 * translations/en.json and the ticket sidebar's assets (manifests/zendesk-app/). The manifest and
 * requirements are built here from the same definitions `cxloop install zendesk` uses.
 * https://developer.zendesk.com/documentation/apps/app-developer-guide/manifest/
 * https://developer.zendesk.com/documentation/apps/app-developer-guide/apps_requirements/
 */
export const ZENDESK_APP_SOURCE = join(findPackageRoot(), 'manifests', 'zendesk-app');
const STATIC_FILES = ['assets/iframe.html', 'assets/sidebar.js', 'assets/sidebar.css', 'translations/en.json'] as const;
/** The requirement keys: Zendesk creates these resources on install and deletes them on uninstall. */
export const REQUIREMENT_KEYS = { events: 'cxloop_events', csat: 'cxloop_csat', categoryField: 'cxloop_category' } as const;

export interface ZendeskAppSecrets {
  /** The app's shared secret (its secure setting; cxloop's ZENDESK_APP_SECRET). */
  readonly app: string;
  /** Signing secrets of the two webhooks the app's requirements create (ZENDESK_WEBHOOK_SECRET). */
  readonly events: string;
  readonly csat: string;
}

export function generateZendeskAppSecrets(): ZendeskAppSecrets {
  const secret = () => randomBytes(32).toString('base64url');
  return { app: secret(), events: secret(), csat: secret() };
}

export interface ZendeskAppOptions {
  /** cxloop's public https address (no trailing slash): the only domain the app may call. */
  readonly publicUrl: string;
  readonly version: string;
  readonly authorEmail: string;
  readonly secrets: ZendeskAppSecrets;
  /** false: leave webhooks and triggers to `cxloop install zendesk` (already set up that way). */
  readonly withRequirements: boolean;
}

export function zendeskAppFiles(options: ZendeskAppOptions): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  files.set('manifest.json', json(zendeskAppManifest(options)));
  if (options.withRequirements) files.set('requirements.json', json(zendeskAppRequirements(options.publicUrl, options.secrets)));
  for (const path of STATIC_FILES) {
    const text = readFileSync(join(ZENDESK_APP_SOURCE, path), 'utf8');
    files.set(path, Buffer.from(text.replaceAll('{{CXLOOP_PUBLIC_URL}}', options.publicUrl), 'utf8'));
  }
  files.set('assets/logo.png', solidPng(320, LOGO_RGB));
  files.set('assets/logo-small.png', solidPng(128, LOGO_RGB));
  return files;
}

const LOGO_RGB = [31, 115, 183] as const;

/** The zip an admin uploads as a private app (Admin Center > Apps and integrations > Zendesk Support apps > Upload private app). */
export function zendeskAppZip(options: ZendeskAppOptions): Buffer {
  return zipFiles(zendeskAppFiles(options), new Date(Date.UTC(2026, 0, 1)));
}

export function zendeskAppManifest(options: Pick<ZendeskAppOptions, 'publicUrl' | 'version' | 'authorEmail'>): unknown {
  return {
    name: 'cxloop',
    author: { name: 'cxloop', email: options.authorEmail, url: options.publicUrl },
    defaultLocale: 'en',
    private: true,
    location: { support: { ticket_sidebar: { url: 'assets/iframe.html', flexible: true } } },
    version: options.version,
    frameworkVersion: '2.0',
    // secure settings are sent only to these hosts, through Zendesk's proxy.
    domainWhitelist: [new URL(options.publicUrl).hostname],
    parameters: [{ name: 'shared_secret', type: 'text', secure: true, required: true }],
  };
}

/**
 * What the app creates on install, as `cxloop install zendesk` would: both webhooks (with signing
 * secrets cxloop knows), the two CSAT triggers calling the csat webhook (named by its requirement
 * key), and a "cxloop category" drop-down whose options are cxloop's category tags, so agents
 * see and change the category in the ticket form (a change is recorded as their correction).
 */
export function zendeskAppRequirements(publicUrl: string, secrets: Pick<ZendeskAppSecrets, 'events' | 'csat'>): unknown {
  const webhooks = zendeskWebhookDefinitions(publicUrl);
  const managed = (description: string) => description.replace('managed by `cxloop install zendesk`', 'created by the cxloop app; removed when it is uninstalled');
  return {
    webhooks: {
      [REQUIREMENT_KEYS.events]: { ...webhooks.events, description: managed(webhooks.events.description), signing_secret: { algorithm: 'sha256', secret: secrets.events } },
      [REQUIREMENT_KEYS.csat]: { ...webhooks.csat, description: managed(webhooks.csat.description), signing_secret: { algorithm: 'sha256', secret: secrets.csat } },
    },
    triggers: Object.fromEntries(
      CSAT_SCORES.map((score) => {
        const trigger = csatTriggerDefinition(score, REQUIREMENT_KEYS.csat);
        return [`cxloop_csat_${score}`, { ...trigger, description: managed(trigger.description) }];
      }),
    ),
    ticket_fields: {
      [REQUIREMENT_KEYS.categoryField]: {
        type: 'tagger',
        title: 'cxloop category',
        description: 'The category cxloop routed the ticket to; changing it is recorded as your correction.',
        active: true,
        custom_field_options: CATEGORY_IDS.map((id) => ({ name: categoryLabel(id), value: categoryTag(id) })),
      },
    },
  };
}

function json(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}
