import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The contract between the HTTP server and the surfaces it serves (health, Zendesk webhooks,
 * Slack): a surface hands the server its routes, so adapters never import the server.
 */
export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void> | void;

export interface Route {
  readonly method: 'GET' | 'POST';
  /** An exact path, or a prefix ending in "/*". */
  readonly path: string;
  readonly handler: RouteHandler;
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** One request header's value (the first, when it was sent more than once). */
export function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Retry-After in seconds (or an HTTP date), as milliseconds. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * The raw body within `maxBytes`, or null when the request was answered already: 413 (and the
 * connection closed, so the rest of the upload is never read) or dropped because it was aborted.
 */
export async function readBodyOrRefuse(request: IncomingMessage, response: ServerResponse, maxBytes: number): Promise<Buffer | null> {
  const body = await readBody(request, maxBytes);
  if (body.ok) return body.body;
  if (body.reason === 'aborted') {
    request.destroy();
    return null;
  }
  response.setHeader('connection', 'close');
  sendJson(response, 413, { error: `body larger than ${maxBytes} bytes` });
  return null;
}

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' | 'aborted' };

/**
 * Reads the raw body (signatures are computed over the exact bytes), refusing more than
 * `maxBytes` whether or not a content-length was sent. After `too_large` the caller answers 413
 * and the connection is closed, so the rest of the upload is never read.
 */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, reason: 'too_large' };
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) return { ok: false, reason: 'too_large' };
      chunks.push(chunk);
    }
  } catch {
    return { ok: false, reason: 'aborted' };
  }
  return { ok: true, body: Buffer.concat(chunks, size) };
}
