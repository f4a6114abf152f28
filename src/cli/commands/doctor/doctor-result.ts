/** What one doctor check found: a status, one line of detail, and what to do about it. */
export type DoctorStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface DoctorResult {
  readonly name: string;
  readonly status: DoctorStatus;
  readonly detail: string;
  readonly fix?: string;
}

export const passed = (name: string, detail: string): DoctorResult => ({ name, status: 'ok', detail });
export const warned = (name: string, detail: string, fix?: string): DoctorResult => ({ name, status: 'warn', detail, ...(fix ? { fix } : {}) });
export const failed = (name: string, detail: string, fix?: string): DoctorResult => ({ name, status: 'fail', detail, ...(fix ? { fix } : {}) });
/** A check that could not run because one it depends on failed or does not apply; `reason` says which. */
export const skipped = (name: string, reason: string): DoctorResult => ({ name, status: 'skip', detail: `skipped: ${reason}` });

/** The most serious status of several findings (fail > warn > ok); used when one check combines findings. */
export function worstStatus(statuses: readonly DoctorStatus[]): DoctorStatus {
  for (const status of ['fail', 'warn', 'skip'] as const) if (statuses.includes(status)) return status;
  return 'ok';
}

/** The message of a thrown value, with its cause's code when fetch or a socket wrapped it ("fetch failed (ECONNREFUSED)"). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'no answer in time (timed out)';
  const cause = error.cause as (Error & { code?: string }) | undefined;
  const reason = cause?.code ?? cause?.message;
  return reason && !error.message.includes(reason) ? `${error.message} (${reason})` : error.message;
}
