import { parseArgs } from 'node:util';
import { BullmqDeadLetters, type DeadJob } from '../../adapters/queue/bullmq-dead-letters.js';
import { installRedisKeys } from '../../adapters/redis/redis-keys.js';
import { RedisSlackOutbox, type SlackDeadLetter } from '../../adapters/redis/redis-slack-outbox.js';
import { withInstallRedis } from '../connect-redis.js';
import { CliError, type CliIo } from '../io.js';

export const DEAD_LETTERS_USAGE = `Usage: cxloop dead-letters [--replay [--id <job id>]...] [--limit 50] [--json]
What failed for good in this install (REDIS_URL, CXLOOP_REDIS_PREFIX): jobs of every cxloop queue
that used up their attempts or carry a payload that does not parse, and Slack messages Slack
refused. Each is kept 30 days with its payload and last error.
  --replay        queue them again (attempts reset); after fixing the cause, e.g. a deploy
  --id <job id>   with --replay: only these jobs (repeatable); Slack messages replay without --id
  --limit <n>     jobs listed per queue (default 50)
  --json          the list as JSON`;

export async function runDeadLetters(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      replay: { type: 'boolean', default: false },
      id: { type: 'string', multiple: true },
      limit: { type: 'string', default: '50' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(`${DEAD_LETTERS_USAGE}\n`);
    return 0;
  }
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new CliError(`--limit: "${values.limit}" is not a whole number from 1 to 10000`, 2);
  if (values.id && !values.replay) throw new CliError('--id only goes with --replay', 2);
  return withInstallRedis(io, async (redis, env) => {
    const keys = installRedisKeys(env);
    const jobs = new BullmqDeadLetters(redis, keys.queuePrefix);
    const outbox = new RedisSlackOutbox(redis, keys);
    try {
      if (values.replay) {
        const ids = values.id ? new Set(values.id) : undefined;
        const replayed = await jobs.replay(ids);
        const messages = ids ? 0 : await outbox.replayDeadLetters(Date.now());
        const result = { replayedJobs: replayed, replayedSlackMessages: messages };
        io.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `replayed ${replayed} job${replayed === 1 ? '' : 's'} and ${messages} Slack message${messages === 1 ? '' : 's'}\n`);
        if (ids && replayed < ids.size) io.stderr.write(`${ids.size - replayed} of the given ids are not dead letters (already replayed, or kept no longer)\n`);
        return 0;
      }
      const [counts, dead, slack] = await Promise.all([jobs.counts(), jobs.list(limit), outbox.deadLetters()]);
      io.stdout.write(values.json ? `${JSON.stringify({ prefix: env.CXLOOP_REDIS_PREFIX, counts, jobs: dead, slack }, null, 2)}\n` : formatDeadLetters(counts, dead, slack));
      return 0;
    } finally {
      await jobs.close();
    }
  });
}

/** The list as an operator reads it: totals, then one line per dead letter, newest first. */
export function formatDeadLetters(counts: Readonly<Record<string, number>>, jobs: readonly DeadJob[], slack: readonly SlackDeadLetter[]): string {
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  if (total === 0 && slack.length === 0) return 'no dead letters: nothing failed for good\n';
  const lines = [`${total} job${total === 1 ? '' : 's'} and ${slack.length} Slack message${slack.length === 1 ? '' : 's'} failed for good`];
  const busy = Object.entries(counts).filter(([, count]) => count > 0);
  if (busy.length > 0) lines.push(`  ${busy.map(([queue, count]) => `${queue} ${count}`).join(', ')}`);
  for (const job of jobs) {
    const ticket = job.ticketId === null ? '' : ` ticket #${job.ticketId}`;
    lines.push(`${new Date(job.failedAt).toISOString()}  ${job.queue}  ${job.name} ${job.id}${ticket}  after ${job.attempts} attempt${job.attempts === 1 ? '' : 's'}: ${job.reason}`);
  }
  if (jobs.length < total) lines.push(`  (${total - jobs.length} more; --limit shows more per queue)`);
  for (const message of slack) lines.push(`${message.at}  slack ${message.channel}: ${message.reason}`);
  lines.push('Fix the cause, then: cxloop dead-letters --replay');
  return `${lines.join('\n')}\n`;
}
