import { closeSync, fchmodSync, fdatasyncSync, ftruncateSync, openSync, statSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { RedisClient } from '../../adapters/redis/redis-connection.js';
import { installRedisKeys } from '../../adapters/redis/redis-keys.js';
import { RedisTrainingExportStore } from '../../adapters/redis/redis-training-export-store.js';
import type { TrainingProgress, TrainingResume } from '../../app/collect-training-rows.js';
import type { SavedTrainingExport } from '../../app/ports.js';
import { isZendeskError } from '../../app/zendesk-api-error.js';
import type { Env } from '../../config/env-schema.js';
import type { Policy } from '../../config/policy-schema.js';
import { parseDuration } from '../../core/duration.js';
import { LABEL_SOURCES, SKIP_REASONS, type SkipReason, type TrainingCounts } from '../../core/learning/training-label.js';
import { withInstallRedis } from '../connect-redis.js';
import { formatCsvRow } from '../format-csv-row.js';
import { assertCanExport, zendeskTrainingRows } from '../zendesk-training-rows.js';
import { CliError, type CliIo } from '../io.js';
import { loadPolicyOrFail, policyPathOf } from '../load-policy-or-fail.js';

export const EXPORT_TRAINING_USAGE = `Usage: cxloop export-training --from-zendesk --out <file.csv> [--since 180d] [--no-corrections] [--restart] [--config <policy>]
Writes the account's solved and closed tickets, labelled by what its people did, as CSV in the
columns of \`cxloop eval\` (id,subject,body,language,category), read through Zendesk's incremental
ticket export within its rate limit. An interrupted export continues where it stopped when run
again with the same --out. Progress goes to stderr, a summary to stdout.
  --from-zendesk      read the account in ZENDESK_SUBDOMAIN with cxloop's credentials
  --out <file.csv>    where the rows go (created with owner-only permissions: it is customer text)
  --since <duration>  tickets changed in this window before now (default 180d)
  --no-corrections    label by Zendesk alone, not by the corrections cxloop recorded
  --restart           forget an export under way and start over
  --config <policy>   the policy whose zendesk_group_id and training_labels label tickets`;

/** The clock and the waits of an export (the io's, for tests: a Retry-After is never waited for in real time). */
export interface ExportClock {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}
const HEADER = ['id', 'subject', 'body', 'language', 'category'] as const;

const REASON_WORDS: Readonly<Record<SkipReason, string>> = {
  not_solved: 'not solved or closed',
  deleted: 'deleted',
  unreadable: 'unreadable',
  no_text: 'no subject or description',
  already_exported: 'read again (already exported)',
  conflicting_labels: 'conflicting labels',
  no_group: 'no group',
  unmapped_group: "in a group that is no category's zendesk_group_id",
  shared_group: 'in a group several categories share',
};

export async function runExportTraining(args: string[], io: CliIo): Promise<number> {
  const clock: ExportClock = { now: io.now ?? Date.now, sleep: io.sleep ?? ((ms) => sleepFor(ms)) };
  const { values } = parseArgs({
    args,
    options: {
      'from-zendesk': { type: 'boolean', default: false },
      out: { type: 'string' },
      since: { type: 'string', default: '180d' },
      'no-corrections': { type: 'boolean', default: false },
      restart: { type: 'boolean', default: false },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(`${EXPORT_TRAINING_USAGE}\n`);
    return 0;
  }
  if (!values['from-zendesk']) throw new CliError(`say where the tickets come from: --from-zendesk (the only source so far)\n${EXPORT_TRAINING_USAGE}`, 2);
  if (values.out === undefined) throw new CliError(`--out <file.csv> is required\n${EXPORT_TRAINING_USAGE}`, 2);
  const window = parseDuration(values.since);
  if (!window.ok) throw new CliError(`--since: ${window.reason}`, 2);
  const policy = await loadPolicyOrFail(policyPathOf(values.config, io.env));
  const path = resolve(values.out);
  return withInstallRedis(io, async (redis, env) => {
    const { counts, startTime } = await exportTrainingFile({ redis, env, policy, path, option: '--out', minutes: window.minutes, withCorrections: !values['no-corrections'], restart: values.restart, clock, io });
    io.stdout.write(formatSummary(counts, path, startTime));
    return 0;
  });
}

export interface TrainingFileExport {
  readonly redis: RedisClient;
  readonly env: Env;
  readonly policy: Policy;
  /** The CSV file the rows go to (absolute). */
  readonly path: string;
  /** The command's option that names the file, for the messages ("--out"). */
  readonly option: string;
  /** The window before now to export (ignored when an export under way continues). */
  readonly minutes: number;
  readonly withCorrections: boolean;
  /** Forget an export under way and start over. */
  readonly restart: boolean;
  readonly clock: ExportClock;
  readonly io: CliIo;
}

/**
 * The account's labelled tickets written to a CSV file, continuing an export under way (its
 * cursor, counts and the tickets already written are kept in Redis after every page, and the
 * file is cut back to the last saved page). Progress on stderr. Used by export-training and by
 * train --from-zendesk, so both continue where an interrupted run stopped; throws CliError saying
 * so when Zendesk stops the export.
 */
export async function exportTrainingFile(options: TrainingFileExport): Promise<{ counts: TrainingCounts; startTime: number }> {
  const { redis, env, policy, path, io, clock } = options;
  assertCanExport(env);
  const keys = installRedisKeys(env);
  const store = new RedisTrainingExportStore(redis, keys);
  if (options.restart) await store.clear();
  const underWay = await store.load();
  const now = clock.now();
  const startTime = underWay?.saved.startTime ?? now - options.minutes * 60_000;
  const startedAt = underWay?.saved.startedAt ?? now;
  if (underWay) io.stderr.write(`resuming the export started ${iso(startedAt)} (tickets changed since ${iso(startTime)}): ${describeCounts(underWay.saved.counts)} so far\n`);
  else io.stderr.write(`exporting tickets changed since ${iso(startTime)} to ${path}\n`);

  const resume: TrainingResume | null = underWay ? { cursor: underWay.saved.cursor, counts: underWay.saved.counts, exported: underWay.exported } : null;
  const progress = progressPrinter(io, clock, underWay?.saved.counts.pages ?? 0);
  const rows = await zendeskTrainingRows({
    redis,
    env,
    policy,
    startTime,
    withCorrections: options.withCorrections,
    resume,
    now: clock.now,
    sleep: clock.sleep,
    say: (line) => io.stderr.write(`${line}\n`),
    onProgress: progress.page,
    onWait: progress.wait,
    checkpoint: async (checkpoint) => {
      fdatasyncSync(output.fd);
      await store.save({ startTime, startedAt, cursor: checkpoint.cursor, counts: checkpoint.counts, output: { path, bytes: output.bytes } }, checkpoint.exported);
    },
  });
  // Opened once the account and the corrections are known to be there, so a failed start leaves no file.
  const output = openOutput(path, underWay?.saved ?? null, options.option);
  let counts: TrainingCounts;
  try {
    for (;;) {
      const next = await rows.next();
      if (next.done) {
        counts = next.value;
        break;
      }
      const row = next.value;
      output.write(formatCsvRow([row.id, row.subject, row.body, row.language, row.category]));
    }
  } catch (error) {
    progress.end();
    if (!isZendeskError(error)) throw error;
    const saved = await store.load();
    const place = saved ? `its place after page ${saved.saved.counts.pages} is saved: run the same command again to continue` : 'nothing was saved yet: run the same command again';
    throw new CliError(`the export stopped: ${error.message}; ${place}`, 1, { cause: error });
  } finally {
    closeSync(output.fd);
  }
  progress.end();
  await store.clear();
  return { counts, startTime };
}

interface Output {
  readonly fd: number;
  readonly bytes: number;
  write(text: string): void;
}

/**
 * The CSV file: a new one gets the header; an export under way must write the same file, cut
 * back to its length at the last saved page (a row written after it, perhaps half, is written again).
 */
function openOutput(path: string, saved: SavedTrainingExport | null, option: string): Output {
  let fd: number;
  let bytes: number;
  if (saved === null) {
    fd = openFile(path, 'w');
    bytes = 0;
  } else {
    const expected = saved.output;
    if (expected === null || expected.path !== path) {
      throw new CliError(`an export to ${expected?.path ?? 'another output'} is under way (started ${iso(saved.startedAt)}): run it again with ${option} ${expected?.path ?? '<that file>'} to continue it, or add --restart to start over`);
    }
    const size = sizeOf(path);
    if (size < expected.bytes) throw new CliError(`${path} is ${size === 0 ? 'missing or empty' : 'shorter than the export left it'} (${size} of ${expected.bytes} bytes): add --restart to start over`);
    fd = openFile(path, 'r+');
    ftruncateSync(fd, expected.bytes);
    bytes = expected.bytes;
  }
  const output = {
    fd,
    bytes,
    write(text: string) {
      const buffer = Buffer.from(text, 'utf8');
      writeSync(fd, buffer, 0, buffer.length, output.bytes);
      output.bytes += buffer.length;
    },
  };
  if (saved === null) output.write(formatCsvRow(HEADER));
  return output;
}

function openFile(path: string, flags: 'w' | 'r+'): number {
  try {
    const fd = openSync(path, flags, 0o600);
    // The mode above applies to a new file only; an existing one is made owner-only too.
    fchmodSync(fd, 0o600);
    return fd;
  } catch (error) {
    throw new CliError(`cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 1, { cause: error });
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Progress on stderr: a line per page (rewritten in place on a terminal) with an ETA from how far the export has come in time. */
export function progressPrinter(io: CliIo, clock: ExportClock, pagesBefore: number): { page: (progress: TrainingProgress) => void; wait: (ms: number, why: string) => void; end: () => void } {
  const startedAt = clock.now();
  let firstShare: number | null = null;
  let open = false;
  const line = (text: string, final: boolean) => {
    if (io.stderr.isTTY) {
      io.stderr.write(`\r${text}\x1b[K${final ? '\n' : ''}`);
      open = !final;
    } else {
      io.stderr.write(`${text}\n`);
    }
  };
  return {
    page(progress) {
      const { counts } = progress;
      const now = clock.now();
      const share = progress.reachedAt === null ? null : Math.min(1, Math.max(0, (progress.reachedAt - progress.startTime) / Math.max(1, now - progress.startTime)));
      // A fresh export starts at 0; a resumed one from where its first page of this run stands.
      firstShare ??= pagesBefore === 0 ? 0 : share;
      let where = '';
      if (progress.done) {
        where = '; reached the present';
      } else if (share !== null && progress.reachedAt !== null) {
        const gained = share - (firstShare ?? 0);
        const eta = gained > 0 && now > startedAt ? ((now - startedAt) * (1 - share)) / gained : null;
        where = `; at ${iso(progress.reachedAt).slice(0, 10)} (${Math.round(share * 100)}% of the window)${eta === null ? '' : `, ETA ${formatDuration(eta)}`}`;
      }
      line(`page ${counts.pages}: ${describeCounts(counts)}${where}`, false);
    },
    wait(ms, why) {
      line(`waiting ${formatDuration(ms)}: ${why}`, true);
    },
    end() {
      if (open) io.stderr.write('\n');
      open = false;
    },
  };
}

export function describeCounts(counts: TrainingCounts): string {
  const skipped = counts.read - counts.labelled;
  return `${number(counts.read)} tickets read, ${number(counts.labelled)} labelled, ${number(skipped)} skipped`;
}

function formatSummary(counts: TrainingCounts, path: string, startTime: number): string {
  return `${number(counts.labelled)} rows written to ${path} (${describeExport(counts, startTime)})\n${describeLabels(counts)}`;
}

/** "12 tickets read in 3 pages, changed since ...". */
export function describeExport(counts: TrainingCounts, startTime: number): string {
  return `${number(counts.read)} tickets read in ${counts.pages} ${counts.pages === 1 ? 'page' : 'pages'}, changed since ${iso(startTime)}`;
}

/** What labelled the rows and why the other tickets were skipped, a line each. */
export function describeLabels(counts: TrainingCounts): string {
  const sources = LABEL_SOURCES.map((source) => `${source} ${number(counts.bySource[source])}`).join(', ');
  const reasons = SKIP_REASONS.filter((reason) => counts.skipped[reason] > 0).map((reason) => `${REASON_WORDS[reason]} ${number(counts.skipped[reason])}`);
  const skipped = counts.read - counts.labelled;
  return [`  labelled by: ${sources}`, `  skipped ${number(skipped)}${reasons.length > 0 ? `: ${reasons.join(', ')}` : ''}`, ''].join('\n');
}

function number(value: number): string {
  return value.toLocaleString('en-US');
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** 45s, 3m 20s, 1h 05m. */
function formatDuration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}
