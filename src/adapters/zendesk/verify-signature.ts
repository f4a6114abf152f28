import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Zendesk webhook signatures: base64(HMAC-SHA256(key = signing secret as given, message =
 * timestamp header + raw body)). The key is the secret string itself, not its base64 decoding,
 * and the timestamp is ISO-8601, not Unix seconds.
 * https://developer.zendesk.com/documentation/webhooks/verifying/
 */
export function signZendeskPayload(rawBody: Buffer | string, timestamp: string, secret: string): string {
  return createHmac('sha256', secret).update(timestamp).update(rawBody).digest('base64');
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export interface SignatureInput {
  readonly rawBody: Buffer;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  /**
   * Every signing secret cxloop accepts (ZENDESK_WEBHOOK_SECRET split on commas: the events webhook
   * and the CSAT trigger webhook each have one). Entries are trimmed; blank ones are ignored.
   */
  readonly secrets: readonly string[];
  /** Epoch ms; injected so tests need no clock. */
  readonly now: number;
  /** Reject timestamps further than this from `now` in either direction (replays, skewed clocks). */
  readonly maxAgeMs: number;
}

export function verifyZendeskSignature(input: SignatureInput): SignatureCheck {
  if (!input.signature || !input.timestamp) return { ok: false, reason: 'missing x-zendesk-webhook-signature or -timestamp header' };
  const signedAt = ISO_8601.test(input.timestamp) ? Date.parse(input.timestamp) : Number.NaN;
  if (Number.isNaN(signedAt)) return { ok: false, reason: 'signature timestamp is not an ISO-8601 date' };
  if (Math.abs(input.now - signedAt) > input.maxAgeMs) return { ok: false, reason: 'signature timestamp outside the accepted window' };
  const secrets = usableSecrets(input.secrets);
  if (secrets.length === 0) return { ok: false, reason: 'no signing secret configured: set ZENDESK_WEBHOOK_SECRET' };
  if (!matchesAnySecret(input.rawBody, input.timestamp, input.signature, secrets)) {
    return { ok: false, reason: 'signature does not match: check ZENDESK_WEBHOOK_SECRET matches the webhook\'s signing secret' };
  }
  return { ok: true };
}

/** Trimmed, non-blank secrets: "a,,b" and "a, b" both mean a and b. */
export function usableSecrets(secrets: readonly string[]): string[] {
  return secrets.map((secret) => secret.trim()).filter((secret) => secret !== '');
}

/**
 * Compares the signature with the digest of every secret, always all of them and each in constant
 * time, so the response time does not tell which secret (or whether the first one) matched.
 */
function matchesAnySecret(rawBody: Buffer, timestamp: string, signature: string, secrets: readonly string[]): boolean {
  const given = Buffer.from(signature);
  let matched = false;
  for (const secret of secrets) {
    const expected = Buffer.from(signZendeskPayload(rawBody, timestamp, secret));
    // timingSafeEqual needs equal lengths; comparing lengths first leaks only the length of a base64 SHA-256 digest, which is public.
    const same = expected.length === given.length && timingSafeEqual(expected, given);
    matched = same || matched;
  }
  return matched;
}
