import type { CliIo } from '../../src/cli/io.js';

export interface FakeIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
}

/** An in-memory CliIo: collects stdout/stderr, feeds `stdin` (undefined = a terminal). */
export function fakeIo(options: { stdin?: string; env?: Record<string, string>; tty?: boolean } = {}): FakeIo {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text), isTTY: options.tty ?? false },
    env: options.env ?? {},
    readStdin: async () => options.stdin,
    out: () => out,
    err: () => err,
  };
}
