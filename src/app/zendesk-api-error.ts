/**
 * Failures of Zendesk API calls, with a stable code so callers decide once what to do:
 * CONFLICT (409 safe_update): re-read and re-apply; RATE_LIMITED (429): pause for retryAfterMs;
 * UNAVAILABLE (5xx, timeout, network): retry with backoff; REJECTED (other 4xx): do not retry;
 * NOT_FOUND (404): the ticket is gone; DRY_RUN: a dry run has no account to read from (the request
 * was recorded, not sent); BUDGET_SPENT: not sent, the last minute's Update Ticket budget is spent
 * (or Zendesk's Retry-After has not passed): try again in retryAfterMs.
 */
export type ZendeskErrorCode = 'CONFLICT' | 'RATE_LIMITED' | 'UNAVAILABLE' | 'REJECTED' | 'NOT_FOUND' | 'DRY_RUN' | 'BUDGET_SPENT';

export class ZendeskApiError extends Error {
  override readonly name = 'ZendeskApiError';
  constructor(
    readonly code: ZendeskErrorCode,
    message: string,
    readonly details: { readonly status?: number; readonly retryAfterMs?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isZendeskError(error: unknown, code?: ZendeskErrorCode): error is ZendeskApiError {
  return error instanceof ZendeskApiError && (code === undefined || error.code === code);
}

/** Raised by an EventInbox that could not store an event (Redis down). */
export class InboxUnavailableError extends Error {
  override readonly name = 'InboxUnavailableError';
  readonly code = 'INBOX_UNAVAILABLE';
}
