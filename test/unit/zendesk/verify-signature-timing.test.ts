import type * as crypto from 'node:crypto';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifyZendeskSignature } from '../../../src/adapters/zendesk/verify-signature.js';

// Counts the constant-time comparisons: with several secrets every one is compared, whichever
// matches, so the response time does not reveal which secret signed the request.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const NOW = Date.UTC(2026, 10, 20, 10, 0, 0);
const TIMESTAMP = new Date(NOW).toISOString();
const BODY = '{"cxloop_trigger":"satisfaction","ticket_id":"5"}';
const SECRETS = ['first-secret', 'second-secret', 'third-secret'];
const signWith = (key: string) => createHmac('sha256', key).update(TIMESTAMP + BODY).digest('base64');

const verify = (signature: string) =>
  verifyZendeskSignature({ rawBody: Buffer.from(BODY), timestamp: TIMESTAMP, signature, secrets: SECRETS, now: NOW, maxAgeMs: 300_000 });

afterEach(() => {
  vi.mocked(timingSafeEqual).mockClear();
});

describe('verifyZendeskSignature compares every secret (no early exit)', () => {
  it.each([
    { name: 'the first secret matches', signature: signWith('first-secret'), ok: true },
    { name: 'the last secret matches', signature: signWith('third-secret'), ok: true },
    { name: 'no secret matches', signature: signWith('other'), ok: false },
  ])('$name: one constant-time comparison per secret', ({ signature, ok }) => {
    expect(verify(signature).ok).toBe(ok);
    expect(vi.mocked(timingSafeEqual)).toHaveBeenCalledTimes(SECRETS.length);
  });
});
