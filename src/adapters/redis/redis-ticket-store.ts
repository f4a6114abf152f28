import type { Correction, CorrectionLog, Reassignment, ReassignmentLog, RoutedMark, RoutingClaim, TicketBrief, TicketRecord, TicketStore } from '../../app/ports.js';
import type { RoutingState } from '../../core/routing/detect-override.js';
import type { Override } from '../../core/routing/detect-override.js';
import { isCategoryId, TIERS, type Tier } from '../../core/taxonomy.js';
import { ZENDESK_STATUSES, type CsatSource, type SatisfactionScore, type TicketSnapshot, type ZendeskStatus } from '../../core/ticket-event.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import { runScript } from './run-script.js';
import { briefChunks, SAVE_BRIEF_LUA } from './ticket-brief-fields.js';

/** A ticket's hash lives this long after its last event. */
const TICKET_TTL_SECONDS = 30 * 86_400;
/** The corrections stream keeps about this many entries. */
const CORRECTIONS_MAX = 100_000;
/** How much earlier than a correction's time its stream id may be read from. */
const RECORDING_MARGIN_MS = 86_400_000;
/** Corrections read per XRANGE call. */
const CORRECTIONS_PAGE = 1_000;
/**
 * Characters of a corrected ticket's text kept with its correction (training data for `cxloop
 * train`): about what the model reads of a body, and at most ~2 KB per entry.
 */
export const CORRECTION_TEXT_MAX = { subject: 200, description: 2_000 } as const;
/** Tickets left unrouted as too old are remembered this long (the log says so once per ticket in it; doctor counts them). */
export const TOO_OLD_KEPT_MS = 7 * 86_400_000;

// Field names are short on purpose: one hash per open ticket (budget: 2 KB per loop, issue 4).
// u updatedAt ms, s status, g group, rs routing status (pending|routed|overridden),
// cat category, tier, rg group cxloop sets, bg group when classified, rk key of the event that
// claimed the routing (only while pending), wv updated_at cxloop's write was made on (routed).

/**
 * Lua: claims the routing of the ticket in hash `key` from the claim's arguments at ARGV[first]
 * (claimArgs: category, tier, group, base group, claiming event, then the brief's chunks; none:
 * the brief is left as it is). The caller checks that the ticket has no routing yet.
 */
const CLAIM_LUA = `${SAVE_BRIEF_LUA}
local function claim(key, first)
  redis.call('HSET', key, 'rs', 'pending', 'cat', ARGV[first], 'tier', ARGV[first + 1], 'rg', ARGV[first + 2], 'bg', ARGV[first + 3], 'rk', ARGV[first + 4])
  if #ARGV > first + 4 then saveBrief(key, first + 5) end
end`;

/**
 * Applies a snapshot only if it is not older than the stored one; returns the previous fields.
 * ARGV updated, status, group, ttl, then optionally the claim as CLAIM takes it (category, tier,
 * group, base group, claiming event, the brief's chunks): made only if the ticket has no routing
 * yet and the snapshot is not older than the stored one, in the same step (one script fewer for a
 * new ticket). A stale snapshot claims nothing: its newer one, already stored, routes the ticket
 * on the version Zendesk has, where a write planned on the stale one would spend a 409.
 */
const OBSERVE = `${CLAIM_LUA}
local old = redis.call('HMGET', KEYS[1], 'u', 's', 'rs', 'cat', 'tier', 'rg', 'bg', 'rk', 'wv')
local applied = 0
if (not old[1]) or tonumber(ARGV[1]) >= tonumber(old[1]) then
  redis.call('HSET', KEYS[1], 'u', ARGV[1], 's', ARGV[2], 'g', ARGV[3])
  applied = 1
end
local claimed = 0
if #ARGV > 4 and applied == 1 and not old[3] then
  claim(KEYS[1], 5)
  claimed = 1
end
redis.call('EXPIRE', KEYS[1], ARGV[4])
return {applied, claimed, old[1] or '', old[2] or '', old[3] or '', old[4] or '', old[5] or '', old[6] or '', old[7] or '', old[8] or '', old[9] or ''}`;

/** ARGV ttl, then the claim (claimArgs). */
const CLAIM = `${CLAIM_LUA}
if redis.call('HEXISTS', KEYS[1], 'rs') == 1 then return 0 end
claim(KEYS[1], 2)
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1`;

/** KEYS ticket hashes, ARGV the updated_at each write was made on: marks each still pending routed; returns how many. */
const MARK_ROUTED = `
local marked = 0
for index, key in ipairs(KEYS) do
  if redis.call('HGET', key, 'rs') == 'pending' then
    redis.call('HSET', key, 'rs', 'routed', 'wv', ARGV[index])
    redis.call('HDEL', key, 'rk')
    marked = marked + 1
  end
end
return marked`;

/** A correction frozen but not yet in the corrections stream is kept this long (the job that froze it is retried well within). */
const PENDING_CORRECTION_TTL_SECONDS = 7 * 86_400;

/** How long one attempt holds a frozen correction before another may record it (a crashed attempt's job is retried later than this). */
export const CORRECTION_LEASE_MS = 30_000;

/**
 * KEYS ticket hash, pending correction (a hash, the ticket's slot). ARGV entry (JSON), ttl
 * seconds, lease ms. Freezes the routing and keeps the correction until it is in the stream
 * (recordOverride). Returns {1, entry} with the entry to record (this one, or one an earlier
 * attempt froze and did not get to record, whose lease has ended), {0} when there is nothing to
 * record, {2} while another attempt holds the lease. The lease is Redis's clock (TIME), so
 * processes on different machines agree.
 */
const OVERRIDE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rs = redis.call('HGET', KEYS[1], 'rs')
if rs == 'overridden' then
  local entry = redis.call('HGET', KEYS[2], 'e')
  if not entry then return {0} end
  if tonumber(redis.call('HGET', KEYS[2], 'l') or '0') > now then return {2} end
  redis.call('HSET', KEYS[2], 'l', now + tonumber(ARGV[3]))
  return {1, entry}
end
if rs ~= 'pending' and rs ~= 'routed' then return {0} end
redis.call('HSET', KEYS[1], 'rs', 'overridden')
redis.call('HDEL', KEYS[1], 'rk')
redis.call('HSET', KEYS[2], 'e', ARGV[1], 'l', now + tonumber(ARGV[3]))
redis.call('EXPIRE', KEYS[2], ARGV[2])
return {1, ARGV[1]}`;

/** Thrown while another attempt records the same correction: the job is retried, and then finds it recorded or its lease ended. */
export class CorrectionBusyError extends Error {
  constructor(ticketId: number) {
    super(`the correction of ticket ${ticketId} is being recorded by another attempt; retrying`);
    this.name = 'CorrectionBusyError';
  }
}

export class RedisTicketStore implements TicketStore, CorrectionLog, ReassignmentLog {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly leaseMs = CORRECTION_LEASE_MS,
  ) {}

  async observe(snapshot: TicketSnapshot, claim?: RoutingClaim): Promise<{ applied: boolean; previous: TicketRecord | null; claimed: boolean }> {
    const reply = (await runScript(this.redis, 
      OBSERVE,
      1,
      this.keys.ticket(snapshot.id),
      snapshot.updatedAt,
      snapshot.status ?? '',
      snapshot.groupId ?? '',
      TICKET_TTL_SECONDS,
      ...(claim ? claimArgs(claim) : []),
    )) as [number, number, ...string[]];
    const [applied, claimed, ...fields] = reply;
    return { applied: applied === 1, previous: recordOf(snapshot.id, fields), claimed: claimed === 1 };
  }

  async get(ticketId: number): Promise<TicketRecord | null> {
    const fields = await this.redis.hmget(this.keys.ticket(ticketId), 'u', 's', 'rs', 'cat', 'tier', 'rg', 'bg', 'rk', 'wv');
    return recordOf(
      ticketId,
      fields.map((field) => field ?? ''),
    );
  }

  async claimRouting(ticketId: number, routing: RoutingState & { readonly tier: Tier }, claimedBy: string, brief?: TicketBrief): Promise<boolean> {
    const claimed = await runScript(this.redis, CLAIM, 1, this.keys.ticket(ticketId), TICKET_TTL_SECONDS, ...claimArgs({ routing, claimedBy, ...(brief ? { brief } : {}) }));
    return claimed === 1;
  }

  async markRouted(ticketId: number, writtenOver: number): Promise<void> {
    await this.markAllRouted([{ ticketId, writtenOver }]);
  }

  /**
   * One script for a whole batch on one server (a batch's hundred tickets were a hundred calls);
   * on a cluster the tickets' hashes lie in slots of their own, so one script per ticket, sent together.
   */
  async markAllRouted(marks: readonly RoutedMark[]): Promise<void> {
    if (marks.length === 0) return;
    const groups = this.redis.isCluster ? marks.map((mark) => [mark]) : [marks];
    await Promise.all(
      groups.map((group) =>
        runScript(this.redis, MARK_ROUTED, group.length, ...group.map((mark) => this.keys.ticket(mark.ticketId)), ...group.map((mark) => mark.writtenOver)),
      ),
    );
  }

  async recordOverride(correction: Correction): Promise<boolean> {
    const { override } = correction;
    const entry = [
      'ticket',
      String(correction.ticketId),
      'field',
      override.field,
      'from',
      String(override.from ?? ''),
      'to',
      String(override.to ?? ''),
      'actor',
      String(correction.actorId ?? ''),
      'at',
      new Date(correction.at).toISOString(),
      ...(correction.text
        ? ['subject', correction.text.subject.slice(0, CORRECTION_TEXT_MAX.subject), 'body', correction.text.description.slice(0, CORRECTION_TEXT_MAX.description)]
        : []),
    ];
    // The freeze is the ticket's (its slot), the stream install-wide (another slot on a cluster):
    // three steps, each safe to repeat. A retry after a crash between them finds the correction
    // still pending and records it once the crashed attempt's lease has ended; an attempt running
    // at the same time is refused the lease. Only a crash between XADD and DEL can record it twice.
    const pending = this.keys.pendingCorrection(correction.ticketId);
    const args = [JSON.stringify(entry), PENDING_CORRECTION_TTL_SECONDS, this.leaseMs];
    const [outcome, frozen] = (await runScript(this.redis, OVERRIDE, 2, this.keys.ticket(correction.ticketId), pending, ...args)) as [0 | 1 | 2, string?];
    if (outcome === 2) throw new CorrectionBusyError(correction.ticketId);
    if (outcome === 0 || frozen === undefined) return false;
    await this.redis.xadd(this.keys.corrections, 'MAXLEN', '~', CORRECTIONS_MAX, '*', ...(JSON.parse(frozen) as string[]));
    await this.redis.del(pending);
    return true;
  }

  async recordReassignment(reassignment: Reassignment): Promise<void> {
    const { text } = reassignment;
    await this.redis.xadd(
      this.keys.corrections,
      'MAXLEN',
      '~',
      CORRECTIONS_MAX,
      '*',
      'ticket',
      String(reassignment.ticketId),
      'field',
      'category',
      'from',
      reassignment.from,
      'to',
      reassignment.to,
      'actor',
      '',
      'via',
      'slack',
      'slack_user',
      reassignment.user,
      'at',
      new Date(reassignment.at).toISOString(),
      'subject',
      text.subject.slice(0, CORRECTION_TEXT_MAX.subject),
      'body',
      text.description.slice(0, CORRECTION_TEXT_MAX.description),
    );
  }

  /**
   * The agents' corrections made at or after `since`, oldest first (Slack reassignments, also in
   * the stream for `cxloop train`, are left out: the loops' histories have them). Stream ids are when Redis recorded them,
   * a little after they were made in Zendesk; a day's margin covers any delay or clock skew.
   */
  async correctionsSince(since: number): Promise<Correction[]> {
    const corrections: Correction[] = [];
    let start = String(Math.max(0, Math.floor(since - RECORDING_MARGIN_MS)));
    for (;;) {
      const entries = await this.redis.xrange(this.keys.corrections, start, '+', 'COUNT', CORRECTIONS_PAGE);
      for (const [, fields] of entries) {
        const correction = correctionOf(fields);
        if (correction !== null && correction.at >= since) corrections.push(correction);
      }
      const last = entries[entries.length - 1];
      if (last === undefined || entries.length < CORRECTIONS_PAGE) return corrections;
      start = `(${last[0]}`;
    }
  }

  async recordSatisfaction(ticketId: number, score: SatisfactionScore, at: number, source: CsatSource): Promise<void> {
    await this.redis.hset(this.keys.ticket(ticketId), 'csat', score, 'csat_at', at);
    // Single-key commands, not one script: the per-ticket hash and the install-wide tally may live on different cluster slots.
    await Promise.all([this.redis.hset(this.keys.csatReceived, `${source}:at`, at), this.redis.hincrby(this.keys.csatReceived, `${source}:count`, 1)]);
  }

  /** When cxloop last received a rating from each CSAT source, and how many in all. */
  async csatReceived(): Promise<Record<CsatSource, { at: number; count: number } | null>> {
    const fields = await this.redis.hgetall(this.keys.csatReceived);
    const of = (source: CsatSource) => {
      const at = Number(fields[`${source}:at`]);
      return Number.isFinite(at) && at > 0 ? { at, count: Number(fields[`${source}:count`] ?? 0) } : null;
    };
    return { legacy: of('legacy'), survey: of('survey') };
  }

  async noteTooOld(ticketId: number, at: number): Promise<boolean> {
    const replies = await this.redis.multi().zadd(this.keys.tooOld, 'NX', at, ticketId).zremrangebyscore(this.keys.tooOld, '-inf', `(${at - TOO_OLD_KEPT_MS}`).exec();
    return replies?.[0]?.[1] === 1;
  }

  /** How many tickets were left unrouted as too old since `since`, and the latest of them. */
  async tooOldSince(since: number): Promise<{ count: number; latest: { ticketId: number; at: number } | null }> {
    const [count, latest] = await Promise.all([this.redis.zcount(this.keys.tooOld, String(since), '+inf'), this.redis.zrange(this.keys.tooOld, '-1', '-1', 'WITHSCORES')]);
    const [ticketId, at] = latest;
    return { count, latest: count > 0 && ticketId !== undefined && at !== undefined ? { ticketId: Number(ticketId), at: Number(at) } : null };
  }

  async getExportCursor(): Promise<string | null> {
    return this.redis.get(this.keys.exportCursor);
  }

  async setExportCursor(cursor: string): Promise<void> {
    await this.redis.set(this.keys.exportCursor, cursor);
  }

  async deferObservation(snapshot: TicketSnapshot, dueAt: number): Promise<void> {
    // One member per ticket version: a second read of the same version before the recheck changes nothing.
    await this.redis.zadd(this.keys.exportRecheck, 'NX', dueAt, JSON.stringify(snapshot));
  }

  async dueObservations(now: number, max: number): Promise<{ snapshot: TicketSnapshot; handle: string }[]> {
    const members = await this.redis.zrangebyscore(this.keys.exportRecheck, '-inf', now, 'LIMIT', 0, max);
    return members.map((member) => ({ snapshot: JSON.parse(member) as TicketSnapshot, handle: member }));
  }

  async dropObservations(handles: readonly string[]): Promise<void> {
    if (handles.length > 0) await this.redis.zrem(this.keys.exportRecheck, ...handles);
  }

  async getSurveyCursor(): Promise<number | null> {
    const saved = Number(await this.redis.get(this.keys.surveyCursor));
    return Number.isFinite(saved) && saved > 0 ? saved : null;
  }

  async setSurveyCursor(startTime: number): Promise<void> {
    await this.redis.set(this.keys.surveyCursor, String(startTime));
  }
}

/** The fields HMGET u s rs cat tier rg bg rk wv returned ('' = missing), or null for an unknown ticket. */
/** A claim's arguments as CLAIM_LUA reads them: category, tier, group, base group, claiming event, the brief's chunks. */
function claimArgs({ routing, claimedBy, brief }: RoutingClaim): string[] {
  return [routing.category, routing.tier, String(routing.groupId ?? ''), String(routing.baseGroupId ?? ''), claimedBy, ...(brief ? briefChunks(brief) : [])];
}

function recordOf(ticketId: number, fields: readonly string[]): TicketRecord | null {
  const [updatedAt = '', status = '', routingStatus = '', category = '', tier = '', groupId = '', baseGroupId = '', claimedBy = '', writtenOver = ''] = fields;
  if (updatedAt === '' && routingStatus === '') return null;
  const routing =
    (routingStatus === 'pending' || routingStatus === 'routed' || routingStatus === 'overridden') && isCategoryId(category)
      ? {
          status: routingStatus === 'pending' ? ('pending' as const) : ('routed' as const),
          category,
          tier: (TIERS as readonly string[]).includes(tier) ? (tier as Tier) : 'normal',
          groupId: groupId === '' ? null : Number(groupId),
          baseGroupId: baseGroupId === '' ? null : Number(baseGroupId),
          claimedBy: claimedBy === '' ? null : claimedBy,
          writtenOver: writtenOver === '' ? null : Number(writtenOver),
        }
      : null;
  return {
    ticketId,
    updatedAt: updatedAt === '' ? 0 : Number(updatedAt),
    status: (ZENDESK_STATUSES as readonly string[]).includes(status) ? (status as ZendeskStatus) : null,
    routing,
    overridden: routingStatus === 'overridden',
  };
}

/** A corrections stream entry (ticket, field, from, to, actor, at; as recordOverride writes it), or null for one it cannot read. */
function correctionOf(fields: readonly string[]): Correction | null {
  const value = (name: string): string => {
    const index = fields.findIndex((field, position) => position % 2 === 0 && field === name);
    return index === -1 ? '' : (fields[index + 1] ?? '');
  };
  const ticketId = Number(value('ticket'));
  const at = Date.parse(value('at'));
  if (!Number.isSafeInteger(ticketId) || ticketId <= 0 || Number.isNaN(at) || value('via') === 'slack') return null;
  const actor = value('actor');
  let override: Override;
  if (value('field') === 'category') {
    const from = value('from');
    const to = value('to');
    if (!isCategoryId(from) || (to !== '' && !isCategoryId(to))) return null;
    override = { field: 'category', from, to: to === '' ? null : to };
  } else if (value('field') === 'group') {
    const groupOf = (text: string): number | null => (text === '' ? null : Number(text));
    override = { field: 'group', from: groupOf(value('from')), to: groupOf(value('to')) };
  } else {
    return null;
  }
  return { ticketId, override, actorId: actor === '' ? null : Number(actor), at };
}
