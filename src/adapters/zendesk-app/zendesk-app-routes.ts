import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { headerOf, readBodyOrRefuse, sendJson, type Route } from '../../app/http-route.js';
import type { Logger, LoopStore, PeopleDirectory, TicketBriefs, TicketStore, ZendeskApi } from '../../app/ports.js';
import { applyLoopEvents, type LoopDeps } from '../../app/run-loop.js';
import { isZendeskError } from '../../app/zendesk-api-error.js';
import type { Policy } from '../../config/policy-schema.js';
import type { LoopEvent, LoopState, Stage } from '../../core/loop/loop-types.js';
import { personName } from '../../core/loop/person-ref.js';
import { dueAt, type SlaClock } from '../../core/sla/sla-clock.js';
import type { WorkingHours } from '../../core/sla/working-hours.js';
import { categoryLabel, CATEGORY_IDS, isCategoryId, type CategoryId } from '../../core/taxonomy.js';
import { categoryTag } from '../../core/ticket-event.js';
import { verifyZafToken, type ZafClaims } from './verify-zaf-token.js';

/** Where the sidebar's requests arrive (through Zendesk's proxy). */
export const ZENDESK_APP_PATHS = { loop: '/zendesk-app/api/loop', category: '/zendesk-app/api/category', update: '/zendesk-app/api/update' } as const;
const MAX_BODY_BYTES = 16 * 1024;
const MAX_UPDATE_CHARS = 3000;
const OPEN: readonly Stage[] = ['routed', 'acknowledged', 'follow_up'];
const CALENDAR: WorkingHours = { timezone: 'UTC', clock: 'calendar', weekly: {}, holidays: [] };

export interface ZendeskAppDeps {
  /** ZENDESK_APP_SECRET: the app's shared secret(s), comma-separated while rotating. */
  readonly secrets: readonly string[];
  /** ZENDESK_SUBDOMAIN: the only account whose tokens are accepted. */
  readonly subdomain: string;
  readonly loops: Pick<LoopStore, 'get'>;
  readonly loop: LoopDeps;
  readonly tickets: Pick<TicketStore, 'recordOverride'>;
  readonly briefs: Pick<TicketBriefs, 'get'>;
  readonly people: PeopleDirectory;
  readonly policy: Policy;
  readonly zendesk: Pick<ZendeskApi, 'getTicket' | 'updateTicket'>;
  /** The ticket's card in its team's Slack channel, as a link; null before it is posted. */
  readonly slackCardUrl: (ticketId: number) => Promise<string | null>;
  readonly logger: Logger;
  readonly now: () => number;
}

/**
 * The sidebar app's API. Every request carries a ZAF signed request (Authorization: Bearer <JWT>),
 * verified before anything is read: signature with the app's shared secret, expiry, and the
 * account's subdomain. Answers 401 with no detail (the reason is logged).
 */
export function zendeskAppRoutes(deps: ZendeskAppDeps): Route[] {
  return [
    { method: 'GET', path: ZENDESK_APP_PATHS.loop, handler: authenticated(deps, (request, response, claims) => showLoop(request, response, claims, deps)) },
    { method: 'POST', path: ZENDESK_APP_PATHS.category, handler: authenticated(deps, (request, response, claims) => correctCategory(request, response, claims, deps)) },
    { method: 'POST', path: ZENDESK_APP_PATHS.update, handler: authenticated(deps, (request, response, claims) => postUpdate(request, response, claims, deps)) },
  ];
}

type Handler = (request: IncomingMessage, response: ServerResponse, claims: ZafClaims) => Promise<void>;

function authenticated(deps: ZendeskAppDeps, handler: Handler) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const token = /^Bearer\s+(\S+)$/i.exec(headerOf(request, 'authorization') ?? '')?.[1];
    const verified = token === undefined ? { ok: false as const, reason: 'no bearer token' } : verifyZafToken(token, { secrets: deps.secrets, subdomain: deps.subdomain, now: deps.now() });
    if (!verified.ok) {
      deps.logger.log('info', 'zendesk app request refused', { path: request.url?.split('?')[0], reason: verified.reason });
      sendJson(response, 401, { error: 'unauthorized' }, { 'cache-control': 'no-store' });
      return;
    }
    await handler(request, response, verified.claims);
  };
}

async function showLoop(request: IncomingMessage, response: ServerResponse, _claims: ZafClaims, deps: ZendeskAppDeps): Promise<void> {
  const ticketId = Number(new URL(request.url ?? '/', 'http://local').searchParams.get('ticket'));
  const loop = Number.isSafeInteger(ticketId) && ticketId > 0 ? (await deps.loops.get(ticketId))?.state : undefined;
  if (!loop) {
    sendJson(response, 404, { error: 'cxloop has no loop for this ticket (not routed by cxloop, or its loop ended long ago)' }, { 'cache-control': 'no-store' });
    return;
  }
  const [brief, names, card] = await Promise.all([deps.briefs.get(ticketId), deps.people.namesOf(loop.owner ? [loop.owner] : []), deps.slackCardUrl(ticketId)]);
  const now = deps.now();
  sendJson(
    response,
    200,
    {
      ticket: ticketId,
      stage: loop.stage,
      stage_label: STAGE_LABELS[loop.stage],
      open: OPEN.includes(loop.stage),
      owner: loop.owner ? personName(loop.owner, names) : null,
      team: loop.team,
      category: loop.category,
      category_label: categoryLabel(loop.category),
      tier: loop.tier,
      why: brief?.why ?? null,
      clocks: clocksOf(loop, now, deps.policy),
      slack_card: card,
      categories: CATEGORY_IDS.map((id) => ({ id, label: categoryLabel(id) })),
    },
    { 'cache-control': 'no-store' },
  );
}

const STAGE_LABELS: Readonly<Record<Stage, string>> = {
  routed: 'Waiting for the team to pick it up',
  acknowledged: 'Being worked on',
  acted: 'Solved, being verified',
  verified: 'Verified fixed',
  follow_up: 'Follow-up for the owner (reopened or rated bad)',
  closed: 'Closed',
};

interface ClockView {
  readonly name: string;
  readonly due_at: string | null;
  /** running, overdue, paused (pending / on hold), met or missed (done) */
  readonly state: 'running' | 'overdue' | 'paused' | 'met' | 'missed';
}

/** The loop's three clocks as an agent reads them. */
function clocksOf(loop: LoopState, now: number, policy: Policy): ClockView[] {
  const hours = policy.teams[loop.team]?.hours ?? CALENDAR;
  const open = OPEN.includes(loop.stage);
  const clock = (name: string, sla: SlaClock, running: boolean): ClockView => {
    if (!running) return { name, due_at: null, state: sla.usedMs <= sla.targetMs ? 'met' : 'missed' };
    const due = dueAt(sla, hours);
    if (due === null) return { name, due_at: null, state: 'paused' };
    return { name, due_at: new Date(due).toISOString(), state: due < now ? 'overdue' : 'running' };
  };
  const next = loop.stage === 'acknowledged' ? loop.timers.update_breach : undefined;
  return [
    clock(loop.stage === 'follow_up' ? 'Follow-up' : 'Acknowledge', loop.ack, loop.stage === 'routed' || loop.stage === 'follow_up'),
    ...(next !== undefined ? [{ name: 'Next status update', due_at: new Date(next).toISOString(), state: next < now ? ('overdue' as const) : ('running' as const) }] : []),
    clock('Resolve', loop.resolve, open),
  ];
}

/**
 * The agent picks another category: recorded as an agent correction exactly as a change of the
 * category tag in Zendesk is (the corrections log with the ticket's text, routing frozen, the loop
 * moves to the new owner team), then the tag and group are written to the ticket so Zendesk shows it too.
 */
async function correctCategory(request: IncomingMessage, response: ServerResponse, claims: ZafClaims, deps: ZendeskAppDeps): Promise<void> {
  const body = await readJson(request, response);
  if (body === null) return;
  const ticketId = Number(body.ticket);
  const category = body.category;
  if (!Number.isSafeInteger(ticketId) || ticketId <= 0 || typeof category !== 'string' || !isCategoryId(category)) {
    sendJson(response, 400, { error: `send {"ticket": <id>, "category": one of ${CATEGORY_IDS.join(', ')}}` });
    return;
  }
  const loop = (await deps.loops.get(ticketId))?.state;
  if (!loop || !OPEN.includes(loop.stage)) {
    sendJson(response, 409, { error: loop ? `the loop is ${loop.stage}: only an open loop changes category` : 'cxloop has no loop for this ticket' });
    return;
  }
  if (loop.category === category) {
    sendJson(response, 200, { ticket: ticketId, category, changed: false });
    return;
  }
  const at = deps.now();
  // The ticket's text as cxloop keeps it for the card (subject, start of the description), as a
  // Slack reassignment records it: the correction is then a labelled row for the next `cxloop train`.
  const brief = await deps.briefs.get(ticketId);
  if (brief === null) deps.logger.log('info', 'category correction not kept for training: the ticket has no text in cxloop', { ticketId, to: category });
  const text = brief === null ? {} : { text: { subject: brief.subject, description: brief.excerpt } };
  const recorded = await deps.tickets.recordOverride({ ticketId, override: { field: 'category', from: loop.category, to: category }, actorId: claims.agentId, at, ...text });
  await applyLoopEvents(ticketId, [{ type: 'recategorised', category }], requestKey('cat', ticketId, claims, category), deps.loop);
  deps.logger.log('info', 'agent corrected the category in the Zendesk app', { ticketId, from: loop.category, to: category, agentId: claims.agentId, recorded });
  const written = await writeCategory(ticketId, loop.category, category, claims, deps);
  sendJson(response, 200, { ticket: ticketId, category, changed: true, zendesk: written });
}

/** The ticket's tags and group as the new category has them; the loop already moved whether or not this lands. */
async function writeCategory(ticketId: number, from: CategoryId, to: CategoryId, claims: ZafClaims, deps: ZendeskAppDeps): Promise<string> {
  try {
    const ticket = await deps.zendesk.getTicket(ticketId);
    const group = deps.policy.categories[to].zendesk_group_id;
    await deps.zendesk.updateTicket({
      ticketId,
      ...(group !== null ? { groupId: group } : {}),
      tags: [...ticket.tags.filter((tag) => tag !== categoryTag(from)), ...(ticket.tags.includes(categoryTag(to)) ? [] : [categoryTag(to)])],
      internalNote: `Category corrected in the cxloop app by ${claims.agentName ?? `Zendesk agent ${claims.agentId}`}: ${categoryLabel(from)} -> ${categoryLabel(to)}.`,
      updatedStamp: ticket.updatedAt,
    });
    return 'written';
  } catch (error) {
    if (!isZendeskError(error)) throw error;
    deps.logger.log('warn', 'category correction recorded, but the ticket was not updated in Zendesk', { ticketId, error: error.message });
    return `not written (${error.code}): change the tag ${categoryTag(from)} to ${categoryTag(to)} on the ticket`;
  }
}

/** A status update from the sidebar: the same loop event as Slack's "Post update" (status channel, note, cadence). */
async function postUpdate(request: IncomingMessage, response: ServerResponse, claims: ZafClaims, deps: ZendeskAppDeps): Promise<void> {
  const body = await readJson(request, response);
  if (body === null) return;
  const ticketId = Number(body.ticket);
  const text = typeof body.text === 'string' ? body.text.trim() : '';
  const etaHours = body.eta_hours === undefined || body.eta_hours === null ? null : Number(body.eta_hours);
  if (!Number.isSafeInteger(ticketId) || ticketId <= 0 || text === '' || text.length > MAX_UPDATE_CHARS || (etaHours !== null && !(etaHours > 0 && etaHours <= 24 * 60))) {
    sendJson(response, 400, { error: `send {"ticket": <id>, "text": 1 to ${MAX_UPDATE_CHARS} characters, "eta_hours": optional hours from now}` });
    return;
  }
  const event: LoopEvent = { type: 'post_update', user: `zd:${claims.agentId}`, text, ...(etaHours !== null ? { etaAt: deps.now() + etaHours * 3_600_000 } : {}) };
  const [outcome] = await applyLoopEvents(ticketId, [event], requestKey('upd', ticketId, claims, text), deps.loop);
  if (outcome === 'no_loop' || outcome === 'rejected') {
    sendJson(response, 409, { error: outcome === 'no_loop' ? 'cxloop has no loop for this ticket' : 'the loop takes no status update now (it is solved or closed)' });
    return;
  }
  sendJson(response, 200, { ticket: ticketId, posted: outcome === 'applied' });
}

/** A request's delivery key: the same signed request sent twice is applied once. */
function requestKey(kind: string, ticketId: number, claims: ZafClaims, detail: string): string {
  const id = claims.tokenId ?? `${claims.agentId}:${claims.expiresAt}`;
  return `zaf-${kind}-${ticketId}-${createHash('sha256').update(`${id}\n${detail}`).digest('base64url').slice(0, 16)}`;
}

async function readJson(request: IncomingMessage, response: ServerResponse): Promise<Record<string, unknown> | null> {
  const raw = await readBodyOrRefuse(request, response, MAX_BODY_BYTES);
  if (raw === null) return null;
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  sendJson(response, 400, { error: 'the body must be a JSON object' });
  return null;
}
