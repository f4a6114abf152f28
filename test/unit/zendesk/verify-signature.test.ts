import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signZendeskPayload, usableSecrets, verifyZendeskSignature, type SignatureInput } from '../../../src/adapters/zendesk/verify-signature.js';

const NOW = Date.UTC(2026, 10, 20, 10, 0, 0);
const MINUTE = 60_000;
const MAX_AGE = 5 * MINUTE;
/** Valid base64, so "decoding" it yields a different key: Zendesk keys the HMAC with the string itself. */
const SECRET = 'dGhpcy1pcy1hLXNlY3JldA==';
const BODY = '{"type":"zen:event-type:ticket.created","id":"01J"}';

const iso = (epochMs: number): string => new Date(epochMs).toISOString();
const TIMESTAMP = iso(NOW);
const signWith = (key: string | Buffer, timestamp = TIMESTAMP, body = BODY): string =>
  createHmac('sha256', key).update(timestamp + body).digest('base64');

function input(overrides: Partial<SignatureInput> = {}): SignatureInput {
  return {
    rawBody: Buffer.from(BODY),
    timestamp: TIMESTAMP,
    signature: signWith(SECRET),
    secrets: [SECRET],
    now: NOW,
    maxAgeMs: MAX_AGE,
    ...overrides,
  };
}

describe('signZendeskPayload', () => {
  it('is base64(HMAC-SHA256(secret, timestamp + body)) with the secret string as the key', () => {
    expect(signZendeskPayload(BODY, TIMESTAMP, SECRET)).toBe(signWith(SECRET));
    expect(signZendeskPayload(Buffer.from(BODY), TIMESTAMP, SECRET)).toBe(signWith(SECRET));
  });
});

describe('verifyZendeskSignature', () => {
  const fourMinutesOld = iso(NOW - 4 * MINUTE);
  const cases: Array<{ name: string; input: SignatureInput; ok: boolean; reason?: RegExp }> = [
    { name: 'valid signature', input: input(), ok: true },
    { name: 'timestamp 4 min old', input: input({ timestamp: fourMinutesOld, signature: signWith(SECRET, fourMinutesOld) }), ok: true },
    { name: 'tampered body', input: input({ rawBody: Buffer.from(BODY.replace('created', 'deleted')) }), ok: false, reason: /does not match/ },
    { name: 'wrong secret', input: input({ signature: signWith('another-secret') }), ok: false, reason: /does not match/ },
    {
      name: 'key that is the base64-decoded secret',
      input: input({ signature: signWith(Buffer.from(SECRET, 'base64')) }),
      ok: false,
      reason: /does not match/,
    },
    { name: 'missing signature header', input: input({ signature: undefined }), ok: false, reason: /missing/ },
    { name: 'missing timestamp header', input: input({ timestamp: undefined }), ok: false, reason: /missing/ },
    { name: 'empty signature header', input: input({ signature: '' }), ok: false, reason: /missing/ },
    {
      name: 'timestamp 6 min old',
      input: input({ timestamp: iso(NOW - 6 * MINUTE), signature: signWith(SECRET, iso(NOW - 6 * MINUTE)) }),
      ok: false,
      reason: /outside the accepted window/,
    },
    {
      name: 'timestamp 6 min in the future',
      input: input({ timestamp: iso(NOW + 6 * MINUTE), signature: signWith(SECRET, iso(NOW + 6 * MINUTE)) }),
      ok: false,
      reason: /outside the accepted window/,
    },
    { name: 'non-ISO timestamp', input: input({ timestamp: 'abc', signature: signWith(SECRET, 'abc') }), ok: false, reason: /ISO-8601/ },
    {
      name: 'RFC 1123 date (parseable, but Zendesk sends ISO-8601)',
      input: input({ timestamp: 'Fri, 20 Nov 2026 10:00:00 GMT', signature: signWith(SECRET, 'Fri, 20 Nov 2026 10:00:00 GMT') }),
      ok: false,
      reason: /ISO-8601/,
    },
    { name: 'signature of a different length', input: input({ signature: `${signWith(SECRET)}AA` }), ok: false, reason: /does not match/ },
    { name: 'short signature', input: input({ signature: 'x' }), ok: false, reason: /does not match/ },
  ];

  it.each(cases)('$name -> ok: $ok', ({ input: given, ok, reason }) => {
    let result: ReturnType<typeof verifyZendeskSignature> | undefined;
    expect(() => (result = verifyZendeskSignature(given))).not.toThrow();
    expect(result?.ok).toBe(ok);
    if (reason) expect(result).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });
});

describe('verifyZendeskSignature with several secrets (ZENDESK_WEBHOOK_SECRET="a,b")', () => {
  const OTHER = 'c2Vjb25kLXdlYmhvb2stc2VjcmV0';
  const cases: Array<{ name: string; secrets: string[]; signedWith: string; ok: boolean; reason?: RegExp }> = [
    { name: 'signed with the first secret', secrets: [SECRET, OTHER], signedWith: SECRET, ok: true },
    { name: 'signed with the second secret', secrets: [SECRET, OTHER], signedWith: OTHER, ok: true },
    { name: 'signed with neither', secrets: [SECRET, OTHER], signedWith: 'third-secret', ok: false, reason: /does not match/ },
    { name: 'blank entries (",,") are ignored', secrets: ['', SECRET, '', '  ', OTHER, ''], signedWith: OTHER, ok: true },
    { name: 'spaces around an entry ("a, b") are ignored', secrets: [` ${SECRET}`, ` ${OTHER} `], signedWith: OTHER, ok: true },
    { name: 'a blank entry never matches a signature made with an empty key', secrets: [SECRET, ''], signedWith: '', ok: false, reason: /does not match/ },
    { name: 'only blank entries', secrets: ['', ' '], signedWith: '', ok: false, reason: /no signing secret configured/ },
    { name: 'no secrets', secrets: [], signedWith: SECRET, ok: false, reason: /no signing secret configured/ },
  ];

  it.each(cases)('$name -> ok: $ok', ({ secrets, signedWith, ok, reason }) => {
    const result = verifyZendeskSignature(input({ secrets, signature: signWith(signedWith) }));
    expect(result.ok).toBe(ok);
    if (reason) expect(result).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('still checks the timestamp window and the body with several secrets', () => {
    const stale = iso(NOW - 6 * MINUTE);
    expect(verifyZendeskSignature(input({ secrets: [SECRET, OTHER], timestamp: stale, signature: signWith(OTHER, stale) }))).toEqual({
      ok: false,
      reason: expect.stringMatching(/outside the accepted window/),
    });
    const tampered = verifyZendeskSignature(input({ secrets: [SECRET, OTHER], signature: signWith(OTHER), rawBody: Buffer.from(`${BODY} `) }));
    expect(tampered.ok).toBe(false);
  });
});

describe('usableSecrets', () => {
  it.each([
    { value: 'a', expected: ['a'] },
    { value: 'a,b', expected: ['a', 'b'] },
    { value: 'a,,b', expected: ['a', 'b'] },
    { value: ' a , b ,', expected: ['a', 'b'] },
    { value: ',,', expected: [] },
  ])('"$value" -> $expected', ({ value, expected }) => {
    expect(usableSecrets(value.split(','))).toEqual(expected);
  });
});
