import type { InstallIdentity } from '../core/learn/learned-model.js';
import type { Env } from './env-schema.js';

/** The install a learned model belongs to: its Zendesk account and Redis prefix. */
export function installIdentityOf(env: Pick<Env, 'ZENDESK_SUBDOMAIN' | 'CXLOOP_REDIS_PREFIX'>): InstallIdentity {
  return { zendesk: env.ZENDESK_SUBDOMAIN ?? null, prefix: env.CXLOOP_REDIS_PREFIX };
}
