import { parseArgs } from 'node:util';
import { createRedisKeys } from '../../adapters/redis/redis-keys.js';
import { RedisLoopStore } from '../../adapters/redis/redis-loop-store.js';
import { parseDuration } from '../../core/duration.js';
import { loopFigures } from '../../core/loop/loop-figures.js';
import { formatLoopReport } from '../../app/format-loop-report.js';
import { withInstallRedis } from '../connect-redis.js';
import { CliError, type CliIo } from '../io.js';

export const REPORT_USAGE = `Usage: cxloop report [--since 7d] [--until <ISO date>] [--json]
Figures of the closed loop over the loops opened in the window, computed from their history in
Redis (REDIS_URL, CXLOOP_REDIS_PREFIX): acknowledged within 2 h and 6 h, closed within 48 h,
SLA adherence by category, team and tier, time to first update, status updates on time, reopen
rate, detractor follow-ups done within 48 h, escalations.
  --since <duration>  window length back from --until (default 7d; e.g. 24h, 30d)
  --until <date>      end of the window (default now)
  --json              the figures as JSON`;

/** Loops read per progress line on stderr. */
const PROGRESS_EVERY = 5_000;

export async function runReport(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { since: { type: 'string', default: '7d' }, until: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout.write(`${REPORT_USAGE}\n`);
    return 0;
  }
  const length = parseDuration(values.since);
  if (!length.ok) throw new CliError(`--since: ${length.reason}`, 2);
  const now = values.until === undefined ? Date.now() : Date.parse(values.until);
  if (Number.isNaN(now)) throw new CliError(`--until: "${values.until}" is not a date (use ISO-8601, e.g. 2026-11-22T12:00:00Z)`, 2);
  const window = { since: now - length.minutes * 60_000, now };
  return withInstallRedis(io, async (redis, env) => {
    const prefix = env.CXLOOP_REDIS_PREFIX;
    const store = new RedisLoopStore(redis, createRedisKeys(prefix));
    const ids = await store.openedBetween(window.since, window.now);
    const histories = [];
    for (let start = 0; start < ids.length; start += PROGRESS_EVERY) {
      histories.push(...(await store.histories(ids.slice(start, start + PROGRESS_EVERY))));
      if (ids.length > PROGRESS_EVERY) io.stderr.write(`read ${histories.length} of ${ids.length} loops\n`);
    }
    const figures = loopFigures(histories, window);
    io.stdout.write(values.json ? `${JSON.stringify({ window: { since: new Date(window.since).toISOString(), until: new Date(now).toISOString() }, prefix, ...figures }, null, 2)}\n` : formatLoopReport(figures, window));
    return 0;
  });
}
