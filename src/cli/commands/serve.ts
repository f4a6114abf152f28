import { parseArgs } from 'node:util';
import { DryRunRecorder } from '../../adapters/log/dry-run-recorder.js';
import { JsonLogger } from '../../adapters/log/json-logger.js';
import { API_TOKEN_DEPRECATION, isDryRun, parseEnv, zendeskCredentials } from '../../config/env-schema.js';
import { describeUnknownEnvKey, findUnknownEnvKeys } from '../../config/find-unknown-env-keys.js';
import { describeProblems } from '../../config/format-issues.js';
import { startCxloop, type Cxloop } from '../../main.js';
import { CliError, type CliIo } from '../io.js';
import { loadPolicyOrFail, policyPathOf } from '../load-policy-or-fail.js';

export const SERVE_USAGE = `Usage: cxloop serve [--config <policy>] [--host <address>] [--role all|web|worker]
Starts the HTTP server (Zendesk webhooks, Slack, /healthz, /metrics) and the queue workers.
--role web runs only the server, --role worker only the workers (plus /healthz and /metrics);
all state is in Redis, so any number of each can run side by side. Settings come from the
environment (.env in the working directory is read if present); see .env.example.`;

const ROLES = ['all', 'web', 'worker'] as const;
/** A shutdown that has not finished draining by then is cut short (exit 1). */
const SHUTDOWN_TIMEOUT_MS = 30_000;

export async function runServe(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { config: { type: 'string' }, host: { type: 'string' }, role: { type: 'string', default: 'all' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout.write(`${SERVE_USAGE}\n`);
    return 0;
  }
  const role = ROLES.find((candidate) => candidate === values.role);
  if (role === undefined) throw new CliError(`--role must be all, web or worker (got "${values.role}")\n${SERVE_USAGE}`, 2);
  const parsed = parseEnv(io.env);
  if (!parsed.ok) throw new CliError(`invalid environment, refusing to start:\n${describeProblems(parsed.problems)}`);
  const path = policyPathOf(values.config, io.env);
  const policy = await loadPolicyOrFail(path);
  const logger = new JsonLogger(parsed.env.LOG_LEVEL, (line) => io.stdout.write(line));
  for (const unknown of findUnknownEnvKeys(io.env)) logger.log('warn', describeUnknownEnvKey(unknown), { variable: unknown.key, suggestion: unknown.suggestion });
  const recordTo = parsed.env.CXLOOP_DRY_RUN_LOG === 'off' ? null : parsed.env.CXLOOP_DRY_RUN_LOG;
  const recorder = isDryRun(parsed.env) ? new DryRunRecorder({ file: recordTo, terminal: (text) => io.stderr.write(text), logger }) : undefined;
  let app;
  try {
    app = await startCxloop({ env: parsed.env, policy, logger, role, childEnv: { ...io.env, CXLOOP_CONFIG: path }, ...(values.host ? { host: values.host } : {}), ...(recorder ? { recorder } : {}) });
  } catch (error) {
    await recorder?.close();
    throw new CliError((error as Error).message, 1, { cause: error });
  }
  io.stderr.write(banner(app, role, path, recordTo, zendeskCredentials(parsed.env)?.kind === 'api_token'));
  const code = await untilSignalled(app, io);
  await recorder?.close();
  return code;
}

function banner(app: Cxloop, role: string, policyPath: string, recordTo: string | null, apiToken: boolean): string {
  const mode = app.dryRun
    ? [
        `DRY-RUN: nothing is sent to Zendesk or Slack; every call cxloop would make is shown below${recordTo ? ` and appended to ${recordTo} (JSON lines)` : ''}.`,
        'To go live set ZENDESK_SUBDOMAIN, ZENDESK_OAUTH_CLIENT_ID, ZENDESK_OAUTH_CLIENT_SECRET, ZENDESK_WEBHOOK_SECRET, SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET in .env',
        '(see .env.example and README "Going live"; `cxloop doctor` checks them). `npm run demo` shows the whole loop in about 20 seconds.',
      ]
    : ['LIVE: connected to Zendesk and Slack.', ...(apiToken ? [`WARNING: ${API_TOKEN_DEPRECATION}.`] : [])];
  return [`cxloop listening on ${app.http.url}  (role ${role}, policy ${policyPath})`, ...mode, ''].join('\n');
}

/**
 * Runs until SIGTERM or SIGINT, then shuts down gracefully: stop accepting requests, let running
 * jobs finish, close Redis. A second signal, or a drain longer than 30 s, exits at once (code 1);
 * unfinished jobs are retried by the next worker (BullMQ keeps them), so nothing is lost.
 */
function untilSignalled(app: Cxloop, io: CliIo): Promise<number> {
  return new Promise<number>((resolve) => {
    let signalled = false;
    const shutdown = (signal: string): void => {
      if (signalled) {
        io.stderr.write(`${signal} again: stopping without waiting for running jobs\n`);
        process.exit(1);
      }
      signalled = true;
      io.stderr.write(`${signal}: shutting down (no new requests; waiting for running jobs, at most ${SHUTDOWN_TIMEOUT_MS / 1000} s; ${signal} again to stop now)\n`);
      const timer = setTimeout(() => {
        io.stderr.write(`shutdown still waiting after ${SHUTDOWN_TIMEOUT_MS / 1000} s: stopping; unfinished jobs will be retried\n`);
        process.exit(1);
      }, SHUTDOWN_TIMEOUT_MS);
      timer.unref();
      const done = (code: number): void => {
        clearTimeout(timer);
        process.off('SIGTERM', onTerm);
        process.off('SIGINT', onInt);
        resolve(code);
      };
      app.stop().then(
        () => done(0),
        (error: Error) => {
          io.stderr.write(`shutdown failed: ${error.message}\n`);
          done(1);
        },
      );
    };
    const onTerm = (): void => shutdown('SIGTERM');
    const onInt = (): void => shutdown('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
  });
}
