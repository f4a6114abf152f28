import type { Env } from '../../config/env-schema.js';
import { mastersOf, type RedisClient } from './redis-connection.js';

/**
 * Every Redis key cxloop builds itself, in one place (BullMQ builds its own under `queuePrefix`).
 * All share the install's prefix (CXLOOP_REDIS_PREFIX), so several installs or test runs can
 * share one Redis. Keys of one ticket share a {hash tag} so a Redis Cluster keeps them together,
 * and the tickets spread over the cluster's shards.
 *
 * Every Lua script and MULTI touches keys of one hash slot: a ticket's keys (`{<ticket id>}`), or
 * install-wide keys used together, which share a tag of their own (`{rw}` the routing backlog,
 * `{dash}` the dashboard, `{zr}` the read budget ...). Install-wide keys a script never touches
 * with another key have none. Where a step spans a ticket and an install-wide key (the loop index,
 * the corrections stream), it is split into single-slot steps (see RedisLoopStore, RedisTicketStore).
 */
export interface RedisKeys {
  /** Hash: the ticket's last snapshot fields and routing state, and its Slack message refs (`m:card`, `m:status` -> "<configured> <channel id> <ts>") and brief (`b0`.. `bn`). */
  ticket(ticketId: number): string;
  /** String: the ticket's loop state, prefixed by its version. */
  loop(ticketId: number): string;
  /** String: the loop's history, one JSON entry per line per accepted transition, append-only (a list, as older releases wrote it, until the loop's next commit). */
  loopHistory(ticketId: number): string;
  /** Hash: effects of committed transitions not yet queued (version -> JSON), normally empty. */
  loopOutbox(ticketId: number): string;
  /** Sorted set: ticket ids by loop opening time, for reports over a window. */
  readonly loops: string;
  /** Stream: agents' corrections of cxloop's routing (training data). */
  readonly corrections: string;
  /** Hash with a TTL (e: the entry as JSON, l: the recording attempt's lease end): a ticket's correction frozen in its hash and not yet in the corrections stream (normally gone at once). */
  pendingCorrection(ticketId: number): string;
  /** String (binary): the install's learned model, as `cxloop train` stored it (model-codec.ts). */
  readonly model: string;
  /** String: that model's version; every process reads it often and reloads the model when it changes. */
  readonly modelVersion: string;
  /** String: Zendesk incremental export cursor of the reconciliation job. */
  readonly exportCursor: string;
  /** Sorted set: tickets the reconciliation read just after their update (their webhook may still be queued), as JSON snapshots scored by when to look again. */
  readonly exportRecheck: string;
  /** String: start time (epoch ms) of the next read of the incremental ticket events export, where survey responses are found. */
  readonly surveyCursor: string;
  /** Hash: per CSAT source (legacy, survey), when cxloop last received a rating and how many (`<source>:at`, `<source>:count`). */
  readonly csatReceived: string;
  /** String (JSON): the training export under way (`cxloop export-training`): cursor, counts, output file. */
  readonly trainingExport: string;
  /** Set: tickets that training export has produced a row for. */
  readonly trainingExported: string;
  /** Sorted set: send times of the Update Ticket calls of the last minute (the budget every process shares). */
  readonly updateBudget: string;
  /** String: no Update Ticket call before this time (a 429's Retry-After). */
  readonly updateHold: string;
  /** Sorted set: tickets left unrouted for being older than the routing window, scored by when (a week kept). */
  readonly tooOld: string;
  /** String (JSON): a ticket's brief as saved before it moved into the ticket hash; read only, until those expire. */
  ticketBrief(ticketId: number): string;
  /** List: messages waiting to be sent to one Slack channel, oldest first (JSON). */
  slackOutbox(channel: string): string;
  /** Set: "<kind> <ticket>" messages of one channel to re-render and edit in place (coalesced). */
  slackEdits(channel: string): string;
  /** Set: edits of one channel a sender has taken and not yet completed (back in slackEdits if it died). */
  slackEditsTaken(channel: string): string;
  /** Sorted set: channels with work, scored by when they may send next (pacing, 429 pauses). */
  readonly slackReady: string;
  /** Hash: channel -> when it may be called next, kept when the channel goes idle (pacing survives an empty queue). */
  readonly slackNext: string;
  /** List: messages Slack refused for good (unknown channel ...), kept for an operator. */
  readonly slackDead: string;
  /** String (JSON): the install's Zendesk OAuth access token, expiring with it. */
  readonly zendeskToken: string;
  /** String: who is renewing that token (a claim id), expiring on its own. */
  readonly zendeskTokenRenewal: string;
  /** Set with a short TTL: the members of a Slack user group or channel as Slack last listed them (`list` is "usergroup:S..." or "channel:C..."). */
  slackMembers(list: string): string;
  /** Hash: "#channel-name" -> the channel id Slack answered when cxloop posted there. */
  readonly slackChannelIds: string;
  /** Sorted set: tickets on the status channel's summary of live incidents (flag_live_status), scored by loop opening. */
  readonly liveIncidents: string;
  /** String: that summary message, "<configured channel> <channel id> <ts> <pin state>". */
  readonly liveSummary: string;
  /** String (counter): optional Zendesk reads spent in one minute (epoch minute), see RedisReadBudget. */
  zendeskReads(minute: number): string;
  /** String: set (with an expiry) while Zendesk's 429 asks optional reads to wait. */
  readonly zendeskReadsPaused: string;
  /** String with a TTL: a person's name as Slack or Zendesk answered it (`person` is "U…" or "zd:<id>"; '' for no name). */
  personName(person: string): string;
  /** Hash: the public comments a ticket got (`s:<effect key>` -> sending|sent, `b:<effect key>` the body while sending) when the last went out (`last`) and the ETA it promised (`eta`), epoch ms. */
  customerUpdates(ticketId: number): string;
  /** Hash: the ticket's status-page link (`k` token, `l` language, `z` time zone). */
  statusLink(ticketId: number): string;
  /** String: the ticket id a status-page token opens, keyed by the token's SHA-256 (hex). */
  statusToken(tokenHash: string): string;
  /** String (counter, a minute's TTL): requests of one client to one surface in one epoch minute. */
  requestCount(surface: string, client: string, minute: number): string;
  /** Hash: ticket id -> its routing write waiting for Zendesk (JSON), claimed or not (RedisRouteBacklog). */
  readonly routeEntries: string;
  /** Sorted set: ticket ids of unclaimed routing writes, scored by when they are due (Redis time, ms). */
  readonly routeDue: string;
  /** Sorted set: ticket ids of claimed routing writes, scored by the end of their lease (the claim's token). */
  readonly routeClaimed: string;
  /** Hash: ticket id -> token of the claim holding its routing write. */
  readonly routeOwners: string;
  /** Set: ticket ids whose last claim expired (a writer died, maybe mid-call). */
  readonly routeStalled: string;
  /** String: while set, no routing write is claimed (RouteBacklog.pause). */
  readonly routePaused: string;
  /** Hash: ticket id -> fields newer than its routing write, read before the write was in the backlog (RouteBacklog.rebase), for the write's claim. */
  readonly routeHeld: string;
  /** Sorted set: ticket ids of routeHeld, scored by when they were held (Redis time, ms): held fields are dropped after a while. */
  readonly routeHeldAt: string;
  /** String with a TTL: a batch of routing writes was claimed a moment ago, so a burst is on (writers wait to fill batches). */
  readonly routeBurst: string;
  /** Sorted set: every loop's next timer not yet claimed, member its timer key (`t-<ticket>-<kind>-<due>`, see timerKey), scored by its due time (cxloop's clock, ms). */
  readonly timersDue: string;
  /** Sorted set: timers a poller claimed and is firing, scored by the end of the claim's lease (Redis time, ms). */
  readonly timersClaimed: string;
  /** Hash: the dashboard's tally of the loops opened on one UTC day (epoch day), "<category>|<team>|<tier>|<counter>" -> count. */
  dashboardDay(day: number): string;
  /** Hash: ticket -> its contribution to that day's tally (a JSON array, dashboard-codec.ts: version, opening, group, counters, summary while undecided). */
  dashboardContributions(day: number): string;
  /** Sorted set: "<day>:<ticket>" of loops whose verdicts still wait on the clock, scored by the last such deadline. */
  readonly dashboardUndecided: string;
  /** Hash: ticket -> the Now page's row of each open loop (JSON). */
  readonly dashboardOpen: string;
  /** Hash: epoch day -> a version bumped whenever that day's tally changes (a reader re-reads only the days that changed). */
  readonly dashboardDayVersions: string;
  /** Hash: `seq`, bumped whenever a row of dashboardOpen changes, and `listed`, the seq before the first entry of dashboardOpenChanges. */
  readonly dashboardOpenLog: string;
  /** List: "<seq>:<ticket>" of the last few thousand row changes, oldest first, so a reader re-reads only what changed. */
  readonly dashboardOpenChanges: string;
  /** Sorted set: ticket -> the seq of its row's last change, as kept before dashboardOpenChanges (deleted when that list starts). */
  readonly dashboardOpenChangedSet: string;
  /** Hash: what each transition caused, for the loops opened on one UTC day: ticket -> one JSON line (version, time, effect labels or their codes, dashboard-codec.ts) per transition. */
  dashboardDayEffects(day: number): string;
  /** List of the same lines for one ticket, as written before they moved into the day's hash (read until it expires). */
  dashboardEffects(ticketId: number): string;
  /** Pub/sub channel: loops that moved (JSON LoopMove), for the dashboard's live updates. */
  readonly dashboardMoves: string;
  /** String with a TTL: a dashboard session (JSON). */
  dashboardSession(id: string): string;
  /** String with a TTL: a sign-in link that was used (a link signs in once). */
  dashboardLink(id: string): string;
  /** String: the secret that signs dashboard sign-in links when CXLOOP_DASHBOARD_SECRET is not set. */
  readonly dashboardSecret: string;
  /** String: set once the loops from before the dashboard are projected (while it runs: the process that does it, with a TTL). */
  readonly dashboardRebuilt: string;
  /** Prefix for one BullMQ queue (its `prefix` option): on a cluster, a hash tag per queue (BullMQ's scripts touch every key of a queue at once), so the queues spread over the shards. */
  queuePrefix(queue: string): string;
}

/**
 * How an install's keys are named: for one server (or Sentinel) as they always were, so an upgrade
 * finds its data; for a Redis Cluster, the install-wide keys that one script or transaction touches
 * together carry a shared hash tag, and every BullMQ queue one of its own.
 */
export type RedisKeyLayout = 'single' | 'cluster';

/** The keys of the install `env` names (its prefix, and the cluster layout when REDIS_CLUSTER_NODES is set). */
export function installRedisKeys(env: Pick<Env, 'CXLOOP_REDIS_PREFIX' | 'REDIS_CLUSTER_NODES'>): RedisKeys {
  return createRedisKeys(env.CXLOOP_REDIS_PREFIX, env.REDIS_CLUSTER_NODES === undefined ? 'single' : 'cluster');
}

export function createRedisKeys(prefix: string, layout: RedisKeyLayout = 'single'): RedisKeys {
  const cluster = layout === 'cluster';
  /** `<prefix>:<group><rest>`, the group a hash tag on a cluster: keys one script touches together. */
  const grouped = (group: string, rest: string) => (cluster ? `${prefix}:{${group}}${rest}` : `${prefix}:${group}${rest}`);
  return {
    ticket: (ticketId) => `${prefix}:t:{${ticketId}}`,
    loop: (ticketId) => `${prefix}:l:{${ticketId}}`,
    loopHistory: (ticketId) => `${prefix}:h:{${ticketId}}`,
    loopOutbox: (ticketId) => `${prefix}:fx:{${ticketId}}`,
    loops: `${prefix}:loops`,
    corrections: `${prefix}:corrections`,
    pendingCorrection: (ticketId) => `${prefix}:oc:{${ticketId}}`,
    // One group: the model and its version are saved and read in one transaction.
    model: grouped('model', ''),
    modelVersion: grouped('model', ':version'),
    exportCursor: `${prefix}:zendesk:export-cursor`,
    exportRecheck: `${prefix}:zendesk:export-recheck`,
    surveyCursor: `${prefix}:zendesk:survey-cursor`,
    csatReceived: `${prefix}:csat:received`,
    // One hash tag: the two are saved in one transaction.
    trainingExport: `${prefix}:{training-export}`,
    trainingExported: `${prefix}:{training-export}:tickets`,
    // One group: the budget script reads the hold.
    updateBudget: grouped('zd', ':budget'),
    updateHold: grouped('zd', ':hold'),
    tooOld: `${prefix}:too-old`,
    ticketBrief: (ticketId) => `${prefix}:b:{${ticketId}}`,
    // One group: the outbox scripts touch a channel's queues with the ready set, the pacing hash and the dead list.
    slackOutbox: (channel) => (cluster ? `${prefix}:{slack}:so:${channel}` : `${prefix}:so:${channel}`),
    slackEdits: (channel) => (cluster ? `${prefix}:{slack}:se:${channel}` : `${prefix}:se:${channel}`),
    slackEditsTaken: (channel) => (cluster ? `${prefix}:{slack}:st:${channel}` : `${prefix}:st:${channel}`),
    slackReady: grouped('slack', ':ready'),
    slackNext: grouped('slack', ':next'),
    slackDead: grouped('slack', ':dead'),
    // One group: storing a renewed token releases the renewal claim in the same script.
    zendeskToken: cluster ? `${prefix}:{zendesk-oauth}:token` : `${prefix}:zendesk:oauth-token`,
    zendeskTokenRenewal: cluster ? `${prefix}:{zendesk-oauth}:renewal` : `${prefix}:zendesk:oauth-renewal`,
    slackMembers: (list) => `${prefix}:slack:members:${list}`,
    slackChannelIds: `${prefix}:slack:channel-ids`,
    liveIncidents: `${prefix}:slack:live`,
    liveSummary: `${prefix}:slack:live-summary`,
    // One hash tag: the budget script touches both keys.
    zendeskReads: (minute) => `${prefix}:{zr}:${minute}`,
    zendeskReadsPaused: `${prefix}:{zr}:paused`,
    // One group: names are read many at once (MGET).
    personName: (person) => grouped('name', `:${person}`),
    customerUpdates: (ticketId) => `${prefix}:cu:{${ticketId}}`,
    statusLink: (ticketId) => `${prefix}:sl:{${ticketId}}`,
    statusToken: (tokenHash) => `${prefix}:slt:${tokenHash}`,
    requestCount: (surface, client, minute) => `${prefix}:rl:${surface}:${client}:${minute}`,
    // One hash tag: the backlog's scripts touch these keys (and only those).
    routeEntries: `${prefix}:{rw}:entries`,
    routeDue: `${prefix}:{rw}:due`,
    routeClaimed: `${prefix}:{rw}:claimed`,
    routeOwners: `${prefix}:{rw}:owners`,
    routeStalled: `${prefix}:{rw}:stalled`,
    routePaused: `${prefix}:{rw}:paused`,
    routeHeld: `${prefix}:{rw}:held`,
    routeHeldAt: `${prefix}:{rw}:heldat`,
    routeBurst: `${prefix}:{rw}:burst`,
    // One group: the timer scripts move timers between the two (and touch no other key).
    timersDue: grouped('tm', ':due'),
    timersClaimed: grouped('tm', ':claimed'),
    // One hash tag: the projection script updates a day's tally, its contributions, the undecided set and the open rows at once.
    dashboardDay: (day) => `${prefix}:{dash}:d:${day}`,
    dashboardContributions: (day) => `${prefix}:{dash}:c:${day}`,
    dashboardUndecided: `${prefix}:{dash}:due`,
    dashboardOpen: `${prefix}:{dash}:open`,
    dashboardDayVersions: `${prefix}:{dash}:dv`,
    dashboardOpenLog: `${prefix}:{dash}:open:log`,
    dashboardOpenChanges: `${prefix}:{dash}:open:changes`,
    dashboardOpenChangedSet: `${prefix}:{dash}:open:changed`,
    dashboardDayEffects: (day) => `${prefix}:{dash}:x:${day}`,
    dashboardEffects: (ticketId) => `${prefix}:fxlog:{${ticketId}}`,
    dashboardMoves: `${prefix}:dash:moved`,
    dashboardSession: (id) => `${prefix}:dash:session:${id}`,
    dashboardLink: (id) => `${prefix}:dash:link:${id}`,
    dashboardSecret: `${prefix}:dash:secret`,
    dashboardRebuilt: `${prefix}:dash:rebuilt`,
    queuePrefix: (queue) => (cluster ? `${prefix}:q:{${queue}}` : `${prefix}:q`),
  };
}

/**
 * Deletes every key of an install, BullMQ's included (`<prefix>:*`): test runs and benchmarks
 * clean up with it. On a cluster, each master is scanned, and its keys deleted one by one (a DEL
 * of several keys must stay within one slot).
 */
export async function deleteInstallKeys(redis: RedisClient, prefix: string): Promise<void> {
  if (redis.isCluster) await redis.ping(); // the masters are known once the cluster is ready
  for (const server of mastersOf(redis)) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length === 0) continue;
      if (!redis.isCluster) {
        await server.del(...keys);
        continue;
      }
      const deletes = server.pipeline();
      for (const key of keys) deletes.del(key);
      await deletes.exec();
    } while (cursor !== '0');
  }
}
