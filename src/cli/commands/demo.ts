import { parseArgs } from 'node:util';
import { JsonLogger } from '../../adapters/log/json-logger.js';
import { parseEnv } from '../../config/env-schema.js';
import { describeProblems } from '../../config/format-issues.js';
import { DEMO_STEP_MINUTES, DEMO_TICKETS } from '../demo/demo-script.js';
import { runDemo } from '../demo/run-demo.js';
import { CliError, type CliIo } from '../io.js';
import { loadPolicyOrFail, policyPathOf } from '../load-policy-or-fail.js';

export const DEMO_USAGE = `Usage: cxloop demo [--fast] [--step-ms 150] [--record <file>] [--keep] [--serve] [--config <policy>]
Shows the whole closed loop in about 20 seconds (8 with --fast), before anything is connected: ${DEMO_TICKETS.length} sample tickets
in ${new Set(DEMO_TICKETS.map((ticket) => ticket.language)).size} languages go through cxloop's real webhook endpoint (signed as Zendesk signs them) on a
simulated clock of ${DEMO_STEP_MINUTES} minutes per step, with people acknowledging in Slack and solving in
Zendesk. Routing, reminders, escalations, automatic status updates with a revised ETA, a CSAT
detractor follow-up and verification happen on their own; two requesters (en, pt) get public
comments in their language with a status-page link. Every Zendesk write and Slack message is
printed as it would be sent (dry run, whatever .env says), then the loop report and the status
links, each opened once to show it answers.
Needs Redis (REDIS_URL); the demo uses its own key prefix and deletes it afterwards.
  --step-ms <ms>     real milliseconds per simulated step with something in it (default 150)
  --fast             no pauses (as fast as the machine goes)
  --record <file>    JSON-lines record of the calls (default .cxloop/demo.jsonl; "off" for none)
  --keep             keep the demo's Redis keys and print how to run \`cxloop report\` on them; leave a few
                     more tickets open, print a sign-in link to the web dashboard and serve it until Ctrl-C
  --serve            keep serving after the report, so the status links open in a browser (Ctrl-C stops)`;

export async function runDemoCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'step-ms': { type: 'string', default: '150' },
      fast: { type: 'boolean', default: false },
      record: { type: 'string', default: '.cxloop/demo.jsonl' },
      keep: { type: 'boolean', default: false },
      serve: { type: 'boolean', default: false },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(`${DEMO_USAGE}\n`);
    return 0;
  }
  const stepDelayMs = values.fast ? 0 : Number(values['step-ms']);
  if (!Number.isInteger(stepDelayMs) || stepDelayMs < 0 || stepDelayMs > 10_000) throw new CliError(`--step-ms must be a whole number of milliseconds, 0 to 10000 (got "${values['step-ms']}")`, 2);
  const parsed = parseEnv(io.env);
  if (!parsed.ok) throw new CliError(`invalid environment:\n${describeProblems(parsed.problems)}`);
  const policy = await loadPolicyOrFail(policyPathOf(values.config, io.env));
  // Only warnings and errors: the story on stdout is the demo's output.
  const logger = new JsonLogger('warn', (line) => io.stderr.write(line));
  try {
    const serveUntil = values.keep || values.serve ? new Promise<void>((resolve) => ['SIGINT', 'SIGTERM'].forEach((signal) => process.once(signal, () => resolve()))) : undefined;
    await runDemo({ env: parsed.env, policy, out: (text) => io.stdout.write(text), stepDelayMs, recordFile: values.record === 'off' ? null : values.record, logger, keep: values.keep, ...(serveUntil ? { serveUntil } : {}) });
  } catch (error) {
    const message = (error as Error).message;
    throw new CliError(message.startsWith('cannot connect to Redis') ? `${message}\n(the demo needs a local Redis: \`redis-server\` or \`docker run -p 6379:6379 redis\`)` : message, 1, { cause: error });
  }
  return 0;
}
