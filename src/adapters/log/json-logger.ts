import type { Logger, LogLevel } from '../../app/ports.js';

const RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };
/** Field names whose values are never written, whatever a caller passes. */
const SECRET_FIELD = /secret|token|password|authorization|signature|email/i;
/** Email addresses inside any logged text (an error quoting a requester, say) are masked. */
const EMAIL = /[\w.%+-]+@[\w-]+(?:\.[\w-]+)+/g;
/** Credentials inside URLs (redis://user:pass@host) are masked. */
const URL_CREDENTIALS = /(\/\/)[^@/\s]+@/g;

export class JsonLogger implements Logger {
  constructor(
    private readonly level: LogLevel,
    private readonly write: (line: string) => void = (line) => process.stdout.write(line),
    private readonly now: () => Date = () => new Date(),
  ) {}

  log(level: LogLevel, message: string, fields: Readonly<Record<string, unknown>> = {}): void {
    if (RANK[level] < RANK[this.level]) return;
    const safe: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) safe[key] = SECRET_FIELD.test(key) ? '[redacted]' : scrub(value);
    this.write(`${JSON.stringify({ time: this.now().toISOString(), level, msg: scrub(message), ...safe })}\n`);
  }
}

/** Masks email addresses and URL credentials in strings, also inside arrays and plain objects. */
function scrub(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(URL_CREDENTIALS, '$1***@').replace(EMAIL, '[email]');
  if (Array.isArray(value)) return value.map(scrub);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, SECRET_FIELD.test(key) ? '[redacted]' : scrub(inner)]));
  }
  return value;
}
