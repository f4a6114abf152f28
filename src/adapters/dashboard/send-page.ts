import type { ServerResponse } from 'node:http';
import type { Html } from './html.js';

/**
 * Every dashboard answer carries these: scripts and styles only from this server (no inline
 * script, no CDN), no framing, the referrer only within this site (a sign-in link's token never leaks to another site, and form posts still carry their Origin),
 * and nothing cached (the pages show live ticket data).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

export type PageSender = (response: ServerResponse, status: number, page: Html) => void;

export function sendPage(response: ServerResponse, status: number, page: Html): void {
  const body = page.text;
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

export function sendCsv(response: ServerResponse, fileName: string, csv: string): void {
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${fileName.replace(/[^a-z0-9_.-]/gi, '_')}"`,
    'content-length': Buffer.byteLength(csv),
  });
  response.end(csv);
}
