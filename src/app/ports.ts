/** Ports the use-cases talk to; adapters implement them. */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured logs: one JSON object per line. Never pass secrets or customer emails as fields. */
export interface Logger {
  log(level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** Liveness of a dependency for /healthz. */
export interface HealthCheck {
  readonly name: string;
  check(): Promise<{ ok: true } | { ok: false; reason: string }>;
}
