import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The contract between the HTTP server and the surfaces it serves (health, Zendesk webhooks,
 * Slack): a surface hands the server its routes, so adapters never import the server.
 */
export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void> | void;

export interface Route {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly handler: RouteHandler;
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
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
