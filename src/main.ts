import { Redis } from 'ioredis';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { healthzRoute, metricsRoute } from './adapters/http/health-routes.js';
import { startHttpServer, type RunningServer } from './adapters/http/http-server.js';
import { RedisHealthCheck } from './adapters/redis/redis-health-check.js';
import { createClassifier } from './app/create-classifier.js';
import type { Logger } from './app/ports.js';
import type { Env } from './config/env-schema.js';
import type { Policy } from './config/policy-schema.js';

export interface Cxloop {
  readonly http: RunningServer;
  readonly dryRun: boolean;
  stop(): Promise<void>;
}

/** Dry-run unless both Zendesk and Slack credentials are set, or CXLOOP_DRY_RUN says otherwise. */
export function isDryRun(env: Env): boolean {
  if (env.CXLOOP_DRY_RUN !== undefined) return env.CXLOOP_DRY_RUN;
  return env.ZENDESK_API_TOKEN === undefined || env.SLACK_BOT_TOKEN === undefined;
}

/**
 * Composition root: config -> adapters -> server. Everything a later capability needs (queues,
 * workers, Zendesk and Slack clients) is wired here, so tests can start the whole app on port 0.
 */
export async function startCxloop(options: { env: Env; policy: Policy; logger: Logger; host?: string }): Promise<Cxloop> {
  const { env, policy, logger } = options;
  const dryRun = isDryRun(env);
  if (!dryRun && (env.ZENDESK_API_TOKEN === undefined || env.SLACK_BOT_TOKEN === undefined)) {
    throw new Error('CXLOOP_DRY_RUN=false needs ZENDESK_SUBDOMAIN, ZENDESK_EMAIL, ZENDESK_API_TOKEN, SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET');
  }
  if (!dryRun && env.ZENDESK_WEBHOOK_SECRET === undefined) {
    throw new Error('ZENDESK_WEBHOOK_SECRET is not set: copy the signing secret of the cxloop webhook in Zendesk (Admin Center > Webhooks) into it');
  }
  // Built at start-up so a policy whose terms do not compile fails now, not on the first ticket.
  createClassifier(policy);

  const redis = new Redis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', (error: Error) => logger.log('warn', 'redis connection error', { error: error.message }));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`cannot connect to Redis at ${redactUrl(env.REDIS_URL)} (${(error as Error).message}); start redis-server or set REDIS_URL`, {
      cause: error,
    });
  }

  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'cxloop_' });
  new Gauge({ name: 'cxloop_dry_run', help: '1 when cxloop records Zendesk/Slack calls instead of sending them', registers: [registry] }).set(
    dryRun ? 1 : 0,
  );

  const http = await startHttpServer({
    port: env.PORT,
    ...(options.host ? { host: options.host } : {}),
    logger,
    routes: [healthzRoute([new RedisHealthCheck(redis)], { dryRun }), metricsRoute(registry)],
  });
  logger.log('info', 'cxloop started', { url: http.url, dryRun });

  let stopping: Promise<void> | undefined;
  return {
    http,
    dryRun,
    stop() {
      stopping ??= (async () => {
        await http.close();
        await redis.quit().catch(() => redis.disconnect());
        logger.log('info', 'cxloop stopped');
      })();
      return stopping;
    },
  };
}

/** redis://user:pass@host:6379 -> redis://***@host:6379, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
