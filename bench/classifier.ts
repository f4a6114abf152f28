/**
 * Classifier throughput of one thread (part of the throughput section), on the labeled CSVs in
 * ../shared/datasets when present (read by path, never copied), else on generated multilingual
 * tickets, and on short multilingual tickets. It runs in a worker thread of its own: a fresh V8
 * isolate, so neither the heap nor the JIT state the earlier sections left behind weigh on it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createClassifier } from '../src/app/create-classifier.js';
import { readLabeledCsv } from '../src/cli/read-labeled-csv.js';
import { loadPolicyFile } from '../src/config/load-policy.js';
import type { Policy } from '../src/config/policy-schema.js';
import type { Ticket } from '../src/core/ticket.js';
import { resultOfWorker } from './support.js';

export const CLASSIFIER_FLOOR_PER_SECOND = 20_000;
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

export interface ClassifierBenchResult {
  readonly source: string;
  readonly averageChars: number;
  readonly ticketsPerSecond: number;
  readonly shortTicketsPerSecond: number;
  readonly floor: number;
  readonly ratioToFloor: number;
}

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

function measure(classify: (ticket: Ticket) => unknown, tickets: readonly Ticket[]): number {
  for (const ticket of tickets) classify(ticket); // warm the token cache and the JIT
  let classified = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < MIN_SECONDS * 1000) {
    for (const ticket of tickets) classify(ticket);
    classified += tickets.length;
    elapsed = performance.now() - start;
  }
  return classified / (elapsed / 1000);
}

export async function benchClassifier(policy: Policy, root: string): Promise<ClassifierBenchResult> {
  const classifier = createClassifier(policy);
  const { source, tickets } = await loadTickets(root);
  const averageChars = Math.round(tickets.reduce((sum, ticket) => sum + ticket.subject.length + ticket.description.length, 0) / tickets.length);
  const realistic = measure((ticket) => classifier.classify(ticket), tickets);
  const short = measure((ticket) => classifier.classify(ticket), SAMPLE);
  return {
    source,
    averageChars,
    ticketsPerSecond: Math.round(realistic),
    shortTicketsPerSecond: Math.round(short),
    floor: CLASSIFIER_FLOOR_PER_SECOND,
    ratioToFloor: Number((realistic / CLASSIFIER_FLOOR_PER_SECOND).toFixed(2)),
  };
}

/** benchClassifier on the shipped policy, in a worker thread of its own. */
export async function benchClassifierIsolated(root: string): Promise<ClassifierBenchResult> {
  return resultOfWorker<ClassifierBenchResult>(new Worker(new URL(import.meta.url), { workerData: { benchClassifierRoot: root } }));
}

async function runInWorker(root: string): Promise<ClassifierBenchResult> {
  const loaded = await loadPolicyFile();
  if (!loaded.ok) throw new Error('the shipped policy is invalid; run `cxloop config check`');
  return benchClassifier(loaded.policy, root);
}

const root = (workerData as { benchClassifierRoot?: string } | null)?.benchClassifierRoot;
if (!isMainThread && parentPort && root !== undefined) {
  const port = parentPort;
  runInWorker(root).then(
    (result) => port.postMessage({ ok: true, result }),
    (error: unknown) => port.postMessage({ ok: false, error: (error as Error).stack ?? String(error) }),
  );
}
