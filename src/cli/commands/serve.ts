import { parseArgs } from 'node:util';
import { JsonLogger } from '../../adapters/log/json-logger.js';
import { parseEnv } from '../../config/env-schema.js';
import { describeProblems } from '../../config/format-issues.js';
import { startCxloop } from '../../main.js';
import { CliError, type CliIo } from '../io.js';
import { loadPolicyOrFail, policyPathOf } from '../load-policy-or-fail.js';

export const SERVE_USAGE = `Usage: cxloop serve [--config <policy>] [--host <address>] [--role all|web|worker]
Starts the HTTP server (Zendesk webhooks, Slack, /healthz, /metrics) and the queue workers.
--role web runs only the server, --role worker only the workers (plus /healthz and /metrics);
all state is in Redis, so any number of each can run side by side. Settings come from the
environment (.env in the working directory is read if present); see .env.example.`;

const ROLES = ['all', 'web', 'worker'] as const;

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
  let app;
  try {
    app = await startCxloop({ env: parsed.env, policy, logger, role, ...(values.host ? { host: values.host } : {}) });
  } catch (error) {
    throw new CliError((error as Error).message, 1, { cause: error });
  }
  io.stderr.write(
    [
      `cxloop listening on ${app.http.url}  (role ${role}, policy ${path})`,
      app.dryRun
        ? 'DRY-RUN: no Zendesk/Slack credentials, nothing is sent. To go live set ZENDESK_SUBDOMAIN, ZENDESK_EMAIL, ZENDESK_API_TOKEN, ZENDESK_WEBHOOK_SECRET, SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET in .env (see .env.example).'
        : 'LIVE: connected to Zendesk and Slack.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string): void => {
      io.stderr.write(`${signal}: shutting down\n`);
      app.stop().then(resolve, resolve);
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
  return 0;
}
