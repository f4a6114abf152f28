import { execFile, spawn } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CXLOOP_BIN } from './build-cxloop.js';
import { waitFor } from './zendesk-fixtures.js';

/** What one command printed, unredacted (for assertions; the transcript is redacted). */
export interface CommandOutput {
  readonly command: string;
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
  /** How long it ran, for the transcript (never asserted). */
  readonly ms: number;
}

/** A command left running (`npm start`): what it printed so far, and how to stop it. */
export interface RunningCommand {
  readonly output: () => CommandOutput;
  /** Waits until stderr or stdout contains `text`; fails with what it printed if it exits first. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  /** SIGTERM, then its exit code (once; later calls give the same). */
  stop(): Promise<number | null>;
}

/**
 * An admin at a terminal in a working directory: copies and edits files, runs the built `cxloop`
 * (bin/cxloop.js, what `npx cxloop` and `npm start` run) as child processes that see only `env`
 * and the directory's .env, and keeps a transcript of every step with its exit code and output,
 * in which every value `secrets()` names is replaced by [redacted].
 */
export class AdminWalk {
  readonly outputs: CommandOutput[] = [];
  private readonly lines: string[] = [];

  constructor(
    readonly dir: string,
    private readonly env: Readonly<Record<string, string>>,
    private readonly secrets: () => readonly string[],
  ) {}

  /** A heading or remark in the transcript. */
  note(text: string): void {
    this.lines.push('', `# ${text}`);
  }

  copy(from: string, to: string, shown = `cp ${from} ${to}`): void {
    copyFileSync(from, join(this.dir, to));
    this.lines.push(`$ ${shown}`);
  }

  /** Sets `KEY=value` lines of .env as an editor would: the line of each key is replaced, or added at the end. */
  setEnv(values: Readonly<Record<string, string>>): void {
    const file = join(this.dir, '.env');
    let text = readFileSync(file, 'utf8');
    for (const [key, value] of Object.entries(values)) {
      const line = new RegExp(`^${key}=.*$`, 'm');
      text = line.test(text) ? text.replace(line, `${key}=${value}`) : `${text.replace(/\n?$/, '\n')}${key}=${value}\n`;
      this.lines.push(`$ edit .env: ${key}=${value}`);
    }
    writeFileSync(file, text);
  }

  /** Edits a file of the directory with `edit`, noting what changed in the transcript. */
  editFile(name: string, changes: readonly string[], edit: (text: string) => string): void {
    const file = join(this.dir, name);
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
    for (const change of changes) this.lines.push(`$ edit ${name}: ${change}`);
  }

  /** Runs `cxloop <args>` to its end. */
  cxloop(args: readonly string[], shown = `npx cxloop ${args.join(' ')}`): Promise<CommandOutput> {
    const started = Date.now();
    return new Promise((resolve) => {
      execFile(process.execPath, [CXLOOP_BIN, ...args], { cwd: this.dir, env: { ...this.env }, encoding: 'utf8', timeout: 60_000 }, (error, out, err) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve(this.record({ command: shown, code, out, err, ms: Date.now() - started }));
      });
    });
  }

  /** Starts `cxloop <args>` and leaves it running. */
  start(args: readonly string[], shown: string): RunningCommand {
    const started = Date.now();
    const child = spawn(process.execPath, [CXLOOP_BIN, ...args], { cwd: this.dir, env: { ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => void (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let stopped: Promise<number | null> | undefined;
    const output = (): CommandOutput => ({ command: shown, code: child.exitCode, out, err, ms: Date.now() - started });
    this.lines.push(`$ ${shown} &`);
    return {
      output,
      waitForOutput: async (text, timeoutMs = 30_000) => {
        await waitFor(() => out.includes(text) || err.includes(text) || child.exitCode !== null, timeoutMs, `"${text}" from ${shown}`);
        if (!out.includes(text) && !err.includes(text)) throw new Error(`${shown} exited ${child.exitCode} before printing "${text}":\n${this.redact(err)}`);
      },
      stop: () =>
        (stopped ??= (async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          const code = await exited;
          this.record({ ...output(), command: `${shown}  (stopped with SIGTERM)`, code });
          return code;
        })()),
    };
  }


  /** The transcript so far, secrets redacted. */
  transcript(): string {
    return `${this.redact(this.lines.join('\n')).trimStart()}\n`;
  }

  redact(text: string): string {
    return this.secrets()
      .filter((secret) => secret.length > 0)
      .reduce((redacted, secret) => redacted.split(secret).join('[redacted]'), text);
  }

  private record(output: CommandOutput): CommandOutput {
    this.outputs.push(output);
    this.lines.push(`$ ${output.command}`);
    if (output.err.trim() !== '') this.lines.push('[stderr]', output.err.trimEnd());
    if (output.out.trim() !== '') this.lines.push('[stdout]', output.out.trimEnd());
    this.lines.push(`[exit ${output.code}, ${(output.ms / 1000).toFixed(1)} s]`);
    return output;
  }
}
