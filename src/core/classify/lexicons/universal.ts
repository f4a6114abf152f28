/**
 * Signals that mean the same in every language, matched whatever languages a ticket is detected
 * in: HTTP gateway status codes and the English error pages that show them, which customers copy
 * into tickets in any language ("sistem tamamen çöktü, 503 alıyoruz").
 *
 * A status code alone may be any number ("invoice 503"), so it counts as an outage only in a
 * ticket that also reports a defect or an outage in words (see classifier.ts).
 */
export const STATUS_CODES: readonly string[] = ['502', '503', '504', 'http 502', 'http 503', 'http 504', '5xx'];

/** Error-page wording that says the service, not the customer's request, failed. */
export const OUTAGE_PAGES: readonly string[] = [
  'service unavailable', 'service temporarily unavailable', 'bad gateway', 'gateway timeout',
  'gateway time out', 'server unavailable', 'temporarily unavailable',
];
