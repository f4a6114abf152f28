/**
 * Slack burst (issue 7, section 5): a burst of new tickets across several categories routed
 * through live cxloop, whose Slack sender posts cards, status messages and digests to a fake
 * Slack Web API (fake-slack.ts) that allows about one message per second per channel. The
 * sender keeps its real pacing (one call per channel per second), so the burst drains at Slack's
 * pace. Afterwards every recorded message is read back for the tickets it names.
 */
import { performance } from 'node:perf_hooks';
import { createRedisKeys } from '../src/adapters/redis/redis-keys.js';
import type { Policy } from '../src/config/policy-schema.js';
import { withBenchCxloop, type BenchCxloop } from './bench-cxloop.js';
import { postWebhooks, seedTicket, webhookFor } from './bench-tickets.js';
import type { FakeSlackCall, FakeSlackMessage } from './fake-slack.js';
import { memoryByKeyType, type KeyTypeMemory } from './redis-memory.js';
import { maxInWindow, pendingJobs, round, until } from './support.js';

export interface SlackBurstOptions {
  readonly redisUrl: string;
  readonly policy: Policy;
  readonly tickets: number;
  readonly log: (line: string) => void;
}

export interface ChannelFigures {
  readonly channel: string;
  readonly posts: number;
  readonly updates: number;
  /** Most chat.postMessage calls Slack accepted in any 60 s. */
  readonly maxPostsPerMinute: number;
  readonly rateLimited: number;
  /** Most 429s in any 60 s after the channel's first one (sustained when more than 1). */
  readonly maxRateLimitedPerMinuteAfterFirst: number;
}

export interface SlackBurstResult {
  readonly tickets: number;
  /** First webhook -> the last Slack call of the burst. */
  readonly seconds: number;
  readonly ingestSeconds: number;
  readonly posts: number;
  readonly updates: number;
  readonly digests: number;
  readonly cards: number;
  readonly channels: ChannelFigures[];
  readonly maxPostsPerChannelMinute: number;
  readonly rateLimited: number;
  readonly sustainedRateLimiting: boolean;
  /** Tickets named by no message in their team channel / in the status channel. */
  readonly missingInTeamChannel: number;
  readonly missingInStatusChannel: number;
  readonly missingSample: number[];
  /** Every per-ticket key type of the live install after the burst ({id} keys: loop, history, ticket hash with its Slack message refs, brief ...), per ticket. */
  readonly perTicketKeys: KeyTypeMemory[];
}

const CONNECTIONS = 32;
const FIRST_TICKET = 1_000;
/** The burst is over when cxloop has had nothing to do for this long. */
const QUIET_MS = 3_000;
const WINDOW_MS = 60_000;

export async function benchSlackBurst(options: SlackBurstOptions): Promise<SlackBurstResult> {
  return withBenchCxloop({ section: 'slack', redisUrl: options.redisUrl, policy: options.policy }, async (bench) => {
    const { app, zendesk, slack } = bench;
    const ids = Array.from({ length: options.tickets }, (_, index) => FIRST_TICKET + index);
    ids.forEach((id, index) => seedTicket(zendesk, id, index));
    const start = performance.now();
    const startedAt = Date.now();
    await postWebhooks(app.http.url, ids.map((id) => webhookFor(zendesk, id)), CONNECTIONS);
    const ingestSeconds = (performance.now() - start) / 1000;
    options.log(`slack: ${ids.length} webhooks accepted in ${ingestSeconds.toFixed(1)} s; the sender drains at Slack's pace`);
    await waitUntilQuiet(bench, options.log, startedAt);
    const lastCall = Math.max(...slack.calls.map((call) => call.at));

    const names = new Map<string, string>(); // channel id -> name cxloop used
    for (const message of slack.posts) if (message.sentTo.startsWith('#')) names.set(message.channel, message.sentTo);
    const named = (id: string) => names.get(id) ?? id;
    const seen = ticketsByChannel([...slack.posts, ...slack.updates], named);
    const status = options.policy.slack.status_channel;
    let missingInTeamChannel = 0;
    let missingInStatusChannel = 0;
    const missingSample: number[] = [];
    for (const id of ids) {
      const loop = (await app.loops.get(id))?.state;
      const team = loop ? options.policy.categories[loop.category].slack_channel : null;
      const inTeam = team !== null && (seen.get(team)?.has(id) ?? false);
      const inStatus = status === null || (seen.get(status)?.has(id) ?? false);
      if (!inTeam) missingInTeamChannel += 1;
      if (!inStatus) missingInStatusChannel += 1;
      if ((!inTeam || !inStatus) && missingSample.length < 10) missingSample.push(id);
    }
    const channels = channelFigures(slack.posts, slack.updates, slack.calls, named);
    const perTicketKeys = (await memoryByKeyType(bench.redis, bench.prefix, ids.length)).filter((type) => type.type.includes('{id}'));
    return {
      tickets: ids.length,
      seconds: round((lastCall - startedAt) / 1000),
      ingestSeconds: round(ingestSeconds),
      posts: slack.posts.length,
      updates: slack.updates.length,
      digests: slack.posts.filter(isDigest).length,
      cards: slack.posts.filter((message) => blockIds(message).some((id) => id.startsWith('cx_t_'))).length,
      channels,
      maxPostsPerChannelMinute: Math.max(0, ...channels.map((channel) => channel.maxPostsPerMinute)),
      rateLimited: slack.stats.rateLimited,
      sustainedRateLimiting: channels.some((channel) => channel.maxRateLimitedPerMinuteAfterFirst > 1),
      missingInTeamChannel,
      missingInStatusChannel,
      missingSample,
      perTicketKeys,
    };
  });
}

/** Waits until no job is queued or running and no Slack channel has work, for QUIET_MS in a row. */
async function waitUntilQuiet({ app, redis, prefix, slack }: BenchCxloop, log: (line: string) => void, startedAt: number): Promise<void> {
  const keys = createRedisKeys(prefix);
  const queues = [app.queues.events, app.queues.routes, app.queues.batches, app.queues.effects];
  let quietSince: number | null = null;
  let lastReport = Date.now();
  await until(async () => {
    const jobs = (await Promise.all(queues.map(pendingJobs))).reduce((sum, count) => sum + count, 0);
    const channelsWithWork = await redis.zcard(keys.slackReady);
    if (Date.now() - lastReport > 15_000) {
      log(`  ${Math.round((Date.now() - startedAt) / 1000)} s: ${slack.posts.length} Slack messages posted, ${slack.stats.rateLimited} 429s; ${jobs} jobs and ${channelsWithWork} channels with work left`);
      lastReport = Date.now();
    }
    if (jobs > 0 || channelsWithWork > 0) quietSince = null;
    else quietSince ??= Date.now();
    return quietSince !== null && Date.now() - quietSince >= QUIET_MS;
  }, 15 * 60_000, 'Slack burst', 200);
}

/** Ticket ids a message names: `cx_t_<id>` block ids, and `#<id>` in its text and every text of its blocks. */
export function ticketsIn(message: { readonly text: string; readonly blocks: readonly unknown[] }): Set<number> {
  const found = new Set<number>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const match of value.matchAll(/(?:^|[^\w&])#(\d{1,15})\b/g)) found.add(Number(match[1]));
      const block = /^cx_t_(\d{1,15})$/.exec(value);
      if (block) found.add(Number(block[1]));
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(visit);
  };
  visit(message.text);
  visit(message.blocks);
  return found;
}

function ticketsByChannel(messages: readonly FakeSlackMessage[], named: (id: string) => string): Map<string, Set<number>> {
  const byChannel = new Map<string, Set<number>>();
  for (const message of messages) {
    const channel = named(message.channel);
    const set = byChannel.get(channel) ?? new Set<number>();
    for (const id of ticketsIn(message)) set.add(id);
    byChannel.set(channel, set);
  }
  return byChannel;
}

function blockIds(message: FakeSlackMessage): string[] {
  return message.blocks.flatMap((block) => (typeof block === 'object' && block !== null && 'block_id' in block && typeof block.block_id === 'string' ? [block.block_id] : []));
}

function isDigest(message: FakeSlackMessage): boolean {
  return / updates at once/.test(message.text);
}

function channelFigures(posts: readonly FakeSlackMessage[], updates: readonly FakeSlackMessage[], calls: readonly FakeSlackCall[], named: (id: string) => string): ChannelFigures[] {
  const channels = [...new Set([...posts, ...updates].map((message) => message.channel))];
  return channels
    .map((channel) => {
      const limited = calls.filter((call) => call.channel === channel && call.status === 429).map((call) => call.at);
      return {
        channel: named(channel),
        posts: posts.filter((message) => message.channel === channel).length,
        updates: updates.filter((message) => message.channel === channel).length,
        maxPostsPerMinute: maxInWindow(posts.filter((message) => message.channel === channel).map((message) => message.at), WINDOW_MS),
        rateLimited: limited.length,
        maxRateLimitedPerMinuteAfterFirst: maxInWindow(limited.slice(1), WINDOW_MS),
      };
    })
    .sort((a, b) => b.posts - a.posts);
}
