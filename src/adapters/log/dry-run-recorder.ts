import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { CallRecorder, Logger, RecordedCall } from '../../app/ports.js';

export interface DryRunRecorderOptions {
  /** JSON-lines file the calls are written to; null for none. */
  readonly file: string | null;
  /** Append to the file (serve, the default) or start it afresh (the demo). */
  readonly fileMode?: 'append' | 'replace';
  /** Where the readable form goes (stderr for `serve`, stdout for the demo); null for none. */
  readonly terminal: ((text: string) => void) | null;
  readonly logger: Logger;
  /** Time of each record (the demo's simulated clock). */
  readonly now?: () => number;
  /** Prefix of each call's first terminal line, e.g. the simulated time; default none. */
  readonly stamp?: (at: number) => string;
}

/**
 * What a dry run would have sent, twice: readably in the terminal (the call, then what it says
 * or changes, indented) and as one JSON object per line in a file, with the exact request
 * (`{"at","system","call","request"}`), for reading back or diffing. Nothing here holds a secret:
 * requests are recorded without their auth headers.
 */
export class DryRunRecorder implements CallRecorder {
  private stream: WriteStream | null = null;
  private readonly now: () => number;

  constructor(private readonly options: DryRunRecorderOptions) {
    this.now = options.now ?? Date.now;
    if (options.file !== null) this.stream = this.open(options.file);
  }

  record(call: RecordedCall): void {
    const at = this.now();
    this.stream?.write(`${JSON.stringify({ at: new Date(at).toISOString(), system: call.system, call: call.call, request: call.request })}\n`);
    this.options.terminal?.(formatRecordedCall(call, this.options.stamp?.(at) ?? ''));
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    const stream = this.stream;
    this.stream = null;
    // A stream that failed (its error already logged) never calls end's callback.
    if (stream && !stream.errored) await new Promise<void>((resolve) => stream.once('error', () => resolve()).end(resolve));
  }

  private open(file: string): WriteStream | null {
    try {
      mkdirSync(dirname(file), { recursive: true });
    } catch (error) {
      this.cannotWrite(file, error as Error);
      return null;
    }
    const stream = createWriteStream(file, { flags: this.options.fileMode === 'replace' ? 'w' : 'a' });
    stream.on('error', (error) => {
      this.stream = null;
      this.cannotWrite(file, error);
    });
    return stream;
  }

  private cannotWrite(file: string, error: Error): void {
    this.options.logger.log('warn', 'dry-run record file cannot be written; calls are shown in the terminal only (set CXLOOP_DRY_RUN_LOG)', { file, error: error.message });
  }
}

const LABEL_WIDTH = 8;

/**
 * "zendesk  PUT /api/v2/tickets/101.json" then the summary indented under the call, each line
 * marked with a bar so a multi-line Slack message reads as one block.
 */
export function formatRecordedCall(call: RecordedCall, stamp = ''): string {
  const indent = ' '.repeat(stamp.length + LABEL_WIDTH + 1);
  const lines = [`${stamp}${call.system.padEnd(LABEL_WIDTH)} ${call.call}`, ...call.summary.map((line) => `${indent}│ ${line}`)];
  return `${lines.join('\n')}\n`;
}
