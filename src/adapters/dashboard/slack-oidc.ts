import { createHmac, createPublicKey, randomBytes, timingSafeEqual, verify, type JsonWebKey } from 'node:crypto';

/**
 * "Sign in with Slack" (OpenID Connect), restricted to the installed workspace. Slack's endpoints
 * (its /.well-known/openid-configuration): authorize https://slack.com/openid/connect/authorize,
 * token https://slack.com/api/openid.connect.token, keys https://slack.com/openid/connect/keys;
 * id_tokens are RS256, iss https://slack.com, and carry `https://slack.com/team_id` and
 * `https://slack.com/user_id`. The RS256 check uses node:crypto (JWK import and verify), as the
 * ZAF token check does for HS256, so no JWT library is added.
 */

export interface SlackOidcConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  /** <public url>/dashboard/oidc/callback, sent to authorize and to the token exchange alike. */
  readonly redirectUri: string;
  /** The installed workspace: an id_token of any other team is refused. */
  readonly teamId: string;
  /** https://slack.com/ in production; SLACK_API_URL's host, so a loopback fake in tests and benches. */
  readonly slackUrl: string;
}

export const SLACK_ISSUER = 'https://slack.com';
/** How long the trip to Slack's authorize page and back may take. */
export const OIDC_STATE_TTL_MS = 10 * 60_000;
const CLOCK_SKEW_MS = 60_000;

const base = (config: SlackOidcConfig): string => (config.slackUrl.endsWith('/') ? config.slackUrl : `${config.slackUrl}/`);

/**
 * The state: "<expires, base 36>.<browser nonce>.<HMAC>", bound to the browser by its nonce, which
 * is also kept in an HttpOnly cookie and is the OIDC `nonce` the id_token must echo.
 */
export function oidcState(secret: string, expiresAt: number, browserNonce: string = randomBytes(18).toString('base64url')): { state: string; nonce: string } {
  const body = `${Math.floor(expiresAt).toString(36)}.${browserNonce}`;
  return { state: `${body}.${hmac(secret, body)}`, nonce: browserNonce };
}

export type StateCheck = { readonly ok: true; readonly nonce: string } | { readonly ok: false; readonly reason: 'malformed' | 'signature' | 'expired' | 'other browser' };

/** Checks the state's signature (constant time), expiry, and that this browser's cookie holds its nonce. */
export function checkOidcState(secret: string, state: string, cookieNonce: string | null, now: number): StateCheck {
  const parts = state.split('.');
  const [expires, nonce, signature] = parts;
  if (parts.length !== 3 || !expires || !nonce || !signature || !/^[0-9a-z]{1,12}$/.test(expires)) return { ok: false, reason: 'malformed' };
  if (!same(signature, hmac(secret, `${expires}.${nonce}`))) return { ok: false, reason: 'signature' };
  if (now > parseInt(expires, 36)) return { ok: false, reason: 'expired' };
  if (cookieNonce === null || !same(cookieNonce, nonce)) return { ok: false, reason: 'other browser' };
  return { ok: true, nonce };
}

export function authorizeUrl(config: SlackOidcConfig, state: string, nonce: string): string {
  const url = new URL('openid/connect/authorize', base(config));
  url.search = new URLSearchParams({ response_type: 'code', scope: 'openid profile email', client_id: config.clientId, state, nonce, redirect_uri: config.redirectUri, team: config.teamId }).toString();
  return url.toString();
}

export interface SlackIdentity {
  readonly user: string;
  readonly team: string;
  readonly name: string | null;
}

export type OidcResult = { readonly ok: true; readonly identity: SlackIdentity } | { readonly ok: false; readonly reason: string };

/** Exchanges the callback's code at openid.connect.token and verifies the id_token it returns. */
export async function signInWithCode(config: SlackOidcConfig, code: string, nonce: string, now: number, fetcher: typeof fetch = fetch): Promise<OidcResult> {
  const response = await fetcher(new URL('api/openid.connect.token', base(config)), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: config.clientId, client_secret: config.clientSecret, code, grant_type: 'authorization_code', redirect_uri: config.redirectUri }).toString(),
  });
  if (!response.ok) return { ok: false, reason: `Slack answered HTTP ${response.status} to the token exchange` };
  const body = (await response.json()) as { ok?: boolean; error?: string; id_token?: string };
  if (body.ok !== true || typeof body.id_token !== 'string') return { ok: false, reason: `Slack refused the token exchange (${body.error ?? 'no id_token'})` };
  const keysResponse = await fetcher(new URL('openid/connect/keys', base(config)));
  if (!keysResponse.ok) return { ok: false, reason: `Slack answered HTTP ${keysResponse.status} for its signing keys` };
  const { keys } = (await keysResponse.json()) as { keys?: JsonWebKey[] };
  return verifyIdToken(body.id_token, { keys: keys ?? [], clientId: config.clientId, teamId: config.teamId, nonce, now });
}

export interface IdTokenCheck {
  readonly keys: readonly JsonWebKey[];
  readonly clientId: string;
  readonly teamId: string;
  readonly nonce: string;
  readonly now: number;
}

/** RS256 signature against the JWKS key of the token's kid, then iss, aud, exp, nonce and team. */
export function verifyIdToken(token: string, check: IdTokenCheck): OidcResult {
  const parts = token.split('.');
  const [head, payload, signature] = parts;
  if (parts.length !== 3 || !head || !payload || !signature) return { ok: false, reason: 'the id_token is not a JWT' };
  const header = decode(head) as { alg?: unknown; kid?: unknown } | null;
  const claims = decode(payload) as Record<string, unknown> | null;
  if (header === null || claims === null) return { ok: false, reason: 'the id_token is not a JWT' };
  if (header.alg !== 'RS256') return { ok: false, reason: `the id_token is signed with ${String(header.alg)}, not RS256` };
  const jwk = check.keys.find((key) => (key as { kid?: unknown }).kid === header.kid && key.kty === 'RSA');
  if (jwk === undefined) return { ok: false, reason: 'the id_token is signed with a key Slack does not publish' };
  const valid = verify('sha256', Buffer.from(`${head}.${payload}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(signature, 'base64url'));
  if (!valid) return { ok: false, reason: 'the id_token signature does not match' };
  if (claims.iss !== SLACK_ISSUER) return { ok: false, reason: 'the id_token was not issued by Slack' };
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audience.includes(check.clientId)) return { ok: false, reason: 'the id_token is for another app' };
  if (typeof claims.exp !== 'number' || check.now > claims.exp * 1000 + CLOCK_SKEW_MS) return { ok: false, reason: 'the id_token has expired' };
  if (typeof claims.nonce !== 'string' || !same(claims.nonce, check.nonce)) return { ok: false, reason: 'the id_token is for another sign-in (nonce)' };
  const team = claims['https://slack.com/team_id'];
  if (team !== check.teamId) return { ok: false, reason: `the Slack account is in another workspace (${String(team)})` };
  const user = claims['https://slack.com/user_id'] ?? claims.sub;
  if (typeof user !== 'string' || !/^[UW][A-Z0-9]{2,20}$/.test(user)) return { ok: false, reason: 'the id_token names no Slack user' };
  return { ok: true, identity: { user, team, name: typeof claims.name === 'string' ? claims.name : null } };
}

function decode(part: string): unknown {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? value : null;
  } catch {
    return null;
  }
}

function hmac(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The OIDC config from the environment, or null when Sign in with Slack is not set up. Slack's
 * OIDC URLs sit at the root of the host SLACK_API_URL names (https://slack.com/api/ → https://slack.com/).
 */
export function slackOidcConfig(env: {
  readonly SLACK_CLIENT_ID?: string | undefined;
  readonly SLACK_CLIENT_SECRET?: string | undefined;
  readonly SLACK_TEAM_ID?: string | undefined;
  readonly SLACK_API_URL?: string | undefined;
  readonly CXLOOP_PUBLIC_URL?: string | undefined;
}): SlackOidcConfig | null {
  const { SLACK_CLIENT_ID: clientId, SLACK_CLIENT_SECRET: clientSecret, SLACK_TEAM_ID: teamId, CXLOOP_PUBLIC_URL: publicUrl } = env;
  if (clientId === undefined || clientSecret === undefined || teamId === undefined || publicUrl === undefined) return null;
  const api = env.SLACK_API_URL ?? 'https://slack.com/api/';
  return { clientId, clientSecret, teamId, redirectUri: `${publicUrl.replace(/\/+$/, '')}/dashboard/oidc/callback`, slackUrl: new URL('/', api).toString() };
}
