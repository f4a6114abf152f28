import { Redis } from 'ioredis';
import { startFakeZendesk, type FakeTicket, type FakeZendesk, type FakeZendeskOptions } from '../../bench/fake-zendesk.js';
export { maxInAnyWindow, sendsPerTicket, updateCalls } from '../../bench/zendesk-writes.js';
import { apiTokenAuth } from '../../src/adapters/zendesk/zendesk-auth.js';
import { NodeZendeskApi } from '../../src/adapters/zendesk/node-zendesk-api.js';
import type { Cxloop, StartOptions } from '../../src/main.js';
import { postSigned, REDIS_URL, SELF_ID, startLive, ticketEvent, waitFor } from './zendesk-fixtures.js';

/**
 * cxloop against the loopback fake Zendesk of the benchmarks (bench/fake-zendesk.ts) instead of
 * nock: it keeps tickets, applies safe_update, enforces the Update Ticket limit per sliding minute
 * and records every call with its arrival time on the clock it is given.
 */

export { startFakeZendesk, type FakeTicket, type FakeZendesk };

/** How many routing writes reached the ticket: each carries cxloop's routing note. */
export function routingWrites(ticket: FakeTicket): number {
  return ticket.comments.filter((comment) => comment.body.startsWith('cxloop routed this ticket')).length;
}

/** ISO-8601 as Zendesk writes it (whole seconds). */
export function zendeskTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The webhook Zendesk would send for the ticket as the fake has it now. */
export function webhookOf(ticket: FakeTicket, type: string, options: { actorId?: number; eventId?: string; event?: Record<string, unknown> } = {}): string {
  return ticketEvent(
    type,
    {
      id: ticket.id,
      subject: ticket.subject,
      description: ticket.description,
      status: ticket.status,
      priority: ticket.priority,
      group_id: ticket.group_id,
      assignee_id: ticket.assignee_id,
      tags: [...ticket.tags],
      ...(options.actorId !== undefined ? { actor_id: options.actorId } : {}),
      created_at: ticket.created_at,
      updated_at: ticket.updated_at,
    },
    { ...(options.eventId ? { eventId: options.eventId } : {}), ...(options.event ? { event: options.event } : {}) },
  );
}

/** cxloop live against the fake, with its real Zendesk client (a short timeout, so a hung call fails fast). */
export async function startLiveOnFake(prefix: string, fake: FakeZendesk, options: Partial<StartOptions> & { extraEnv?: Record<string, string>; timeoutMs?: number } = {}): Promise<Cxloop> {
  const { extraEnv, timeoutMs, ...rest } = options;
  const zendesk = new NodeZendeskApi({ baseUrl: fake.url, auth: apiTokenAuth('cxloop@acme.test', 'zd-token'), timeoutMs: timeoutMs ?? 2_000 });
  return startLive(prefix, { zendesk, extraEnv: { ZENDESK_API_URL: fake.url, ...extraEnv }, ...rest });
}

/**
 * Zendesk's echo of every write: the tags_changed webhook its event subscription sends for a
 * change made by cxloop's API user, with the ticket as it is after the write. Echoes of the
 * tickets `holdIf` picks wait for `release()` (webhooks are not delivered in order); `settled()`
 * waits for the echoes posted so far.
 */
export function echoWrites(
  fake: FakeZendesk,
  app: () => Cxloop | undefined,
  clock: () => number,
  holdIf: (ticketId: number) => boolean = () => false,
): { release(): void; settled(): Promise<void> } {
  const posted: Promise<unknown>[] = [];
  const held: string[] = [];
  const post = (body: string) => {
    const running = app();
    if (running) posted.push(postSigned(running.http.url, body, { at: clock() }));
  };
  fake.onUpdate((ticket) => {
    const body = webhookOf(ticket, 'tags_changed', { actorId: SELF_ID });
    if (holdIf(ticket.id)) held.push(body);
    else post(body);
  });
  return {
    release: () => held.splice(0).forEach(post),
    settled: async () => void (await Promise.all(posted)),
  };
}

/** Every override cxloop recorded (the corrections stream), as field lists. */
export async function corrections(prefix: string): Promise<string[][]> {
  const redis = new Redis(REDIS_URL);
  try {
    return (await redis.xrange(`${prefix}:corrections`, '-', '+')).map(([, fields]) => fields);
  } finally {
    redis.disconnect();
  }
}

/** Waits until every ticket carries cxloop's routing note. */
export async function waitForRouted(fake: FakeZendesk, ids: readonly number[], timeoutMs = 15_000): Promise<void> {
  await waitFor(() => ids.every((id) => routingWrites(fake.tickets.get(id)!) > 0), timeoutMs, `${ids.length} tickets routed`);
}

export type { FakeZendeskOptions };
