import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signZafToken, verifyZafToken } from '../../../src/adapters/zendesk-app/verify-zaf-token.js';

const SECRET = 'app-shared-secret-0123456789';
const NOW = Date.parse('2026-11-23T09:00:00Z');
const seconds = (at: number) => Math.floor(at / 1000);
const claims = (changes: Record<string, unknown> = {}) => ({ iss: 'acme', sub: '7001', name: 'Ana Lima', iat: seconds(NOW), exp: seconds(NOW) + 300, jti: 'r1', ...changes });
const verify = (token: string, options: { secrets?: string[]; subdomain?: string; now?: number } = {}) =>
  verifyZafToken(token, { secrets: options.secrets ?? [SECRET], subdomain: options.subdomain ?? 'acme', now: options.now ?? NOW });

/** A token signed as `alg` says, with whatever key: what an attacker could send. */
function forged(header: Record<string, unknown>, payload: Record<string, unknown>, key: string): string {
  const head = Buffer.from(JSON.stringify(header)).toString('base64url');
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${head}.${body}.${createHmac('sha256', key).update(`${head}.${body}`).digest('base64url')}`;
}

describe('verifyZafToken: ZAF signed requests (HS256 with the app shared secret)', () => {
  it('accepts a good token and reads the agent from it', () => {
    expect(verify(signZafToken(claims(), SECRET))).toEqual({ ok: true, claims: { subdomain: 'acme', agentId: 7001, agentName: 'Ana Lima', expiresAt: (seconds(NOW) + 300) * 1000, tokenId: 'r1' } });
  });

  it.each([
    ['expired (beyond the minute of clock skew)', signZafToken(claims({ exp: seconds(NOW) - 61 }), SECRET), {}, 'expired'],
    ['signed with another secret', signZafToken(claims(), 'another-secret'), {}, 'signature does not match the shared secret'],
    ['from another Zendesk account', signZafToken(claims({ iss: 'evilcorp' }), SECRET), {}, 'another Zendesk account'],
    ['without an account', signZafToken(claims({ iss: undefined }), SECRET), {}, 'another Zendesk account'],
    ['without exp', signZafToken(claims({ exp: undefined }), SECRET), {}, 'no exp claim'],
    ['valid for a day', signZafToken(claims({ exp: seconds(NOW) + 86_400 }), SECRET), {}, 'valid for too long'],
    ['issued in the future', signZafToken(claims({ iat: seconds(NOW) + 600, exp: seconds(NOW) + 900 }), SECRET), {}, 'issued in the future'],
    ['without an agent', signZafToken(claims({ sub: 'someone' }), SECRET), {}, 'no agent (sub claim)'],
    ['alg none', `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.`, {}, 'algorithm none is not HS256'],
    ['HS512 with the right secret', forged({ alg: 'HS512', typ: 'JWT' }, claims(), SECRET), {}, 'algorithm HS512 is not HS256'],
    ['not a JWT', 'Bearer-nonsense', {}, 'malformed token'],
    ['a payload that is not JSON', `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.bm90IGpzb24.sig`, {}, 'malformed token'],
  ])('refuses a token %s', (_name, token, options, reason) => {
    expect(verify(token, options)).toEqual({ ok: false, reason });
  });

  it('compares the account without regard to case, and accepts the previous secret while rotating', () => {
    expect(verify(signZafToken(claims({ iss: 'ACME' }), SECRET)).ok).toBe(true);
    expect(verify(signZafToken(claims(), 'old-secret'), { secrets: [SECRET, 'old-secret'] }).ok).toBe(true);
  });

  it('accepts a token that expired within the skew, and refuses it a second later', () => {
    const token = signZafToken(claims({ exp: seconds(NOW) }), SECRET);
    expect(verify(token, { now: NOW + 60_000 }).ok).toBe(true);
    expect(verify(token, { now: NOW + 61_000 })).toEqual({ ok: false, reason: 'expired' });
  });
});
