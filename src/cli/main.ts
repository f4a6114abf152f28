import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPackageRoot } from '../config/package-root.js';
import { didYouMean } from '../core/closest-match.js';
import { CliError, processIo, type CliIo } from './io.js';

const HELP = `cxloop: closed-loop Zendesk + Slack ticket routing

Usage: cxloop <command> [options]

Commands:
  serve                     start the HTTP server (Zendesk webhooks, Slack, /healthz, /metrics)
  demo                      the whole closed loop on six sample tickets in about 20 s, dry-run
  classify "<text>"         classify a text, or a JSON ticket on stdin, and say why
  eval <file.csv>...        measure the classifier on labeled CSV files (--model: with a learned model)
  train <file.csv>... | --from-zendesk
                            learn this install's tickets (and agents' corrections); store the model
  export-training --from-zendesk --out <file.csv>
                            the account's solved tickets, labelled, as training CSV
  config check [file]       validate a policy file and the environment
  report [--since 7d]       closed-loop figures from the loops' history (--json for JSON)
  install zendesk [--url]   set up cxloop's Zendesk webhooks and CSAT trigger (--dry-run to preview)
  doctor [--json]           check config, Redis, Zendesk, Slack and the public URL; say what to fix
  dead-letters [--replay]   what failed for good (jobs, Slack messages); queue it again
  install zendesk-app       the Zendesk sidebar app: a zip for an admin, or --upload it
  status-link revoke <id>   end a ticket's status-page link at once
  help                      this text
  --version                 cxloop's version

Run "cxloop <command> --help" for a command's options.`;

type Command = (args: string[], io: CliIo) => Promise<number>;

/**
 * Each command's module is loaded when it runs, so a command loads only what it needs: `help`,
 * `config check` and `classify` never load Bolt, BullMQ or ioredis (bench/run.ts measures it).
 */
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  serve: async () => (await import('./commands/serve.js')).runServe,
  demo: async () => (await import('./commands/demo.js')).runDemoCommand,
  classify: async () => (await import('./commands/classify.js')).runClassify,
  eval: async () => (await import('./commands/eval.js')).runEval,
  'export-training': async () => (await import('./commands/export-training.js')).runExportTraining,
  train: async () => (await import('./commands/train.js')).runTrain,
  config: async () => (await import('./commands/config-check.js')).runConfig,
  report: async () => (await import('./commands/report.js')).runReport,
  install: async () => (await import('./commands/install.js')).runInstall,
  doctor: async () => (await import('./commands/doctor.js')).runDoctor,
  'dead-letters': async () => (await import('./commands/dead-letters.js')).runDeadLetters,
  'status-link': async () => (await import('./commands/status-link.js')).runStatusLink,
};

/** Runs one command and returns its exit code; expected failures are one clear line on stderr. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(`${HELP}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === 'version') {
    io.stdout.write(`cxloop ${packageVersion()}\n`);
    return 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (load === undefined) {
    const suggestion = didYouMean(name, [...Object.keys(COMMANDS), 'help']);
    io.stderr.write(`cxloop: unknown command "${name}"${suggestion}\n${suggestion ? 'Run "cxloop help" for the commands.' : `\n${HELP}`}\n`);
    return 2;
  }
  try {
    return await (await load())(args, io);
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

/** The version in cxloop's package.json. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(findPackageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Reads ./.env into process.env when present; variables already set win (Node's loadEnvFile rule). */
function loadDotEnv(): void {
  if (!existsSync('.env')) return;
  process.loadEnvFile('.env');
}
