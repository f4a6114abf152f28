import { z } from 'zod';
import { parseDuration } from '../core/duration.js';
import { formatIssues, type ConfigProblem } from './format-issues.js';
import { parseClusterNodes } from './redis-cluster-nodes.js';

/**
 * Environment of a cxloop process. Every key is listed, with a one-line comment, in .env.example
 * (test/unit/config/env-example.test.ts keeps the two in step). Empty strings count as unset, so a
 * copied .env.example with blank values behaves like no .env at all.
 */
const optionalText = z.string().trim().min(1).optional();
const optionalUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional();

/** A duration such as "5m" or "2h", parsed to milliseconds. */
const durationMs = z.string().transform((text, context) => {
  const parsed = parseDuration(text);
  if (!parsed.ok) {
    context.addIssue({ code: 'custom', message: parsed.reason });
    return z.NEVER;
  }
  return parsed.minutes * 60_000;
});
/** How often the worker processes run `cxloop train --from-zendesk`: "off" (the default) or a duration of at least a day. */
const MIN_TRAIN_EVERY_MINUTES = 1_440;
const trainEvery = z.string().transform((text, context) => {
  if (text.trim().toLowerCase() === 'off') return null;
  const parsed = parseDuration(text);
  if (!parsed.ok || parsed.minutes < MIN_TRAIN_EVERY_MINUTES) {
    context.addIssue({ code: 'custom', message: `must be "off" or a duration of at least 1d, e.g. 7d (how often cxloop trains on the account's tickets)${parsed.ok ? '' : `: ${parsed.reason}`}` });
    return z.NEVER;
  }
  return parsed.minutes * 60_000;
});
const positiveInt = (max: number) => z.coerce.number({ error: 'must be a number' }).int().min(1).max(max);

/** "true"/"false"/"1"/"0"; z.coerce.boolean() would turn "false" into true. */
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const ZENDESK_OAUTH_KEYS = ['ZENDESK_OAUTH_CLIENT_ID', 'ZENDESK_OAUTH_CLIENT_SECRET'] as const;
const ZENDESK_TOKEN_KEYS = ['ZENDESK_EMAIL', 'ZENDESK_API_TOKEN'] as const;

export const envSchema = z
  .object({
    PORT: z.coerce.number({ error: 'must be a number' }).int().min(0).max(65_535).default(3000),
    REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).default('redis://127.0.0.1:6379'),
    /**
     * Redis Sentinel: the sentinels' host:port list, comma-separated; cxloop asks them for the
     * master of REDIS_SENTINEL_NAME and follows a failover. REDIS_URL then gives only the
     * master's password, database and TLS (rediss://), not its address.
     */
    REDIS_SENTINELS: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9.-]+:\d{1,5}( *, *[A-Za-z0-9.-]+:\d{1,5})*$/, 'must be host:port of each sentinel, comma-separated')
      .optional(),
    REDIS_SENTINEL_NAME: optionalText,
    /**
     * Redis Cluster: seed nodes as host:port (or redis:// / rediss:// URLs with the password),
     * comma-separated; cxloop discovers the other nodes from them. Takes precedence over REDIS_URL.
     */
    REDIS_CLUSTER_NODES: z
      .string()
      .trim()
      .superRefine((text, context) => {
        const parsed = parseClusterNodes(text);
        if (!parsed.ok) context.addIssue({ code: 'custom', message: parsed.reason });
      })
      .optional(),
    CXLOOP_REDIS_PREFIX: z
      .string()
      // No {}: cxloop places its own hash tags after the prefix (a Redis Cluster hashes the first {...} of a key).
      .regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be letters, digits, _ or - (it prefixes every Redis key and queue)')
      .default('cxloop'),
    CXLOOP_CONFIG: optionalText,
    CXLOOP_DRY_RUN: booleanFlag.optional(),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    CXLOOP_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be the https:// address Zendesk and Slack reach cxloop at' }).optional(),
    /** Where a dry run appends what it would have sent, as JSON lines; "off" records to the log only. */
    CXLOOP_DRY_RUN_LOG: z.string().trim().min(1).default('.cxloop/dry-run.jsonl'),
    /** Signs the dashboard's sign-in links; unset: a random secret is made once and kept in Redis for every process. */
    CXLOOP_DASHBOARD_SECRET: z.string().trim().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
    /** How long a dashboard session lasts after signing in. */
    CXLOOP_DASHBOARD_SESSION: durationMs.default(8 * 3_600_000),
    ZENDESK_SUBDOMAIN: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be the subdomain only, e.g. "acme" for acme.zendesk.com')
      .optional(),
    /** A confidential OAuth client (Admin Center > Apps and integrations > APIs > OAuth clients): the way to connect. */
    ZENDESK_OAUTH_CLIENT_ID: optionalText,
    ZENDESK_OAUTH_CLIENT_SECRET: optionalText,
    /** Deprecated: Zendesk creates no API tokens since 2026-10-27, and every one stops working on 2027-04-30. */
    ZENDESK_EMAIL: z.email({ error: 'must be the email address of the Zendesk API user' }).optional(),
    ZENDESK_API_TOKEN: optionalText,
    /** One signing secret, or several separated by commas (the events webhook and the CSAT trigger webhook each have one). */
    ZENDESK_WEBHOOK_SECRET: optionalText,
    ZENDESK_API_URL: optionalUrl,
    ZENDESK_WEBHOOK_MAX_AGE: durationMs.default(5 * 60_000),
    ZENDESK_WEBHOOK_MAX_BYTES: positiveInt(16 * 1024 * 1024).default(256 * 1024),
    ZENDESK_UPDATES_PER_MINUTE: positiveInt(100_000).default(100),
    ZENDESK_RECONCILE_EVERY: durationMs.default(10 * 60_000),
    /** Optional reads per minute for on_routing actions (requester context, article search); 0: none. */
    ZENDESK_READS_PER_MINUTE: z.coerce.number({ error: 'must be a number' }).int().min(0).max(100_000).default(100),
    /** Shared secret of the cxloop Zendesk app (its secure setting): verifies the sidebar's signed requests. Comma-separated while rotating. */
    ZENDESK_APP_SECRET: optionalText,
    /** Behind a load balancer: take a status-page client's address from X-Forwarded-For (its last entry) for the rate limit. */
    CXLOOP_TRUST_PROXY: booleanFlag.optional(),
    /** Incremental export requests per minute of `cxloop export-training` (Zendesk allows 10, 30 with the High Volume API add-on). */
    ZENDESK_EXPORTS_PER_MINUTE: positiveInt(30).default(10),
    /** How often the worker processes run `cxloop train --from-zendesk` (one run per interval across all of them); null: never. */
    CXLOOP_TRAIN_EVERY: trainEvery.optional().transform((value) => value ?? null),
    SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'must be a bot token starting with xoxb-').optional(),
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_API_URL: optionalUrl,
    /** "Sign in with Slack" on the dashboard (OpenID Connect): the app's client id and secret (Basic Information), and the installed workspace's team id. */
    SLACK_CLIENT_ID: optionalText,
    SLACK_CLIENT_SECRET: optionalText,
    SLACK_TEAM_ID: z.string().regex(/^[TE][A-Z0-9]{2,20}$/, 'must be a Slack team id (T…)').optional(),
  })
  .superRefine((env, context) => {
    const oidc = (['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_TEAM_ID'] as const).filter((key) => env[key] === undefined);
    if (oidc.length > 0 && oidc.length < 3) for (const key of oidc) context.addIssue({ code: 'custom', path: [key], message: 'is required for Sign in with Slack with SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_TEAM_ID (set all three, or none)' });
    if (oidc.length === 0 && env.CXLOOP_PUBLIC_URL === undefined) context.addIssue({ code: 'custom', path: ['CXLOOP_PUBLIC_URL'], message: 'is required for Sign in with Slack (its redirect URL is <CXLOOP_PUBLIC_URL>/dashboard/oidc/callback)' });
    // Each credential is a pair; either pair needs the account (ZENDESK_SUBDOMAIN).
    for (const pair of [ZENDESK_OAUTH_KEYS, ZENDESK_TOKEN_KEYS]) {
      const [first, second] = pair;
      if ((env[first] === undefined) !== (env[second] === undefined)) {
        const missing = env[first] === undefined ? first : second;
        context.addIssue({ code: 'custom', path: [missing], message: `is required with ${missing === first ? second : first} (set both, or neither)` });
      }
    }
    const credentials = [...ZENDESK_OAUTH_KEYS, ...ZENDESK_TOKEN_KEYS].filter((key) => env[key] !== undefined);
    if (env.CXLOOP_TRAIN_EVERY !== null && (env.ZENDESK_SUBDOMAIN === undefined || credentials.length === 0)) {
      context.addIssue({ code: 'custom', path: ['CXLOOP_TRAIN_EVERY'], message: 'needs the Zendesk account it learns from: set ZENDESK_SUBDOMAIN, ZENDESK_OAUTH_CLIENT_ID and ZENDESK_OAUTH_CLIENT_SECRET (an admin\'s OAuth client reads the incremental export), or leave it unset' });
    }
    if (env.CXLOOP_TRAIN_EVERY !== null && env.ZENDESK_READS_PER_MINUTE === 0) {
      context.addIssue({ code: 'custom', path: ['CXLOOP_TRAIN_EVERY'], message: 'needs Zendesk reads: ZENDESK_READS_PER_MINUTE is 0 (training reads the incremental export within it)' });
    }
    if (credentials.length > 0 && env.ZENDESK_SUBDOMAIN === undefined) {
      context.addIssue({ code: 'custom', path: ['ZENDESK_SUBDOMAIN'], message: `is required when ${credentials.join(' and ')} is set (the account the credentials belong to)` });
    }
    if (credentials.length === 0 && env.ZENDESK_SUBDOMAIN !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['ZENDESK_OAUTH_CLIENT_ID'],
        message: 'is required when ZENDESK_SUBDOMAIN is set: set ZENDESK_OAUTH_CLIENT_ID and ZENDESK_OAUTH_CLIENT_SECRET (or leave ZENDESK_SUBDOMAIN blank for dry-run)',
      });
    }
    if ((env.REDIS_SENTINELS === undefined) !== (env.REDIS_SENTINEL_NAME === undefined)) {
      const missing = env.REDIS_SENTINELS === undefined ? 'REDIS_SENTINELS' : 'REDIS_SENTINEL_NAME';
      context.addIssue({ code: 'custom', path: [missing], message: `is required with ${missing === 'REDIS_SENTINELS' ? 'REDIS_SENTINEL_NAME' : 'REDIS_SENTINELS'} (the sentinels and the name of the master they watch)` });
    }
    if (env.REDIS_CLUSTER_NODES !== undefined && env.REDIS_SENTINELS !== undefined) {
      context.addIssue({ code: 'custom', path: ['REDIS_CLUSTER_NODES'], message: 'cannot be set with REDIS_SENTINELS: a Redis Cluster fails over by itself (set one of the two)' });
    }
    if ((env.SLACK_BOT_TOKEN === undefined) !== (env.SLACK_SIGNING_SECRET === undefined)) {
      const missing = env.SLACK_BOT_TOKEN === undefined ? 'SLACK_BOT_TOKEN' : 'SLACK_SIGNING_SECRET';
      context.addIssue({ code: 'custom', path: [missing], message: 'is required with the other Slack credential (set both, or none for dry-run)' });
    }
  });

export type Env = Readonly<z.output<typeof envSchema>>;

/** The day Zendesk deactivates every remaining API token (its guide "Migrating from API tokens to OAuth access tokens"). */
export const ZENDESK_API_TOKENS_END = '2027-04-30';
export const API_TOKEN_DEPRECATION = `ZENDESK_EMAIL/ZENDESK_API_TOKEN: Zendesk API tokens stop working on ${ZENDESK_API_TOKENS_END}; create an OAuth client (Admin Center > Apps and integrations > APIs > OAuth clients, confidential) and set ZENDESK_OAUTH_CLIENT_ID and ZENDESK_OAUTH_CLIENT_SECRET instead`;

/**
 * How cxloop authenticates to Zendesk: the OAuth client (client-credentials grant) when it is set,
 * else the deprecated email + API token pair; null when neither is (dry-run).
 */
export type ZendeskCredentials =
  | { readonly kind: 'oauth'; readonly clientId: string; readonly clientSecret: string }
  | { readonly kind: 'api_token'; readonly email: string; readonly token: string };

export function zendeskCredentials(env: Pick<Env, 'ZENDESK_OAUTH_CLIENT_ID' | 'ZENDESK_OAUTH_CLIENT_SECRET' | 'ZENDESK_EMAIL' | 'ZENDESK_API_TOKEN'>): ZendeskCredentials | null {
  if (env.ZENDESK_OAUTH_CLIENT_ID !== undefined && env.ZENDESK_OAUTH_CLIENT_SECRET !== undefined) {
    return { kind: 'oauth', clientId: env.ZENDESK_OAUTH_CLIENT_ID, clientSecret: env.ZENDESK_OAUTH_CLIENT_SECRET };
  }
  if (env.ZENDESK_EMAIL !== undefined && env.ZENDESK_API_TOKEN !== undefined) return { kind: 'api_token', email: env.ZENDESK_EMAIL, token: env.ZENDESK_API_TOKEN };
  return null;
}

/** Dry-run unless Zendesk credentials (an OAuth client or, deprecated, an API token) and Slack's are set, or CXLOOP_DRY_RUN says otherwise. */
export function isDryRun(env: Env): boolean {
  if (env.CXLOOP_DRY_RUN !== undefined) return env.CXLOOP_DRY_RUN;
  return zendeskCredentials(env) === null || env.SLACK_BOT_TOKEN === undefined;
}

export type EnvResult = { ok: true; env: Env } | { ok: false; problems: ConfigProblem[] };

/** Parses the environment; blank values are treated as unset. Never echoes values (they may be secrets). */
export function parseEnv(source: Readonly<Record<string, string | undefined>>): EnvResult {
  const input: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = source[key];
    if (value !== undefined && value.trim() !== '') input[key] = value.trim();
  }
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: formatIssues(parsed.error.issues) };
  return { ok: true, env: Object.freeze(parsed.data) };
}

export const ENV_KEYS = Object.keys(envSchema.shape);

/**
 * The Zendesk account's base URL: ZENDESK_API_URL when set (a fake or a proxy), else
 * https://<ZENDESK_SUBDOMAIN>.zendesk.com; null when neither is set. The API lives under /api/v2,
 * the agent's ticket page under /agent/tickets/<id>.
 */
/**
 * Where people open a ticket (https://<subdomain>.zendesk.com, then /agent/tickets/<id>): the
 * account's own subdomain first. ZENDESK_API_URL may be a proxy or a fake for the API, which is no
 * place to send an agent; it is used only when no subdomain is set.
 */
export function zendeskAgentUrl(env: Pick<Env, 'ZENDESK_API_URL' | 'ZENDESK_SUBDOMAIN'>): string | null {
  if (env.ZENDESK_SUBDOMAIN) return `https://${env.ZENDESK_SUBDOMAIN}.zendesk.com`;
  return env.ZENDESK_API_URL ? env.ZENDESK_API_URL.replace(/\/+$/, '') : null;
}

export function zendeskBaseUrl(env: Pick<Env, 'ZENDESK_API_URL' | 'ZENDESK_SUBDOMAIN'>): string | null {
  if (env.ZENDESK_API_URL) return env.ZENDESK_API_URL.replace(/\/+$/, '');
  return env.ZENDESK_SUBDOMAIN ? `https://${env.ZENDESK_SUBDOMAIN}.zendesk.com` : null;
}
