/**
 * Timers (issue 7, section 4): how late reminders reach the notifier when a crowd of them comes
 * due at once. cxloop runs live on the real clock with its real timer path: the timer schedule
 * in Redis and the worker's poller (claims of up to 500 due timers, fired 32 at once) fire
 * `ack_remind`, the loop's transition produces remind_owner, and the process that committed it
 * hands it to the notifier (the cxloop-effects queue takes one that fails), here a counting one
 * (StartOptions.notifier) that notes when each reminder arrived, and how many arrived more than
 * once.
 *
 * The open loops are built through the loop use-case (openTicketLoop), not through webhooks: each
 * is opened with its clock set back by the category's reminder delay, so its real ack_remind
 * timer falls due a little in the future. Bypassed: the webhook, classification,
 * the Zendesk routing write and the brief, and the "routed" status effect of opening (not queued).
 */
import { performance } from 'node:perf_hooks';
import { loopPolicyFrom } from '../src/app/loop-policy.js';
import { NO_LOOP_METRICS, type Notifier } from '../src/app/ports.js';
import { TIMER_CLAIM_BATCH, TIMER_FIRE_CONCURRENCY } from '../src/adapters/queue/loop-timer-poller.js';
import { openTicketLoop, type LoopDeps } from '../src/app/run-loop.js';
import type { Policy } from '../src/config/policy-schema.js';
import type { CategoryId } from '../src/core/taxonomy.js';
import { withBenchCxloop, type BenchCxloop } from './bench-cxloop.js';
import { forEachConcurrently, round, sleep, startCpuMeter, summarize, until, type CpuShare, type LatencySummary } from './support.js';

export interface TimersBenchOptions {
  readonly redisUrl: string;
  readonly policy: Policy;
  /** Reminders that come due (BENCH_TIMERS). */
  readonly count: number;
  /** Their due times are spread evenly over this many seconds. */
  readonly windowSeconds: number;
  readonly log: (line: string) => void;
}

export interface TimersBenchResult {
  readonly reminders: number;
  readonly windowSeconds: number;
  readonly duePerSecond: number;
  readonly build: { readonly seconds: number; readonly loopsPerSecond: number; readonly finishedBeforeFirstDue: boolean; readonly secondsToSpare: number };
  /** Due time -> remind_owner reached the notifier. */
  readonly lateness: LatencySummary;
  /** Due time -> the ack_remind transition ran (the timer fired), from a sample of histories. */
  readonly firedLateness: LatencySummary;
  /** First due time -> last reminder notified. */
  readonly drainSeconds: number;
  /** Reminders notified per second while the crowd was due. */
  readonly notifiedPerSecond: number;
  /** Where the CPU went while they drained (eventLoop: cxloop's thread, which runs every worker). */
  readonly drainCpu: CpuShare;
  readonly missing: number;
  /** Reminders that reached the notifier more than once (each counted per extra arrival). */
  readonly duplicates: number;
  /** Warnings and errors cxloop logged (a failed firing handed over for a retry is a warning). */
  readonly warnings: number;
  readonly errors: number;
  /** The first few of those, as logged. */
  readonly logSamples: readonly string[];
  /** Timer jobs that failed for good in the cxloop-timers queue (the poller's failed firings end there after their retries). */
  readonly failedTimerJobs: number;
  readonly timerConcurrency: number;
  readonly claimBatch: number;
}

/** A category whose acknowledge reminder comes before its breach, so its loops get an ack_remind timer. */
const CATEGORY: CategoryId = 'feature_request';
const BUILD_CONCURRENCY = 64;
const CALIBRATION_LOOPS = 2_000;
/** The build gets this much more time than the calibration predicts before the first reminder is due. */
const BUILD_MARGIN = 1.15;
const FIRST_TICKET = 1_000_000;
const HISTORY_SAMPLE = 2_000;


export async function benchTimers(options: TimersBenchOptions): Promise<TimersBenchResult> {
  const notifiedAt = new Float64Array(options.count);
  let notified = 0;
  let duplicates = 0;
  const notifier: Notifier = {
    notify: async (ticketId, effect) => {
      const index = ticketId - FIRST_TICKET;
      if (effect.type !== 'remind_owner' || index < 0 || index >= options.count) return;
      if (notifiedAt[index] !== 0) {
        duplicates += 1;
        return;
      }
      notifiedAt[index] = Date.now();
      notified += 1;
    },
  };
  return withBenchCxloop({ section: 'timers', redisUrl: options.redisUrl, policy: options.policy, start: { notifier } }, async (bench) => {
    const loopPolicy = loopPolicyFrom(options.policy);
    const remindMs = loopPolicy.categories[CATEGORY].acknowledge.remindMs;
    if (remindMs >= loopPolicy.categories[CATEGORY].acknowledge.breachMs) throw new Error(`the policy gives ${CATEGORY} no acknowledge reminder before its breach`);
    const base: Omit<LoopDeps, 'now'> = { store: bench.app.loops, timers: bench.app.queues.loopTimers, effects: { enqueue: async () => undefined }, policy: loopPolicy, metrics: NO_LOOP_METRICS, logger: { log: () => undefined } };
    // Opened `remindMs` before `due`, a loop's ack_remind timer falls due at `due` (calendar hours).
    const open = (ticketId: number, due: number) => openTicketLoop({ ticketId, category: CATEGORY, tier: 'normal', zendeskStatus: 'new' }, { ...base, now: () => due - remindMs });

    // Calibration: loops due in a day (they stay pending) tell how fast this machine opens loops;
    // the first half warms the JIT and the connections, the second is timed.
    const dayLater = Date.now() + 86_400_000;
    const calibrate = (from: number) => forEachConcurrently(Array.from({ length: CALIBRATION_LOOPS / 2 }, (_, index) => from + index), BUILD_CONCURRENCY, (id) => open(id, dayLater).then(() => undefined));
    await calibrate(FIRST_TICKET + options.count);
    const calibrationStart = performance.now();
    await calibrate(FIRST_TICKET + options.count + CALIBRATION_LOOPS / 2);
    const calibratedPerSecond = CALIBRATION_LOOPS / 2 / ((performance.now() - calibrationStart) / 1000);

    const firstDue = Date.now() + Math.ceil((options.count / calibratedPerSecond) * BUILD_MARGIN * 1000) + 5_000;
    const windowMs = options.windowSeconds * 1000;
    const dueOf = (index: number) => firstDue + Math.floor((index * windowMs) / options.count);
    options.log(`timers: opening ${options.count} loops (~${Math.round(calibratedPerSecond)}/s); reminders due from ${new Date(firstDue).toISOString()} over ${options.windowSeconds} s`);
    const buildStart = performance.now();
    await forEachConcurrently(Array.from({ length: options.count }, (_, index) => index), BUILD_CONCURRENCY, async (index) => {
      if ((await open(FIRST_TICKET + index, dueOf(index))) !== 'applied') throw new Error(`loop ${FIRST_TICKET + index} did not open`);
    });
    const buildSeconds = (performance.now() - buildStart) / 1000;
    await checkFirstTimer(bench, FIRST_TICKET, dueOf(0));
    const secondsToSpare = (firstDue - Date.now()) / 1000;
    options.log(`timers: ${options.count} loops opened in ${buildSeconds.toFixed(1)} s, ${secondsToSpare.toFixed(1)} s before the first is due`);

    await sleep(Math.max(0, firstDue - Date.now()));
    const stopMeter = await startCpuMeter(bench.redis);
    let lastReport = Date.now();
    await until(() => {
      if (Date.now() - lastReport > 10_000) {
        options.log(`  ${notified}/${options.count} reminders notified, ${Math.round((Date.now() - firstDue) / 1000)} s after the first was due`);
        lastReport = Date.now();
      }
      return notified === options.count;
    }, windowMs + 15 * 60_000, 'timer drain', 100);
    const drainCpu = await stopMeter();
    // A reminder notified twice would come right behind the first: let the queues run dry first.
    await until(async () => (await bench.app.pendingWork()) === 0, 60_000, 'queues idle after the drain', 100);

    const lateness = Array.from(notifiedAt, (at, index) => at - dueOf(index));
    const lastNotified = notifiedAt.reduce((latest, at) => Math.max(latest, at), 0);
    return {
      reminders: options.count,
      windowSeconds: options.windowSeconds,
      duePerSecond: Math.round(options.count / options.windowSeconds),
      build: { seconds: round(buildSeconds), loopsPerSecond: Math.round(options.count / buildSeconds), finishedBeforeFirstDue: secondsToSpare > 0, secondsToSpare: round(secondsToSpare) },
      lateness: summarize(lateness),
      firedLateness: await firedLateness(bench, options.count, dueOf),
      drainSeconds: round((lastNotified - firstDue) / 1000),
      notifiedPerSecond: Math.round(options.count / ((lastNotified - firstDue) / 1000)),
      drainCpu,
      missing: options.count - notified,
      duplicates,
      warnings: bench.logs.warn,
      errors: bench.logs.error,
      logSamples: bench.logs.samples,
      failedTimerJobs: await bench.app.queues.timers.getFailedCount(),
      timerConcurrency: TIMER_FIRE_CONCURRENCY,
      claimBatch: TIMER_CLAIM_BATCH,
    };
  });
}

/** The first loop's reminder must be due when we said, or every lateness figure would be off. */
async function checkFirstTimer(bench: BenchCxloop, ticketId: number, due: number): Promise<void> {
  const stored = await bench.app.loops.get(ticketId);
  const at = stored?.state.timers.ack_remind;
  if (at !== due) throw new Error(`loop ${ticketId}'s ack_remind is due at ${at}, expected ${due} (are ${CATEGORY}'s team hours calendar?)`);
}

/** Due -> transition time, from the `timer:ack_remind` history entries of a spread sample of loops. */
async function firedLateness(bench: BenchCxloop, count: number, dueOf: (index: number) => number): Promise<LatencySummary> {
  const step = Math.max(1, Math.floor(count / HISTORY_SAMPLE));
  const late: number[] = [];
  for (let index = 0; index < count; index += step) {
    const entry = (await bench.app.loops.history(FIRST_TICKET + index)).find((candidate) => candidate.event === 'timer:ack_remind');
    if (entry) late.push(entry.at - dueOf(index));
  }
  return summarize(late);
}
