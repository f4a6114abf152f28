import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';

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
