import type { Logger, LogLevel } from '../../app/ports.js';

const RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };
/** Field names whose values are never written, whatever a caller passes. */
const SECRET_FIELD = /secret|token|password|authorization|signature|email/i;

export class JsonLogger implements Logger {
  constructor(
    private readonly level: LogLevel,
    private readonly write: (line: string) => void = (line) => process.stdout.write(line),
    private readonly now: () => Date = () => new Date(),
  ) {}

  log(level: LogLevel, message: string, fields: Readonly<Record<string, unknown>> = {}): void {
    if (RANK[level] < RANK[this.level]) return;
    const safe: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) safe[key] = SECRET_FIELD.test(key) ? '[redacted]' : value;
    this.write(`${JSON.stringify({ time: this.now().toISOString(), level, msg: message, ...safe })}\n`);
  }
}
