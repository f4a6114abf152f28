import { setTimeout as sleep } from 'node:timers/promises';
import type { AccessToken, AccessTokenCache } from '../../app/ports.js';
import { ZendeskApiError } from '../../app/zendesk-api-error.js';
import type { ZendeskCredentials } from '../../config/env-schema.js';

/**
 * How every Zendesk call is authenticated. `authorization()` gives the header for the next call
 * with the generation of the credential it used; after a 401, `refused(generation)` renews once
 * (true: send the call once more), so a refused token never loops.
 */
export interface ZendeskAuth {
  readonly kind: 'oauth' | 'api_token';
  authorization(): Promise<{ header: string; generation: number }>;
  refused(generation: number): Promise<boolean>;
}

/** Deprecated: email + API token as Basic auth (Zendesk deactivates every API token on 2027-04-30). */
export function apiTokenAuth(email: string, token: string): ZendeskAuth {
  const header = `Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}`;
  return { kind: 'api_token', authorization: async () => ({ header, generation: 0 }), refused: async () => false };
}

/**
 * The narrowest scopes cxloop's calls need (Zendesk's OAuth scopes: `read`/`write` or per resource).
 * serve: tickets (routing writes, notes, show_many, update_many job statuses, the incremental
 * export), users (who cxloop is, requesters), organisations and Help Center articles (requester
 * context, suggested articles). Admin commands (`install zendesk`, doctor's group check) add
 * webhooks, triggers and read access to groups.
 */
export const ZENDESK_SERVE_SCOPES = ['tickets:read', 'tickets:write', 'users:read', 'organizations:read', 'hc:read'] as const;
export const ZENDESK_ADMIN_SCOPES = ['read', 'tickets:write', 'webhooks:read', 'webhooks:write', 'triggers:read', 'triggers:write'] as const;
/** `install zendesk-app --upload`: the Apps API (uploads, apps, installations); the app's requirements are created by Zendesk itself. */
export const ZENDESK_APP_INSTALL_SCOPES = ['apps:read', 'apps:write'] as const;

export interface OAuthClientCredentialsOptions {
  /** The account's host (https://<subdomain>.zendesk.com or ZENDESK_API_URL): the grant is POST <host>/oauth/tokens. */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: readonly string[];
  readonly cache: AccessTokenCache;
  readonly now?: () => number;
  readonly timeoutMs?: number;
  /** Share of a token's lifetime after which it is renewed (default 0.75: a 2 h token at 1.5 h, a 4 s one at 3 s). */
  readonly renewAtFraction?: number;
}

/** How long one process may hold the renewal claim: the token request's timeout and a margin. */
const CLAIM_MARGIN_MS = 2_000;
/** How often a process waiting for another one's renewal looks for the new token. */
const WAIT_POLL_MS = 25;

/**
 * OAuth access tokens by the client-credentials grant, shared by every process of the install
 * through `cache` (Redis): one token for everything, renewed before it expires, by one process at
 * a time (the claim), while the others keep using the token they have or wait for the new one.
 * https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/
 */
export class OAuthClientCredentials implements ZendeskAuth {
  readonly kind = 'oauth';
  private current: (AccessToken & { generation: number }) | null = null;
  private renewing: Promise<AccessToken & { generation: number }> | null = null;
  private generation = 0;
  private readonly now: () => number;
  private readonly timeoutMs: number;

  constructor(private readonly options: OAuthClientCredentialsOptions) {
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  async authorization(): Promise<{ header: string; generation: number }> {
    const token = await this.token();
    return { header: `Bearer ${token.token}`, generation: token.generation };
  }

  /** A token Zendesk refused (401): forget it everywhere, once per token; true when a renewed one may be tried. */
  async refused(generation: number): Promise<boolean> {
    const current = this.current;
    if (current === null || current.generation !== generation) return true; // already renewed since that call left
    this.current = null;
    await this.options.cache.drop(current.token);
    return true;
  }

  /** The current token, renewing it when due. Throws ZendeskApiError (REJECTED names the secret). */
  async token(): Promise<AccessToken & { generation: number }> {
    const now = this.now();
    const current = this.current;
    if (current !== null && (current.renewAt === null || now < current.renewAt)) return current;
    if (current !== null && current.expiresAt !== null && now < current.expiresAt) {
      // Due for renewal but still valid: renew in the background, keep calling with this one.
      void this.renew().catch(() => undefined);
      return current;
    }
    return this.renew();
  }

  private renew(): Promise<AccessToken & { generation: number }> {
    this.renewing ??= this.obtain().finally(() => (this.renewing = null));
    return this.renewing;
  }

  /** Takes a fresh shared token, or claims the renewal and requests one; waits while another process renews. */
  private async obtain(): Promise<AccessToken & { generation: number }> {
    const { cache } = this.options;
    const deadline = this.now() + this.timeoutMs + CLAIM_MARGIN_MS * 2;
    for (;;) {
      const usable = (shared: AccessToken | null): shared is AccessToken => shared !== null && shared.token !== this.current?.token && isFresh(shared, this.now());
      const shared = await cache.read();
      if (usable(shared)) return this.adopt(shared);
      const claim = await cache.claimRenewal(this.timeoutMs + CLAIM_MARGIN_MS);
      if (claim !== null) {
        try {
          // Another process may have stored a new token between the read and the claim: use it.
          const renewed = await cache.read();
          if (usable(renewed)) {
            await cache.release(claim);
            return this.adopt(renewed);
          }
          const token = await this.requestToken();
          await cache.store(token, claim);
          return this.adopt(token);
        } catch (error) {
          await cache.release(claim);
          throw error;
        }
      }
      if (this.now() > deadline) throw new ZendeskApiError('UNAVAILABLE', 'POST /oauth/tokens: another cxloop process has been renewing the Zendesk token for too long');
      await sleep(WAIT_POLL_MS);
    }
  }

  private adopt(token: AccessToken): AccessToken & { generation: number } {
    this.generation += 1;
    this.current = { ...token, generation: this.generation };
    return this.current;
  }

  private async requestToken(): Promise<AccessToken> {
    const { baseUrl, clientId, clientSecret, scopes } = this.options;
    const url = `${baseUrl.replace(/\/+$/, '')}/oauth/tokens`;
    const requestedAt = this.now();
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: scopes.join(' ') }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
      const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${this.timeoutMs / 1000} s` : (cause?.code ?? cause?.message ?? (error as Error).message);
      throw new ZendeskApiError('UNAVAILABLE', `cannot reach Zendesk at ${url} (${reason}): check ZENDESK_SUBDOMAIN or ZENDESK_API_URL and the network`, {}, { cause: error });
    }
    const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown };
    if (response.ok && typeof body.access_token === 'string' && body.access_token.length > 0) {
      const lifetimeMs = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1_000 : null;
      const fraction = this.options.renewAtFraction ?? 0.75;
      return {
        token: body.access_token,
        renewAt: lifetimeMs === null ? null : requestedAt + Math.floor(lifetimeMs * fraction),
        expiresAt: lifetimeMs === null ? null : requestedAt + lifetimeMs,
      };
    }
    const code = typeof body.error === 'string' ? body.error.slice(0, 60) : '';
    if (response.status === 429) throw new ZendeskApiError('RATE_LIMITED', 'POST /oauth/tokens: Zendesk answered 429', { status: 429, retryAfterMs: 60_000 });
    if (response.status >= 500) throw new ZendeskApiError('UNAVAILABLE', `POST /oauth/tokens: Zendesk answered ${response.status}`, { status: response.status });
    if (code === 'invalid_client' || code === 'unauthorized_client' || response.status === 401) {
      throw new ZendeskApiError(
        'REJECTED',
        `Zendesk refused cxloop's OAuth client${code ? ` (${code})` : ''} (HTTP ${response.status}): check ZENDESK_OAUTH_CLIENT_SECRET (and ZENDESK_OAUTH_CLIENT_ID): the client's secret from Admin Center > Apps and integrations > APIs > OAuth clients; the client must be confidential`,
        { status: response.status },
      );
    }
    if (code === 'invalid_scope') {
      throw new ZendeskApiError('REJECTED', `Zendesk refused the scopes cxloop asks for (${scopes.join(' ')}): allow them on the OAuth client (Allowed scopes in Admin Center)`, { status: response.status });
    }
    throw new ZendeskApiError('REJECTED', `POST /oauth/tokens: Zendesk answered ${response.status}${code ? ` (${code})` : ''} without an access token`, { status: response.status });
  }
}

function isFresh(token: AccessToken, now: number): boolean {
  return token.renewAt === null ? token.expiresAt === null || now < token.expiresAt : now < token.renewAt;
}

/** An AccessTokenCache for one process (doctor, install): nothing shared, nothing stored. */
export class MemoryAccessTokenCache implements AccessTokenCache {
  private token: AccessToken | null = null;
  private claim: string | null = null;
  private claims = 0;

  async read(): Promise<AccessToken | null> {
    return this.token;
  }

  async claimRenewal(): Promise<string | null> {
    if (this.claim !== null) return null;
    this.claims += 1;
    this.claim = `claim-${this.claims}`;
    return this.claim;
  }

  async store(token: AccessToken, claim: string): Promise<void> {
    this.token = token;
    await this.release(claim);
  }

  async release(claim: string): Promise<void> {
    if (this.claim === claim) this.claim = null;
  }

  async drop(token: string): Promise<void> {
    if (this.token?.token === token) this.token = null;
  }
}

/** The auth of a configured account: OAuth client credentials when set (tokens shared through `cache`), else the API token. */
export function createZendeskAuth(
  credentials: ZendeskCredentials,
  options: { readonly baseUrl: string; readonly cache: AccessTokenCache; readonly scopes: readonly string[]; readonly now?: () => number; readonly timeoutMs?: number },
): ZendeskAuth {
  if (credentials.kind === 'api_token') return apiTokenAuth(credentials.email, credentials.token);
  return new OAuthClientCredentials({ ...options, clientId: credentials.clientId, clientSecret: credentials.clientSecret });
}
