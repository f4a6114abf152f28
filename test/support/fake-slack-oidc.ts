import { createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A locally made RSA key and its JWKS, standing in for Slack's OIDC signing key. */
export const { privateKey: SLACK_TEST_KEY, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const SLACK_TEST_JWKS = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] };

/** An id_token as Slack signs it for U0ALICE of T0INSTALL, app 111.222, valid 5 minutes from `now`; `claims` override. */
export function slackIdToken(now: number, claims: Record<string, unknown> = {}, key: KeyObject = SLACK_TEST_KEY, kid = 'k1'): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${part({ alg: 'RS256', typ: 'JWT', kid })}.${part({
    iss: 'https://slack.com',
    aud: '111.222',
    sub: 'U0ALICE',
    exp: Math.floor(now / 1000) + 300,
    iat: Math.floor(now / 1000),
    nonce: 'n0nce',
    name: 'Alice Ng',
    'https://slack.com/user_id': 'U0ALICE',
    'https://slack.com/team_id': 'T0INSTALL',
    ...claims,
  })}`;
  return `${body}.${createSign('sha256').update(body).sign(key).toString('base64url')}`;
}

export interface FakeSlackPerson {
  readonly user: string;
  readonly team: string;
  readonly name: string;
}

/** One request the fake answered: what the browser or cxloop sent it. */
export interface FakeSlackRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly form: Record<string, string>;
}

export interface FakeSlackOidc {
  /** The root of the fake (what SLACK_API_URL's host is to cxloop): http://127.0.0.1:<port>/ */
  readonly url: string;
  readonly requests: FakeSlackRequest[];
  /** Who the next authorize signs in (Slack's consent page, skipped: the person clicks Allow). */
  signInAs(person: FakeSlackPerson): void;
  close(): Promise<void>;
}

/**
 * Slack's OIDC endpoints on loopback HTTP, for a real browser: GET /openid/connect/authorize
 * redirects straight back to the redirect_uri with a code and the state (as Slack does after the
 * person allows), POST /api/openid.connect.token answers that code, once, with an id_token for the
 * person signed with SLACK_TEST_KEY and carrying the authorize request's nonce, and GET
 * /openid/connect/keys publishes SLACK_TEST_JWKS. Anything else, or a token request whose
 * client, secret, code or redirect_uri does not match, is answered as Slack answers errors.
 */
export async function startFakeSlackOidc(app: { clientId: string; clientSecret: string }, now: () => number): Promise<FakeSlackOidc> {
  const requests: FakeSlackRequest[] = [];
  const codes = new Map<string, { person: FakeSlackPerson; nonce: string; redirectUri: string }>();
  let person: FakeSlackPerson | null = null;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://fake');
      const query = Object.fromEntries(url.searchParams);
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      requests.push({ method: request.method ?? '', path: url.pathname, query, form });
      const json = (body: object): void => void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (request.method === 'GET' && url.pathname === '/openid/connect/authorize') {
        if (person === null || query.client_id !== app.clientId || query.response_type !== 'code' || !query.redirect_uri || !query.state || !query.nonce) {
          return void response.writeHead(400, { 'content-type': 'text/plain' }).end('invalid authorize request');
        }
        const code = randomBytes(12).toString('hex');
        codes.set(code, { person, nonce: query.nonce, redirectUri: query.redirect_uri });
        const back = new URL(query.redirect_uri);
        back.search = new URLSearchParams({ code, state: query.state }).toString();
        return void response.writeHead(302, { location: back.toString() }).end();
      }
      if (request.method === 'POST' && url.pathname === '/api/openid.connect.token') {
        const grant = form.code === undefined ? undefined : codes.get(form.code);
        if (form.client_id !== app.clientId || form.client_secret !== app.clientSecret) return json({ ok: false, error: 'invalid_client_id' });
        if (grant === undefined || form.grant_type !== 'authorization_code' || form.redirect_uri !== grant.redirectUri) return json({ ok: false, error: 'invalid_code' });
        codes.delete(form.code!);
        const claims = { aud: app.clientId, sub: grant.person.user, nonce: grant.nonce, name: grant.person.name, 'https://slack.com/user_id': grant.person.user, 'https://slack.com/team_id': grant.person.team };
        return json({ ok: true, access_token: 'xoxp-fake', token_type: 'Bearer', id_token: slackIdToken(now(), claims) });
      }
      if (request.method === 'GET' && url.pathname === '/openid/connect/keys') return json(SLACK_TEST_JWKS);
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'unknown_method' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    signInAs: (next) => void (person = next),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
