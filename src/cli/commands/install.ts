import { parseArgs } from 'node:util';
import { DryRunZendeskAdminApi, SECRET_PLACEHOLDER } from '../../adapters/zendesk/dry-run-zendesk-admin-api.js';
import { installZendesk, ZendeskInstallBlockedError, type InstallResult, type InstallZendeskOptions } from '../../adapters/zendesk/install-zendesk.js';
import { NodeZendeskAdminApi } from '../../adapters/zendesk/node-zendesk-admin-api.js';
import type { ZendeskAdminApi } from '../../adapters/zendesk/zendesk-admin-api.js';
import { createZendeskAuth, MemoryAccessTokenCache, ZENDESK_ADMIN_SCOPES } from '../../adapters/zendesk/zendesk-auth.js';
import type { AdminRequest } from '../../adapters/zendesk/zendesk-admin-requests.js';
import { isZendeskError } from '../../app/zendesk-api-error.js';
import { API_TOKEN_DEPRECATION, parseEnv, zendeskBaseUrl, zendeskCredentials, type Env } from '../../config/env-schema.js';
import { describeProblems } from '../../config/format-issues.js';
import { CliError, type CliIo } from '../io.js';
import { publicUrlOf } from '../parse-public-url.js';

export const INSTALL_USAGE = `Usage: cxloop install zendesk [--url <https://...>] [--dry-run] [--name cxloop] [--json]
Creates or updates, through the Zendesk API, what cxloop needs in Zendesk: a webhook subscribed to
ticket events, a webhook for CSAT ratings and the triggers "<name>: CSAT rated good" and "<name>:
CSAT rated bad" that call it (an older "<name>: CSAT rating received" becomes the bad one). Both
webhooks point at <url>/webhooks/zendesk. Safe to run again: what already matches is left alone.
Ends by printing the .env lines to set (ZENDESK_WEBHOOK_SECRET, CXLOOP_PUBLIC_URL).
  --url <url>     public https address of cxloop (default: $CXLOOP_PUBLIC_URL)
  --dry-run       change nothing: print every request it would send (reads still go to Zendesk when
                  credentials are set; without them, the requests for a fresh account)
  --name <name>   prefix of the webhook names and trigger title (default: cxloop)
  --json          the outcome as JSON on stdout
Needs ZENDESK_SUBDOMAIN and cxloop's OAuth client (ZENDESK_OAUTH_CLIENT_ID, ZENDESK_OAUTH_CLIENT_SECRET), created by a
Zendesk admin; the deprecated ZENDESK_EMAIL + ZENDESK_API_TOKEN of an admin still work until 2027-04-30.
The same definitions, for setting up by hand with curl: manifests/zendesk/.
\`cxloop install zendesk-app --help\`: the Zendesk sidebar app, which can create all of this itself.`;

const NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/i;

export async function runInstall(args: string[], io: CliIo): Promise<number> {
  if (args[0] === 'zendesk-app') {
    const { runInstallZendeskApp } = await import('./install-zendesk-app.js');
    return runInstallZendeskApp(args.slice(1), io);
  }
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      name: { type: 'string', default: 'cxloop' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(`${INSTALL_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== 'zendesk') throw new CliError(`say what to install: "cxloop install zendesk" or "cxloop install zendesk-app"\n${INSTALL_USAGE}`, 2);
  if (!NAME.test(values.name)) throw new CliError(`--name: "${values.name}" must be 1 to 40 letters, digits, _ or - (it prefixes the webhook names)`, 2);
  const parsed = parseEnv(io.env);
  if (!parsed.ok) throw new CliError(`invalid environment:\n${describeProblems(parsed.problems)}`);
  const publicUrl = publicUrlOf(values.url, parsed.env.CXLOOP_PUBLIC_URL, io);
  const dryRun = values['dry-run'];
  const requests: AdminRequest[] = [];
  const api = adminApiFor(parsed.env, dryRun, io, requests);
  const progress = (line: string) => void io.stderr.write(`${line}\n`);
  const result = await installOrExplain(api, { publicUrl, name: values.name, dryRun }, progress);
  io.stdout.write(values.json ? `${JSON.stringify(jsonReport(result, publicUrl, dryRun, requests), null, 2)}\n` : textReport(result, publicUrl, dryRun, requests));
  return 0;
}


/** The live API; in a dry run, the recorder in front of it (or alone, without credentials). */
function adminApiFor(env: Env, dryRun: boolean, io: CliIo, requests: AdminRequest[]): ZendeskAdminApi {
  const record = (request: AdminRequest) => void requests.push(request);
  const baseUrl = zendeskBaseUrl(env);
  const credentials = zendeskCredentials(env);
  if (baseUrl === null || credentials === null) {
    const missing = [...(baseUrl === null ? ['ZENDESK_SUBDOMAIN'] : []), ...(credentials === null ? ['ZENDESK_OAUTH_CLIENT_ID', 'ZENDESK_OAUTH_CLIENT_SECRET'] : [])].join(', ');
    if (!dryRun) {
      throw new CliError(
        `set ${missing} in .env: the Zendesk subdomain and cxloop's OAuth client, created by an admin in ` +
          'Admin Center > Apps and integrations > APIs > OAuth clients (kind: confidential). Or add --dry-run to see the requests.',
      );
    }
    io.stderr.write(`dry run without Zendesk credentials (${missing} not set): the requests for a fresh account\n`);
    return new DryRunZendeskAdminApi(null, record);
  }
  if (credentials.kind === 'api_token') io.stderr.write(`warning: ${API_TOKEN_DEPRECATION}\n`);
  const live = new NodeZendeskAdminApi({
    baseUrl,
    auth: createZendeskAuth(credentials, { baseUrl, cache: new MemoryAccessTokenCache(), scopes: ZENDESK_ADMIN_SCOPES }),
    onRateLimited: (waitMs, label) => io.stderr.write(`Zendesk rate limit on ${label}: waiting ${Math.ceil(waitMs / 1000)} s\n`),
  });
  return dryRun ? new DryRunZendeskAdminApi(live, record) : live;
}

/** Zendesk failures and blocked plans become one plain line (exit 1). */
async function installOrExplain(api: ZendeskAdminApi, options: InstallZendeskOptions, progress: (line: string) => void): Promise<InstallResult> {
  try {
    return await installZendesk(api, options, progress);
  } catch (error) {
    if (isZendeskError(error) || error instanceof ZendeskInstallBlockedError) throw new CliError(error.message, 1, { cause: error });
    throw error;
  }
}

function envLines(result: InstallResult, publicUrl: string): { ZENDESK_WEBHOOK_SECRET: string; CXLOOP_PUBLIC_URL: string } {
  return { ZENDESK_WEBHOOK_SECRET: result.secrets.join(','), CXLOOP_PUBLIC_URL: publicUrl };
}

/** Dry run: every request in order; then, always, the .env lines (the only place secrets appear). */
function textReport(result: InstallResult, publicUrl: string, dryRun: boolean, requests: readonly AdminRequest[]): string {
  const lines: string[] = [];
  if (dryRun) {
    lines.push(requests.length === 0 ? 'Dry run: Zendesk already matches, nothing would be sent.' : `Dry run: ${requests.length} request(s) would be sent, in this order:`, '');
    for (const request of requests) lines.push(`${request.method} ${request.path}`, JSON.stringify(request.body, null, 2), '');
  }
  const env = envLines(result, publicUrl);
  const secretsNote = env.ZENDESK_WEBHOOK_SECRET.includes(SECRET_PLACEHOLDER) ? ' (secrets exist once the webhooks do: run without --dry-run)' : '';
  lines.push(`# Set in cxloop's .env${secretsNote}:`, `ZENDESK_WEBHOOK_SECRET=${env.ZENDESK_WEBHOOK_SECRET}`, `CXLOOP_PUBLIC_URL=${env.CXLOOP_PUBLIC_URL}`);
  return `${lines.join('\n')}\n`;
}

function jsonReport(result: InstallResult, publicUrl: string, dryRun: boolean, requests: readonly AdminRequest[]): unknown {
  return {
    dryRun,
    steps: result.steps,
    ...(dryRun ? { requests: requests.map(({ method, path, body }) => ({ method, path, body })) } : {}),
    env: envLines(result, publicUrl),
  };
}
