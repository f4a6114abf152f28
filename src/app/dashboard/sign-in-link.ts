import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Short-lived signed sign-in links for the dashboard, handed to one Slack user by `/cxloop
 * dashboard` and App Home: "v1.<user>.<expires, base 36>.<nonce>.<HMAC-SHA256, base64url>". The
 * signature covers everything before it; the nonce makes each link single-use (the server marks it
 * used when it signs in).
 */

/** How long a sign-in link may be used. */
export const SIGN_IN_LINK_TTL_MS = 10 * 60_000;
const USER = /^[UW][A-Z0-9]{2,20}$/;

export function signInToken(secret: string, user: string, expiresAt: number, nonce: string = randomBytes(12).toString('base64url')): string {
  const body = `v1.${user}.${Math.floor(expiresAt).toString(36)}.${nonce}`;
  return `${body}.${sign(secret, body)}`;
}

export type SignInCheck = { readonly ok: true; readonly user: string; readonly expiresAt: number; readonly nonce: string } | { readonly ok: false; readonly reason: 'malformed' | 'signature' | 'expired' };

/** Checks a token's shape, signature (constant time) and expiry at `now`. */
export function checkSignInToken(secret: string, token: string, now: number): SignInCheck {
  const parts = token.split('.');
  const [version, user, expires, nonce, signature] = parts;
  if (parts.length !== 5 || version !== 'v1' || !user || !USER.test(user) || !expires || !nonce || !signature || !/^[0-9a-z]{1,12}$/.test(expires)) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(sign(secret, parts.slice(0, 4).join('.')));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'signature' };
  const expiresAt = parseInt(expires, 36);
  if (now > expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, user, expiresAt, nonce };
}

function sign(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}
