import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cxloop, Role } from '../../../src/main.js';
import { collectManifestUrls, manifestUrlPaths, readManifestYaml, type ManifestUrl } from '../../support/slack-manifest.js';
import { dropPrefix, startLive, uniquePrefix, nockZendeskReads } from '../../support/zendesk-fixtures.js';

const manifest = readManifestYaml();
/** The URLs Slack itself sends signed requests to; `oauth_config.redirect_urls` is where a browser returns from Sign in with Slack (a GET with a state, tested in test/unit/dashboard/slack-oidc-routes.test.ts). */
const urls = collectManifestUrls(manifest).filter((url) => !url.at.startsWith('oauth_config.redirect_urls'));

/** What Slack sends to each kind of manifest URL (minus the signature), so the route sees a realistic body. */
function slackRequestFor({ at }: ManifestUrl): { contentType: string; body: string } {
  const form = (fields: Record<string, string>) => ({ contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams(fields).toString() });
  if (at.startsWith('settings.event_subscriptions.')) {
    return { contentType: 'application/json', body: JSON.stringify({ token: 'legacy', challenge: 'challenge-from-an-unsigned-request', type: 'url_verification' }) };
  }
  if (at.startsWith('settings.interactivity.')) {
    const payload = { type: 'block_actions', user: { id: 'U0123ABCD' }, actions: [{ action_id: 'cx_ack', value: '101' }] };
    return form({ payload: JSON.stringify(payload) });
  }
  if (at.startsWith('features.slash_commands[')) {
    return form({ command: '/cxloop', text: 'help', user_id: 'U0123ABCD', channel_id: 'C0123ABCD', team_id: 'T0123ABCD', response_url: 'https://hooks.slack.test/x', trigger_id: '1.2.3' });
  }
  return { contentType: 'application/json', body: '{}' };
}

/**
 * Every URL the Slack app manifest gives Slack must be served by cxloop's HTTP server, which
 * refuses a request without a valid Slack signature with 401 (a 404 would mean the manifest
 * points Slack at a path nobody serves). Real server on port 0, real Redis; nothing leaves loopback.
 */
describe.each<Role>(['all', 'web'])('manifest URLs are served (role %s)', (role) => {
  const prefix = uniquePrefix();
  let app: Cxloop;

  beforeAll(async () => {
    nockZendeskReads();
    // Bolt may call auth.test when it is built with a single bot token.
    nock('https://slack.com')
      .persist()
      .post('/api/auth.test')
      .reply(200, { ok: true, url: 'https://acme.slack.test/', team: 'Acme', user: 'cxloop', team_id: 'T0123ABCD', user_id: 'U0CXLOOP1', bot_id: 'B0CXLOOP1' });
    app = await startLive(prefix, { role });
  });
  afterAll(async () => {
    await app?.stop();
    nock.cleanAll();
    nock.enableNetConnect();
    await dropPrefix(prefix);
  });

  it('the manifest has URLs to check, all on one path', () => {
    expect(urls.length).toBeGreaterThan(0);
    expect(manifestUrlPaths(manifest)).toEqual(['/dashboard/oidc/callback', '/slack/events']);
    expect(urls.every((url) => new URL(url.url).pathname === '/slack/events')).toBe(true);
  });

  it.each(urls.map((url) => [url.at, url] as const))('%s: an unsigned POST gets 401, not 404', async (_at, url) => {
    const { pathname } = new URL(url.url);
    const { contentType, body } = slackRequestFor(url);
    const response = await fetch(`${app.http.url}${pathname}`, { method: 'POST', headers: { 'content-type': contentType }, body });
    const text = await response.text();
    expect(response.status, `POST ${pathname} answered ${response.status} ${text}`).toBe(401);
    expect(text).not.toContain('challenge-from-an-unsigned-request');
  });

  it.each(urls.map((url) => [url.at, url] as const))('%s: a POST signed with another secret gets 401', async (_at, url) => {
    const { pathname } = new URL(url.url);
    const { contentType, body } = slackRequestFor(url);
    const response = await fetch(`${app.http.url}${pathname}`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)),
        'x-slack-signature': `v0=${'0'.repeat(64)}`,
      },
      body,
    });
    const text = await response.text();
    expect(response.status, `POST ${pathname} answered ${response.status} ${text}`).toBe(401);
    expect(text).not.toContain('challenge-from-an-unsigned-request');
  });
});
