import { CliError } from './io.js';

export type PublicUrlResult =
  | { readonly ok: true; readonly url: string; readonly warning?: string }
  | { readonly ok: false; readonly reason: string };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The address Zendesk (and Slack) reach cxloop at: https, or http on a loopback host for local
 * tests (with a warning: Zendesk itself cannot call it). Returned without a trailing slash, so
 * `${url}/webhooks/zendesk` is the endpoint; a path prefix (a reverse proxy) is kept.
 */
export function parsePublicUrl(text: string): PublicUrlResult {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, reason: `"${text}" is not a URL (expected e.g. https://cxloop.example.com)` };
  }
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'must not contain a user name or password' };
  if (url.search !== '' || url.hash !== '') return { ok: false, reason: 'must not contain a query (?...) or a fragment (#...)' };
  const normalised = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  if (url.protocol === 'https:') return { ok: true, url: normalised };
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) {
    return {
      ok: true,
      url: normalised,
      warning: `${normalised} is a local http address: Zendesk cannot call it; use an https tunnel or the public address for a real account`,
    };
  }
  return { ok: false, reason: `must be https (Zendesk calls it over the internet); got ${url.protocol.replace(/:$/, '')}://${url.host}` };
}

/**
 * The public URL an install command works with: --url wins over CXLOOP_PUBLIC_URL; either must be
 * https (http only on a loopback host, with a warning on stderr). A usage error names the source.
 */
export function publicUrlOf(flag: string | undefined, envUrl: string | undefined, io: { readonly stderr: { write(text: string): unknown } }): string {
  const text = flag ?? envUrl;
  const source = flag !== undefined ? '--url' : 'CXLOOP_PUBLIC_URL';
  if (text === undefined) {
    throw new CliError('give the public https address of cxloop: --url https://cxloop.example.com (or set CXLOOP_PUBLIC_URL)', 2);
  }
  const parsed = parsePublicUrl(text);
  if (!parsed.ok) throw new CliError(`${source}: ${parsed.reason}`, flag !== undefined ? 2 : 1);
  if (parsed.warning) io.stderr.write(`warning: ${parsed.warning}\n`);
  return parsed.url;
}
