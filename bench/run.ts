/**
 * `npm run bench`: figures, not pass/fail. For now: classifier throughput of one process, on the
 * labeled CSVs in ../shared/datasets when present (read by path, never copied), else on generated
 * multilingual tickets. Later capabilities add their sections here.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createClassifier } from '../src/app/create-classifier.js';
import { readLabeledCsv } from '../src/cli/read-labeled-csv.js';
import { findPackageRoot } from '../src/config/package-root.js';
import { loadPolicyFile } from '../src/config/load-policy.js';
import type { Ticket } from '../src/core/ticket.js';
import { measureLoopMemory, runLoopScenario, type LoopScenarioResult } from './loop-scenario.js';
import { benchRouting, type RoutingBenchResult } from './routing.js';

const FLOOR_TICKETS_PER_SECOND = 20_000;
const MIN_SECONDS = 2;

const SAMPLE: readonly Ticket[] = [
  { subject: 'App crashes on login', description: 'Since the last update the app crashes every time I try to log in. Steps to reproduce: open app, tap login.' },
  { subject: 'Doppelte Abbuchung', description: 'Hallo, mir wurde das Abo zweimal berechnet. Bitte erstatten Sie den Betrag.\n\nMit freundlichen Grüßen\nAnna' },
  { subject: 'Sugerencia', description: 'Sería genial poder exportar los informes a Excel. ¿Podrían añadir esa opción?' },
  { subject: 'Comment inviter mon équipe ?', description: "Bonjour, comment puis-je ajouter des collègues à mon compte ? Je ne trouve pas l'option." },
  { subject: 'Sistema lento', description: 'O painel está muito lento, demora mais de um minuto para carregar.' },
  { subject: 'Uygulama çok yavaş', description: 'Sayfalar yüklenmiyor, sürekli donuyor.' },
  { subject: 'Не работает оплата', description: 'Не могу оплатить подписку, выдаёт ошибку.' },
  { subject: 'Literówka', description: 'W artykule pomocy jest literówka w drugim akapicie.' },
  { subject: 'Skvělá aplikace', description: 'Děkuji, aplikace je skvělá, používám ji každý den.' },
  { subject: 'Re: question', description: 'Thanks, that worked!\n\nOn Mon, 3 Jun 2024, Support <help@example.com> wrote:\n> Did you try restarting?\n> It is not a bug.' },
];

async function loadTickets(root: string): Promise<{ source: string; tickets: Ticket[] }> {
  const datasets = join(root, '..', 'shared', 'datasets');
  if (existsSync(datasets)) {
    const tickets: Ticket[] = [];
    for (const file of readdirSync(datasets).filter((name) => name.endsWith('.csv'))) {
      const { rows } = await readLabeledCsv(join(datasets, file));
      for (const row of rows) tickets.push({ subject: row.subject, description: row.body });
    }
    if (tickets.length > 0) return { source: `${datasets}/*.csv (${tickets.length} rows)`, tickets };
  }
  return { source: `built-in multilingual sample (${SAMPLE.length} tickets)`, tickets: [...SAMPLE] };
}

function measure(classify: (ticket: Ticket) => unknown, tickets: readonly Ticket[]): { perSecond: number; classified: number; seconds: number } {
  for (const ticket of tickets) classify(ticket); // warm the token cache and the JIT
  let classified = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < MIN_SECONDS * 1000) {
    for (const ticket of tickets) classify(ticket);
    classified += tickets.length;
    elapsed = performance.now() - start;
  }
  return { perSecond: classified / (elapsed / 1000), classified, seconds: elapsed / 1000 };
}

async function main(): Promise<void> {
  const root = findPackageRoot();
  const policy = await loadPolicyFile();
  if (!policy.ok) throw new Error('the shipped policy is invalid; run `cxloop config check`');
  const classifier = createClassifier(policy.policy);
  const { source, tickets } = await loadTickets(root);
  const averageChars = Math.round(tickets.reduce((sum, ticket) => sum + ticket.subject.length + ticket.description.length, 0) / tickets.length);
  const realistic = measure((ticket) => classifier.classify(ticket), tickets);
  const short = measure((ticket) => classifier.classify(ticket), SAMPLE);

  const only = process.argv.slice(2);
  const wants = (section: string) => only.length === 0 || only.includes(section);
  let routing: RoutingBenchResult | undefined;
  if (wants('routing')) {
    routing = await benchRouting({
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      policy: policy.policy,
      steadyTickets: Number(process.env.BENCH_STEADY_TICKETS ?? 90),
      steadyPerSecond: 1.5,
      burstTickets: Number(process.env.BENCH_BURST_TICKETS ?? 5_000),
      updatesPerMinute: 100,
      log: (line) => console.error(line),
    });
  }

  let loop: { memory: Awaited<ReturnType<typeof measureLoopMemory>>; scenario: LoopScenarioResult } | undefined;
  if (wants('loop')) {
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const count = Number(process.env.BENCH_LOOP_TICKETS ?? 1_000);
    console.error(`loop: memory of ${count} open loops...`);
    const memory = await measureLoopMemory({ policy: policy.policy, redisUrl, count });
    console.error(`loop: scripted week of ${count} tickets...`);
    const scenario = await runLoopScenario({ policy: policy.policy, redisUrl, tickets: count, keep: process.env.BENCH_LOOP_KEEP === '1' });
    console.error(`\n$ ${scenario.report.command}\n${scenario.report.text}`);
    loop = { memory, scenario };
  }

  const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version };
  const results = {
    date: new Date().toISOString(),
    machine,
    classifier: {
      source,
      averageChars,
      ticketsPerSecond: Math.round(realistic.perSecond),
      shortTicketsPerSecond: Math.round(short.perSecond),
      floor: FLOOR_TICKETS_PER_SECOND,
      ratioToFloor: Number((realistic.perSecond / FLOOR_TICKETS_PER_SECOND).toFixed(2)),
    },
    ...(routing ? { routing } : {}),
    ...(loop ? { loop } : {}),
  };
  const rows: Array<[string, string, string]> = [
    ['classifier, dataset tickets', `${results.classifier.ticketsPerSecond.toLocaleString('en')} tickets/s (avg ${averageChars} chars)`, `${results.classifier.ratioToFloor}x the 20,000/s floor`],
    ['classifier, short multilingual', `${results.classifier.shortTicketsPerSecond.toLocaleString('en')} tickets/s`, `${(short.perSecond / FLOOR_TICKETS_PER_SECOND).toFixed(2)}x the floor`],
  ];
  if (loop) {
    const { memory, scenario } = loop;
    rows.push(
      ['loop memory per open loop', `${memory.bytesPerLoop} B marginal, ${memory.firstLoopsBytesEach} B with fixed costs (used_memory, ${memory.loops} routed loops, timers included)`, `floor <= 2,048 B: ${(2048 / Math.max(1, memory.bytesPerLoop)).toFixed(2)}x headroom`],
      [`loop scenario, ${scenario.tickets} tickets`, `${scenario.simulatedHours} simulated hours in ${scenario.wallSeconds} s (${scenario.webhooks} webhooks, ${scenario.slackActions} Slack actions, ${scenario.transitions} transitions)`, 'figures: see the report above'],
    );
  }
  if (routing) {
    const { steady, burst, staleBurst } = routing;
    rows.push(
      ['routing latency, steady load', `p50 ${steady.p50Ms} ms, p99 ${steady.p99Ms} ms (${steady.tickets} tickets at ${steady.perSecond}/s)`, `p99 target < 1,000 ms: ${(1000 / Math.max(1, steady.p99Ms)).toFixed(1)}x headroom`],
      [
        `routing burst, ${burst.tickets} tickets`,
        `${burst.seconds} s (${burst.updateManyCalls} update_many, ${burst.updateCalls} single, ${burst.rateLimited} 429s)`,
        `target <= 120 s; one-by-one at 100/min needs ${burst.oneByOneBoundSeconds} s (${burst.speedup}x)`,
      ],
      [
        `  same, all webhooks stale`,
        `${staleBurst.seconds} s (${staleBurst.updateManyCalls} update_many, ${staleBurst.updateCalls} single, ${staleBurst.rateLimited} 429s)`,
        'every ticket changed after its webhook: each write conflicts once, re-read with show_many',
      ],
    );
  }
  console.log(`cxloop bench  ${machine.cores} cores (${machine.cpu}), Node ${machine.node}`);
  console.log(`source: ${source}`);
  for (const [name, value, target] of rows) console.log(`${name.padEnd(32)} ${value.padEnd(44)} ${target}`);
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'latest.json');
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`JSON: ${file}`);
}

await main();
