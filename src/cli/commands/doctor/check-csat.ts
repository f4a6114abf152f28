import { createRedis } from '../../../adapters/redis/redis-connection.js';
import { installRedisKeys } from '../../../adapters/redis/redis-keys.js';
import { accountSettingsSchema } from '../../../adapters/zendesk/node-zendesk-admin-api.js';
import { RedisTicketStore } from '../../../adapters/redis/redis-ticket-store.js';
import type { Env } from '../../../config/env-schema.js';
import type { CsatSource } from '../../../core/ticket-event.js';
import type { ZendeskIdentity } from './check-zendesk-user.js';
import { describeError, passed, skipped, warned, type DoctorResult } from './doctor-result.js';
import { excerptOf } from './fetch-answer.js';
import { getZendesk, zendeskAccessOf } from './zendesk-access.js';

type Received = Record<CsatSource, { at: number; count: number } | null>;

/**
 * Which CSAT the account uses and whether cxloop receives it: legacy ratings come through the two
 * triggers `install zendesk` creates, survey responses from the ticket event export the
 * maintenance worker reads on the reconciliation's schedule. Information for a new install (no
 * rating yet is not a fault); a warning when the account's kind cannot be read.
 */
export async function checkCsat(env: Env, identity: ZendeskIdentity, now: number): Promise<DoctorResult> {
  const access = zendeskAccessOf(env);
  if (access === null) return skipped('zendesk-csat', 'no Zendesk credentials set (dry-run)');
  if (!identity.verified) return skipped('zendesk-csat', 'the Zendesk credentials were not confirmed');
  const received = await readReceived(env);
  let legacy: boolean | undefined;
  try {
    const answer = await getZendesk(access, '/api/v2/account/settings.json');
    if (answer.status !== 200) throw new Error(`HTTP ${answer.status} ${excerptOf(answer.text)}`.trim());
    const parsed = accountSettingsSchema.safeParse(answer.body);
    if (!parsed.success) throw new Error(`not the account settings: ${excerptOf(answer.text)}`);
    legacy = parsed.data.settings.active_features?.customer_satisfaction;
  } catch (error) {
    return warned(
      'zendesk-csat',
      `cannot tell which CSAT the account uses (GET /api/v2/account/settings: ${describeError(error)}); received so far: ${describeReceived(received, now)}`,
      'let the API user (or OAuth client) read the account settings, then run cxloop doctor again',
    );
  }
  const every = `every ${Math.round(env.ZENDESK_RECONCILE_EVERY / 60_000)} min (ZENDESK_RECONCILE_EVERY)`;
  if (legacy === true) {
    return passed('zendesk-csat', `legacy good/bad satisfaction ratings, sent by the "CSAT rated good/bad" triggers of \`cxloop install zendesk\`; received: ${describeReceived(received, now)}`);
  }
  return passed(
    'zendesk-csat',
    `CSAT survey responses (legacy ratings are off), read from the ticket event export ${every} and scored by the policy's loop.csat_survey; received: ${describeReceived(received, now)}`,
  );
}

async function readReceived(env: Env): Promise<Received | string> {
  const redis = createRedis(env, { lazyConnect: true, connectTimeout: 3_000, commandTimeout: 3_000, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  redis.on('error', () => undefined); // the redis check reports connection problems
  try {
    await redis.connect();
    return await new RedisTicketStore(redis, installRedisKeys(env)).csatReceived();
  } catch (error) {
    return `unknown (Redis: ${describeError(error)})`;
  } finally {
    redis.disconnect();
  }
}

function describeReceived(received: Received | string, now: number): string {
  if (typeof received === 'string') return received;
  const parts = (['survey', 'legacy'] as const).flatMap((source) => {
    const seen = received[source];
    if (seen === null) return [];
    const label = source === 'survey' ? 'survey response' : 'legacy rating';
    return [`${seen.count} ${label}${seen.count === 1 ? '' : 's'}, the last ${ago(now - seen.at)}`];
  });
  return parts.length > 0 ? parts.join('; ') : 'none yet (a rating arrives once a customer answers a survey of a ticket cxloop routed)';
}

function ago(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}
