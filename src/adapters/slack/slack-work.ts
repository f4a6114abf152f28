import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { JOB_OPTIONS, parseJob, QUEUE_NAMES, reportJobFailure, type SlackJob } from '../../app/job-catalogue.js';
import type { JobMetrics, Logger } from '../../app/ports.js';

/**
 * Slack requests are acknowledged at once (Slack waits 3 s at most) and their work is queued here:
 * one job per interaction, its id derived from the interaction, so a retried request is done once.
 * The payloads are in the job catalogue (app/job-catalogue.ts), with every other queue's.
 */
export const SLACK_QUEUE = QUEUE_NAMES.slack;
export type { SlackJob };


/** Producer side, used by the request listeners. */
export class SlackWorkQueue {
  readonly queue: Queue<SlackJob>;

  constructor(options: { connection: ConnectionOptions; prefix: (queue: string) => string }) {
    this.queue = new Queue<SlackJob>(SLACK_QUEUE, { connection: options.connection, prefix: options.prefix(SLACK_QUEUE), streams: { events: { maxLen: 500 } } });
  }

  async add(job: SlackJob): Promise<void> {
    // BullMQ job ids may not contain ':' nor be only digits.
    const jobId = 'key' in job ? `s-${job.key.replace(/[^A-Za-z0-9._-]/g, '_')}` : undefined;
    await this.queue.add(job.kind, job, { ...JOB_OPTIONS.slack, ...(jobId ? { jobId } : {}) });
  }

  /** The weekly digest, Mondays 09:00 UTC, as a BullMQ job scheduler (one per install). */
  async scheduleWeeklyDigest(): Promise<void> {
    await this.queue.upsertJobScheduler('weekly-digest', { pattern: '0 9 * * 1', tz: 'UTC' }, { name: 'weekly_digest', data: { v: 1, kind: 'weekly_digest' }, opts: JOB_OPTIONS.slack });
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

/** Consumer side: parses each job before the handler sees it; a payload that does not parse is failed for good. */
export function startSlackWorker(options: { connection: ConnectionOptions; prefix: (queue: string) => string; logger: Logger; jobs: JobMetrics; handle: (job: SlackJob) => Promise<void> }): Worker {
  const worker = new Worker(
    SLACK_QUEUE,
    async (job) => {
      await options.handle(parseJob('slack', job));
    },
    { connection: options.connection, prefix: options.prefix(SLACK_QUEUE), concurrency: 8 },
  );
  worker.on('failed', (job, error) => reportJobFailure(SLACK_QUEUE, job, error, { logger: options.logger, metrics: options.jobs }));
  worker.on('error', (error) => options.logger.log('warn', 'slack worker error', { error: error.message }));
  return worker;
}
