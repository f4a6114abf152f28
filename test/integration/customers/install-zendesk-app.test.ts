import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { fakeIo } from '../../support/fake-io.js';
import { nockZendeskToken, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, ZENDESK_URL } from '../../support/zendesk-fixtures.js';

/** `cxloop install zendesk-app` against Zendesk's Apps API faked with nock: the exact requests, in order. */
const ENV = { ZENDESK_SUBDOMAIN: 'acme', ZENDESK_OAUTH_CLIENT_ID: OAUTH_CLIENT_ID, ZENDESK_OAUTH_CLIENT_SECRET: OAUTH_CLIENT_SECRET, ZENDESK_API_URL: ZENDESK_URL, CXLOOP_PUBLIC_URL: 'https://cxloop.acme.test' };

describe('cxloop install zendesk-app', () => {
  let out: string;
  let requests: string[];
  beforeEach(() => {
    out = join(mkdtempSync(join(tmpdir(), 'cxloop-app-')), 'app.zip');
    requests = [];
    nock.disableNetConnect();
    nock.emitter.on('no match', (request: { method?: string; path?: string }) => requests.push(`UNMATCHED ${request.method} ${request.path}`));
  });
  afterEach(() => {
    nock.emitter.removeAllListeners('no match');
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const record = (line: string) => () => void requests.push(line);

  it('builds the zip and, with --upload, uploads, builds and installs it with the shared secret it prints', async () => {
    const grants = nockZendeskToken();
    let uploaded = '';
    let installation: unknown;
    nock(ZENDESK_URL).get('/api/v2/apps/owned.json').reply(200, () => (record('GET owned')(), { apps: [{ id: 12, name: 'another app' }] }));
    nock(ZENDESK_URL)
      .post('/api/v2/apps/uploads.json', (body: string) => ((uploaded = body), true))
      .matchHeader('content-type', /^multipart\/form-data; boundary=/)
      .reply(200, () => (record('POST uploads')(), { id: 77 }));
    nock(ZENDESK_URL).post('/api/v2/apps.json', { name: 'cxloop', short_description: "cxloop's closed loop in the ticket sidebar", upload_id: 77 }).reply(200, () => (record('POST apps')(), { job_id: 'job-1' }));
    nock(ZENDESK_URL).get('/api/v2/apps/job_statuses/job-1.json').reply(200, () => (record('GET job')(), { id: 'job-1', status: 'completed', app_id: 555 }));
    nock(ZENDESK_URL)
      .post('/api/v2/apps/installations.json', (body: unknown) => ((installation = body), true))
      .reply(200, () => (record('POST installations')(), { id: 999, app_id: 555 }));
    const io = fakeIo({ env: ENV });
    expect(await runCli(['install', 'zendesk-app', '--upload', '--out', out], io)).toBe(0);
    expect(requests).toEqual(['GET owned', 'POST uploads', 'POST apps', 'GET job', 'POST installations']);
    expect(grants.bodies[0]).toMatchObject({ grant_type: 'client_credentials', scope: 'apps:read apps:write' });
    const zip = readFileSync(out);
    expect(zip.subarray(0, 4).toString('hex')).toBe('504b0304');
    // nock hands a binary body over as hex: the multipart part carries the zip as it was written.
    const multipart = Buffer.from(uploaded, 'hex');
    expect(multipart.toString('latin1')).toContain('name="uploaded_data"; filename="cxloop-zendesk-app.zip"');
    expect(multipart.includes(zip)).toBe(true);
    const secret = /^ZENDESK_APP_SECRET=(\S+)$/m.exec(io.out())?.[1];
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(installation).toEqual({ app_id: 555, settings: { name: 'cxloop', shared_secret: secret } });
    expect(io.out()).toMatch(/^ZENDESK_WEBHOOK_SECRET=[A-Za-z0-9_-]{43},[A-Za-z0-9_-]{43}$/m);
    expect(io.err()).toContain('installed the app (installation 999); Zendesk creates its webhooks, triggers and ticket field now');
  });

  it('reuses ZENDESK_APP_SECRET and the two webhook secrets when .env has them, and updates the app already there', async () => {
    nockZendeskToken();
    let update: unknown;
    nock(ZENDESK_URL).get('/api/v2/apps/owned.json').reply(200, { apps: [{ id: 555, name: 'cxloop' }] });
    nock(ZENDESK_URL).post('/api/v2/apps/uploads.json').reply(200, { id: 78 });
    nock(ZENDESK_URL).put('/api/v2/apps/555.json', { upload_id: 78 }).reply(200, { job_id: 'job-2' });
    nock(ZENDESK_URL).get('/api/v2/apps/job_statuses/job-2.json').reply(200, { status: 'completed', app_id: 555 });
    nock(ZENDESK_URL).get('/api/v2/apps/installations.json').reply(200, { installations: [{ id: 999, app_id: 555 }] });
    nock(ZENDESK_URL)
      .put('/api/v2/apps/installations/999.json', (body: unknown) => ((update = body), true))
      .reply(200, { id: 999 });
    const io = fakeIo({ env: { ...ENV, ZENDESK_APP_SECRET: 'kept-app-secret', ZENDESK_WEBHOOK_SECRET: 'kept-events,kept-csat' } });
    expect(await runCli(['install', 'zendesk-app', '--upload', '--out', out], io)).toBe(0);
    expect(update).toEqual({ settings: { name: 'cxloop', shared_secret: 'kept-app-secret' } });
    expect(io.out()).toContain('ZENDESK_APP_SECRET=kept-app-secret\nZENDESK_WEBHOOK_SECRET=kept-events,kept-csat\n');
    expect(requests.filter((line) => line.startsWith('UNMATCHED'))).toEqual([]);
  });

  it('--remove uninstalls (Zendesk deletes what the requirements created) and deletes the app', async () => {
    nockZendeskToken();
    nock(ZENDESK_URL).get('/api/v2/apps/owned.json').reply(200, { apps: [{ id: 555, name: 'cxloop' }] });
    nock(ZENDESK_URL).get('/api/v2/apps/installations.json').reply(200, { installations: [{ id: 999, app_id: 555 }] });
    const uninstall = nock(ZENDESK_URL).delete('/api/v2/apps/installations/999.json').reply(204);
    const remove = nock(ZENDESK_URL).delete('/api/v2/apps/555.json').reply(204);
    const io = fakeIo({ env: ENV });
    expect(await runCli(['install', 'zendesk-app', '--remove'], io)).toBe(0);
    expect(uninstall.isDone() && remove.isDone()).toBe(true);
    expect(io.err()).toContain('uninstalled the app (installation 999): Zendesk removes its webhooks, triggers and ticket field');
  });

  it('says what the OAuth client lacks when Zendesk answers 403', async () => {
    nockZendeskToken();
    nock(ZENDESK_URL).get('/api/v2/apps/owned.json').reply(403, { error: 'Forbidden' });
    const io = fakeIo({ env: ENV });
    expect(await runCli(['install', 'zendesk-app', '--upload', '--out', out], io)).toBe(1);
    expect(io.err()).toContain('GET /api/v2/apps/owned.json: Zendesk answered 403 (the OAuth client needs the apps:read and apps:write scopes, and an admin)');
  });

  it('builds the zip without credentials, for an admin to upload by hand', async () => {
    const io = fakeIo({ env: { CXLOOP_PUBLIC_URL: 'https://cxloop.acme.test' } });
    expect(await runCli(['install', 'zendesk-app', '--out', out], io)).toBe(0);
    expect(readFileSync(out).length).toBeGreaterThan(1000);
    expect(io.err()).toContain('upload it as a private app, or run again with --upload');
  });
});
