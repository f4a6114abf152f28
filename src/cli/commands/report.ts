import { parseArgs } from 'node:util';
import { installRedisKeys } from '../../adapters/redis/redis-keys.js';
import { RedisLoopStore } from '../../adapters/redis/redis-loop-store.js';
import { parseDuration } from '../../core/duration.js';
import { RedisTicketStore } from '../../adapters/redis/redis-ticket-store.js';
import { routingAccuracy } from '../../core/learning/routing-accuracy.js';
import { loopFigures } from '../../core/loop/loop-figures.js';
import { formatLoopReport, formatRoutingAccuracy } from '../../app/format-loop-report.js';
import { readRoutingHistory } from '../../app/read-routing-history.js';
import { withInstallRedis } from '../connect-redis.js';
import { CliError, type CliIo } from '../io.js';

export const REPORT_USAGE = `Usage: cxloop report [--since 7d] [--until <ISO date>] [--json]
Figures of the closed loop over the loops opened in the window, computed from their history in
Redis (REDIS_URL, CXLOOP_REDIS_PREFIX): acknowledged within 2 h and 6 h, closed within 48 h,
SLA adherence by category, team and tier, time to first update, status updates on time, reopen
rate, detractor follow-ups done within 48 h, escalations, and routing accuracy (the share of
tickets routed at least 7 days before the end of the window that nobody re-categorised within 7 days).
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
    const keys = installRedisKeys(env);
    const progress = (read: number, of: number) => {
      if (of > PROGRESS_EVERY) io.stderr.write(`read ${read} of ${of} loops\n`);
    };
    const history = await readRoutingHistory({ loops: new RedisLoopStore(redis, keys), corrections: new RedisTicketStore(redis, keys), onProgress: progress }, { since: window.since, until: window.now });
    const figures = loopFigures(history.histories, window);
    const accuracy = routingAccuracy(history.routings, history.corrections, window);
    io.stdout.write(
      values.json
        ? `${JSON.stringify({ window: { since: new Date(window.since).toISOString(), until: new Date(now).toISOString() }, prefix, ...figures, routingAccuracy: accuracy }, null, 2)}\n`
        : `${formatLoopReport(figures, window)}\n${formatRoutingAccuracy(accuracy)}`,
    );
    return 0;
  });
}
