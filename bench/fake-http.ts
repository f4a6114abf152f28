/**
 * What the loopback fakes of vendor APIs (fake-zendesk.ts, fake-slack.ts) share: rate limiters,
 * a capped body reader, and listening on / closing a node:http server.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a limiter says: a slot was spent (and how many are left), or how long until one frees. */
export type LimitDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

/**
 * At most `limit` calls in any sliding window of `windowMs` (Zendesk's per-minute limits). The
 * Retry-After is whole seconds until the oldest call leaves the window, at least 1.
 */
export function slidingWindow(limit: number, windowMs: number, now: () => number): () => LimitDecision {
  const hits: number[] = [];
  return () => {
    const t = now();
    while (hits.length > 0 && hits[0]! <= t - windowMs) hits.shift();
    if (hits.length >= limit) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((hits[0]! + windowMs - t) / 1000)) };
    hits.push(t);
    return { allowed: true, remaining: limit - hits.length };
  };
}

/**
 * A token bucket per key (Slack's "1 message per second per channel, short bursts allowed"):
 * `burst` tokens at most, refilled at `perSecond`. A call takes one token or is told, in whole
 * seconds (at least 1, as Retry-After is), when the next one is there.
 */
export function tokenBuckets(perSecond: number, burst: number, now: () => number): (key: string) => LimitDecision {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (key) => {
    const t = now();
    const bucket = buckets.get(key) ?? { tokens: burst, at: t };
    bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * perSecond);
    bucket.at = t;
    buckets.set(key, bucket);
    if (bucket.tokens < 1) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)) };
    bucket.tokens -= 1;
    return { allowed: true, remaining: Math.floor(bucket.tokens) };
  };
}

/**
 * The body as text, or null past `limitBytes`. It is drained even past the cap so the client sees
 * the fake's 413 instead of a reset connection.
 */
export async function readCappedBody(req: IncomingMessage, limitBytes: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limitBytes) chunks.push(chunk);
  }
  return size > limitBytes ? null : Buffer.concat(chunks).toString('utf8');
}

/** Listens on 127.0.0.1 (port 0: any free one) and returns the origin, e.g. http://127.0.0.1:PORT. */
export async function listenOnLoopback(server: Server, port = 0): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes the server without waiting for keep-alive connections (fetch keeps them) to idle out. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
