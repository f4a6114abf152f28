import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { authorizeUrl, checkOidcState, oidcState, signInWithCode, slackOidcConfig, verifyIdToken, type SlackOidcConfig } from '../../../src/adapters/dashboard/slack-oidc.js';
import { SLACK_TEST_JWKS, SLACK_TEST_KEY, slackIdToken } from '../../support/fake-slack-oidc.js';

const NOW = Date.UTC(2026, 10, 20, 10, 0, 0);
const SLACK = 'https://slack.oidc.test';
const config: SlackOidcConfig = { clientId: '111.222', clientSecret: 'client-secret', redirectUri: 'https://cx.example.test/dashboard/oidc/callback', teamId: 'T0INSTALL', slackUrl: SLACK };
const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const jwks = SLACK_TEST_JWKS;
const idToken = (claims: Record<string, unknown> = {}, key = SLACK_TEST_KEY, kid = 'k1'): string => slackIdToken(NOW, claims, key, kid);

const check = { keys: jwks.keys, clientId: '111.222', teamId: 'T0INSTALL', nonce: 'n0nce', now: NOW };

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('Sign in with Slack', () => {
  it('sends the person to Slack authorize with code flow, the openid scopes, state and nonce', () => {
    const url = new URL(authorizeUrl(config, 'the-state', 'the-nonce'));
    expect(`${url.origin}${url.pathname}`).toBe(`${SLACK}/openid/connect/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ response_type: 'code', scope: 'openid profile email', client_id: '111.222', state: 'the-state', nonce: 'the-nonce', redirect_uri: config.redirectUri, team: 'T0INSTALL' });
  });

  it('exchanges the code with the exact token request and signs in the workspace member', async () => {
    let sent: unknown;
    const slack = nock(SLACK)
      .post('/api/openid.connect.token', (body) => {
        sent = body;
        return true;
      })
      .matchHeader('content-type', 'application/x-www-form-urlencoded')
      .reply(200, { ok: true, access_token: 'xoxp-1', id_token: idToken() })
      .get('/openid/connect/keys')
      .reply(200, jwks);
    const result = await signInWithCode(config, 'the-code', 'n0nce', NOW);
    expect(result).toEqual({ ok: true, identity: { user: 'U0ALICE', team: 'T0INSTALL', name: 'Alice Ng' } });
    expect(sent).toEqual({ client_id: '111.222', client_secret: 'client-secret', code: 'the-code', grant_type: 'authorization_code', redirect_uri: config.redirectUri });
    expect(slack.isDone()).toBe(true);
  });

  it('says why when Slack refuses the code', async () => {
    nock(SLACK).post('/api/openid.connect.token').reply(200, { ok: false, error: 'invalid_code' });
    expect(await signInWithCode(config, 'stale', 'n0nce', NOW)).toEqual({ ok: false, reason: 'Slack refused the token exchange (invalid_code)' });
  });

  it.each([
    ['another workspace', idToken({ 'https://slack.com/team_id': 'T0OTHER' }), 'the Slack account is in another workspace (T0OTHER)'],
    ['an expired id_token', idToken({ exp: NOW / 1000 - 61 }), 'the id_token has expired'],
    ['a nonce of another sign-in', idToken({ nonce: 'other' }), 'the id_token is for another sign-in (nonce)'],
    ['another app', idToken({ aud: '999.999' }), 'the id_token is for another app'],
    ['another issuer', idToken({ iss: 'https://evil.test' }), 'the id_token was not issued by Slack'],
    ['a key Slack does not publish', idToken({}, SLACK_TEST_KEY, 'k9'), 'the id_token is signed with a key Slack does not publish'],
    ['a forged signature', idToken({}, other), 'the id_token signature does not match'],
    ['not a JWT', 'abc', 'the id_token is not a JWT'],
  ])('refuses %s', (_name, token, reason) => {
    expect(verifyIdToken(token, check)).toEqual({ ok: false, reason });
  });

  it('refuses an unsigned (alg none) token', () => {
    const [, payload] = idToken().split('.');
    const head = Buffer.from(JSON.stringify({ alg: 'none', kid: 'k1' })).toString('base64url');
    expect(verifyIdToken(`${head}.${payload}.x`, check)).toEqual({ ok: false, reason: 'the id_token is signed with none, not RS256' });
  });

  it('accepts its own state from the same browser until it expires', () => {
    const { state, nonce } = oidcState('secret', NOW + 600_000);
    expect(checkOidcState('secret', state, nonce, NOW)).toEqual({ ok: true, nonce });
    expect(checkOidcState('secret', state, nonce, NOW + 600_001)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a bad state: forged, cut, or from another browser', () => {
    const { state, nonce } = oidcState('secret', NOW + 600_000);
    expect(checkOidcState('other secret', state, nonce, NOW)).toEqual({ ok: false, reason: 'signature' });
    expect(checkOidcState('secret', state.slice(0, 20), nonce, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(checkOidcState('secret', state, null, NOW)).toEqual({ ok: false, reason: 'other browser' });
    expect(checkOidcState('secret', state, 'someone-elses-nonce', NOW)).toEqual({ ok: false, reason: 'other browser' });
  });
});

describe('slackOidcConfig', () => {
  it('is set up by the three keys and the public URL, and follows SLACK_API_URL for every Slack URL', () => {
    const env = { SLACK_CLIENT_ID: '111.222', SLACK_CLIENT_SECRET: 's', SLACK_TEAM_ID: 'T0INSTALL', CXLOOP_PUBLIC_URL: 'https://cx.example.test/' };
    expect(slackOidcConfig(env)).toEqual({ clientId: '111.222', clientSecret: 's', teamId: 'T0INSTALL', redirectUri: 'https://cx.example.test/dashboard/oidc/callback', slackUrl: 'https://slack.com/' });
    expect(slackOidcConfig({ ...env, SLACK_API_URL: 'http://127.0.0.1:7300/api/' })?.slackUrl).toBe('http://127.0.0.1:7300/');
    expect(slackOidcConfig({ ...env, SLACK_TEAM_ID: undefined })).toBeNull();
  });
});
