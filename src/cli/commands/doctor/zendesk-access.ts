import { zendeskBaseUrl, type Env } from '../../../config/env-schema.js';
import { fetchAnswer, type HttpAnswer } from './fetch-answer.js';

/** node-zendesk has no timeout (platform.md §5.3); the doctor gives each call this long. */
const ZENDESK_TIMEOUT_MS = 10_000;

/** The account and the Basic credentials of the API user (`<email>/token:<token>`). */
export interface ZendeskAccess {
  readonly baseUrl: string;
  readonly authorization: string;
}

/** Null when the Zendesk credentials are not set (a dry run). */
export function zendeskAccessOf(env: Env): ZendeskAccess | null {
  const baseUrl = zendeskBaseUrl(env);
  if (baseUrl === null || env.ZENDESK_EMAIL === undefined || env.ZENDESK_API_TOKEN === undefined) return null;
  return { baseUrl, authorization: `Basic ${Buffer.from(`${env.ZENDESK_EMAIL}/token:${env.ZENDESK_API_TOKEN}`).toString('base64')}` };
}

/** GETs a Zendesk API path with the API user's credentials. */
export function getZendesk(access: ZendeskAccess, pathOrUrl: string): Promise<HttpAnswer> {
  const url = pathOrUrl.startsWith('https://') || pathOrUrl.startsWith('http://') ? pathOrUrl : `${access.baseUrl}${pathOrUrl}`;
  return fetchAnswer(url, { headers: { authorization: access.authorization, accept: 'application/json' }, timeoutMs: ZENDESK_TIMEOUT_MS });
}
