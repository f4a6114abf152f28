import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { removeZendeskApp, uploadZendeskApp } from '../../adapters/zendesk/install-zendesk-app.js';
import { generateZendeskAppSecrets, zendeskAppZip, type ZendeskAppSecrets } from '../../adapters/zendesk/zendesk-app-package.js';
import { ZendeskAppsApi } from '../../adapters/zendesk/zendesk-apps-api.js';
import { createZendeskAuth, MemoryAccessTokenCache, ZENDESK_APP_INSTALL_SCOPES } from '../../adapters/zendesk/zendesk-auth.js';
import { isZendeskError } from '../../app/zendesk-api-error.js';
import { parseEnv, zendeskBaseUrl, zendeskCredentials, type Env } from '../../config/env-schema.js';
import { describeProblems } from '../../config/format-issues.js';
import { CliError, type CliIo } from '../io.js';
import { publicUrlOf } from '../parse-public-url.js';

export const INSTALL_APP_USAGE = `Usage: cxloop install zendesk-app [--url <https://...>] [--out <file.zip>] [--upload] [--remove] [--no-requirements] [--email <address>]
Builds cxloop's Zendesk app (ticket sidebar: the loop's stage, owner, clocks and why it was routed;
correct the category; post a status update; a link to the Slack card) as a zip an admin uploads as
a private app (Admin Center > Apps and integrations > Zendesk Support apps > Upload private app),
and with --upload uploads and installs it through the Apps API. Its requirements.json creates the
webhooks, CSAT triggers and a "cxloop category" ticket field on install, and uninstalling the app
removes them: use it instead of \`cxloop install zendesk\`, not with it (or pass --no-requirements).
Ends by printing the .env lines to set (ZENDESK_APP_SECRET, and ZENDESK_WEBHOOK_SECRET for the
webhooks the app creates); an admin uploading the zip by hand pastes ZENDESK_APP_SECRET into the
app's Shared secret.
  --url <url>          public https address of cxloop (default: $CXLOOP_PUBLIC_URL)
  --out <file>         where to write the zip (default: cxloop-zendesk-app.zip)
  --upload             upload and install it (needs ZENDESK_SUBDOMAIN and an OAuth client with apps:read, apps:write)
  --remove             uninstall and delete the app instead: nothing it created stays in the account
  --no-requirements    leave webhooks and triggers to \`cxloop install zendesk\`
  --email <address>    the app's author email (default: cxloop@<host of --url>)
Secrets: ZENDESK_APP_SECRET is reused when set; the two webhook secrets are reused when
ZENDESK_WEBHOOK_SECRET holds exactly two (events, csat), else new ones are made.`;

export async function runInstallZendeskApp(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      out: { type: 'string', default: 'cxloop-zendesk-app.zip' },
      upload: { type: 'boolean', default: false },
      remove: { type: 'boolean', default: false },
      'no-requirements': { type: 'boolean', default: false },
      email: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(`${INSTALL_APP_USAGE}\n`);
    return 0;
  }
  const parsed = parseEnv(io.env);
  if (!parsed.ok) throw new CliError(`invalid environment:\n${describeProblems(parsed.problems)}`);
  const env = parsed.env;
  const progress = (line: string) => void io.stderr.write(`${line}\n`);
  if (values.remove) {
    await orExplain(removeZendeskApp(appsApiFor(env), progress));
    return 0;
  }
  const publicUrl = publicUrlOf(values.url, env.CXLOOP_PUBLIC_URL, io);
  const secrets = secretsFrom(env);
  const zip = zendeskAppZip({
    publicUrl,
    version: '1.0.0',
    authorEmail: values.email ?? `cxloop@${new URL(publicUrl).hostname}`,
    secrets,
    withRequirements: !values['no-requirements'],
  });
  const out = resolve(values.out);
  await writeFile(out, zip);
  progress(`wrote ${out} (${zip.length} bytes): upload it as a private app, or run again with --upload`);
  if (values.upload) await orExplain(uploadZendeskApp(appsApiFor(env), zip, secrets.app, progress));
  const lines = ["# Set in cxloop's .env:", `ZENDESK_APP_SECRET=${secrets.app}`];
  if (!values['no-requirements']) lines.push(`ZENDESK_WEBHOOK_SECRET=${secrets.events},${secrets.csat}`);
  lines.push(`CXLOOP_PUBLIC_URL=${publicUrl}`);
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function secretsFrom(env: Env): ZendeskAppSecrets {
  const fresh = generateZendeskAppSecrets();
  const webhook = env.ZENDESK_WEBHOOK_SECRET?.split(',') ?? [];
  const [events, csat] = webhook.length === 2 ? (webhook as [string, string]) : [fresh.events, fresh.csat];
  return { app: env.ZENDESK_APP_SECRET?.split(',')[0] ?? fresh.app, events, csat };
}

function appsApiFor(env: Env): ZendeskAppsApi {
  const baseUrl = zendeskBaseUrl(env);
  const credentials = zendeskCredentials(env);
  if (baseUrl === null || credentials === null) {
    throw new CliError('set ZENDESK_SUBDOMAIN, ZENDESK_OAUTH_CLIENT_ID and ZENDESK_OAUTH_CLIENT_SECRET in .env (an admin\'s OAuth client with the apps:read and apps:write scopes), or leave out --upload and upload the zip by hand');
  }
  return new ZendeskAppsApi({ baseUrl, auth: createZendeskAuth(credentials, { baseUrl, cache: new MemoryAccessTokenCache(), scopes: ZENDESK_APP_INSTALL_SCOPES }) });
}


async function orExplain<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (error) {
    if (isZendeskError(error)) throw new CliError(error.message, 1, { cause: error });
    throw error;
  }
}

