import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import type { Logger } from '../../app/ports.js';
import { ticketOf } from '../../app/log-fields.js';
import { CATEGORY_IDS } from '../../core/taxonomy.js';

/**
 * Slack requests are acknowledged at once (Slack waits 3 s at most) and their work is queued here:
 * one job per interaction, its id derived from the interaction, so a retried request is done once.
 * Evolving a payload: add optional fields; a new shape gets a new `v` (see job-catalogue.ts).
 */
export const SLACK_QUEUE = 'cxloop-slack';

const user = z.string().regex(/^[UW][A-Z0-9]+$/);
const ticketId = z.number().int().positive();
const responseUrl = z.string().url().nullable();
const source = { user, responseUrl, channel: z.string().nullable(), key: z.string().min(1).max(200) };

export const slackJobSchema = z.discriminatedUnion('kind', [
  z.object({ v: z.literal(1), kind: z.literal('acknowledge'), ticketId, ...source }),
  z.object({ v: z.literal(1), kind: z.literal('take'), ticketId, ...source }),
  z.object({ v: z.literal(1), kind: z.literal('snooze'), ticketId, minutes: z.number().int().positive(), ...source }),
  z.object({ v: z.literal(1), kind: z.literal('reassign'), ticketId, category: z.enum(CATEGORY_IDS), ...source }),
  z.object({ v: z.literal(1), kind: z.literal('post_update'), ticketId, text: z.string().min(1).max(3000), etaHours: z.number().positive().nullable(), ...source }),
  z.object({ v: z.literal(1), kind: z.literal('status'), ticketId, ...source }),
  z.object({ v: z.literal(1), kind: z.literal('report'), days: z.number().int().positive(), ...source }),
  z.object({ v: z.literal(1), kind: z.literal('home'), user }),
  z.object({ v: z.literal(1), kind: z.literal('weekly_digest') }),
]);
export type SlackJob = z.infer<typeof slackJobSchema>;

const JOB_OPTIONS = { attempts: 5, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: true, removeOnFail: { age: 7 * 86_400 } } as const;

/** Producer side, used by the request listeners. */
export class SlackWorkQueue {
  readonly queue: Queue<SlackJob>;

  constructor(options: { connection: ConnectionOptions; prefix: string }) {
    this.queue = new Queue<SlackJob>(SLACK_QUEUE, { connection: options.connection, prefix: options.prefix, streams: { events: { maxLen: 500 } } });
  }

  async add(job: SlackJob): Promise<void> {
    // BullMQ job ids may not contain ':' nor be only digits.
    const jobId = 'key' in job ? `s-${job.key.replace(/[^A-Za-z0-9._-]/g, '_')}` : undefined;
    await this.queue.add(job.kind, job, { ...JOB_OPTIONS, ...(jobId ? { jobId } : {}) });
  }

  /** The weekly digest, Mondays 09:00 UTC, as a BullMQ job scheduler (one per install). */
  async scheduleWeeklyDigest(): Promise<void> {
    await this.queue.upsertJobScheduler('weekly-digest', { pattern: '0 9 * * 1', tz: 'UTC' }, { name: 'weekly_digest', data: { v: 1, kind: 'weekly_digest' }, opts: JOB_OPTIONS });
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

/** Consumer side: parses each job before the handler sees it; a payload that does not parse is failed for good. */
export function startSlackWorker(options: { connection: ConnectionOptions; prefix: string; logger: Logger; handle: (job: SlackJob) => Promise<void> }): Worker {
  const worker = new Worker(
    SLACK_QUEUE,
    async (job) => {
      const parsed = slackJobSchema.safeParse(job.data);
      if (!parsed.success) throw new Error(`slack job ${job.id ?? ''} does not match its schema: ${parsed.error.issues[0]?.message ?? ''}`);
      await options.handle(parsed.data);
    },
    { connection: options.connection, prefix: options.prefix, concurrency: 8 },
  );
  worker.on('failed', (job, error) => options.logger.log('warn', 'slack job failed', { kind: job?.name, jobId: job?.id, ...ticketOf(job?.data), attempts: job?.attemptsMade, error: error.message }));
  worker.on('error', (error) => options.logger.log('warn', 'slack worker error', { error: error.message }));
  return worker;
}
