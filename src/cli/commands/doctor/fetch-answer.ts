/** One HTTP answer as the doctor reads it: status, the JSON body (null when it is not JSON) and the raw text. */
export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
  readonly headers: Headers;
}

/**
 * GET `url` within `timeoutMs`. Network failures and timeouts throw (fetch's TypeError / the abort's
 * TimeoutError); any HTTP status is an answer. Redirects are not followed: Zendesk and Slack call
 * the configured address itself, so a redirect is worth reporting.
 */
export async function fetchAnswer(url: string, options: { headers?: Record<string, string>; timeoutMs: number }): Promise<HttpAnswer> {
  const response = await fetch(url, { headers: options.headers ?? {}, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs) });
  const text = await response.text();
  return { status: response.status, body: parseJsonOrNull(text), text, headers: response.headers };
}

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The start of a body for a message: one line, at most `max` characters. */
export function excerptOf(text: string, max = 120): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}...` : line;
}
