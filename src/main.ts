import { createRedis, connectRedis, type RedisClient } from './adapters/redis/redis-connection.js';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { healthzRoute, metricsRoute } from './adapters/http/health-routes.js';
import { startHttpServer, type RunningServer } from './adapters/http/http-server.js';
import { createPromJobMetrics } from './adapters/metrics/prom-job-metrics.js';
import { createPromLoopMetrics } from './adapters/metrics/prom-loop-metrics.js';
import { registerRoutingAccuracyMetrics } from './adapters/metrics/prom-routing-accuracy.js';
import { createPromRoutingMetrics } from './adapters/metrics/prom-routing-metrics.js';
import { createPromSlackMetrics } from './adapters/metrics/prom-slack-metrics.js';
import { createPromCustomerMetrics } from './adapters/metrics/prom-customer-metrics.js';
import { statusPageRoute, STATUS_PATH } from './adapters/customers/status-page-route.js';
import { RedisCustomerLedger } from './adapters/redis/redis-customer-ledger.js';
import { RedisRequestRateLimit } from './adapters/redis/redis-request-rate-limit.js';
import { RedisStatusLinks } from './adapters/redis/redis-status-links.js';
import { parsePostedRef } from './adapters/slack/slack-delivery.js';
import { zendeskAppRoutes } from './adapters/zendesk-app/zendesk-app-routes.js';
import { startLoopWorkers, type LoopWorkers } from './adapters/queue/loop-workers.js';
import { ZendeskQueues, startZendeskWorkers, type ZendeskWorkers } from './adapters/queue/zendesk-workers.js';
import { startTrainingWorker, type TrainingWorker } from './adapters/queue/training-worker.js';
import { cxloopChildCommand } from './adapters/process/cxloop-child-process.js';
import { RedisHealthCheck } from './adapters/redis/redis-health-check.js';
import { installRedisKeys } from './adapters/redis/redis-keys.js';
import { RedisAccessTokenCache } from './adapters/redis/redis-access-token-cache.js';
import { RedisLoopStore } from './adapters/redis/redis-loop-store.js';
import { RedisModelStore } from './adapters/redis/redis-model-store.js';
import { RedisDashboardSessions } from './adapters/redis/redis-dashboard-sessions.js';
import { RedisDashboardStore } from './adapters/redis/redis-dashboard-store.js';
import { createDashboard } from './adapters/dashboard/dashboard-routes.js';
import { RedisSlackDirectory } from './adapters/redis/redis-slack-directory.js';
import { RedisNameCache } from './adapters/redis/redis-name-cache.js';
import { RedisRouteBacklog } from './adapters/redis/redis-route-backlog.js';
import { RedisLoopTimers } from './adapters/redis/redis-loop-timers.js';
import { RedisReadBudget } from './adapters/redis/redis-read-budget.js';
import { RedisSlackOutbox } from './adapters/redis/redis-slack-outbox.js';
import { RedisTicketStore } from './adapters/redis/redis-ticket-store.js';
import { RedisUpdateBudget } from './adapters/redis/redis-update-budget.js';
import { createSlackApi, startSlack, type SlackOptions, type SlackSurface } from './adapters/slack/start-slack.js';
import { NodeZendeskApi } from './adapters/zendesk/node-zendesk-api.js';
import { RecordingZendeskApi } from './adapters/zendesk/recording-zendesk-api.js';
import { createZendeskAuth, ZENDESK_SERVE_SCOPES } from './adapters/zendesk/zendesk-auth.js';
import { ZENDESK_TEST_SECRET, zendeskWebhookRoute } from './adapters/zendesk/webhook-route.js';
import { BudgetedZendeskApi } from './app/budgeted-zendesk-api.js';
import { CachedPeopleDirectory } from './app/cached-people-directory.js';
import { createClassifier } from './app/create-classifier.js';
import { loopPolicyFrom } from './app/loop-policy.js';
import { measureRoutingAccuracy } from './app/measure-routing-accuracy.js';
import { ReloadingClassifier } from './app/reloading-classifier.js';
import { SCHEDULED_TRAIN_ARGS, type TrainCommand } from './app/scheduled-training.js';
import type { LoopDeps } from './app/run-loop.js';
import { LoopProjector, ProjectedLoopStore } from './app/project-loop.js';
import { SIGN_IN_LINK_TTL_MS, signInToken } from './app/dashboard/sign-in-link.js';
import type { AccessTokenCache, CallRecorder, DryRunPeople, Logger, Notifier, ZendeskApi } from './app/ports.js';
import type { RoutingActionDeps } from './app/run-routing-actions.js';
import { isZendeskError } from './app/zendesk-api-error.js';
import { API_TOKEN_DEPRECATION, isDryRun, zendeskAgentUrl, zendeskBaseUrl, zendeskCredentials, type Env } from './config/env-schema.js';
import { slackOidcConfig } from './adapters/dashboard/slack-oidc.js';
import { installIdentityOf } from './config/install-identity.js';
import type { Policy } from './config/policy-schema.js';
import { compileLanguageDetector } from './core/classify/detect-languages.js';

export interface Cxloop {
  readonly http: RunningServer;
  readonly dryRun: boolean;
  readonly queues: ZendeskQueues;
  readonly loops: RedisLoopStore;
  /** The dashboard's read model (kept as loops move). */
  readonly dashboard: RedisDashboardStore;
  /** A sign-in link to the dashboard for a Slack user, valid for `ttlMs` (default 10 minutes), on CXLOOP_PUBLIC_URL or this server's URL. */
  dashboardLink(user: string, ttlMs?: number): Promise<string>;
  /** Projects the loops opened in the last 90 days that the dashboard has no figures for yet; returns how many. */
  rebuildDashboard(): Promise<number>;
  /** Releases the loop timers due at cxloop's clock now to this process's poller (tests and the scenario move an injected clock); returns how many are due and not yet fired. */
  releaseDueTimers(): Promise<number>;
  /** Jobs waiting or running in cxloop's queues, timers due and not fired, routing writes in the backlog, and Slack channels with something to send; 0 when idle. */
  pendingWork(): Promise<number>;
  stop(): Promise<void>;
}

/** web: HTTP only; worker: queues only; all: both (the default, one process type). */
export type Role = 'all' | 'web' | 'worker';

export interface StartOptions {
  readonly env: Env;
  readonly policy: Policy;
  readonly logger: Logger;
  readonly host?: string;
  readonly role?: Role;
  /** Clock for the webhook window and routing decisions; tests inject one. */
  readonly now?: () => number;
  /** Route through update_many once this many tickets wait (default 5). */
  readonly batchThreshold?: number;
  /** Replaces the Zendesk client (tests and benchmarks). */
  readonly zendesk?: ZendeskApi;
  /** Where people-facing loop effects go (default: Slack, recorded in a dry run). */
  readonly notifier?: Notifier;
  /** Slack client and sender pacing (tests and benchmarks). */
  readonly slack?: SlackOptions;
  /** Where a dry run's Zendesk and Slack calls go (terminal, file); default: the log only. */
  readonly recorder?: CallRecorder;
  /** Who a dry run's Slack and Zendesk answer for when cxloop looks names up (the demo's people). */
  readonly dryRunPeople?: DryRunPeople;
  /** Runs the scheduled training (CXLOOP_TRAIN_EVERY); default: `cxloop train --from-zendesk --if-better` in a child process with `childEnv`. */
  readonly train?: TrainCommand;
  /** The environment of child commands (the scheduled training); default: this process's. */
  readonly childEnv?: NodeJS.ProcessEnv;
}

const DEFAULT_BATCH_THRESHOLD = 5;
/** How long /metrics shows the same routing accuracy before computing it again. */
const ACCURACY_REFRESH_MS = 5 * 60_000;
/** The first reconciliation (no cursor saved yet) reads this far back. */
const FIRST_RECONCILE_LOOKBACK_MS = 3_600_000;

/**
 * Composition root: config -> adapters -> server. Everything a later capability needs (queues,
 * workers, Zendesk and Slack clients) is wired here, so tests can start the whole app on port 0.
 */
export async function startCxloop(options: StartOptions): Promise<Cxloop> {
  const { env, policy, logger } = options;
  const now = options.now ?? Date.now;
  const role = options.role ?? 'all';
  const dryRun = isDryRun(env);
  if (!dryRun && (zendeskCredentials(env) === null || env.SLACK_BOT_TOKEN === undefined)) {
    throw new Error('CXLOOP_DRY_RUN=false needs ZENDESK_SUBDOMAIN, ZENDESK_OAUTH_CLIENT_ID, ZENDESK_OAUTH_CLIENT_SECRET, SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET');
  }
  if (!dryRun && env.ZENDESK_WEBHOOK_SECRET === undefined) {
    throw new Error('ZENDESK_WEBHOOK_SECRET is not set: copy the signing secret of the cxloop webhook in Zendesk (Admin Center > Webhooks) into it');
  }
  // Built at start-up so a policy whose terms do not compile fails now, not on the first ticket.
  const classifier = createClassifier(policy);

  const redis = await connectProducer(env, logger, 'redis connection error');
  // BullMQ defines its 60-odd scripts on the connection a Queue is given, and ioredis copies every
  // defined script onto each multi() or pipeline() of that connection: the queues get a connection
  // of their own, so the stores' transactions on `redis` stay cheap.
  const queueRedis = await connectProducer(env, logger, 'redis (queues) connection error').catch((error: unknown) => {
    redis.disconnect();
    throw error;
  });

  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'cxloop_' });
  new Gauge({ name: 'cxloop_dry_run', help: '1 when cxloop records Zendesk/Slack calls instead of sending them', registers: [registry] }).set(
    dryRun ? 1 : 0,
  );

  const metrics = createPromRoutingMetrics(registry);
  const jobMetrics = createPromJobMetrics(registry);

  const keys = installRedisKeys(env);
  // The rules, joined by the install's learned model when `cxloop train` stored one (reloaded when it changes).
  const learning = new ReloadingClassifier({ rules: classifier, store: new RedisModelStore(redis, keys), install: installIdentityOf(env), logger, now });
  const store = new RedisTicketStore(redis, keys);
  const budget = new RedisUpdateBudget({ redis, keys, perMinute: env.ZENDESK_UPDATES_PER_MINUTE, now });
  // A dry run is paced as a live run would be: what it records is what would be sent, and when.
  const zendesk = new BudgetedZendeskApi(
    options.zendesk ?? zendeskClientFor(env, dryRun, logger, options.recorder, new RedisAccessTokenCache(redis, keys, now), now, options.dryRunPeople),
    budget,
    now,
  );
  if (!dryRun && options.zendesk === undefined) await checkZendeskCredentials(env, zendesk, redis, logger);
  const queues = new ZendeskQueues({ producer: queueRedis, prefix: keys.queuePrefix, timers: new RedisLoopTimers(redis, keys), backlog: new RedisRouteBacklog(redis, keys) });
  const loops = new RedisLoopStore(redis, keys);
  const dashboard = new RedisDashboardStore(redis, keys);
  const dashboardSessions = new RedisDashboardSessions(redis, keys, env.CXLOOP_DASHBOARD_SECRET, now);
  const projector = new LoopProjector({ loops, dashboard, logger });
  const loopMetrics = createPromLoopMetrics(registry);
  // Computed from Redis when /metrics is scraped, at most every few minutes (it reads a month of histories).
  registerRoutingAccuracyMetrics(registry, () => measureRoutingAccuracy({ loops, corrections: store }, now()), { refreshMs: ACCURACY_REFRESH_MS, now });
  const outbox = new RedisSlackOutbox(redis, keys);
  const slackApi = createSlackApi({
    env,
    dryRun,
    logger,
    now,
    ...(options.slack ? { options: options.slack } : {}),
    ...(options.recorder ? { recorder: options.recorder } : {}),
    ...(options.dryRunPeople ? { people: options.dryRunPeople } : {}),
  });
  const people = new CachedPeopleDirectory({
    cache: new RedisNameCache(redis, keys),
    lookups: { slackName: (userId) => slackApi.userName(userId), zendeskName: (agentId) => zendesk.userName(agentId) },
    logger,
  });
  const loop: LoopDeps = {
    // Every committed transition also updates the dashboard's read model.
    store: new ProjectedLoopStore(loops, projector),
    timers: queues.loopTimers,
    effects: queues.effectQueue,
    policy: loopPolicyFrom(policy),
    metrics: loopMetrics,
    logger,
    now,
  };
  let http: RunningServer | undefined = undefined; // assigned once listening; stopStarted() may run before
  const dashboardLink = async (user: string, ttlMs = SIGN_IN_LINK_TTL_MS): Promise<string> => {
    const base = (env.CXLOOP_PUBLIC_URL ?? http?.url ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
    return `${base}/dashboard/login?t=${signInToken(await dashboardSessions.linkSecret(), user, now() + ttlMs)}`;
  };
  const slack: SlackSurface = startSlack({
    dashboardLink,
    env,
    policy,
    dryRun,
    role,
    queueRedis,
    queuePrefix: keys.queuePrefix,
    outbox,
    directory: new RedisSlackDirectory(redis, keys),
    reassignments: store,
    people,
    api: slackApi,
    loops,
    loop,
    logger,
    metrics: createPromSlackMetrics(registry),
    jobs: jobMetrics,
    now,
    ...(options.slack ? { options: options.slack } : {}),
    ...(options.recorder ? { recorder: options.recorder } : {}),
  });
  // A committed transition's Slack effects go to the outbox in the process that committed them
  // (a web process too: Slack actions move loops); the cxloop-effects queue keeps what fails.
  const notifier = options.notifier ?? slack.notifier;
  queues.effectQueue.deliverInline({ notifier, metrics: loopMetrics, logger });
  const agentUrl = zendeskAgentUrl(env);
  const web = createDashboard({
    read: { dashboard, loops, briefs: outbox, outbox, tickets: store, people },
    policy,
    sessions: dashboardSessions,
    people,
    viewerTeams: async (user) => (policy.slack.admins.includes(user) ? null : slack.teamsOf(user)),
    sessionMs: env.CXLOOP_DASHBOARD_SESSION,
    secureCookies: env.CXLOOP_PUBLIC_URL?.startsWith('https://') === true,
    publicOrigin: env.CXLOOP_PUBLIC_URL === undefined ? null : new URL(env.CXLOOP_PUBLIC_URL).origin,
    zendeskTicketUrl: (id) => (agentUrl === null ? null : `${agentUrl}/agent/tickets/${id}`),
    oidc: slackOidcConfig(env),
    logger,
    now,
  });
  let workers: ZendeskWorkers | undefined;
  let loopWorkers: LoopWorkers | undefined;
  let training: TrainingWorker | undefined;
  let workerRedis: RedisClient | undefined;
  /** Stops whatever has started, in an order that lets running jobs finish: stop() and a failed start. */
  const stopStarted = async (): Promise<void> => {
    web.close();
    await http?.close();
    await slack.stop();
    await workers?.close();
    await loopWorkers?.close();
    await training?.close();
    await queues.close();
    await queueRedis.quit().catch(() => queueRedis.disconnect());
    await workerRedis?.quit().catch(() => workerRedis?.disconnect());
    await dashboard.close();
    await redis.quit().catch(() => redis.disconnect());
  };
  /** A start step that fails stops what started before it, so a failed start leaves nothing running. */
  const orStop = <T>(step: Promise<T>): Promise<T> =>
    step.catch(async (error: unknown) => {
      await stopStarted().catch((stopError: Error) => logger.log('warn', 'stopping after a failed start did not finish', { error: stopError.message }));
      throw error;
    });

  const routes = [healthzRoute([new RedisHealthCheck(redis)], { dryRun }), metricsRoute(registry)];
  const statusLinks = new RedisStatusLinks(redis, keys);
  if (role !== 'worker') {
    // Customers: the status page of each ticket, and the sidebar app's API (only with its shared secret).
    routes.push(
      statusPageRoute({
        links: statusLinks,
        loops,
        briefs: outbox,
        loopPolicy: loop.policy,
        settings: policy.customers.status_page,
        limit: new RedisRequestRateLimit(redis, keys, 'status', policy.customers.status_page.requests_per_minute),
        trustProxy: env.CXLOOP_TRUST_PROXY ?? false,
        logger,
        now,
      }),
    );
    if (env.ZENDESK_APP_SECRET !== undefined && env.ZENDESK_SUBDOMAIN !== undefined) {
      routes.push(
        ...zendeskAppRoutes({
          secrets: env.ZENDESK_APP_SECRET.split(','),
          subdomain: env.ZENDESK_SUBDOMAIN,
          loops,
          loop,
          tickets: store,
          briefs: outbox,
          people,
          policy,
          zendesk,
          slackCardUrl: async (ticketId) => {
            const card = parsePostedRef((await outbox.messages(ticketId)).card);
            return card ? `https://slack.com/archives/${card.channel}/p${card.ts.replace('.', '')}` : null;
          },
          logger,
          now,
        }),
      );
    } else if (env.ZENDESK_APP_SECRET !== undefined) {
      logger.log('warn', 'ZENDESK_APP_SECRET is set but ZENDESK_SUBDOMAIN is not: the Zendesk app\'s requests are refused until it names the account');
    }
  }
  if (role !== 'worker') {
    routes.push(
      zendeskWebhookRoute({
        secrets: (env.ZENDESK_WEBHOOK_SECRET ?? ZENDESK_TEST_SECRET).split(','),
        maxAgeMs: env.ZENDESK_WEBHOOK_MAX_AGE,
        maxBytes: env.ZENDESK_WEBHOOK_MAX_BYTES,
        inbox: queues.inbox,
        metrics,
        logger,
        now,
      }),
      slack.route,
      ...web.routes,
    );
  }
  if (role !== 'web') await orStop(learning.refresh());
  // Listen before any worker starts: a busy port fails the start before anything runs.
  http = await orStop(startHttpServer({ port: env.PORT, ...(options.host ? { host: options.host } : {}), logger, routes }));
  if (role !== 'web') {
    // Workers block on Redis and must wait out a blip rather than fail: maxRetriesPerRequest null.
    workerRedis = createRedis(env, { maxRetriesPerRequest: null });
    workerRedis.on('error', (error: Error) => logger.log('warn', 'redis (workers) connection error', { error: error.message }));
    const actions: RoutingActionDeps = {
      zendesk,
      budget: new RedisReadBudget(redis, keys, env.ZENDESK_READS_PER_MINUTE),
      policy,
      detectLanguages: compileLanguageDetector(policy.classifier.languages),
      logger,
    };
    workers = await orStop(startZendeskWorkers({
      queues,
      connection: workerRedis,
      events: { store, zendesk, classifier: learning, policy, loop, briefs: outbox, actions, ticketUrl: (id) => (agentUrl === null ? null : `${agentUrl}/agent/tickets/${id}`), logger, now },
      writer: {
        zendesk,
        store,
        logger,
        now,
        onSent: (plans, sentAt) => {
          for (const plan of plans) metrics.routingLatency(Math.max(0, sentAt - plan.receivedAt) / 1000);
        },
      },
      people,
      customers: {
        zendesk,
        loops,
        ledger: new RedisCustomerLedger(redis, keys),
        links: statusLinks,
        settings: policy.customers,
        loopPolicy: loop.policy,
        // Links in comments point at the public address; without one (a dry run, the demo), at this server.
        statusUrl: (token) => `${(env.CXLOOP_PUBLIC_URL ?? http?.url ?? '').replace(/\/+$/, '')}${STATUS_PATH}${token}`,
        metrics: createPromCustomerMetrics(registry),
        logger,
        now,
      },
      reconcile: { zendesk, store, logger, now, firstRunLookbackMs: FIRST_RECONCILE_LOOKBACK_MS, maxPages: 5, everyMs: env.ZENDESK_RECONCILE_EVERY },
      // The incremental exports share 10 requests/min: 5 pages of tickets and 2 of ticket events per run.
      surveys: { zendesk, store, logger, now, firstRunLookbackMs: FIRST_RECONCILE_LOOKBACK_MS, maxPages: 2 },
      budget,
      batchThreshold: options.batchThreshold ?? DEFAULT_BATCH_THRESHOLD,
      metrics,
      jobs: jobMetrics,
      logger,
    }));
    loopWorkers = startLoopWorkers({
      connection: workerRedis,
      prefix: keys.queuePrefix,
      loop,
      timers: queues.loopTimers,
      timerJobs: queues.timerJobs,
      // On an injected clock (tests, the demo) timers fire when released, as the clock is stepped.
      live: options.now === undefined,
      notifier,
      metrics: loopMetrics,
      jobs: jobMetrics,
      logger,
    });
    await orStop(slack.startWorkers(workerRedis));
    training = await orStop(
      startTrainingWorker({
        connection: workerRedis,
        prefix: keys.queuePrefix,
        everyMs: env.CXLOOP_TRAIN_EVERY,
        train: options.train ?? cxloopChildCommand(SCHEDULED_TRAIN_ARGS, options.childEnv ?? process.env),
        logger,
        jobs: jobMetrics,
      }),
    );
  }

  logger.log('info', 'cxloop started', { url: http.url, dryRun, role });

  /**
   * Loops from before the dashboard (an upgrade) get into its read model once per install: the
   * first web process to start projects them in the background, the others see the marker.
   */
  let stopping: Promise<void> | undefined;
  const rebuildDashboard = async (): Promise<number> => {
    const since = now() - 90 * 86_400_000;
    const ids = await redis.zrangebyscore(keys.loops, since, '+inf', 'WITHSCORES');
    const opened: { ticketId: number; openedAt: number }[] = [];
    for (let index = 0; index + 1 < ids.length; index += 2) opened.push({ ticketId: Number(ids[index]), openedAt: Number(ids[index + 1]) });
    return projector.rebuild(opened, (done) => logger.log('info', 'dashboard: projecting earlier loops', { done, of: opened.length }), () => stopping !== undefined);
  };
  const rebuilding =
    role === 'worker'
      ? Promise.resolve()
      : (async () => {
          if ((await redis.set(keys.dashboardRebuilt, `running ${process.pid}`, 'EX', 600, 'NX')) !== 'OK') return;
          const projected = await rebuildDashboard();
          if (stopping === undefined) await redis.set(keys.dashboardRebuilt, 'done');
          if (projected > 0) logger.log('info', 'dashboard: earlier loops projected', { projected });
        })().catch((error: unknown) => logger.log('warn', 'dashboard: projecting earlier loops failed; the next start tries again', { error: (error as Error).message }));
  // Every open row read once now, in the background, so the first Now page reads only what changed since.
  const warming =
    role === 'worker'
      ? Promise.resolve()
      : dashboard.openLoops().then(
          () => undefined,
          (error: unknown) => logger.log('warn', 'dashboard: reading the open loops at start failed; the first Now page reads them', { error: (error as Error).message }),
        );

  return {
    http,
    dryRun,
    queues,
    loops,
    dashboard,
    dashboardLink,
    rebuildDashboard,
    async releaseDueTimers() {
      const at = now();
      const released = await queues.timerJobs.releaseDue(at);
      // Only a process with workers fires timers (a web process releases nothing of the schedule).
      if (!loopWorkers) return released;
      loopWorkers.poller.release(at);
      return released + (await queues.loopTimers.unfired(at));
    },
    async pendingWork() {
      const busy = [queues.events, queues.routes, queues.batches, queues.timers, queues.effects, slack.work.queue];
      const counts = await Promise.all(busy.map((queue) => queue.getJobCounts('wait', 'active', 'prioritized')));
      const jobs = counts.reduce((sum, count) => sum + Object.values(count).reduce((a, b) => a + b, 0), 0);
      // Timers count once they may fire (due at the poller's clock) until fired; claimed ones always.
      const timers = await queues.loopTimers.unfired(loopWorkers?.poller.horizon() ?? -Infinity);
      return jobs + timers + (await queues.backlog.size()) + Object.keys(await slack.outbox.backlog()).length;
    },
    stop() {
      stopping ??= (async () => {
        await rebuilding;
        await warming;
        await stopStarted();
        logger.log('info', 'cxloop stopped');
      })();
      return stopping;
    },
  };
}

/** A connection that fails fast (no offline queue: a webhook gets 503, not a hang), connected now. */
async function connectProducer(env: Env, logger: Logger, what: string): Promise<RedisClient> {
  const redis = createRedis(env, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', (error: Error) => logger.log('warn', what, { error: error.message }));
  await connectRedis(redis, env);
  return redis;
}

function zendeskClientFor(env: Env, dryRun: boolean, logger: Logger, recorder: CallRecorder | undefined, cache: AccessTokenCache, now: () => number, people?: DryRunPeople): ZendeskApi {
  const baseUrl = zendeskBaseUrl(env);
  const credentials = zendeskCredentials(env);
  if (dryRun || credentials === null || baseUrl === null) return new RecordingZendeskApi(logger, recorder, people?.zendesk, people?.requesterView);
  return new NodeZendeskApi({ baseUrl, auth: createZendeskAuth(credentials, { baseUrl, cache, scopes: ZENDESK_SERVE_SCOPES, now }) });
}

/**
 * Live: the credentials are checked before anything starts (a refused OAuth secret is one clear
 * error naming it), and the deprecated API token is warned about with the day it stops working.
 * Zendesk unreachable is only a warning: the queues keep everything until it answers.
 */
async function checkZendeskCredentials(env: Env, zendesk: ZendeskApi, redis: RedisClient, logger: Logger): Promise<void> {
  if (zendeskCredentials(env)?.kind === 'api_token') {
    logger.log('warn', API_TOKEN_DEPRECATION);
  }
  try {
    await zendesk.currentUserId();
  } catch (error) {
    if (isZendeskError(error, 'REJECTED')) {
      redis.disconnect();
      throw new Error(error.message, { cause: error });
    }
    logger.log('warn', 'Zendesk did not answer at start-up; cxloop starts and retries', { error: (error as Error).message });
  }
}

/**
 * Waits until cxloop is idle at its clock: no queued or running job, nothing for Slack, and no
 * loop timer due (releasing those makes more work, so it loops). For the demo, tests and benchmarks
 * that move an injected clock.
 */
export async function settle(app: Pick<Cxloop, 'pendingWork' | 'releaseDueTimers'>, timeoutMs = 120_000): Promise<void> {
  for (;;) {
    const deadline = Date.now() + timeoutMs;
    while ((await app.pendingWork()) > 0) {
      if (Date.now() > deadline) throw new Error(`cxloop still busy after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if ((await app.releaseDueTimers()) === 0) return;
  }
}
