/**
 * The web dashboard at scale: `loops` loops opened over 90 days (the last `open` of them still
 * open), their histories in Redis as the loop store writes them and their contributions applied
 * to the dashboard's read model as the projector applies them; then cxloop (dry run, web role)
 * serves the Now page and the Figures page over HTTP on loopback, with a signed-in session, and
 * the same figures are computed the way `cxloop report` does, from every history, to compare.
 */
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { Redis } from 'ioredis';
import { readFigures } from '../src/app/dashboard/read-figures.js';
import { encodeHistoryEntry } from '../src/adapters/redis/loop-codec.js';
import { createRedisKeys, deleteInstallKeys } from '../src/adapters/redis/redis-keys.js';
import { RedisDashboardStore } from '../src/adapters/redis/redis-dashboard-store.js';
import { parseEnv } from '../src/config/env-schema.js';
import type { Policy } from '../src/config/policy-schema.js';
import { loopFigures } from '../src/core/loop/loop-figures.js';
import type { LoopHistoryEntry } from '../src/core/loop/loop-history.js';
import { summarizeLoop } from '../src/core/loop/loop-summary.js';
import type { Stage } from '../src/core/loop/loop-types.js';
import type { OpenLoopRow } from '../src/core/loop/open-loop-row.js';
import { CATEGORY_IDS, TIERS, type CategoryId } from '../src/core/taxonomy.js';
import { startCxloop } from '../src/main.js';
import { forEachConcurrently } from './support.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-11-30T12:00:00Z');

export interface DashboardBenchResult {
  readonly loops: number;
  readonly open: number;
  readonly populateSeconds: number;
  /** Median and max wall time of GET /dashboard (all open loops, admin) on loopback, over `rounds`, one loop moved before each request. */
  readonly nowPageMs: { readonly median: number; readonly max: number; readonly bytes: number };
  /** The same, nothing moved since the request before. */
  readonly nowPageUnchangedMs: { readonly median: number; readonly max: number };
  /** The first request after cxloop started (which read the open rows at start). */
  readonly nowPageFirstMs: number;
  /** Every open row read from Redis and parsed by a store that has none yet (a process's first read, or one too far behind). */
  readonly openRowsFullReadMs: number;
  /** Median and max of GET /dashboard/figures?days=90 (every loop of the 90 days), from the read model. */
  readonly figuresPageMs: { readonly median: number; readonly max: number };
  /** The first figures page after start: every day's tally read. */
  readonly figuresFirstMs: number;
  /** The same figures the way `cxloop report --since 90d` computes them: every history read and folded. */
  readonly reportFromHistoriesMs: number;
  /** Whether the read model's figures equal the report's, field by field. */
  readonly figuresEqual: boolean;
  readonly readModelBytesPerLoop: number;
  readonly rounds: number;
}

/** A deterministic pseudo-random stream (the same loops on every run). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** One loop's history: routed, then (mostly) acknowledged, solved and verified, with a breach or an update here and there. */
function historyOf(ticketId: number, openedAt: number, open: boolean, next: () => number, policy: Policy): LoopHistoryEntry[] {
  const category = CATEGORY_IDS[Math.floor(next() * CATEGORY_IDS.length)] as CategoryId;
  const tier = TIERS[Math.floor(next() * TIERS.length)]!;
  const team = policy.categories[category].team;
  let version = 1;
  const entry = (at: number, event: string, stage: Stage, extra: Partial<LoopHistoryEntry> = {}): LoopHistoryEntry => ({ at, version: version++, event, stage, category, tier, team, ...extra });
  const entries = [entry(openedAt, 'opened', 'routed')];
  const ackAfter = next() * 8 * HOUR;
  if (ackAfter > 2 * HOUR && openedAt + 2 * HOUR <= NOW) entries.push(entry(openedAt + 2 * HOUR, 'timer:ack_breach', 'routed', { escalation: 1 }));
  const ackAt = openedAt + ackAfter;
  const cut = open ? openedAt + next() * (NOW - openedAt) : Infinity;
  if (ackAt < Math.min(cut, NOW)) entries.push(entry(ackAt, 'acknowledge', 'acknowledged', { actor: 'U0BENCH01' }));
  if (next() < 0.6 && ackAt + HOUR < Math.min(cut, NOW)) entries.push(entry(ackAt + HOUR, 'post_update', 'acknowledged', { actor: 'U0BENCH01', update: 'manual' }));
  const solvedAt = ackAt + (1 + next() * 60) * HOUR;
  if (solvedAt < Math.min(cut, NOW)) {
    entries.push(entry(solvedAt, 'status:solved', 'acted'));
    if (solvedAt + 72 * HOUR < Math.min(cut, NOW) && !open) entries.push(entry(solvedAt + 72 * HOUR, 'timer:verify_end', 'verified'));
  }
  return entries;
}

function rowOf(ticketId: number, history: readonly LoopHistoryEntry[]): OpenLoopRow {
  const last = history.at(-1)!;
  const openedAt = history[0]!.at;
  return {
    ticketId,
    version: last.version,
    stage: last.stage,
    category: last.category,
    team: last.team,
    tier: last.tier,
    owner: last.actor ?? null,
    openedAt,
    due: last.stage === 'routed' ? { what: 'acknowledge', at: openedAt + 2 * HOUR, breached: history.some((entry) => entry.event === 'timer:ack_breach') } : { what: 'resolve', at: openedAt + 48 * HOUR, breached: false },
    breaches: history.some((entry) => entry.event === 'timer:ack_breach') && last.stage === 'routed' ? ['acknowledge'] : [],
    escalationSteps: 0,
    snoozedUntil: null,
  };
}

export async function benchDashboard(input: { redisUrl: string; policy: Policy; loops: number; open: number; rounds: number; log: (line: string) => void }): Promise<DashboardBenchResult> {
  const prefix = `bench-dash-${Date.now().toString(36)}`;
  const redis = new Redis(input.redisUrl);
  const keys = createRedisKeys(prefix);
  const store = new RedisDashboardStore(redis, keys);
  try {
    const next = random(42);
    const started = performance.now();
    const ids = Array.from({ length: input.loops }, (_, index) => 100_000 + index);
    // Openings spread over 90 days, in order; the last `open` loops are the open ones.
    const openings = ids.map((_, index) => NOW - 90 * DAY + ((index + 0.5) / input.loops) * 90 * DAY * (index >= input.loops - input.open ? 1 : 0.97));
    let mover: { ticketId: number; history: LoopHistoryEntry[] } | null = null;
    await forEachConcurrently(ids, 64, async (ticketId, index) => {
      const open = index >= input.loops - input.open;
      const history = historyOf(ticketId, openings[index]!, open, next, input.policy);
      const summary = summarizeLoop(history)!;
      if (open && summary.stage !== 'verified') mover = { ticketId, history };
      await redis
        .multi()
        .set(keys.loopHistory(ticketId), history.map(encodeHistoryEntry).join('\n'))
        .zadd(keys.loops, history[0]!.at, String(ticketId))
        .exec();
      await store.apply({ ticketId, version: history.at(-1)!.version, at: history.at(-1)!.at, summary, row: open && summary.stage !== 'verified' ? rowOf(ticketId, history) : null, effects: [] });
      if ((index + 1) % 20_000 === 0) input.log(`dashboard: ${index + 1} of ${input.loops} loops written`);
    });
    const populateSeconds = (performance.now() - started) / 1000;
    const readModelBytes = await dashboardBytes(redis, prefix);

    const env = parseEnv({ REDIS_URL: input.redisUrl, PORT: '0', CXLOOP_REDIS_PREFIX: prefix, CXLOOP_DRY_RUN: 'true', CXLOOP_DRY_RUN_LOG: 'off' });
    if (!env.ok) throw new Error(JSON.stringify(env.problems));
    const policy = structuredClone(input.policy);
    policy.slack.admins = ['U0BENCHAD'];
    const app = await startCxloop({ env: env.env, policy, logger: { log: () => undefined }, host: '127.0.0.1', role: 'web', now: () => NOW });
    try {
      const cookie = await signIn(app.http.url, await app.dashboardLink('U0BENCHAD'));
      const time = async (path: string): Promise<{ ms: number; bytes: number }> => {
        const begin = performance.now();
        const response = await fetch(`${app.http.url}${path}`, { headers: { cookie } });
        const body = await response.text();
        if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${body.slice(0, 200)}`);
        return { ms: performance.now() - begin, bytes: body.length };
      };
      const nowPageFirstMs = Math.round((await time('/dashboard')).ms);
      // The first figures page of a process reads every day's tally; later ones only the days whose loops moved.
      const figuresFirstMs = Math.round((await time('/dashboard/figures?days=90')).ms);
      const now: number[] = [];
      const unchanged: number[] = [];
      const figures: number[] = [];
      let bytes = 0;
      // One open loop moves before each measured request, as on a busy install: the page cannot be the last one's.
      const moving = mover as { ticketId: number; history: LoopHistoryEntry[] } | null;
      if (moving === null) throw new Error('dashboard bench: no open loop to move');
      const summary = summarizeLoop(moving.history)!;
      const row = rowOf(moving.ticketId, moving.history);
      for (let round = 0; round < input.rounds; round += 1) {
        const version = row.version + round + 1;
        await store.apply({ ticketId: moving.ticketId, version, at: NOW, summary, row: { ...row, version }, effects: [] });
        const page = await time('/dashboard');
        now.push(page.ms);
        bytes = page.bytes;
        unchanged.push((await time('/dashboard')).ms);
        figures.push((await time('/dashboard/figures?days=90')).ms);
      }
      const fresh = new RedisDashboardStore(redis, keys);
      const fullReadStart = performance.now();
      if ((await fresh.openLoops()).length === 0) throw new Error('dashboard bench: no open rows read back');
      const openRowsFullReadMs = Math.round(performance.now() - fullReadStart);
      const window = { since: NOW - 90 * DAY, now: NOW };
      const reportStart = performance.now();
      const histories = await app.loops.histories(await app.loops.openedBetween(window.since, window.now));
      const report = loopFigures(histories, window);
      const reportFromHistoriesMs = performance.now() - reportStart;
      const fromReadModel = await readFigures(store, { since: window.since, until: window.now, now: NOW }, { teams: null, team: null, category: null, tier: null });
      for (const key of Object.keys(report) as (keyof typeof report)[]) {
        if (!isDeepStrictEqual(fromReadModel.figures[key], report[key])) input.log(`dashboard: ${key} differs: read model ${JSON.stringify(fromReadModel.figures[key])}, report ${JSON.stringify(report[key])}`);
      }
      return {
        loops: input.loops,
        open: input.open,
        populateSeconds: Math.round(populateSeconds * 10) / 10,
        nowPageMs: { median: median(now), max: Math.round(Math.max(...now)), bytes },
        nowPageUnchangedMs: { median: median(unchanged), max: Math.round(Math.max(...unchanged)) },
        nowPageFirstMs,
        openRowsFullReadMs,
        figuresPageMs: { median: median(figures), max: Math.round(Math.max(...figures)) },
        figuresFirstMs,
        reportFromHistoriesMs: Math.round(reportFromHistoriesMs),
        figuresEqual: isDeepStrictEqual(fromReadModel.figures, report),
        readModelBytesPerLoop: Math.round(readModelBytes / input.loops),
        rounds: input.rounds,
      };
    } finally {
      await app.stop();
    }
  } finally {
    await deleteInstallKeys(redis, prefix);
    await store.close();
    redis.disconnect();
  }
}

async function signIn(baseUrl: string, link: string): Promise<string> {
  const token = new URL(link).searchParams.get('t') ?? '';
  const response = await fetch(`${baseUrl}/dashboard/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl },
    body: new URLSearchParams({ t: token }).toString(),
  });
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (response.status !== 303 || !cookie) throw new Error(`dashboard sign-in failed: ${response.status}`);
  return cookie;
}

/** MEMORY USAGE of the read model's keys (tallies, contributions, undecided set, open rows). */
async function dashboardBytes(redis: Redis, prefix: string): Promise<number> {
  let total = 0;
  let cursor = '0';
  do {
    const [nextCursor, found] = await redis.scan(cursor, 'MATCH', `${prefix}:{dash}:*`, 'COUNT', 1000);
    cursor = nextCursor;
    for (const key of found) total += Number((await redis.memory('USAGE', key, 'SAMPLES', 0)) ?? 0);
  } while (cursor !== '0');
  return total;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0);
}
