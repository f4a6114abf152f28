import { createZendeskAuth, MemoryAccessTokenCache, ZENDESK_SERVE_SCOPES, type ZendeskAuth } from '../../../adapters/zendesk/zendesk-auth.js';
import { zendeskBaseUrl, zendeskCredentials, type Env } from '../../../config/env-schema.js';
import { fetchAnswer, type HttpAnswer } from './fetch-answer.js';

/** node-zendesk has no timeout of its own; the doctor gives each call this long. */
const ZENDESK_TIMEOUT_MS = 10_000;

/**
 * The account and how the doctor authenticates to it: as serve does, with the scopes serve asks
 * for, so a refused OAuth secret or scope shows here first. Its own token (not the install's
 * shared one): checking the client means requesting a token.
 */
export interface ZendeskAccess {
  readonly baseUrl: string;
  readonly auth: ZendeskAuth;
}

const accessByEnv = new WeakMap<Env, ZendeskAccess>();

/** Null when the Zendesk credentials are not set (a dry run); one per environment, so the checks share one token. */
export function zendeskAccessOf(env: Env): ZendeskAccess | null {
  const baseUrl = zendeskBaseUrl(env);
  const credentials = zendeskCredentials(env);
  if (baseUrl === null || credentials === null) return null;
  let access = accessByEnv.get(env);
  if (access === undefined) {
    access = { baseUrl, auth: createZendeskAuth(credentials, { baseUrl, cache: new MemoryAccessTokenCache(), scopes: ZENDESK_SERVE_SCOPES, timeoutMs: ZENDESK_TIMEOUT_MS }) };
    accessByEnv.set(env, access);
  }
  return access;
}

/** GETs a Zendesk API path with cxloop's credentials. Throws ZendeskApiError when no OAuth token can be had. */
export async function getZendesk(access: ZendeskAccess, pathOrUrl: string): Promise<HttpAnswer> {
  const url = pathOrUrl.startsWith('https://') || pathOrUrl.startsWith('http://') ? pathOrUrl : `${access.baseUrl}${pathOrUrl}`;
  const { header } = await access.auth.authorization();
  return fetchAnswer(url, { headers: { authorization: header, accept: 'application/json' }, timeoutMs: ZENDESK_TIMEOUT_MS });
}
