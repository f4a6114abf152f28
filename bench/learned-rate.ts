/**
 * Classification rate with a learned model (part of the learning section), in a worker thread of
 * its own as the classifier's rate is (bench/classifier.ts): a fresh V8 isolate, so the heap the
 * section's trainings left behind (thousands of feature vectors, many models) does not weigh on
 * it, as it does not in a `cxloop serve` process that only classifies.
 */
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createClassifier } from '../src/app/create-classifier.js';
import { loadPolicyFile } from '../src/config/load-policy.js';
import { LearnedClassifier } from '../src/core/learn/learned-classifier.js';
import { LearnedModel } from '../src/core/learn/learned-model.js';
import { decodeModel } from '../src/core/learn/model-codec.js';
import type { InstallIdentity } from '../src/core/learn/learned-model.js';
import type { Ticket } from '../src/core/ticket.js';
import { resultOfWorker } from './support.js';

export interface LearnedRate {
  readonly modelPerSecond: number;
  readonly rulesPerSecond: number;
}

interface Job {
  readonly learnedRate: { readonly model: Uint8Array; readonly install: InstallIdentity; readonly tickets: readonly Ticket[] };
}

/** Tickets per second through the rules and the model (the model deciding every ticket, explanation included), and through the rules alone. */
export async function measureLearnedRateIsolated(model: Uint8Array, install: InstallIdentity, tickets: readonly Ticket[]): Promise<LearnedRate> {
  return resultOfWorker<LearnedRate>(new Worker(new URL(import.meta.url), { workerData: { learnedRate: { model, install, tickets } } satisfies Job }));
}

/** Classifications per second over the tickets, repeated for 2 s after a warm-up pass. */
export function measureRate(classify: (ticket: Ticket) => unknown, tickets: readonly Ticket[]): number {
  for (const ticket of tickets) classify(ticket);
  let classified = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < 2_000) {
    for (const ticket of tickets) classify(ticket);
    classified += tickets.length;
    elapsed = performance.now() - start;
  }
  return classified / (elapsed / 1000);
}

async function runInWorker(job: Job['learnedRate']): Promise<LearnedRate> {
  const loaded = await loadPolicyFile();
  if (!loaded.ok) throw new Error('the shipped policy is invalid; run `cxloop config check`');
  const rules = createClassifier(loaded.policy);
  const data = decodeModel(job.model, { install: job.install });
  // The combination on for every category the model knows, so every ticket takes the model's path.
  const everywhere = new LearnedModel({ ...data, meta: { ...data.meta, combination: { categories: data.meta.classes, threshold: 0, minExamples: 0, rulesOwn: [] } } });
  const learned = new LearnedClassifier(rules, everywhere);
  return { modelPerSecond: Math.round(measureRate((ticket) => learned.classify(ticket), job.tickets)), rulesPerSecond: Math.round(measureRate((ticket) => rules.classify(ticket), job.tickets)) };
}

const job = (workerData as Partial<Job> | null)?.learnedRate;
if (!isMainThread && parentPort && job !== undefined) {
  const port = parentPort;
  runInWorker(job).then(
    (result) => port.postMessage({ ok: true, result }),
    (error: unknown) => port.postMessage({ ok: false, error: (error as Error).stack ?? String(error) }),
  );
}
