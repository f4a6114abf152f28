/**
 * Scale-out (issue 16): the same burst of new tickets through 1 web and N worker processes
 * (`cxloop serve --role ...`, the built code) on one Redis, for several N. The fake Zendesk (the
 * real limit: 100 Update Ticket calls per sliding minute), the fake Slack and the webhook sender
 * run in this process; the CPU per ticket counts cxloop's processes only (and Redis, apart).
 * Checked at every N: no ticket sent to Zendesk twice, none lost, the limit held in every window.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { deleteInstallKeys } from '../src/adapters/redis/redis-keys.js';
import { BENCH_SECRET } from './bench-cxloop.js';
import { allRouted, isRouted, postWebhooks, seedTicket, webhookFor } from './bench-tickets.js';
import { startCxloopProcesses } from './cxloop-processes.js';
import { perUnit, startCommandMeter } from './redis-commands.js';
import { startFakeSlack } from './fake-slack.js';
import { startFakeZendesk, type FakeZendesk } from './fake-zendesk.js';
import { redisCpuSeconds, round, until } from './support.js';
import { maxInAnyWindow, sendsPerTicket, updateCalls } from './zendesk-writes.js';

export interface ScaleOutBenchOptions {
  readonly root: string;
  readonly redisUrl: string;
  readonly tickets: number;
  /** Worker process counts to run, one after the other (1, 2, 4). */
  readonly workerCounts: readonly number[];
  readonly updatesPerMinute: number;
  /** Tickets sent through before the measured burst, so each process's code is compiled and its connections open (a one-off cost per process, not per ticket). */
  readonly warmUpTickets: number;
  readonly log: (line: string) => void;
}

export interface ScaleOutRun {
  readonly workers: number;
  readonly tickets: number;
  /** First webhook sent -> every ticket routed in the fake. */
  readonly seconds: number;
  readonly ticketsPerSecond: number;
  readonly ingestSeconds: number;
  /** CPU ms per ticket of cxloop's processes over the run (web and workers), and of Redis (the whole server's: other clients add noise). */
  readonly cpuMsPerTicket: { readonly cxloop: number | null; readonly web: number | null; readonly workers: number | null; readonly redis: number };
  /** CPU ms per second of all cxloop processes together with nothing to do (after the warm-up): what each process costs just by running (pollers, timers, BullMQ). */
  readonly idleCpuMsPerSecond: number | null;
  readonly updateManyCalls: number;
  readonly singleCalls: number;
  /** Tickets named by more than one accepted Update Ticket call (each extra one is a duplicate write). */
  readonly sentTwice: number;
  readonly duplicateSends: number;
  readonly conflicts: number;
  readonly lost: number;
  readonly maxCallsInAnyMinute: number;
  /**
   * Redis's own counters over the burst, per ticket (INFO commandstats and total_reads_processed:
   * the whole server's), to tell work each ticket adds as processes are added from CPU that the
   * same work costs more on shared cores.
   */
  readonly redisPerTicket: { readonly serverReads: number; readonly luaCalls: number; readonly commands: number; readonly topCommands: readonly [string, number][] };
  /** Context switches of all cxloop processes' threads over the burst, per ticket (processes.contextSwitches). */
  readonly contextSwitchesPerTicket: number | null;
}

const CONNECTIONS = 32;
/** How long the processes are watched with nothing to do, after the warm-up. */
const IDLE_MS = 5_000;
const ZENDESK = { email: 'bench@cxloop.test', token: 'bench-token' };

export async function benchScaleOut(options: ScaleOutBenchOptions): Promise<ScaleOutRun[]> {
  const runs: ScaleOutRun[] = [];
  for (const workers of options.workerCounts) {
    const run = await runOnce(options, workers);
    options.log(`scale-out ${workers} worker(s): ${run.tickets} tickets in ${run.seconds} s (${run.ticketsPerSecond}/s), ${run.cpuMsPerTicket.cxloop ?? '?'} cpu-ms/ticket, ${run.duplicateSends} duplicate sends, ${run.lost} lost`);
    runs.push(run);
  }
  return runs;
}

async function runOnce(options: ScaleOutBenchOptions, workers: number): Promise<ScaleOutRun> {
  const prefix = `bench-scale-${workers}-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(options.redisUrl);
  const zendesk = await startFakeZendesk({ updateLimitPerMinute: options.updatesPerMinute, ...ZENDESK });
  const slack = await startFakeSlack({ token: 'xoxb-processes' });
  try {
    const processes = await startCxloopProcesses({
      root: options.root,
      redisUrl: options.redisUrl,
      prefix,
      workers,
      zendeskUrl: zendesk.url,
      slackApiUrl: slack.apiUrl,
      webhookSecret: BENCH_SECRET,
      zendeskEmail: ZENDESK.email,
      zendeskToken: ZENDESK.token,
      env: { ZENDESK_UPDATES_PER_MINUTE: String(options.updatesPerMinute) },
    });
    try {
      const warm = Array.from({ length: options.warmUpTickets }, (_, index) => 500_000 + index);
      warm.forEach((id, index) => seedTicket(zendesk, id, index));
      await postWebhooks(processes.webUrl, warm.map((id) => webhookFor(zendesk, id)), CONNECTIONS);
      await until(allRouted(zendesk, warm), 5 * 60_000, `scale-out warm-up with ${workers} workers`, 50);
      await settleQuietly(zendesk);
      const idleBefore = processes.cpuMs();
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
      const idleAfter = processes.cpuMs();
      const idleCpuMsPerSecond = idleBefore && idleAfter ? round((idleAfter.web + idleAfter.workers - idleBefore.web - idleBefore.workers) / (IDLE_MS / 1000)) : null;
      const warmStats = { ...zendesk.stats };
      const ids = Array.from({ length: options.tickets }, (_, index) => 1_000 + index);
      ids.forEach((id, index) => seedTicket(zendesk, id, index));
      const webhooks = ids.map((id) => webhookFor(zendesk, id));
      const cpuBefore = processes.cpuMs();
      const switchesBefore = processes.contextSwitches();
      const redisBefore = await redisCpuSeconds(redis);
      const meter = await startCommandMeter(redis);
      const start = performance.now();
      await postWebhooks(processes.webUrl, webhooks, CONNECTIONS);
      const ingestSeconds = (performance.now() - start) / 1000;
      await until(allRouted(zendesk, ids), 10 * 60_000, `scale-out burst with ${workers} workers`, 50).catch((error: Error) => {
        throw new Error(`${error.message}; ${ids.filter((id) => !isRouted(zendesk, id)).length} unrouted; the processes said:\n${processes.output(1500)}`);
      });
      const seconds = (performance.now() - start) / 1000;
      const cpuAfter = processes.cpuMs();
      const switchesAfter = processes.contextSwitches();
      const contextSwitchesPerTicket = switchesBefore !== null && switchesAfter !== null ? round((switchesAfter - switchesBefore) / ids.length) : null;
      const redisMs = ((await redisCpuSeconds(redis)) - redisBefore) * 1000;
      const { serverReads, luaCalls, commands, topCommands } = perUnit(await meter(), ids.length, 6);
      // Writes still settling could repeat a ticket after the last one is routed: let them finish.
      await settleQuietly(zendesk);
      return { workers, ...countWrites(zendesk, ids, warmStats), ...timing(ids.length, seconds, ingestSeconds, cpuBefore, cpuAfter, redisMs), idleCpuMsPerSecond, redisPerTicket: { serverReads, luaCalls, commands, topCommands }, contextSwitchesPerTicket };
    } finally {
      await processes.stop();
    }
  } finally {
    await slack.close();
    await zendesk.close();
    await deleteInstallKeys(redis, prefix);
    redis.disconnect();
  }
}

/** Waits until the fake has had no Update Ticket call for 3 s (at most 30 s). */
async function settleQuietly(zendesk: FakeZendesk): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const last = updateCalls(zendesk).at(-1)?.at ?? 0;
    if (Date.now() - last >= 3_000 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The measured burst's writes (`before`: the fake's counters after the warm-up, whose calls still count in the 60 s windows). */
function countWrites(zendesk: FakeZendesk, ids: readonly number[], before: FakeZendesk['stats']) {
  const sends = sendsPerTicket(zendesk);
  const calls = updateCalls(zendesk);
  const repeated = [...sends.values()].filter((count) => count > 1);
  return {
    tickets: ids.length,
    updateManyCalls: zendesk.stats.updateManyCalls - before.updateManyCalls,
    singleCalls: zendesk.stats.updateCalls - before.updateCalls,
    sentTwice: repeated.length,
    duplicateSends: repeated.reduce((sum, count) => sum + count - 1, 0),
    conflicts: zendesk.stats.conflicts - before.conflicts,
    lost: ids.filter((id) => !isRouted(zendesk, id)).length,
    maxCallsInAnyMinute: maxInAnyWindow(calls.filter((call) => call.status !== 429).map((call) => call.at)),
  };
}

function timing(tickets: number, seconds: number, ingestSeconds: number, before: { web: number; workers: number } | null, after: { web: number; workers: number } | null, redisMs: number) {
  const perTicket = (ms: number) => Math.round((ms / tickets) * 100) / 100;
  const web = before && after ? perTicket(after.web - before.web) : null;
  const workers = before && after ? perTicket(after.workers - before.workers) : null;
  return {
    seconds: round(seconds),
    ticketsPerSecond: Math.round(tickets / seconds),
    ingestSeconds: round(ingestSeconds),
    cpuMsPerTicket: { cxloop: web !== null && workers !== null ? Math.round((web + workers) * 100) / 100 : null, web, workers, redis: perTicket(redisMs) },
  };
}
