import { App, LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Route } from '../../app/http-route.js';
import type { CallRecorder, DryRunPeople, JobMetrics, LiveIncidents, LoopStore, Logger, Notifier, PeopleDirectory, ReassignmentLog, SlackDirectory, SlackMetrics, SlackOutbox, TicketBriefs } from '../../app/ports.js';
import type { LoopDeps } from '../../app/run-loop.js';
import { zendeskAgentUrl, type Env } from '../../config/env-schema.js';
import type { Policy } from '../../config/policy-schema.js';
import { RecordingSlackApi } from './recording-slack-api.js';
import type { SlackApi } from './slack-api.js';
import { SlackDelivery } from './slack-delivery.js';
import { SlackRouteReceiver } from './slack-events-route.js';
import { registerSlackListeners } from './slack-listeners.js';
import { SlackNotifier } from './slack-notifier.js';
import { SlackPermissions } from './slack-permissions.js';
import { SlackSender, type SlackSenderOptions } from './slack-sender.js';
import { SlackWorkHandler, type LoopHistories } from './slack-work-handler.js';
import { SlackWorkQueue, startSlackWorker } from './slack-work.js';
import { WebSlackApi } from './web-slack-api.js';

/**
 * A dry run without SLACK_SIGNING_SECRET verifies Slack requests against this published value
 * (the demo signs with it), so even a dry run never accepts an unsigned request.
 */
export const SLACK_DRY_RUN_SECRET = 'cxloop-dry-run-signing-secret';
/** Interaction payloads are small; a view submission is the largest (a few KB). */
const MAX_REQUEST_BYTES = 512 * 1024;

export interface SlackOptions {
  /** Replaces the Slack client (tests and benchmarks). */
  readonly api?: SlackApi;
  readonly sender?: Pick<SlackSenderOptions, 'intervalMs' | 'coalesceAbove' | 'digestSize' | 'concurrency'>;
}

export interface SlackSurface {
  readonly route: Route;
  readonly notifier: Notifier;
  readonly api: SlackApi;
  readonly outbox: SlackOutbox;
  readonly work: SlackWorkQueue;
  /** The teams whose loops a Slack user may act on (the permission rule; the dashboard shows them). */
  teamsOf(user: string): Promise<string[]>;
  /** Starts the sender and the work worker (worker processes only). */
  startWorkers(connection: Redis | Cluster): Promise<void>;
  stop(): Promise<void>;
}

/** The Slack app: Bolt on cxloop's server, the outbox sender, the work queue and its worker. */
export function startSlack(input: {
  env: Env;
  policy: Policy;
  dryRun: boolean;
  role: 'all' | 'web' | 'worker';
  /** The connection of cxloop's BullMQ queues (not the stores': BullMQ defines its scripts on it). */
  queueRedis: Redis | Cluster;
  /** BullMQ's prefix of each queue (a hash tag per queue on a Redis Cluster). */
  queuePrefix: (queue: string) => string;
  outbox: SlackOutbox & TicketBriefs & LiveIncidents;
  /** Member lists and channel ids learnt from Slack, shared by every process (the permission rule). */
  directory: SlackDirectory;
  /** Names of the people messages show. */
  people: PeopleDirectory;
  /** The Slack client (createSlackApi), shared with the name lookups. */
  api: SlackApi;
  loops: LoopStore & LoopHistories;
  loop: LoopDeps;
  logger: Logger;
  metrics: SlackMetrics;
  jobs: JobMetrics;
  now: () => number;
  options?: SlackOptions;
  /** A dry run's calls go here (terminal, file). */
  recorder?: CallRecorder;
  /** A sign-in link to the web dashboard for a Slack user (`/cxloop dashboard`, App Home). */
  dashboardLink?: (user: string) => Promise<string>;
  /** Where Slack reassignments are kept as training rows (the corrections stream). */
  reassignments: ReassignmentLog;
}): SlackSurface {
  const { env, policy, logger, now, outbox, directory, api } = input;
  const loopPolicy = input.loop.policy;
  const delivery = new SlackDelivery({ slack: api, outbox, live: outbox, loops: input.loops, briefs: outbox, directory, people: input.people, policy, loopPolicy, logger, zendeskBaseUrl: zendeskAgentUrl(env), now });
  const permissions = new SlackPermissions({ policy, slack: api, directory });
  const work = new SlackWorkQueue({ connection: input.queueRedis, prefix: input.queuePrefix });
  const receiver = new SlackRouteReceiver({ signingSecret: env.SLACK_SIGNING_SECRET ?? SLACK_DRY_RUN_SECRET, maxBytes: MAX_REQUEST_BYTES, logger, metrics: input.metrics, now });
  // Listeners use cxloop's SlackApi (recorded in a dry run), never Bolt's client: no token check at start-up.
  const app = new App({ receiver, authorize: async () => ({ botToken: env.SLACK_BOT_TOKEN ?? 'xoxb-dry-run' }), logger: boltLogger(logger), logLevel: LogLevel.WARN });
  const dashboardLink = input.dashboardLink ? { dashboardLink: input.dashboardLink } : {};
  registerSlackListeners(app, { queue: work, delivery, slack: api, permissions, logger, ...dashboardLink });
  // The outbox is paced on real time (Slack's), whatever clock the loop runs on.
  const notifier = new SlackNotifier({ outbox, live: outbox, loops: input.loops, policy, loopPolicy, logger, now: Date.now });
  const sender = new SlackSender({ outbox, delivery, logger, metrics: input.metrics, ...input.options?.sender });
  const reassignments = { log: input.reassignments, briefs: outbox };
  const handler = new SlackWorkHandler({ loop: input.loop, slack: api, delivery, outbox, permissions, histories: input.loops, policy, reassignments, logger, now, ...dashboardLink });
  let worker: Worker | undefined;
  return {
    route: receiver.route(),
    notifier,
    api,
    outbox,
    work,
    teamsOf: (user) => permissions.teamsOf(user),
    async startWorkers(connection) {
      worker = startSlackWorker({ connection, prefix: input.queuePrefix, logger, jobs: input.jobs, handle: (job) => handler.handle(job) });
      sender.start();
      await work.scheduleWeeklyDigest();
    },
    async stop() {
      await sender.stop();
      await worker?.close();
      await work.close();
    },
  };
}

/** The Slack client: the one tests pass, Slack's Web API when live, the recorder in a dry run. */
export function createSlackApi(input: { env: Env; dryRun: boolean; logger: Logger; now: () => number; options?: SlackOptions; recorder?: CallRecorder; people?: DryRunPeople }): SlackApi {
  const { env } = input;
  if (input.options?.api) return input.options.api;
  if (input.dryRun || env.SLACK_BOT_TOKEN === undefined) return new RecordingSlackApi(input.logger, input.now, input.recorder, input.people?.slack);
  return new WebSlackApi({ token: env.SLACK_BOT_TOKEN, ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}) });
}

/** Bolt logs through cxloop's logger (structured, no secrets). */
function boltLogger(logger: Logger): BoltLogger {
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (...messages: unknown[]) => logger.log(level, `bolt: ${messages.map(String).join(' ')}`);
  let level = LogLevel.WARN;
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (next) => void (level = next),
    getLevel: () => level,
    setName: () => undefined,
  };
}
