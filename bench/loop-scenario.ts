/**
 * The closed loop at scale on a simulated week: N tickets arrive over a day as signed Zendesk
 * webhooks; scripted owners acknowledge (in Slack or by taking the ticket in Zendesk), post
 * updates, solve, and customers reopen or rate. cxloop runs for real (HTTP server, Redis, BullMQ
 * workers); only time is simulated, through the injected clock, and timers are released as it
 * moves. Zendesk is the dry-run recorder (no HTTP), Slack a counting notifier.
 * Also measures Redis memory per open loop, timers included.
 */
import { randomUUID } from 'node:crypto';
import { seededRandom } from '../src/core/learn/seeded-random.js';
import { Redis } from 'ioredis';
import { deleteInstallKeys } from '../src/adapters/redis/redis-keys.js';
import { ticketEvent, type TicketDetail } from '../src/adapters/zendesk/sample-webhooks.js';
import { RecordingZendeskApi } from '../src/adapters/zendesk/recording-zendesk-api.js';
import { loopPolicyFrom } from '../src/app/loop-policy.js';
import { NO_LOOP_METRICS, type Notifier } from '../src/app/ports.js';
import { applyLoopEvents, type LoopDeps } from '../src/app/run-loop.js';
import { runCli } from '../src/cli/main.js';
import { parseEnv } from '../src/config/env-schema.js';
import type { Policy } from '../src/config/policy-schema.js';
import type { LoopEvent } from '../src/core/loop/loop-types.js';
import { settle, startCxloop, type Cxloop } from '../src/main.js';
import { postSignedWebhook } from './post-webhook.js';
import { memoryByKeyType, type KeyTypeMemory } from './redis-memory.js';

const SECRET = 'bench-loop-secret';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const START = Date.parse('2026-11-23T00:00:00Z');
const silent = { log: () => undefined };

/** Our own ticket texts, one or two per category, so the loops spread over teams and SLAs. */
const TEXTS: readonly [string, string][] = [
  ['App crashes on login', 'Since the last update the app crashes every time I log in. Steps to reproduce: open the app, tap login.'],
  ['Error 500 when saving', 'Saving a report fails with error 500, this is broken since yesterday.'],
  ['Charged twice', 'I was charged twice this month, please refund the duplicate payment.'],
  ['Invoice address wrong', 'Our invoice shows the wrong billing address, can you correct it?'],
  ['Add export to Excel', 'It would be great if you could add an export of reports to Excel.'],
  ['How do I invite my team?', 'How can I add colleagues to my account? I cannot find the option.'],
  ['Dashboard very slow', 'The dashboard is very slow, it takes over a minute to load.'],
  ['Love the new design', 'Just wanted to say the new design is great, thank you!'],
  ['Typo in help article', 'There is a typo in the second paragraph of the help article on exports.'],
  ['Partnership inquiry', 'We are a reseller and would like to discuss a partnership.'],
];

export interface LoopScenarioOptions {
  readonly policy: Policy;
  readonly redisUrl: string;
  readonly tickets: number;
  readonly seed?: number;
  /** Simulated time per step; timers fire at the end of the step they fall in. */
  readonly stepMs?: number;
  /** Keep the scenario's Redis keys (to run `cxloop report` on them afterwards). */
  readonly keep?: boolean;
}

export interface LoopScenarioResult {
  readonly tickets: number;
  readonly simulatedHours: number;
  readonly wallSeconds: number;
  readonly webhooks: number;
  readonly slackActions: number;
  readonly effects: Readonly<Record<string, number>>;
  readonly transitions: number;
  readonly report: { readonly command: string; readonly text: string; readonly json: unknown };
  readonly prefix: string;
}

interface Action {
  readonly at: number;
  readonly ticket: number;
  readonly run: (ctx: Ctx) => Promise<void>;
}

interface Ctx {
  readonly app: Cxloop;
  readonly loop: LoopDeps;
  readonly tickets: Map<number, TicketDetail & { created_at: string }>;
  clock: number;
  webhooks: number;
  slackActions: number;
}

/** Runs the scripted week and returns what `cxloop report` prints for it. */
export async function runLoopScenario(options: LoopScenarioOptions): Promise<LoopScenarioResult> {
  const stepMs = options.stepMs ?? 5 * MINUTE;
  const random = seededRandom(options.seed ?? 42);
  const prefix = `cxbench-loop-${randomUUID().slice(0, 8)}`;
  const effects: Record<string, number> = {};
  const notifier: Notifier = { notify: async (_ticket, effect) => void (effects[effect.type] = (effects[effect.type] ?? 0) + 1) };
  const ctx = await startScenario(options, prefix, notifier);
  const { app } = ctx;
  const actions = script(options.tickets, random);
  const started = performance.now();
  try {
    let next = 0;
    const end = Math.max(...actions.map((action) => action.at)) + 4 * 24 * HOUR;
    for (let t = START; t <= end; t += stepMs) {
      ctx.clock = t;
      while (next < actions.length && actions[next]!.at <= t) {
        ctx.clock = Math.max(START, actions[next]!.at);
        await actions[next]!.run(ctx);
        next += 1;
      }
      ctx.clock = t;
      await settle(app);
    }
    const wallSeconds = (performance.now() - started) / 1000;
    const until = new Date(end).toISOString();
    const report = await reportOf(options.redisUrl, prefix, until);
    const opened = await app.loops.openedBetween(START, end);
    return {
      tickets: options.tickets,
      simulatedHours: Math.round((end - START) / HOUR),
      wallSeconds: Math.round(wallSeconds * 10) / 10,
      webhooks: ctx.webhooks,
      slackActions: ctx.slackActions,
      effects,
      transitions: (await app.loops.histories(opened)).reduce((sum, history) => sum + history.length, 0),
      report,
      prefix,
    };
  } finally {
    await app.stop();
    if (!options.keep) await dropKeys(options.redisUrl, prefix);
  }
}

/** Each ticket's script: arrival, acknowledgement, updates, solve, and what the customer does after. */
function script(count: number, random: () => number): Action[] {
  const actions: Action[] = [];
  const between = (low: number, high: number) => low + random() * (high - low);
  const minutes = (low: number, high: number) => Math.round(between(low, high)) * MINUTE;
  for (let index = 0; index < count; index += 1) {
    const id = 10_000 + index;
    const created = START + Math.floor((index * 24 * HOUR) / count);
    const [subject, description] = TEXTS[index % TEXTS.length]!;
    const roll = random();
    const priority = roll < 0.1 ? 'urgent' : roll < 0.3 ? 'high' : 'normal';
    actions.push({ at: created, ticket: id, run: (ctx) => create(ctx, { id, subject, description, priority, status: 'new', created_at: iso(created) }) });
    const speed = random();
    const ackAt = created + (speed < 0.45 ? minutes(5, 110) : speed < 0.7 ? minutes(120, 360) : speed < 0.9 ? minutes(360, 1440) : minutes(1440, 2400));
    const viaSlack = random() < 0.5;
    actions.push({ at: ackAt, ticket: id, run: (ctx) => (viaSlack ? slack(ctx, id, { type: 'acknowledge', user: owner(id) }) : zendesk(ctx, id, 'agent_assignment_changed', { status: 'open', assignee_id: agent(id) })) });
    const solveAt = ackAt + minutes(60, 3600);
    const cadence = priority === 'urgent' ? 30 * MINUTE : priority === 'high' ? 4 * HOUR : 24 * HOUR;
    const diligence = between(0.4, 1.6);
    const every = Math.round((cadence * diligence) / MINUTE) * MINUTE;
    for (let at = ackAt + every; at < solveAt; at += every) {
      const update: Action['run'] = random() < 0.5
        ? (ctx) => slack(ctx, id, { type: 'post_update', user: owner(id), text: 'Still on it, next update soon.' })
        : (ctx) => zendesk(ctx, id, 'comment_added', {}, { comment: { is_public: true, author: { id: String(agent(id)) } } });
      actions.push({ at, ticket: id, run: update });
    }
    actions.push({ at: solveAt, ticket: id, run: (ctx) => zendesk(ctx, id, 'status_changed', { status: 'solved' }) });
    const after = random();
    if (after < 0.1) {
      const reopenAt = solveAt + minutes(120, 1800);
      actions.push({ at: reopenAt, ticket: id, run: (ctx) => zendesk(ctx, id, 'status_changed', { status: 'open' }, undefined, 501) });
      actions.push({ at: reopenAt + minutes(60, 1800), ticket: id, run: (ctx) => zendesk(ctx, id, 'comment_added', {}, { comment: { is_public: true, author: { id: String(agent(id)) } } }) });
      actions.push({ at: reopenAt + minutes(1860, 3000), ticket: id, run: (ctx) => zendesk(ctx, id, 'status_changed', { status: 'solved' }) });
    } else if (after < 0.2) {
      const ratedAt = solveAt + minutes(60, 1200);
      actions.push({ at: ratedAt, ticket: id, run: (ctx) => rate(ctx, id, 'bad') });
      actions.push({ at: ratedAt + minutes(120, 4200), ticket: id, run: (ctx) => slack(ctx, id, { type: 'acknowledge', user: owner(id) }) });
    } else if (after < 0.65) {
      actions.push({ at: solveAt + minutes(60, 1200), ticket: id, run: (ctx) => rate(ctx, id, 'good') });
    }
  }
  return actions.sort((a, b) => a.at - b.at);
}

const owner = (id: number) => `U0OWNER${id % 7}`;
const agent = (id: number) => 700 + (id % 7);

async function create(ctx: Ctx, detail: TicketDetail & { created_at: string }): Promise<void> {
  ctx.tickets.set(detail.id, detail);
  await post(ctx, ticketEvent('created', { ...detail, updated_at: detail.created_at }));
}

async function zendesk(ctx: Ctx, id: number, type: string, changes: Partial<TicketDetail>, event?: Record<string, unknown>, actor?: number): Promise<void> {
  const ticket = { ...ctx.tickets.get(id)!, ...changes, updated_at: iso(ctx.clock), actor_id: actor ?? agent(id) };
  ctx.tickets.set(id, ticket);
  await post(ctx, ticketEvent(type, ticket, event ? { event } : {}));
}

async function rate(ctx: Ctx, id: number, rating: 'good' | 'bad'): Promise<void> {
  await post(ctx, JSON.stringify({ cxloop_trigger: 'satisfaction', ticket_id: String(id), updated_at: iso(ctx.clock), rating, comment: '' }));
}

/** What the Slack app does on a button press: the same use-case, keyed by the interaction. */
async function slack(ctx: Ctx, id: number, event: LoopEvent): Promise<void> {
  ctx.slackActions += 1;
  await applyLoopEvents(id, [event], `slack-${id}-${ctx.slackActions}`, ctx.loop);
}

async function post(ctx: Ctx, body: string): Promise<void> {
  await postSignedWebhook(ctx.app.http.url, body, SECRET, ctx.clock);
  ctx.webhooks += 1;
}

/** cxloop on its own prefix with the injected clock, a dry-run Zendesk and the given notifier. */
async function startScenario(options: { policy: Policy; redisUrl: string }, prefix: string, notifier: Notifier): Promise<Ctx> {
  const ctx = { clock: START, webhooks: 0, slackActions: 0, tickets: new Map() } as Ctx;
  const now = () => ctx.clock;
  const app = await startCxloop({ env: envFor(options.redisUrl, prefix), policy: options.policy, logger: silent, host: '127.0.0.1', now, notifier, zendesk: new RecordingZendeskApi(silent) });
  return Object.assign(ctx, { app, loop: loopDepsOf(app, options.policy, now) });
}

function loopDepsOf(app: Cxloop, policy: Policy, now: () => number): LoopDeps {
  return { store: app.loops, timers: app.queues.loopTimers, effects: app.queues.effectQueue, policy: loopPolicyFrom(policy), metrics: NO_LOOP_METRICS, logger: silent, now };
}

async function reportOf(redisUrl: string, prefix: string, until: string): Promise<LoopScenarioResult['report']> {
  const args = ['report', '--since', '14d', '--until', until];
  const env = { REDIS_URL: redisUrl, CXLOOP_REDIS_PREFIX: prefix };
  const capture = async (extra: string[]) => {
    let out = '';
    const code = await runCli([...args, ...extra], { stdout: { write: (text: string) => (out += text) }, stderr: { write: () => true }, env, readStdin: async () => undefined });
    if (code !== 0) throw new Error(`cxloop report exited ${code}`);
    return out;
  };
  return { command: `CXLOOP_REDIS_PREFIX=${prefix} cxloop ${args.join(' ')}`, text: await capture([]), json: JSON.parse(await capture(['--json'])) as unknown };
}

/**
 * Redis bytes per open loop: opens `count` loops at one instant (each routed, with its timer in the schedule),
 * then `count` more, and reads INFO used_memory before, between and after. The second step's
 * growth per loop is the marginal cost (fixed costs such as BullMQ's capped event streams are
 * paid by then); the first step's includes them. Then every key of the install is weighed with
 * MEMORY USAGE and grouped by type (per loop: the type's bytes over all loops opened).
 */
export async function measureLoopMemory(options: { policy: Policy; redisUrl: string; count: number }): Promise<{
  loops: number;
  bytesPerLoop: number;
  firstLoopsBytesEach: number;
  /** Sum of MEMORY USAGE over every key, per loop; the rest of the marginal figure is Redis's own bookkeeping (dict and expiry entries, allocator rounding). */
  keysBytesPerLoop: number;
  byKeyType: KeyTypeMemory[];
}> {
  // As long as the default prefix ("cxloop"), so every per-loop key's name weighs what an
  // install's does (a 20-character prefix cost about 14 B more per key, 4 keys per loop).
  const prefix = `cx${randomUUID().slice(0, 4)}`;
  const ctx = await startScenario(options, prefix, { notify: async () => undefined });
  const { app } = ctx;
  const redis = new Redis(options.redisUrl);
  const openLoops = async (first: number) => {
    for (let index = first; index < first + options.count; index += 1) {
      const [subject, description] = TEXTS[index % TEXTS.length]!;
      await create(ctx, { id: 50_000 + index, subject, description, status: 'new', created_at: iso(START) });
    }
    await settle(app);
    return usedMemory(redis);
  };
  try {
    await settle(app);
    const empty = await usedMemory(redis);
    const first = await openLoops(0);
    const second = await openLoops(options.count);
    const loops = 2 * options.count;
    const byKeyType = await memoryByKeyType(redis, prefix, loops);
    return {
      loops,
      bytesPerLoop: Math.round((second - first) / options.count),
      firstLoopsBytesEach: Math.round((first - empty) / options.count),
      keysBytesPerLoop: Math.round(byKeyType.reduce((sum, type) => sum + type.bytesPerLoop, 0)),
      byKeyType,
    };
  } finally {
    redis.disconnect();
    await app.stop();
    await dropKeys(options.redisUrl, prefix);
  }
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

function envFor(redisUrl: string, prefix: string) {
  const env = parseEnv({
    REDIS_URL: redisUrl,
    PORT: '0',
    CXLOOP_REDIS_PREFIX: prefix,
    LOG_LEVEL: 'error',
    CXLOOP_DRY_RUN: 'true',
    ZENDESK_WEBHOOK_SECRET: SECRET,
    // Reconciliation reads nothing in a dry run; once a simulated week would be 1,000 runs.
    ZENDESK_RECONCILE_EVERY: '1d',
    // Zendesk is the recorder here: its Update Ticket budget (measured by the routing benchmark,
    // in real time) would otherwise pace a simulated week at 100 notes per real minute.
    ZENDESK_UPDATES_PER_MINUTE: '100000',
  });
  if (!env.ok) throw new Error(JSON.stringify(env.problems));
  return env.env;
}

async function dropKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  await deleteInstallKeys(redis, prefix);
  redis.disconnect();
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

