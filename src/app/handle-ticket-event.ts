import type { Policy } from '../config/policy-schema.js';
import { scoreOfSurveyRating } from '../core/csat-survey.js';
import { loopEventsOf } from '../core/loop/loop-events.js';
import { detectOverride, taggedCategory, type Override } from '../core/routing/detect-override.js';
import { describeRoutingExtras, foundExtras } from '../core/routing/routing-extras.js';
import { ticketFieldsOf } from '../core/routing/route-plan.js';
import { categoryTag, FINAL_STATUSES, type SatisfactionEvent, type SatisfactionScore, type TicketChangeEvent, type TicketEvent, type TicketSnapshot } from '../core/ticket-event.js';
import { planRoute, ticketFromSnapshot } from './plan-route.js';
import type { Logger, RouteQueue, RoutingClaim, StoredLoop, TicketBrief, TicketBriefs, TicketClassifier, TicketRecord, TicketStore, ZendeskApi } from './ports.js';
import { runRoutingActions, type RoutingActionDeps } from './run-routing-actions.js';
import { applyLoopEvents, openClaimedTicketLoop, openTicketLoop, type LoopDeps } from './run-loop.js';
import { isZendeskError } from './zendesk-api-error.js';

export interface TicketEventDeps {
  readonly store: TicketStore;
  readonly routes: RouteQueue;
  readonly zendesk: Pick<ZendeskApi, 'currentUserId' | 'satisfactionOf'>;
  readonly classifier: TicketClassifier;
  readonly policy: Policy;
  readonly loop: LoopDeps;
  /** Where what Slack shows of a ticket is kept (subject, excerpt, why routed, what on_routing found). */
  readonly briefs: TicketBriefs;
  /** The routing write's on_routing actions (requester context, PM review tag, article search). */
  readonly actions: RoutingActionDeps;
  /** The agent's page of a ticket, for links in the routing note; null leaves them out. */
  readonly ticketUrl: (ticketId: number) => string | null;
  readonly logger: Logger;
  readonly now: () => number;
}

/** What a Slack card shows of the ticket; the rest is a click away in Zendesk, and every open loop keeps one. */
const BRIEF_SUBJECT_MAX = 150;
const BRIEF_EXCERPT_MAX = 200;

export type EventOutcome = 'routing' | 'override' | 'updated' | 'stale' | 'not_routed' | 'satisfaction' | 'satisfaction_unread';

/** A ticket first seen this long after it was created is left alone (it predates cxloop or an outage). */
export const ROUTE_MAX_AGE_MS = 3 * 86_400_000;
const TOO_OLD = 'created before the routing window';

/**
 * One Zendesk event, in any order and possibly twice: keeps the newest snapshot, routes a ticket
 * the first time it is seen (opening its loop), records an agent's change of cxloop's routing as
 * an override, and moves the loop of a routed ticket on. Events caused by cxloop's own writes
 * never route again: routing happens once per ticket and its own changes are not overrides.
 * A scrubbed ticket's brief is dropped before its loop moves, so Slack re-renders it without text.
 */
export async function handleTicketEvent(event: TicketEvent, receivedAt: number, deps: TicketEventDeps): Promise<EventOutcome> {
  if (event.kind === 'satisfaction_rated') return handleSatisfaction(event, deps);
  // A new ticket's creation is decided before it is stored, so storing it claims its routing in
  // the same step; any other event is routed, if it must be, after it is stored and read.
  const early = event.kind === 'created' && whyNotRoute(event.snapshot, deps.now()) === null ? await decideRouting(event.snapshot, deps) : null;
  const { applied, previous, claimed } = await deps.store.observe(event.snapshot, early ? { routing: early.routing, claimedBy: event.key, brief: early.brief } : undefined);
  if (applied && event.snapshot.status === 'scrubbed') await deps.briefs.forget(event.ticketId);
  const { outcome, override, opened } = claimed && early ? { ...(await route(event, early, false, receivedAt, deps)), override: null } : await routeOrCorrect(event, applied, previous, early, receivedAt, deps);
  if (outcome === 'routing' || previous?.routing) await moveLoop(event, applied, override, opened, deps);
  return outcome;
}

async function handleSatisfaction(event: SatisfactionEvent, deps: TicketEventDeps): Promise<EventOutcome> {
  const source = event.source ?? 'legacy';
  const score = source === 'survey' ? surveyScore(event, deps) : (event.score ?? (await readBackScore(event.ticketId, deps)));
  if (score === null) return 'satisfaction_unread';
  await deps.store.recordSatisfaction(event.ticketId, score, event.occurredAt, source);
  if (score === 'good' || score === 'bad') await applyLoopEvents(event.ticketId, [{ type: 'csat', score }], event.key, deps.loop);
  return 'satisfaction';
}

/** A survey response's rating, good/bad/neutral by the policy's thresholds (loop.csat_survey). */
function surveyScore(event: SatisfactionEvent, deps: TicketEventDeps): SatisfactionScore | null {
  if (event.rating === undefined) {
    deps.logger.log('warn', 'survey response not applied: it carries no rating', { ticketId: event.ticketId });
    return null;
  }
  const { scale, bad_at_most: badAtMost, good_at_least: goodAtLeast } = deps.policy.loop.csat_survey;
  const score = scoreOfSurveyRating(event.rating, { scale, badAtMost, goodAtLeast });
  if (score === null) {
    deps.logger.log('warn', 'survey response not applied: its rating is not on the scale (set loop.csat_survey.scale to the survey\'s number of points)', {
      ticketId: event.ticketId,
      rating: event.rating.value,
      scale: event.rating.scale ?? scale,
    });
  }
  return score;
}

/**
 * A rating sent as display text cxloop cannot read (an old trigger, a requester not writing
 * English): the score is read from the ticket instead. A failure that may pass (Zendesk down, rate
 * limited) is thrown, so the job is retried; a ticket Zendesk does not show is logged and dropped.
 */
async function readBackScore(ticketId: number, deps: TicketEventDeps): Promise<SatisfactionScore | null> {
  deps.logger.log('warn', 'CSAT trigger sent the rating as display text: reading the score from Zendesk; run `cxloop install zendesk` to update the trigger', { ticketId });
  let score: SatisfactionScore | null;
  try {
    score = await deps.zendesk.satisfactionOf(ticketId);
  } catch (error) {
    if (!isZendeskError(error, 'NOT_FOUND') && !isZendeskError(error, 'REJECTED')) throw error;
    deps.logger.log('warn', 'CSAT rating not applied: its score could not be read from Zendesk', { ticketId, error: error.message });
    return null;
  }
  if (score === null) deps.logger.log('warn', 'CSAT rating not applied: Zendesk shows no satisfaction rating on the ticket', { ticketId });
  return score;
}

async function routeOrCorrect(
  event: TicketChangeEvent,
  applied: boolean,
  previous: TicketRecord | null,
  /** The routing decided before the snapshot was stored (a new ticket's), if it was. */
  early: RoutingDecided | null,
  receivedAt: number,
  deps: TicketEventDeps,
): Promise<{ outcome: EventOutcome; override: Override | null; opened?: StoredLoop | null }> {
  const none = (outcome: EventOutcome) => ({ outcome, override: null });
  if (previous?.overridden) return none(applied ? 'updated' : 'stale');
  const routing = previous?.routing ?? null;
  if (routing === null || routing.status === 'pending') {
    const pendingOverride = routing !== null && applied ? await overrideOf(event, routing, deps) : null;
    if (pendingOverride !== null) return { outcome: 'override', override: pendingOverride };
    // A snapshot older than the stored one routes nothing: the event that stored the newer one does.
    if (routing === null) return applied ? { ...(await routeIfNew(event, false, early, receivedAt, deps)), override: null } : none('stale');
    // Only the retry of the event that claimed the routing (its first attempt may have died before
    // queueing the write) queues it again, with the same plan. Any other event (a repeat, an
    // older or newer snapshot, Zendesk's echo of the write in flight) leaves the write to it: a plan
    // made from a snapshot that already shows cxloop's write would write the ticket twice.
    // Claims from before the claiming event was kept (null) queue again as they always did.
    const claimer = routing.claimedBy === undefined || routing.claimedBy === null || routing.claimedBy === event.key;
    if (claimer) return { ...(await routeIfNew(event, true, early, receivedAt, deps)), override: null };
    if (!applied) return none('stale');
    // A newer snapshot from before the write (one showing it is Zendesk's echo): write on it.
    // The write may still be on its way to the backlog (its event is opening the loop beside it, in
    // this process or another): the backlog then holds the fields for the write's claim.
    if (!event.snapshot.tags.includes(categoryTag(routing.category))) await deps.routes.rebase(event.ticketId, ticketFieldsOf(event.snapshot));
    return none('updated');
  }
  if (!applied) return none('stale');
  const override = await overrideOf(event, routing, deps);
  return { outcome: override ? 'override' : 'updated', override };
}


/**
 * Applies what this event means to the loop of a routed ticket; `opened` is the loop this very
 * event has just opened (undefined: read it).
 */
async function moveLoop(event: TicketChangeEvent, applied: boolean, override: Override | null, opened: StoredLoop | null | undefined, deps: TicketEventDeps): Promise<void> {
  const stored = opened === undefined ? await deps.loop.store.get(event.ticketId) : opened;
  if (!stored) return;
  const selfId = await deps.zendesk.currentUserId();
  const events = loopEventsOf(event, stored.state, { newest: applied, selfId, override });
  if (events.length === 0) return;
  await applyLoopEvents(event.ticketId, events, event.key, deps.loop);
  if (events.some((loopEvent) => loopEvent.type === 'status_changed')) await catchUpStatus(event, deps);
}

/**
 * A newer snapshot stored while this event moved the loop (another worker's event, in parallel)
 * may have read the loop before this status change and found nothing to change: the ticket
 * solved, then reopened, would stay solved. Read after this commit, the newest status is the
 * loop's; a newer event reading the loop after it finds it applied and changes nothing.
 */
async function catchUpStatus(event: TicketChangeEvent, deps: TicketEventDeps): Promise<void> {
  const newest = await deps.store.get(event.ticketId);
  if (!newest || newest.updatedAt <= event.snapshot.updatedAt || newest.status === null || newest.status === event.snapshot.status) return;
  await applyLoopEvents(event.ticketId, [{ type: 'status_changed', status: newest.status }], `${event.key}>${newest.updatedAt}`, deps.loop);
}

async function routeIfNew(
  event: TicketChangeEvent,
  claimed: boolean,
  early: RoutingDecided | null,
  receivedAt: number,
  deps: TicketEventDeps,
): Promise<{ outcome: EventOutcome; opened?: StoredLoop | null }> {
  const { snapshot } = event;
  const now = deps.now();
  if (!claimed) {
    const reason = whyNotRoute(snapshot, now);
    if (reason !== null) {
      // The routing window is said once per ticket at info (a busy old ticket would repeat it on every event).
      if (reason === TOO_OLD && (await deps.store.noteTooOld(snapshot.id, now))) {
        deps.logger.log('info', `ticket not routed: older than the ${ROUTE_MAX_AGE_MS / 86_400_000}-day routing window`, {
          ticketId: snapshot.id,
          ageHours: Math.floor((now - snapshot.createdAt) / 3_600_000),
        });
      } else {
        deps.logger.log('debug', 'ticket not routed', { ticketId: snapshot.id, reason });
      }
      return { outcome: 'not_routed' };
    }
  }
  // The claimer's retry of a new ticket has decided already, on this same snapshot: not classified twice.
  const decided = early ?? (await decideRouting(snapshot, deps));
  if (!claimed) {
    // The claim saves the brief too; what on_routing finds is added below.
    const won = await deps.store.claimRouting(snapshot.id, decided.routing, event.key, decided.brief);
    if (!won) return { outcome: 'updated' };
  }
  return route(event, decided, claimed, receivedAt, deps);
}

/** What routing a ticket means before anything is written: the classifier's decision, the brief, the routing claimed. */
interface RoutingDecided {
  readonly decision: Awaited<ReturnType<TicketClassifier['classify']>>;
  readonly brief: TicketBrief;
  readonly routing: RoutingClaim['routing'];
}

async function decideRouting(snapshot: TicketSnapshot, deps: TicketEventDeps): Promise<RoutingDecided> {
  const decision = await deps.classifier.classify(ticketFromSnapshot(snapshot));
  const brief: TicketBrief = {
    ticketId: snapshot.id,
    subject: snapshot.subject.slice(0, BRIEF_SUBJECT_MAX),
    excerpt: snapshot.description.slice(0, BRIEF_EXCERPT_MAX),
    why: decision.summary,
  };
  const routing = { status: 'pending', category: decision.category, tier: decision.tier, groupId: deps.policy.categories[decision.category].zendesk_group_id, baseGroupId: snapshot.groupId } as const;
  return { decision, brief, routing };
}

/**
 * Routes a ticket whose routing this event holds: claimed just now (`retry` false), or claimed by
 * its earlier attempt, which may have died before queueing the write (`retry`).
 */
async function route(event: TicketChangeEvent, decided: RoutingDecided, retry: boolean, receivedAt: number, deps: TicketEventDeps): Promise<{ outcome: EventOutcome; opened?: StoredLoop | null }> {
  const { snapshot } = event;
  const { decision, brief } = decided;
  // A retry (or a later event while the write waits) reuses what the first attempt found and saved.
  const saved = retry ? (await deps.briefs.get(snapshot.id))?.extras : undefined;
  const actions = await runRoutingActions(snapshot, decision.category, deps.actions, saved);
  const found = foundExtras(actions.extras);
  const plan = planRoute(snapshot, decision, deps.policy, receivedAt, { tags: actions.tags, noteLines: describeRoutingExtras(actions.extras, deps.ticketUrl) });
  if (retry || found) await deps.briefs.save({ ...brief, ...(found ? { extras: found } : {}) });
  // The loop opens with the routing decision, while the write joins the backlog (each is
  // idempotent, so a retry after either failed redoes both); a retry finds the loop open and
  // leaves it. The event that won the claim just now knows there is none yet, and keeps the loop
  // it opened.
  const input = { ticketId: snapshot.id, category: plan.category, tier: plan.tier, zendeskStatus: snapshot.status };
  const [opened] = await Promise.all([retry ? openTicketLoop(input, deps.loop).then(() => undefined) : openClaimedTicketLoop(input, deps.loop), deps.routes.enqueue(plan)]);
  deps.logger.log('info', 'ticket classified', { ticketId: snapshot.id, category: plan.category, tier: plan.tier, confidence: plan.confidence });
  return { outcome: 'routing', ...(opened === undefined ? {} : { opened }) };
}

async function overrideOf(event: TicketChangeEvent, routing: Parameters<typeof detectOverride>[0], deps: TicketEventDeps): Promise<Override | null> {
  const selfId = await deps.zendesk.currentUserId();
  const bySelf = selfId !== null && event.actorId === selfId;
  const override = detectOverride(routing, event.snapshot, bySelf);
  if (override === null) return null;
  const text = { subject: event.snapshot.subject, description: event.snapshot.description };
  const frozen = await deps.store.recordOverride({ ticketId: event.ticketId, override, actorId: event.actorId, at: event.occurredAt, text });
  if (frozen) {
    if (routing.status === 'pending') await deps.routes.cancel(event.ticketId);
    deps.logger.log('info', 'agent overrode routing; recorded, will not be reverted', {
      ticketId: event.ticketId,
      field: override.field,
      from: override.from,
      to: override.to,
    });
  }
  return override;
}

/** Why a ticket seen for the first time is not routed, or null to route it. */
export function whyNotRoute(snapshot: TicketSnapshot, now: number): string | null {
  if (snapshot.status === 'solved' || (snapshot.status !== null && FINAL_STATUSES.includes(snapshot.status))) return `status ${snapshot.status}`;
  if (taggedCategory(snapshot.tags) !== null) return 'already carries a cxloop category tag';
  if (now - snapshot.createdAt > ROUTE_MAX_AGE_MS) return TOO_OLD;
  return null;
}
