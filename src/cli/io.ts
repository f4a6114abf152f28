/** What a command may touch of its process, injectable so tests run commands in-process. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Reads all of stdin, or undefined when stdin is a terminal (nothing piped). */
  readStdin(): Promise<string | undefined>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The clock and waits of long commands (export-training); tests inject them so nothing waits in real time. Default: Date.now, real timers. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Expected failures of a command: printed as one clear line, exit code 1 (2 for usage). */
export class CliError extends Error {
  readonly code = 'CLI_ERROR';
  constructor(message: string, readonly exitCode: 1 | 2 = 1, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
  }
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    async readStdin() {
      if (process.stdin.isTTY) return undefined;
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}
