import { existsSync } from 'node:fs';
import { runClassify } from './commands/classify.js';
import { runConfig } from './commands/config-check.js';
import { runDeadLetters } from './commands/dead-letters.js';
import { runDemoCommand } from './commands/demo.js';
import { runDoctor } from './commands/doctor.js';
import { runEval } from './commands/eval.js';
import { runInstall } from './commands/install.js';
import { runReport } from './commands/report.js';
import { runServe } from './commands/serve.js';
import { CliError, processIo, type CliIo } from './io.js';

const HELP = `cxloop: closed-loop Zendesk + Slack ticket routing

Usage: cxloop <command> [options]

Commands:
  serve                     start the HTTP server (Zendesk webhooks, Slack, /healthz, /metrics)
  demo                      the whole closed loop in about a minute, dry-run, nothing connected
  classify "<text>"         classify a text, or a JSON ticket on stdin, and say why
  eval <file.csv>...        measure the classifier on labeled CSV files
  config check [file]       validate a policy file and the environment
  report [--since 7d]       closed-loop figures from the loops' history (--json for JSON)
  install zendesk [--url]   set up cxloop's Zendesk webhooks and CSAT trigger (--dry-run to preview)
  doctor [--json]           check config, Redis, Zendesk, Slack and the public URL; say what to fix
  dead-letters [--replay]   what failed for good (jobs, Slack messages); queue it again
  help                      this text

Run "cxloop <command> --help" for a command's options.`;

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  serve: runServe,
  demo: runDemoCommand,
  classify: runClassify,
  eval: runEval,
  config: runConfig,
  report: runReport,
  install: runInstall,
  doctor: runDoctor,
  'dead-letters': runDeadLetters,
};

/** Runs one command and returns its exit code; expected failures are one clear line on stderr. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(`${HELP}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`cxloop: unknown command "${name}"\n\n${HELP}\n`);
    return 2;
  }
  try {
    return await command(args, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`cxloop ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`cxloop ${name}: ${error.message}\nRun "cxloop ${name} --help" for its options.\n`);
      return 2;
    }
    throw error;
  }
}

export async function main(): Promise<void> {
  loadDotEnv();
  process.exitCode = await runCli(process.argv.slice(2), processIo());
}

/** Reads ./.env into process.env when present; variables already set win (Node's loadEnvFile rule). */
function loadDotEnv(): void {
  if (!existsSync('.env')) return;
  process.loadEnvFile('.env');
}
