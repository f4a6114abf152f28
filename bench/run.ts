/**
 * `npm run bench`: figures against their targets, one section at a time, each with a one-line
 * note on its method. Sections can be picked by name (`node dist/bench/run.js routing timers`).
 * A section that throws is reported as failed and the others still run. Prints a table and
 * writes everything to bench/results/latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { findPackageRoot } from '../src/config/package-root.js';
import { loadPolicyFile } from '../src/config/load-policy.js';
import type { Policy } from '../src/config/policy-schema.js';
import { benchClassifierIsolated, CLASSIFIER_FLOOR_PER_SECOND } from './classifier.js';
import { benchCliStartup, HELP_MAX_RATIO } from './cli-startup.js';
import { benchDashboard } from './dashboard.js';
import { benchIngest } from './ingest.js';
import { benchLearning, MODEL_MAX_BYTES, MODEL_RATE_FLOOR, NLBSE_TARGET, TRAIN_10K_MAX_SECONDS } from './learning.js';
import { measureLoopMemory, runLoopScenario } from './loop-scenario.js';
import type { KeyTypeMemory } from './redis-memory.js';
import { benchRouting } from './routing.js';
import { benchScaleOut, type ScaleOutRun } from './scale-out.js';
import { benchSlackBurst } from './slack-burst.js';
import { describeCpu, envNumber, round, startCpuMeter, type CpuShare } from './support.js';
import { benchThroughput, type RedisPerUnit } from './throughput.js';
import { benchTimers } from './timers.js';

interface Row {
  readonly figure: string;
  readonly value: string;
  readonly target: string;
  /** true: target met, false: missed, null: a figure without a target. */
  readonly met: boolean | null;
}

interface Context {
  readonly policy: Policy;
  readonly root: string;
  readonly redisUrl: string;
  readonly log: (line: string) => void;
}

interface Section {
  readonly name: string;
  readonly title: string;
  /** The method, in one line (printed under the section's rows). */
  note(): string;
  run(context: Context): Promise<{ result: unknown; rows: Row[] }>;
}

const LOOP_TICKETS = () => envNumber('BENCH_LOOP_TICKETS', 1_000);
const INGEST = {
  rates: () => (process.env.BENCH_INGEST_RATES ?? '250,500,1000,2000').split(',').map(Number).filter((rate) => rate > 0),
  seconds: () => envNumber('BENCH_INGEST_SECONDS', 8),
  open: () => envNumber('BENCH_INGEST_CONNECTIONS', 256),
  closed: () => envNumber('BENCH_INGEST_CLOSED_CONNECTIONS', 64),
};
const ROUTING = { steady: () => envNumber('BENCH_STEADY_TICKETS', 90), burst: () => envNumber('BENCH_BURST_TICKETS', 5_000), single: () => envNumber('BENCH_ONE_BY_ONE_TICKETS', 200) };
const SCALE_OUT = {
  tickets: () => envNumber('BENCH_SCALE_TICKETS', 5_000),
  workers: () => (process.env.BENCH_SCALE_WORKERS ?? '1,2,4').split(',').map(Number).filter((count) => count > 0),
  warmUp: () => envNumber('BENCH_SCALE_WARMUP', 500),
};
const DASHBOARD = { loops: () => envNumber('BENCH_DASHBOARD_LOOPS', 100_000), open: () => envNumber('BENCH_DASHBOARD_OPEN', 10_000), rounds: () => envNumber('BENCH_DASHBOARD_ROUNDS', 5) };
const TIMERS = { count: () => envNumber('BENCH_TIMERS', 100_000), window: () => envNumber('BENCH_TIMERS_WINDOW_S', 60) };

const n = (value: number) => value.toLocaleString('en');
const row = (figure: string, value: string, target = '', met: boolean | null = null): Row => ({ figure, value, target, met });

const SECTIONS: readonly Section[] = [
  {
    name: 'ingest',
    title: '1. Ingest: signed Zendesk webhooks',
    note: () =>
      `open loop at ${INGEST.rates().join('/')} req/s (request i due at i/rate, latency counted from its due time, so queueing shows) over ${INGEST.open()} keep-alive connections used in turn, then a closed loop over ${INGEST.closed()}; ${INGEST.seconds()} s each after 1 s warm-up. ` +
      'Generator: a raw HTTP/1.1 keep-alive client in a worker_thread (its own core of the two; requests signed before the clock starts; "gen" is its busy share, 1.0 = it was the limit). ' +
      'cxloop as a web process (role web: signature, schema, durable enqueue in Redis; no workers), fresh per step; bare node:http on the same thread, same client.',
    async run({ policy, redisUrl, log }) {
      const result = await benchIngest({ redisUrl, policy, rates: INGEST.rates(), openConnections: INGEST.open(), closedConnections: INGEST.closed(), seconds: INGEST.seconds(), log });
      const rows: Row[] = [];
      result.cxloop.forEach((step, index) => {
        const bare = result.bare[index]!;
        const label = step.mode === 'open' ? `${n(step.offeredPerSecond ?? 0)} req/s offered` : `max, closed loop x${step.connections}`;
        rows.push(
          row(`cxloop ${label}`, `${n(step.answeredPerSecond)} req/s, p50 ${step.p50Ms} ms, p99 ${step.p99Ms} ms${step.non200 ? `, ${step.non200} non-200` : ''} (server ${step.serverUtilization}, gen ${step.generatorUtilization}, redis ${step.cpu.redis}, others ${step.cpu.others ?? '?'})`),
          row(`  bare node ${label}`, `${n(bare.answeredPerSecond)} req/s, p50 ${bare.p50Ms} ms, p99 ${bare.p99Ms} ms (server ${bare.serverUtilization}, gen ${bare.generatorUtilization}, others ${bare.cpu.others ?? '?'})`),
        );
      });
      rows.push(
        row('max throughput, cxloop / bare node', `${Math.round(result.maxThroughputRatio * 100)} %`, '>= 50 %', result.maxThroughputRatio >= 0.5),
        row('p99 at 500 req/s', `cxloop ${result.p99At500.cxloopMs ?? '-'} ms (${result.p99At500.cxloopFromSendMs ?? '-'} ms from send), bare ${result.p99At500.bareMs ?? '-'} ms`, '< 10 ms', result.p99At500.cxloopMs === null ? null : result.p99At500.cxloopMs < 10),
      );
      return { result, rows };
    },
  },
  {
    name: 'routing',
    title: '2. Routing under the Update Ticket limit',
    note: () =>
      `live cxloop against the fake Zendesk (100 Update Ticket calls per sliding minute, update_many 100 tickets/call as a job, 429 + Retry-After). Steady: ${ROUTING.steady()} tickets at 1.5/s, latency = webhook sent -> its PUT answered 200. ` +
      `Burst: ${n(ROUTING.burst())} ticket.created webhooks over 32 connections until every ticket carries its tier tag (stale: each write conflicts once). ` +
      `One by one: batching off, ${ROUTING.single()} tickets measured; ${n(ROUTING.burst())} extrapolated: first window's time + the rest at the sustained rate (100 writes per measured window period: 1st to 101st write).`,
    async run({ policy, redisUrl, log }) {
      const result = await benchRouting({ redisUrl, policy, steadyTickets: ROUTING.steady(), steadyPerSecond: 1.5, burstTickets: ROUTING.burst(), oneByOneTickets: ROUTING.single(), updatesPerMinute: 100, log });
      const { steady, burst, staleBurst, oneByOne } = result;
      return {
        result,
        rows: [
          row('steady latency webhook -> write', `p50 ${steady.p50Ms} ms, p99 ${steady.p99Ms} ms (${steady.count} tickets at ${steady.perSecond}/s)`, 'p99 < 1,000 ms', steady.p99Ms < 1000),
          row(`burst of ${n(burst.tickets)} new tickets`, `${burst.seconds} s (${burst.updateManyCalls} update_many, ${burst.updateCalls} single, ${burst.rateLimited} 429s; accepted in ${burst.ingestSeconds} s)`, '<= 120 s', burst.seconds <= 120),
          row('  same, every webhook stale', `${staleBurst.seconds} s (${staleBurst.updateManyCalls} update_many, ${staleBurst.updateCalls} single, ${staleBurst.rateLimited} 429s)`, '', null),
          row(`  one by one, measured`, `${oneByOne.tickets} tickets in ${oneByOne.seconds} s, ${oneByOne.sustainedPerSecond} tickets/s sustained`, '', null),
          row(`  one by one, ${n(burst.tickets)} extrapolated`, `${n(oneByOne.extrapolatedSeconds)} s (limit alone: ${n(oneByOne.boundSeconds)} s)`, `burst is ${result.speedup}x faster`, null),
        ],
      };
    },
  },
  {
    name: 'throughput',
    title: '3. Throughput: pipeline, raw BullMQ, classifier',
    note: () =>
      `pipeline: ${n(envNumber('BENCH_THROUGHPUT_TICKETS', 5_000))} ticket.created webhooks over 32 connections until every routing write is applied in the fake Zendesk (limit lifted to 100,000 calls/min on both sides; batching as configured). ` +
      'Raw BullMQ: as many no-op jobs added by 32 concurrent producers, one worker of the events worker\'s concurrency (8), time to the last completion. Redis per ticket (per job): round trips = requests this process wrote to Redis (a command, pipeline or MULTI each; socket writes counted), deltas of INFO stats total_reads_processed (socket reads, fewer under load: requests in flight together arrive together) and INFO commandstats (Lua calls = EVAL/EVALSHA/FCALL; commands, those inside scripts included) over the timed stretch, divided by the tickets (jobs); the bench\'s own polls of the events queue taken out; on a shared Redis other clients\' commands count too. Classifier: classify() in a loop for 2 s after a warm-up pass, in a fresh worker thread (own isolate: no heap or JIT state from earlier sections).',
    async run({ policy, redisUrl, root, log }) {
      const pipeline = await benchThroughput({ redisUrl, policy, tickets: envNumber('BENCH_THROUGHPUT_TICKETS', 5_000), log });
      const classifier = await benchClassifierIsolated(root);
      const { rawBullmq } = pipeline;
      return {
        result: { ...pipeline, classifier },
        rows: [
          row('pipeline webhook -> Zendesk write', `${n(pipeline.pipeline.ticketsPerSecond)} tickets/s (${n(pipeline.pipeline.tickets)} in ${pipeline.pipeline.seconds} s; ${pipeline.pipeline.updateManyCalls} update_many, ${pipeline.pipeline.updateCalls} single)`),
          row('  where the time went', `webhooks answered after ${pipeline.pipeline.ingestSeconds} s, events stage (classify, plan, open loop) done after ${pipeline.pipeline.eventsSeconds} s`),
          row('  Redis per routed ticket', describeRedis(pipeline.pipeline.redis), 'round trips <= 10, Lua calls <= 5', pipeline.pipeline.redis.roundTrips <= 10 && pipeline.pipeline.redis.luaCalls <= 5),
          row('    top commands per ticket', describeTop(pipeline.pipeline.redis)),
          row('  raw BullMQ no-op jobs', `${n(rawBullmq.jobsPerSecond)} jobs/s (${n(rawBullmq.jobs)} in ${rawBullmq.seconds} s, concurrency ${rawBullmq.concurrency}); pipeline = ${Math.round(pipeline.ratio * 1000) / 10} % of raw`, 'pipeline >= 30 % of raw', pipeline.ratio >= 0.3),
          row('    Redis per raw job', describeRedis(rawBullmq.redis)),
          row('classifier, dataset tickets', `${n(classifier.ticketsPerSecond)} tickets/s (avg ${classifier.averageChars} chars; ${classifier.source})`, `>= ${n(CLASSIFIER_FLOOR_PER_SECOND)}/s`, classifier.ticketsPerSecond >= CLASSIFIER_FLOOR_PER_SECOND),
          row('classifier, short multilingual', `${n(classifier.shortTicketsPerSecond)} tickets/s`, `>= ${n(CLASSIFIER_FLOOR_PER_SECOND)}/s`, classifier.shortTicketsPerSecond >= CLASSIFIER_FLOOR_PER_SECOND),
        ],
      };
    },
  },
  {
    name: 'timers',
    title: '4. Timers: a crowd of reminders coming due',
    note: () =>
      `live cxloop on the real clock, one process; ${n(TIMERS.count())} feature_request loops opened through the loop use-case (openTicketLoop, clock set back 2 d so each real ack_remind timer falls due in a ${TIMERS.window()} s window a little ahead; bypassed: webhook, classification, routing write, brief, the "routed" status effect). ` +
      'Lateness = due time -> remind_owner reaching a counting notifier (StartOptions.notifier) through the timer poller (leased batch claims from the timer schedule), the effect handed to the notifier by the process that fired the timer (a failed one through the cxloop-effects queue); "fired" = due -> the timer transition, from 2,000 sampled histories.',
    async run({ policy, redisUrl, log }) {
      const result = await benchTimers({ redisUrl, policy, count: TIMERS.count(), windowSeconds: TIMERS.window(), log });
      const { lateness, firedLateness, build } = result;
      return {
        result,
        rows: [
          row(`lateness of ${n(result.reminders)} reminders`, `p50 ${lateness.p50Ms} ms, p99 ${lateness.p99Ms} ms, max ${lateness.maxMs} ms (${n(result.duePerSecond)} due/s over ${result.windowSeconds} s)`, 'p99 < 1,000 ms', lateness.p99Ms < 1000 && result.missing === 0),
          row('  delivered once', `${n(result.reminders - result.missing)} of ${n(result.reminders)} once; ${result.missing} missing, ${result.duplicates} twice`, 'each exactly once', result.missing === 0 && result.duplicates === 0),
          row('  timer fired (due -> transition)', `p50 ${firedLateness.p50Ms} ms, p99 ${firedLateness.p99Ms} ms, max ${firedLateness.maxMs} ms (sample of ${firedLateness.count})`),
          row('  drain', `last reminder ${result.drainSeconds} s after the first was due: ${n(result.notifiedPerSecond)}/s, claims of ${result.claimBatch} fired ${result.timerConcurrency} at once; ${result.failedTimerJobs} failed timer jobs, ${result.warnings} warnings, ${result.errors} errors logged`),
          row('  cpu while draining', `cxloop's event loop ${result.drainCpu.eventLoop} busy; ${describeCpu(result.drainCpu)}`),
          row('  build', `${n(result.reminders)} loops in ${build.seconds} s (${n(build.loopsPerSecond)}/s), ${build.secondsToSpare} s before the first was due`, 'done before the first is due', build.finishedBeforeFirstDue),
        ],
      };
    },
  },
  {
    name: 'memory',
    title: '4b. Redis bytes per open loop',
    note: () =>
      `dry-run cxloop on an injected clock; 2 x ${n(LOOP_TICKETS())} loops opened by signed webhooks (routed, with their timer in the timer schedule); marginal INFO used_memory per loop of the second half; then MEMORY USAGE (SAMPLES 0) of every key under the prefix, grouped by key type, per loop. used_memory is the whole server's (other clients of this Redis add noise); the MEMORY USAGE sum is this install's keys only, without Redis's per-key dict and expiry entries. This section is a dry run without Slack messages: the Slack section weighs the per-ticket keys of a live install (whose ticket hash also holds the Slack message refs).`,
    async run({ policy, redisUrl }) {
      const memory = await measureLoopMemory({ policy: policy, redisUrl, count: LOOP_TICKETS() });
      const rows: Row[] = [
        row('Redis per open loop, marginal', `${n(memory.bytesPerLoop)} B (${n(memory.firstLoopsBytesEach)} B with fixed costs; keys alone ${n(memory.keysBytesPerLoop)} B)`, '<= 1,536 B', memory.bytesPerLoop <= 1536),
        dashboardShareRow(memory.byKeyType, memory.keysBytesPerLoop),
        ...keyTypeRows(memory.byKeyType, memory.loops),
      ];
      return { result: memory, rows };
    },
  },
  {
    name: 'slack',
    title: '5. Slack burst',
    note: () =>
      `${n(envNumber('BENCH_SLACK_TICKETS', 3_000))} ticket.created webhooks (5 categories, 4 team channels + status + incidents) into live cxloop, whose Slack sender (default pacing: 1 call per channel per second, digests above 5 waiting) posts to the fake Slack Web API (chat.postMessage 1/s per channel, burst 1, 429 + Retry-After; chat.update 50/min); ` +
      'waits until nothing is queued for 3 s, then reads every accepted message (text, blocks, cx_t_<id> block ids, #<id> refs) back for the tickets it names.',
    async run({ policy, redisUrl, log }) {
      const result = await benchSlackBurst({ redisUrl, policy, tickets: envNumber('BENCH_SLACK_TICKETS', 3_000), log });
      const missing = result.missingInTeamChannel + result.missingInStatusChannel;
      return {
        result,
        rows: [
          row(`${n(result.tickets)} tickets to Slack`, `${result.seconds} s to the last call (accepted in ${result.ingestSeconds} s); ${result.posts} messages (${result.cards} cards, ${result.digests} digests), ${result.updates} edits`),
          row('messages per channel per minute', `max ${result.maxPostsPerChannelMinute} in any 60 s`, '<= ~60 (1/s per channel)', result.maxPostsPerChannelMinute <= 61),
          row('429s received', `${result.rateLimited} (${result.sustainedRateLimiting ? 'sustained' : 'not sustained'})`, 'not sustained', !result.sustainedRateLimiting),
          row('tickets missing from Slack', `${result.missingInTeamChannel} in their team channel, ${result.missingInStatusChannel} in the status channel`, '0', missing === 0),
          ...result.channels.map((channel) => row(`  ${channel.channel}`, `${channel.posts} posts, ${channel.updates} edits, max ${channel.maxPostsPerMinute}/min, ${channel.rateLimited} 429s`)),
          ...result.perTicketKeys.map((type) => row(`  live per-ticket key ${type.type}`, `${type.bytesPerLoop} B/ticket (${n(type.keys)} keys)`)),
        ],
      };
    },
  },
  {
    name: 'startup',
    title: '6. CLI start-up',
    note: () =>
      `wall time of \`node bin/cxloop.js <command>\` (the built dist/) to its exit, ${envNumber('BENCH_STARTUP_RUNS', 20)} rounds after one warm-up round; each round runs bare \`node -e 0\` and every command once, in turn, so the machine's noise falls on all alike. Ratio = median / bare node's median.`,
    async run({ root }) {
      const result = benchCliStartup({ root, runs: envNumber('BENCH_STARTUP_RUNS', 20) });
      const help = result.commands.find((figure) => figure.command === 'cxloop help')!;
      return {
        result,
        rows: [
          row('bare node (node -e 0)', `median ${result.bare.medianMs} ms, p90 ${result.bare.p90Ms} ms`),
          ...result.commands.map((figure) =>
            row(figure.command, `median ${figure.medianMs} ms, p90 ${figure.p90Ms} ms (${figure.ratio}x bare node)`, figure === help ? `<= ${HELP_MAX_RATIO}x bare node` : '', figure === help ? figure.ratio <= HELP_MAX_RATIO : null),
          ),
        ],
      };
    },
  },
  {
    name: 'scaleout',
    title: '7. Scale-out: 1 web + N worker processes on one Redis',
    note: () =>
      `for N = ${SCALE_OUT.workers().join(', ')}: \`cxloop serve --role web\` and N \`--role worker\` processes (the built dist/, fresh prefix each) against the fake Zendesk (100 Update Ticket calls per sliding minute) and fake Slack, both in the bench process with the webhook sender; ` +
      `${n(SCALE_OUT.tickets())} ticket.created webhooks over 32 connections, timed until every ticket carries its tier tag, after ${n(SCALE_OUT.warmUp())} warm-up tickets through the same processes (each process compiles its code and opens its connections once; that is not a cost per ticket) and 5 s with nothing to do (idle CPU, reported apart). CPU/ticket: /proc utime+stime of the cxloop processes over that time (the bench process and its fakes excluded); Redis: INFO used_cpu of the whole server (shared: others add noise). ` +
      'Sends: tickets named by more than one accepted Update Ticket call (PUT or update_many entry), counted from the fake\'s request log after 3 quiet seconds.',
    async run({ root, redisUrl, log }) {
      const runs = await benchScaleOut({ root, redisUrl, tickets: SCALE_OUT.tickets(), workerCounts: SCALE_OUT.workers(), updatesPerMinute: 100, warmUpTickets: SCALE_OUT.warmUp(), log });
      const first = runs[0];
      const rows: Row[] = runs.map((run) =>
        row(
          `${run.workers} worker process${run.workers === 1 ? '' : 'es'}`,
          `${n(run.ticketsPerSecond)} tickets/s (${n(run.tickets)} in ${run.seconds} s), cpu ${run.cpuMsPerTicket.cxloop ?? '?'} ms/ticket (web ${run.cpuMsPerTicket.web ?? '?'}, workers ${run.cpuMsPerTicket.workers ?? '?'}; redis ${run.cpuMsPerTicket.redis}); ${run.updateManyCalls} update_many, ${run.singleCalls} single, ${run.conflicts} 409s`,
          '0 sent twice, 0 lost, <= 100 calls in any 60 s',
          run.duplicateSends === 0 && run.lost === 0 && run.maxCallsInAnyMinute <= 100,
        ),
      );
      for (const run of runs) rows.push(row(`  ${run.workers}: writes`, `${run.sentTwice} tickets sent twice (${run.duplicateSends} extra sends), ${run.lost} lost, max ${run.maxCallsInAnyMinute} calls in a 60 s window; idle, all processes: ${run.idleCpuMsPerSecond ?? '?'} cpu-ms/s`));
      for (const run of runs) rows.push(redisPerTicketRow(run));
      const last = runs.at(-1);
      if (first && last && first !== last && first.cpuMsPerTicket.cxloop !== null && last.cpuMsPerTicket.cxloop !== null) {
        const growth = last.cpuMsPerTicket.cxloop / first.cpuMsPerTicket.cxloop;
        rows.push(row(`cpu/ticket, ${last.workers} vs ${first.workers} workers`, `${Math.round(growth * 100)} %`, 'does not grow (<= 110 %)', growth <= 1.1));
      }
      return { result: runs, rows };
    },
  },
  {
    name: 'learning',
    title: '8. The learned model (cxloop train)',
    note: () =>
      'labelled CSVs read by path from ../shared/datasets (BENCH_DATASETS), never copied. CV: stratified 5-fold, seed 1; the combination\'s settings for each fold are tuned on the other folds\' held-out rows. ' +
      'Curve and held-out: a stratified split (25 % or 20 % test) , `train` on n rows of the rest (its own 5-fold CV choosing the combination), measured on the test part. ' +
      '10,000 rows: the files\' rows cycled; training = rules + features + one fit, on this one thread; `train` = that plus 5-fold CV. Rate: LearnedClassifier.classify with the model deciding every ticket (explanation included), 2 s after a warm-up pass, in a worker thread of its own (a fresh isolate, as for the classifier rate).',
    async run({ policy, root, redisUrl, log }) {
      const result = await benchLearning({ policy, root, redisUrl, log });
      if (result.training10k === null) return { result, rows: [row('labelled datasets', result.source, 'cannot run', false)] };
      const f = (value: number): string => value.toFixed(3);
      const rows: Row[] = [];
      for (const dataset of result.datasets) {
        const cv = dataset.crossValidation;
        rows.push(row(`${dataset.file} (${n(dataset.rows)} rows), 5-fold macro-F1`, `rules ${f(cv.rules)} / model ${f(cv.model)} / combination ${f(cv.combination)} (text-only model ${f(cv.textOnlyModel)})`));
        for (const [category, figures] of Object.entries(cv.perCategory)) rows.push(row(`  ${category}`, `${f(figures.rules)} / ${f(figures.model)} / ${f(figures.combination)}`));
        for (const point of dataset.curve) {
          const clearly = point.rows >= 200 ? point.combination >= point.rules + 0.02 : true;
          rows.push(
            row(
              `  curve, ${n(point.rows)} labelled rows`,
              `rules ${f(point.rules)} / model ${f(point.model)} / combination ${f(point.combination)} (on: ${point.combinationOn.join(', ') || 'none'})`,
              point.rows >= 200 ? '>= rules + 0.02' : '>= rules',
              point.combination >= point.rules && clearly,
            ),
          );
        }
      }
      if (result.nlbseHeldOut) {
        const held = result.nlbseHeldOut;
        rows.push(row(`nlbse held-out: train ${n(held.trainRows)}, test ${n(held.testRows)}`, `rules ${f(held.rules)} / model ${f(held.model)} / combination ${f(held.combination)}`, `combination >= ${NLBSE_TARGET}`, held.combination >= NLBSE_TARGET));
      }
      const training = result.training10k;
      rows.push(
        row(`training on ${n(training.rows)} rows (${training.categories} categories)`, `${training.fitSeconds} s (${training.fitCpuSeconds} s CPU); \`train\` with 5-fold CV ${training.trainCommandSeconds} s`, `< ${TRAIN_10K_MAX_SECONDS} s`, training.fitSeconds < TRAIN_10K_MAX_SECONDS),
        row(`classification with the model (avg ${n(result.rate!.averageChars)} chars)`, `${n(result.rate!.modelPerSecond)} tickets/s (rules alone ${n(result.rate!.rulesPerSecond)}/s)`, `>= ${n(MODEL_RATE_FLOOR)}/s`, result.rate!.modelPerSecond >= MODEL_RATE_FLOOR),
        row('model size in Redis (MEMORY USAGE)', `${round((result.redisBytes ?? 0) / 1_048_576)} MB (file ${round((result.fileBytes ?? 0) / 1_048_576)} MB)`, '<= 20 MB', result.redisBytes === null ? null : result.redisBytes <= MODEL_MAX_BYTES),
      );
      return { result, rows };
    },
  },
  {
    name: 'dashboard',
    title: '9. Web dashboard',
    note: () =>
      `${n(DASHBOARD.loops())} loops opened over 90 days (the last ${n(DASHBOARD.open())} still open), histories written as the loop store writes them and each contribution applied to the read model as the projector applies it; cxloop (dry run, role web) serves GET /dashboard (every open loop, an admin's session; one loop moved before each request, then again with nothing moved) and GET /dashboard/figures?days=90 on loopback, ${DASHBOARD.rounds()} rounds after one warm-up (the first request, timed too), wall time of each request (median, max); then the same figures the way \`cxloop report --since 90d\` computes them (every history read and folded) and compared field by field.`,
    async run({ policy, redisUrl, log }) {
      const result = await benchDashboard({ redisUrl, policy, loops: DASHBOARD.loops(), open: DASHBOARD.open(), rounds: DASHBOARD.rounds(), log });
      return {
        result,
        rows: [
          row(`Now page, ${n(result.open)} open loops, a loop moved`, `median ${result.nowPageMs.median} ms, max ${result.nowPageMs.max} ms (${n(result.nowPageMs.bytes)} bytes of HTML)`, '< 1,000 ms', result.nowPageMs.max < 1_000),
          row('  the same, nothing moved since', `median ${result.nowPageUnchangedMs.median} ms, max ${result.nowPageUnchangedMs.max} ms`, '< 1,000 ms', result.nowPageUnchangedMs.max < 1_000),
          row('  first request after start (rows read at start)', `${result.nowPageFirstMs} ms`, '< 1,000 ms', result.nowPageFirstMs < 1_000),
          row('  every open row read and parsed (a first read)', `${result.openRowsFullReadMs} ms`),
          row(`Figures page, ${n(result.loops)} loops over 90 days, a loop moved`, `median ${result.figuresPageMs.median} ms, max ${result.figuresPageMs.max} ms (from the read model's tallies)`, '< 1,000 ms', result.figuresPageMs.max < 1_000),
          row('  first figures page after start (every day\'s tally read)', `${n(result.figuresFirstMs)} ms`, '< 1,000 ms', result.figuresFirstMs < 1_000),
          row('  the same figures from every history (cxloop report)', `${n(result.reportFromHistoriesMs)} ms (${round(result.reportFromHistoriesMs / Math.max(1, result.figuresPageMs.median))}x the figures page)`),
          row('  read model figures = report figures', result.figuresEqual ? 'equal, field by field' : 'DIFFERENT', 'equal', result.figuresEqual),
          row('  read model memory per loop', `${n(result.readModelBytesPerLoop)} B (tallies, contributions, open rows; populated in ${result.populateSeconds} s)`),
        ],
      };
    },
  },
  {
    name: 'loop',
    title: 'Loop scenario: a scripted week',
    note: () => `dry-run cxloop on an injected clock: ${n(LOOP_TICKETS())} tickets over a simulated week (webhooks, Slack actions through the use-case, timers released as the clock moves); figures from \`cxloop report\`.`,
    async run({ policy, redisUrl, log }) {
      const scenario = await runLoopScenario({ policy, redisUrl, tickets: LOOP_TICKETS(), keep: process.env.BENCH_LOOP_KEEP === '1' });
      log(`\n$ ${scenario.report.command}\n${scenario.report.text}`);
      return {
        result: scenario,
        rows: [row(`scripted week, ${n(scenario.tickets)} tickets`, `${scenario.simulatedHours} simulated hours in ${scenario.wallSeconds} s (${n(scenario.webhooks)} webhooks, ${n(scenario.slackActions)} Slack actions, ${n(scenario.transitions)} transitions)`, 'report on stderr')],
      };
    },
  },
];

function describeRedis(redis: RedisPerUnit): string {
  return `${redis.roundTrips} round trips (${redis.serverReads} socket reads at Redis), ${redis.luaCalls} Lua calls, ${redis.commands} commands`;
}

function describeTop(redis: { readonly topCommands: readonly (readonly [string, number])[] }): string {
  return redis.topCommands.map(([name, calls]) => `${name} ${calls}`).join(', ');
}

/** What Redis ran per ticket of one scale-out run (the same at every N if adding processes adds no work), and how often cxloop's threads slept and woke. */
function redisPerTicketRow(run: ScaleOutRun): Row {
  const redis = run.redisPerTicket;
  return row(`  ${run.workers}: per ticket`, `Redis ${redis.serverReads} socket reads, ${redis.luaCalls} Lua calls, ${redis.commands} commands (${describeTop(redis)}); cxloop's threads ${run.contextSwitchesPerTicket ?? '?'} context switches`);
}

/** The keys-alone figure split: the dashboard's read model (its `{dash}` keys, issue 17) and the rest. */
function dashboardShareRow(types: readonly KeyTypeMemory[], keysBytesPerLoop: number): Row {
  const dashboard = round(types.filter((type) => type.type.startsWith('{dash}') || type.type.startsWith('dash:')).reduce((sum, type) => sum + type.bytesPerLoop, 0));
  return row('  keys alone, split', `${n(Math.round(keysBytesPerLoop - dashboard))} B the loop, ticket, timer and webhook dedupe; ${n(Math.round(dashboard))} B the dashboard's read model`);
}

/** One row per key type worth 1 B a loop or more (shared ones marked), the rest summed in one row. */
function keyTypeRows(types: readonly KeyTypeMemory[], loops: number): Row[] {
  const shown = types.filter((type) => type.bytesPerLoop >= 1);
  const rest = types.filter((type) => type.bytesPerLoop < 1);
  const what = (type: KeyTypeMemory) => (type.type.endsWith(':events') ? ', a stream capped at 500 entries' : type.keys < loops / 2 ? ', shared by all loops' : '');
  return [
    ...shown.map((type) => row(`  ${type.type}`, `${type.bytesPerLoop} B/loop (${n(type.keys)} keys, ${n(type.bytes)} B${what(type)})`)),
    row(`  ${rest.length} more key types`, `${round(rest.reduce((sum, type) => sum + type.bytesPerLoop, 0))} B/loop (${n(rest.reduce((sum, type) => sum + type.keys, 0))} keys: queue metadata, schedulers)`),
  ];
}

async function machineOf(redisUrl: string) {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let redisVersion = 'unreachable';
  try {
    await redis.connect();
    redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
  } catch {
    // reported as unreachable; the sections that need Redis fail on their own with the cause
  } finally {
    redis.disconnect();
  }
  return { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, redis: redisVersion };
}

function printTable(machine: Awaited<ReturnType<typeof machineOf>>, outcomes: readonly Outcome[]): void {
  const cores = machine.cores;
  console.log(`cxloop bench  ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GB, Node ${machine.node}, Redis ${machine.redis}`);
  for (const outcome of outcomes) {
    console.log(`\n== ${outcome.title} (${outcome.seconds} s)`);
    if (outcome.error !== null) console.log(`   FAILED: ${outcome.error}`);
    for (const { figure, value, target, met } of outcome.rows) {
      const verdict = met === null ? '' : met ? '[met]' : '[MISSED]';
      console.log(`   ${figure.padEnd(38)} ${value.padEnd(70)} ${target}${verdict ? ` ${verdict}` : ''}`.trimEnd());
    }
    console.log(`   method: ${outcome.note}`);
    console.log(`   cpu over the section: ${describeCpu(outcome.cpu)} (of ${cores})`);
  }
  const total = outcomes.reduce((sum, outcome) => sum + outcome.seconds, 0);
  console.log(`\ndurations: ${outcomes.map((outcome) => `${outcome.name} ${outcome.seconds} s`).join(', ')}; total ${round(total)} s`);
}

interface Outcome {
  readonly name: string;
  readonly title: string;
  readonly note: string;
  readonly seconds: number;
  /** CPU over the section: this process, Redis, and other processes (noise: the machine is shared). */
  readonly cpu: CpuShare;
  readonly error: string | null;
  readonly rows: readonly Row[];
  readonly result: unknown;
}

async function main(): Promise<void> {
  const root = findPackageRoot();
  const loaded = await loadPolicyFile();
  if (!loaded.ok) throw new Error('the shipped policy is invalid; run `cxloop config check`');
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const context: Context = { policy: loaded.policy, root, redisUrl, log: (line) => console.error(line) };
  const only = process.argv.slice(2);
  const unknown = only.filter((name) => !SECTIONS.some((section) => section.name === name));
  if (unknown.length > 0) throw new Error(`unknown section ${unknown.join(', ')}; sections: ${SECTIONS.map((section) => section.name).join(', ')}`);
  const machine = await machineOf(redisUrl);
  const redis = new Redis(redisUrl);
  const outcomes: Outcome[] = [];
  for (const section of SECTIONS.filter((candidate) => only.length === 0 || only.includes(candidate.name))) {
    console.error(`-- ${section.title}`);
    const started = performance.now();
    const stopMeter = await startCpuMeter(redis);
    let outcome: Pick<Outcome, 'error' | 'rows' | 'result'>;
    try {
      const { result, rows } = await section.run(context);
      outcome = { error: null, rows, result };
    } catch (error) {
      console.error(`${section.name} failed:`, error);
      outcome = { error: (error as Error).message, rows: [], result: null };
    }
    const cpu = await stopMeter();
    outcomes.push({ name: section.name, title: section.title, note: section.note(), seconds: round((performance.now() - started) / 1000), cpu, ...outcome });
  }
  redis.disconnect();
  printTable(machine, outcomes);
  const results = {
    date: new Date().toISOString(),
    machine,
    sections: Object.fromEntries(outcomes.map(({ name, title, note, seconds, cpu, error, rows, result }) => [name, { title, note, seconds, cpu, status: error === null ? 'ok' : 'failed', error, rows, result }])),
  };
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, only.length === 0 ? 'latest.json' : `latest-${only.join('-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`JSON: ${file}`);
}

await main();
