import type { RedisClient } from '../adapters/redis/redis-connection.js';
import { RedisAccessTokenCache } from '../adapters/redis/redis-access-token-cache.js';
import { installRedisKeys } from '../adapters/redis/redis-keys.js';
import { RedisLoopStore } from '../adapters/redis/redis-loop-store.js';
import { RedisReadBudget } from '../adapters/redis/redis-read-budget.js';
import { RedisTicketStore } from '../adapters/redis/redis-ticket-store.js';
import { NodeZendeskApi } from '../adapters/zendesk/node-zendesk-api.js';
import { createZendeskAuth, ZENDESK_SERVE_SCOPES } from '../adapters/zendesk/zendesk-auth.js';
import { collectTrainingRows, type CollectTrainingDeps, type TrainingResume, type TrainingRow } from '../app/collect-training-rows.js';
import { labelRulesFrom } from '../app/label-rules.js';
import { readRoutingHistory } from '../app/read-routing-history.js';
import { zendeskBaseUrl, zendeskCredentials, type Env, type ZendeskCredentials } from '../config/env-schema.js';
import type { Policy } from '../config/policy-schema.js';
import { compileBodyCleaner } from '../core/classify/clean-body.js';
import { LEXICONS } from '../core/classify/lexicons/index.js';
import { latestCorrections, type RoutingCorrection } from '../core/learning/routing-corrections.js';
import type { TrainingCounts } from '../core/learning/training-label.js';
import { CliError } from './io.js';

export interface ZendeskTrainingRowsOptions extends Pick<CollectTrainingDeps, 'now' | 'sleep' | 'onProgress' | 'onWait' | 'checkpoint'> {
  readonly redis: RedisClient;
  readonly env: Env;
  readonly policy: Policy;
  /** Epoch ms to export from (ignored when resuming). */
  readonly startTime: number;
  /** Label by the corrections cxloop recorded too (Slack reassignments, agents' changes), not by Zendesk alone. */
  readonly withCorrections: boolean;
  readonly resume?: TrainingResume | null;
  /** Lines for the person running the command (what corrections were found, a policy that labels little). */
  readonly say?: (line: string) => void;
}

/**
 * The install's Zendesk account as labelled training rows, wired to the install (its
 * credentials, read budget, corrections and policy): `cxloop export-training` writes them to CSV,
 * and a `train --from-zendesk` can take them as they come. Throws CliError when the environment
 * cannot export (no account, reads turned off).
 */
export async function zendeskTrainingRows(options: ZendeskTrainingRowsOptions): Promise<AsyncGenerator<TrainingRow, TrainingCounts, undefined>> {
  const { redis, env, policy } = options;
  const say = options.say ?? (() => undefined);
  const zendesk = zendeskApiOf(env, redis, options.now);
  const keys = installRedisKeys(env);
  let corrections = new Map<number, RoutingCorrection>();
  if (options.withCorrections) {
    const history = await readRoutingHistory({ loops: new RedisLoopStore(redis, keys), corrections: new RedisTicketStore(redis, keys) }, { since: options.startTime, until: options.now() });
    corrections = latestCorrections(history.corrections);
    const slack = history.corrections.filter((correction) => correction.via === 'slack').length;
    say(`corrections cxloop recorded: ${history.corrections.length} (${plural(slack, 'Slack reassignment')}) on ${plural(corrections.size, 'ticket')}`);
  }
  const rules = labelRulesFrom(policy);
  if (rules.groups.size === 0 && rules.tags.size === 0 && rules.fields.size === 0) {
    say("warning: no category has a zendesk_group_id and the policy has no training_labels: only cxloop's own tags and corrections can label tickets");
  }
  const languages = new Set<string>(policy.classifier.languages);
  return collectTrainingRows(
    {
      zendesk,
      readBudget: new RedisReadBudget(redis, keys, env.ZENDESK_READS_PER_MINUTE, options.now),
      rules,
      corrections,
      cleanBody: compileBodyCleaner(LEXICONS.filter((lexicon) => languages.has(lexicon.language))),
      requestsPerMinute: env.ZENDESK_EXPORTS_PER_MINUTE,
      now: options.now,
      sleep: options.sleep,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.onWait ? { onWait: options.onWait } : {}),
      ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
    },
    { startTime: options.startTime, resume: options.resume ?? null },
  );
}

/** Throws CliError, saying what to set, when the environment cannot export: no Zendesk account, or reads turned off. */
export function assertCanExport(env: Env): { baseUrl: string; credentials: ZendeskCredentials } {
  const baseUrl = zendeskBaseUrl(env);
  const credentials = zendeskCredentials(env);
  if (baseUrl === null || credentials === null) {
    throw new CliError("needs the Zendesk account: set ZENDESK_SUBDOMAIN, ZENDESK_OAUTH_CLIENT_ID and ZENDESK_OAUTH_CLIENT_SECRET (an admin's OAuth client: the incremental export is for admins)");
  }
  if (env.ZENDESK_READS_PER_MINUTE === 0) throw new CliError("ZENDESK_READS_PER_MINUTE=0 turns cxloop's Zendesk reads off; set it above 0 (each export request spends one)");
  return { baseUrl, credentials };
}

function zendeskApiOf(env: Env, redis: RedisClient, now: () => number): NodeZendeskApi {
  const { baseUrl, credentials } = assertCanExport(env);
  // The install's shared token (serve's scopes include tickets:read and users:read).
  const cache = new RedisAccessTokenCache(redis, installRedisKeys(env), now);
  return new NodeZendeskApi({ baseUrl, auth: createZendeskAuth(credentials, { baseUrl, cache, scopes: ZENDESK_SERVE_SCOPES, now }) });
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}
