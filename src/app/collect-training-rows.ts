import type { RoutingCorrection } from '../core/learning/routing-corrections.js';
import { emptyTrainingCounts, labelTicket, languageOfLocale, type LabelRules, type LabelSource, type SkipReason, type TrainingCounts, type TrainingTicket } from '../core/learning/training-label.js';
import type { CategoryId } from '../core/taxonomy.js';
import type { TrainingExportPage, ZendeskReadBudget, ZendeskTrainingExport } from './ports.js';
import { isZendeskError } from './zendesk-api-error.js';

/** One labelled ticket, in the columns of `cxloop eval` (id,subject,body,language,category) and where its label came from. */
export interface TrainingRow {
  readonly id: string;
  readonly subject: string;
  readonly body: string;
  readonly language: string;
  readonly category: CategoryId;
  readonly source: LabelSource;
}

/** Where an export stands after a page: what the progress line shows. */
export interface TrainingProgress {
  readonly counts: TrainingCounts;
  /** Epoch ms the export started from. */
  readonly startTime: number;
  /** Epoch ms the export has read up to (the last ticket's generated_timestamp), null before the first ticket. */
  readonly reachedAt: number | null;
  /** This was the last page: the export reached Zendesk's present. */
  readonly done: boolean;
}

/** Saved after each page's rows are consumed: a run that stops resumes from here. */
export interface TrainingCheckpoint {
  readonly startTime: number;
  readonly cursor: string;
  readonly counts: TrainingCounts;
  /** Tickets this page produced a row for (a resumed export does not produce them again). */
  readonly exported: readonly number[];
  /** The export reached Zendesk's present (end_of_stream). */
  readonly done: boolean;
}

export interface TrainingResume {
  readonly cursor: string;
  readonly counts: TrainingCounts;
  readonly exported: ReadonlySet<number>;
}

export interface CollectTrainingDeps {
  readonly zendesk: ZendeskTrainingExport;
  /** The install's Zendesk read budget (ZENDESK_READS_PER_MINUTE): one read per export request. */
  readonly readBudget: ZendeskReadBudget;
  readonly rules: LabelRules;
  /** Each ticket's latest correction cxloop recorded (empty: labels from Zendesk alone). */
  readonly corrections: ReadonlyMap<number, RoutingCorrection>;
  /** The description as the classifier reads it (compileBodyCleaner). */
  readonly cleanBody: (text: string) => string;
  /** Incremental export requests per minute (Zendesk allows 10, 30 with the High Volume API add-on). */
  readonly requestsPerMinute: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly onProgress?: (progress: TrainingProgress) => void;
  /** The export waits `ms` before its next request, and why (rate limit, budget, Zendesk unavailable). */
  readonly onWait?: (ms: number, why: string) => void;
  readonly checkpoint?: (checkpoint: TrainingCheckpoint) => Promise<void>;
}

export interface CollectTrainingOptions {
  /** Epoch ms to export from (a new export; ignored when resuming). */
  readonly startTime: number;
  readonly resume?: TrainingResume | null;
}

/** 429s in a row on one page before the export gives up (each waited for its Retry-After). */
const MAX_RATE_LIMITED = 20;
/** Retries of a page Zendesk could not serve (5xx, timeout), waiting 2 s, 4 s, 8 s. */
const MAX_UNAVAILABLE = 3;
const UNAVAILABLE_BACKOFF_MS = 2_000;
const MINUTE_MS = 60_000;

/**
 * The account's solved and closed tickets (and every ticket an agent corrected) as labelled
 * training rows, read page by page from Zendesk's cursor-based incremental ticket export, paced
 * to `requestsPerMinute`, one read of the install's read budget per request (waiting for the next
 * minute when it is spent), waiting out a 429's Retry-After. Each ticket gives at most
 * one row; tickets without a label are counted by reason. After the rows of a page have been
 * taken, `checkpoint` gets the cursor to resume from; the generator returns the final counts.
 */
export async function* collectTrainingRows(deps: CollectTrainingDeps, options: CollectTrainingOptions): AsyncGenerator<TrainingRow, TrainingCounts, undefined> {
  const resume = options.resume ?? null;
  const counts = mutableCounts(resume?.counts ?? emptyTrainingCounts());
  const exported = new Set(resume?.exported ?? []);
  const pace = pacer(deps);
  let from: { cursor: string } | { startTime: number } = resume ? { cursor: resume.cursor } : { startTime: options.startTime };
  for (;;) {
    const page = await fetchPage(deps, from, pace);
    counts.pages += 1;
    counts.read += page.tickets.length + page.unreadable;
    counts.skipped.unreadable += page.unreadable;
    const produced: number[] = [];
    let reachedAt: number | null = null;
    for (const ticket of page.tickets) {
      reachedAt = Math.max(reachedAt ?? ticket.exportedAt, ticket.exportedAt);
      const row = exported.has(ticket.id) ? ({ ok: false, reason: 'already_exported' } as const) : rowOf(ticket, deps);
      if (!row.ok) {
        counts.skipped[row.reason] += 1;
        continue;
      }
      exported.add(ticket.id);
      produced.push(ticket.id);
      counts.labelled += 1;
      counts.bySource[row.row.source] += 1;
      yield row.row;
    }
    const done = page.endOfStream || page.afterCursor === null;
    deps.onProgress?.({ counts: snapshot(counts), startTime: options.startTime, reachedAt, done });
    if (page.afterCursor !== null) await deps.checkpoint?.({ startTime: options.startTime, cursor: page.afterCursor, counts: snapshot(counts), exported: produced, done });
    if (done || page.afterCursor === null) return snapshot(counts);
    from = { cursor: page.afterCursor };
  }
}

function rowOf(ticket: TrainingTicket, deps: CollectTrainingDeps): { ok: true; row: TrainingRow } | { ok: false; reason: SkipReason } {
  const label = labelTicket(ticket, deps.rules, deps.corrections.get(ticket.id) ?? null);
  if (!label.ok) return label;
  const subject = ticket.subject.trim();
  const body = deps.cleanBody(ticket.description);
  if (subject === '' && body === '') return { ok: false, reason: 'no_text' };
  return { ok: true, row: { id: String(ticket.id), subject, body, language: languageOfLocale(ticket.requesterLocale), category: label.category, source: label.source } };
}

/** One export request, within the pace and the read budget, through 429s and short outages. */
async function fetchPage(deps: CollectTrainingDeps, from: { cursor: string } | { startTime: number }, pace: () => Promise<void>): Promise<TrainingExportPage> {
  let rateLimited = 0;
  let unavailable = 0;
  for (;;) {
    await pace();
    const refused = await deps.readBudget.take(1);
    if (refused !== null) {
      const wait = MINUTE_MS - (deps.now() % MINUTE_MS);
      deps.onWait?.(wait, refused);
      await deps.sleep(wait);
      continue;
    }
    try {
      return await deps.zendesk.exportTrainingTickets(from);
    } catch (error) {
      // The export endpoint's 429 is its own limit (10 a minute), not the account's: the install's
      // other reads go on; only the export waits out the Retry-After.
      if (isZendeskError(error, 'RATE_LIMITED') && rateLimited < MAX_RATE_LIMITED) {
        rateLimited += 1;
        const wait = error.details.retryAfterMs ?? MINUTE_MS;
        deps.onWait?.(wait, `Zendesk's rate limit (429, Retry-After ${Math.ceil(wait / 1000)} s)`);
        await deps.sleep(wait);
        continue;
      }
      if (isZendeskError(error, 'UNAVAILABLE') && unavailable < MAX_UNAVAILABLE) {
        const wait = UNAVAILABLE_BACKOFF_MS * 2 ** unavailable;
        unavailable += 1;
        deps.onWait?.(wait, `Zendesk did not answer (${error.message})`);
        await deps.sleep(wait);
        continue;
      }
      throw error;
    }
  }
}

/** Spaces requests `60 s / requestsPerMinute` apart on the injected clock. */
function pacer(deps: Pick<CollectTrainingDeps, 'requestsPerMinute' | 'now' | 'sleep'>): () => Promise<void> {
  const spacing = MINUTE_MS / deps.requestsPerMinute;
  let last: number | null = null;
  return async () => {
    if (last !== null) {
      const wait = last + spacing - deps.now();
      if (wait > 0) await deps.sleep(wait);
    }
    last = deps.now();
  };
}

type MutableCounts = { pages: number; read: number; labelled: number; bySource: Record<LabelSource, number>; skipped: Record<SkipReason, number> };

function mutableCounts(counts: TrainingCounts): MutableCounts {
  // Counts saved by an older cxloop may lack a newer reason or source: start those at 0.
  const fresh = emptyTrainingCounts();
  return { pages: counts.pages, read: counts.read, labelled: counts.labelled, bySource: { ...fresh.bySource, ...counts.bySource }, skipped: { ...fresh.skipped, ...counts.skipped } };
}

function snapshot(counts: MutableCounts): TrainingCounts {
  return { ...counts, bySource: { ...counts.bySource }, skipped: { ...counts.skipped } };
}
