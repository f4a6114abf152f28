import { ZendeskApiError } from '../../app/zendesk-api-error.js';
import type { ZendeskAuth } from './zendesk-auth.js';

/**
 * The part of Zendesk's Apps API that installs a private app, on global fetch (the upload is
 * multipart, which node-zendesk's JSON transporter does not send).
 * https://developer.zendesk.com/api-reference/ticketing/apps/apps/
 */
export interface AppsApiRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Below /api/v2, with .json. */
  readonly path: string;
  readonly body?: unknown;
}

export interface AppJobStatus {
  readonly status: 'queued' | 'working' | 'completed' | 'failed' | 'killed' | string;
  readonly appId: number | null;
  readonly message: string | null;
}

export class ZendeskAppsApi {
  private readonly endpoint: string;

  constructor(
    private readonly options: {
      readonly baseUrl: string;
      readonly auth: ZendeskAuth;
      readonly timeoutMs?: number;
      /** Each request as it is sent (dry runs and progress). */
      readonly onRequest?: (request: AppsApiRequest) => void;
    },
  ) {
    this.endpoint = `${options.baseUrl.replace(/\/+$/, '')}/api/v2`;
  }

  /** The account's private app named `name`, if it has one: GET /apps/owned. */
  async ownedApp(name: string): Promise<{ readonly id: number } | null> {
    const result = (await this.send({ method: 'GET', path: '/apps/owned.json' })) as { apps?: { id?: unknown; name?: unknown }[] };
    const app = (result.apps ?? []).find((candidate) => candidate.name === name && typeof candidate.id === 'number');
    return app ? { id: app.id as number } : null;
  }

  /** POST /apps/uploads (multipart, field uploaded_data): the upload's id. */
  async upload(zip: Buffer, fileName: string): Promise<number> {
    const form = new FormData();
    form.append('uploaded_data', new Blob([zip], { type: 'application/zip' }), fileName);
    const result = (await this.send({ method: 'POST', path: '/apps/uploads.json', body: `(multipart: ${fileName}, ${zip.length} bytes)` }, form)) as { id?: unknown };
    if (typeof result.id !== 'number') throw new ZendeskApiError('REJECTED', 'POST /apps/uploads: no upload id in the answer');
    return result.id;
  }

  /** POST /apps (a new app from an upload) or PUT /apps/{id} (a new version): the job that builds it. */
  async buildApp(upload: { readonly uploadId: number; readonly name: string; readonly shortDescription: string }, appId: number | null): Promise<string> {
    const request: AppsApiRequest =
      appId === null
        ? { method: 'POST', path: '/apps.json', body: { name: upload.name, short_description: upload.shortDescription, upload_id: upload.uploadId } }
        : { method: 'PUT', path: `/apps/${appId}.json`, body: { upload_id: upload.uploadId } };
    const result = (await this.send(request)) as { job_id?: unknown };
    if (typeof result.job_id !== 'string') throw new ZendeskApiError('REJECTED', `${request.method} ${request.path}: no job_id in the answer`);
    return result.job_id;
  }

  async jobStatus(jobId: string): Promise<AppJobStatus> {
    const result = (await this.send({ method: 'GET', path: `/apps/job_statuses/${encodeURIComponent(jobId)}.json` })) as { status?: unknown; app_id?: unknown; message?: unknown };
    return {
      status: typeof result.status === 'string' ? result.status : 'unknown',
      appId: typeof result.app_id === 'number' ? result.app_id : null,
      message: typeof result.message === 'string' ? result.message : null,
    };
  }

  /** The app's installation, if any: GET /apps/installations. */
  async installationOf(appId: number): Promise<{ readonly id: number } | null> {
    const result = (await this.send({ method: 'GET', path: '/apps/installations.json' })) as { installations?: { id?: unknown; app_id?: unknown }[] };
    const found = (result.installations ?? []).find((installation) => installation.app_id === appId && typeof installation.id === 'number');
    return found ? { id: found.id as number } : null;
  }

  /** POST /apps/installations, or PUT /apps/installations/{id} with new settings. */
  async install(appId: number, settings: Readonly<Record<string, string>>, installationId: number | null): Promise<number> {
    const request: AppsApiRequest =
      installationId === null
        ? { method: 'POST', path: '/apps/installations.json', body: { app_id: appId, settings } }
        : { method: 'PUT', path: `/apps/installations/${installationId}.json`, body: { settings } };
    const result = (await this.send(request)) as { id?: unknown };
    if (installationId !== null) return installationId;
    if (typeof result.id !== 'number') throw new ZendeskApiError('REJECTED', 'POST /apps/installations: no installation id in the answer');
    return result.id;
  }

  /** Uninstalling removes what the app's requirements created (webhooks, triggers, the ticket field). */
  async uninstall(installationId: number): Promise<void> {
    await this.send({ method: 'DELETE', path: `/apps/installations/${installationId}.json` });
  }

  async deleteApp(appId: number): Promise<void> {
    await this.send({ method: 'DELETE', path: `/apps/${appId}.json` });
  }

  private async send(request: AppsApiRequest, form?: FormData): Promise<unknown> {
    this.options.onRequest?.(request);
    const label = `${request.method} /api/v2${request.path}`;
    for (let attempt = 0; ; attempt += 1) {
      const { header, generation } = await this.options.auth.authorization();
      let response: Response;
      try {
        response = await fetch(`${this.endpoint}${request.path}`, {
          method: request.method,
          headers: { Authorization: header, Accept: 'application/json', ...(form ? {} : request.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
          body: form ?? (request.body !== undefined ? JSON.stringify(request.body) : null),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
        });
      } catch (error) {
        throw new ZendeskApiError('UNAVAILABLE', `${label}: ${(error as Error).message}`, {}, { cause: error });
      }
      if (response.status === 401 && attempt === 0 && (await this.options.auth.refused(generation))) continue;
      const text = await response.text();
      if (response.ok) return text === '' ? {} : (JSON.parse(text) as unknown);
      const detail = text.slice(0, 300).replace(/\s+/g, ' ');
      const code = response.status === 404 ? 'NOT_FOUND' : response.status === 429 ? 'RATE_LIMITED' : response.status >= 500 ? 'UNAVAILABLE' : 'REJECTED';
      const hint = response.status === 403 ? ' (the OAuth client needs the apps:read and apps:write scopes, and an admin)' : '';
      throw new ZendeskApiError(code, `${label}: Zendesk answered ${response.status}${hint}: ${detail}`, { status: response.status });
    }
  }
}
