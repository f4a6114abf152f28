import { z } from 'zod';
import { isDryRun, type Env } from '../../../config/env-schema.js';
import { parsePublicUrl } from '../../parse-public-url.js';
import { describeError, failed, passed, warned, type DoctorResult } from './doctor-result.js';
import { excerptOf, fetchAnswer, type HttpAnswer } from './fetch-answer.js';

const HEALTHZ_TIMEOUT_MS = 5_000;
const SET_IT = 'set CXLOOP_PUBLIC_URL to the https:// address where Zendesk and Slack reach this cxloop (your reverse proxy or tunnel, e.g. https://cxloop.example.com)';
const REACH_IT = 'check that cxloop serve is running and that the tunnel or reverse proxy forwards this address to its PORT';

/** cxloop's own GET /healthz answer (src/adapters/http/health-routes.ts). */
const healthzSchema = z.object({ status: z.string(), dryRun: z.boolean().optional(), checks: z.record(z.string(), z.string()).optional() });

/** CXLOOP_PUBLIC_URL: set, https (http only for a local address), and answering GET /healthz as cxloop does. */
export async function checkPublicUrl(env: Env): Promise<DoctorResult> {
  if (env.CXLOOP_PUBLIC_URL === undefined) return warned('public-url', 'CXLOOP_PUBLIC_URL is not set: Zendesk and Slack cannot reach cxloop (webhooks, buttons, /cxloop)', SET_IT);
  // The same rule as cxloop install zendesk: https, or http on a loopback host with a warning.
  const parsed = parsePublicUrl(env.CXLOOP_PUBLIC_URL);
  if (!parsed.ok) return failed('public-url', `CXLOOP_PUBLIC_URL ${parsed.reason}`, SET_IT);
  let answer: HttpAnswer;
  try {
    answer = await fetchAnswer(`${parsed.url}/healthz`, { timeoutMs: HEALTHZ_TIMEOUT_MS });
  } catch (error) {
    return failed('public-url', `cannot reach ${parsed.url}/healthz: ${describeError(error)}`, REACH_IT);
  }
  const result = judgeHealthz(parsed.url, answer, isDryRun(env));
  if (parsed.warning && result.status === 'ok') return warned('public-url', `${result.detail}; but ${parsed.warning}`, SET_IT);
  return result;
}

function judgeHealthz(shown: string, answer: HttpAnswer, dryRunHere: boolean): DoctorResult {
  if (answer.status >= 300 && answer.status < 400) {
    return failed('public-url', `${shown}/healthz redirects (HTTP ${answer.status} to ${answer.headers.get('location') ?? '?'})`, 'set CXLOOP_PUBLIC_URL to the address that answers itself, without redirects');
  }
  const health = healthzSchema.safeParse(answer.body);
  if (!health.success) return failed('public-url', `${shown}/healthz answered HTTP ${answer.status} but not as cxloop: ${excerptOf(answer.text) || '(empty body)'}`, REACH_IT);
  if (answer.status !== 200 || health.data.status !== 'ok') {
    const failing = Object.entries(health.data.checks ?? {}).filter(([, state]) => state !== 'ok').map(([name, state]) => `${name}: ${state}`);
    return failed('public-url', `${shown}/healthz answered HTTP ${answer.status} ${health.data.status}${failing.length > 0 ? ` (${failing.join(', ')})` : ''}`, 'look at the logs of the cxloop serving this address; the checks above show what it cannot reach');
  }
  const mode = health.data.dryRun === undefined ? '' : health.data.dryRun ? ', dry-run' : ', live';
  const detail = `${shown}/healthz answers ok${mode}`;
  if (health.data.dryRun !== undefined && health.data.dryRun !== dryRunHere) {
    return warned(
      'public-url',
      `${detail}, but this environment would run ${dryRunHere ? 'dry-run' : 'live'}`,
      'restart cxloop serve with this environment, or check CXLOOP_PUBLIC_URL points at this deployment',
    );
  }
  return passed('public-url', detail);
}
