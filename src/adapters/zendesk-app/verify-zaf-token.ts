import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * ZAF signed requests: the sidebar asks Zendesk's proxy to send its request with a JWT (client.request
 * with `jwt: { algorithm: 'HS256', secret_key: '{{setting.shared_secret}}', expiry, claims }` and
 * `Authorization: Bearer {{jwt.token}}`, `secure: true`). The proxy fills in the app's secure
 * setting and signs; the browser never sees the secret, and no API key sits in the app's settings.
 * https://developer.zendesk.com/documentation/apps/app-developer-guide/making-api-requests-from-a-zendesk-app/
 *
 * The claims are the app's (assets/sidebar.js): `iss` the account's subdomain, `sub` the agent's
 * Zendesk user id, `name` the agent's name; `exp` comes from `expiry`.
 */
export interface ZafClaims {
  readonly subdomain: string;
  readonly agentId: number;
  readonly agentName: string | null;
  readonly expiresAt: number;
  /** A per-request id when the token has one (jti), else null. */
  readonly tokenId: string | null;
}

export type ZafTokenResult = { readonly ok: true; readonly claims: ZafClaims } | { readonly ok: false; readonly reason: string };

export interface ZafVerifyOptions {
  /** The app's shared secret(s): the one in force and, while rotating, the previous. */
  readonly secrets: readonly string[];
  /** The account the app is installed in (ZENDESK_SUBDOMAIN). */
  readonly subdomain: string;
  readonly now: number;
  /** Clock difference tolerated between Zendesk and cxloop. */
  readonly skewMs?: number;
  /** A token valid for longer than this is refused (the sidebar asks for 5 minutes). */
  readonly maxLifetimeMs?: number;
}

const DEFAULT_SKEW_MS = 60_000;
const DEFAULT_MAX_LIFETIME_MS = 3_600_000;

/** Verifies signature (HS256, every secret compared in constant time), expiry and account. */
export function verifyZafToken(token: string, options: ZafVerifyOptions): ZafTokenResult {
  const parts = token.split('.');
  if (parts.length !== 3 || token.length > 4096) return { ok: false, reason: 'malformed token' };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  const payload = decodeJson(payloadPart);
  if (header === null || payload === null) return { ok: false, reason: 'malformed token' };
  // Only HS256: "none" or an RSA algorithm with the secret as a "public key" must never pass.
  if (header.alg !== 'HS256') return { ok: false, reason: `algorithm ${String(header.alg)} is not HS256` };
  const signature = Buffer.from(signaturePart, 'base64url');
  const signed = `${headerPart}.${payloadPart}`;
  const matches = options.secrets.some((secret) => {
    const expected = createHmac('sha256', secret).update(signed).digest();
    return expected.length === signature.length && timingSafeEqual(expected, signature);
  });
  if (!matches) return { ok: false, reason: 'signature does not match the shared secret' };
  const skew = options.skewMs ?? DEFAULT_SKEW_MS;
  if (typeof payload.exp !== 'number') return { ok: false, reason: 'no exp claim' };
  const expiresAt = payload.exp * 1000;
  if (expiresAt + skew < options.now) return { ok: false, reason: 'expired' };
  if (expiresAt - options.now > (options.maxLifetimeMs ?? DEFAULT_MAX_LIFETIME_MS) + skew) return { ok: false, reason: 'valid for too long' };
  if (typeof payload.iat === 'number' && payload.iat * 1000 - skew > options.now) return { ok: false, reason: 'issued in the future' };
  if (typeof payload.iss !== 'string' || payload.iss.toLowerCase() !== options.subdomain.toLowerCase()) return { ok: false, reason: 'another Zendesk account' };
  const agentId = Number(payload.sub);
  if (!Number.isSafeInteger(agentId) || agentId <= 0) return { ok: false, reason: 'no agent (sub claim)' };
  return {
    ok: true,
    claims: {
      subdomain: payload.iss,
      agentId,
      agentName: typeof payload.name === 'string' && payload.name.trim() !== '' ? payload.name.trim().slice(0, 200) : null,
      expiresAt,
      tokenId: typeof payload.jti === 'string' ? payload.jti.slice(0, 100) : null,
    },
  };
}

/** Signs claims as Zendesk's proxy does (HS256): for tests, the demo and the sidebar's stand-in. */
export function signZafToken(claims: Readonly<Record<string, unknown>>, secret: string): string {
  const header = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'HS256' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
