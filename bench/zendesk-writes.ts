/**
 * What cxloop sent to the fake Zendesk, read back from its request log: the Update Ticket calls
 * (a PUT of one ticket and an update_many count one each against Zendesk's limit), how many of
 * them fell in the busiest sliding minute, and how often each ticket was sent.
 */
import type { FakeRequestLog, FakeZendesk } from './fake-zendesk.js';
import { maxInWindow } from './support.js';

const UPDATE_PATH = /^\/api\/v2\/tickets\/(\d+|update_many)\.json$/;

/** Update Ticket calls: PUT /tickets/{id}.json and update_many (Zendesk counts both against the same limit). */
export function updateCalls(fake: Pick<FakeZendesk, 'requests'>): FakeRequestLog[] {
  return fake.requests.filter((entry) => entry.method === 'PUT' && UPDATE_PATH.test(entry.path));
}

/** The most calls in any sliding window [t, t + windowMs) of the recorded arrival times. */
export function maxInAnyWindow(times: readonly number[], windowMs = 60_000): number {
  return maxInWindow([...times].sort((a, b) => a - b), windowMs);
}

/**
 * Ticket id -> how many Update Ticket calls Zendesk accepted for processing (not 429) that named
 * it: a PUT of that ticket, or an entry of an update_many. A ticket routed once without a
 * conflict is sent once; a second send is a duplicate write (refused with a 409 by safe_update,
 * or applied twice).
 */
export function sendsPerTicket(fake: Pick<FakeZendesk, 'requests'>): Map<number, number> {
  const sends = new Map<number, number>();
  const add = (id: number) => sends.set(id, (sends.get(id) ?? 0) + 1);
  for (const call of updateCalls(fake)) {
    if (call.status === 429) continue;
    const single = UPDATE_PATH.exec(call.path)?.[1];
    if (single !== undefined && single !== 'update_many') add(Number(single));
    const body = call.body as { tickets?: { id?: unknown }[] } | undefined;
    if (single === 'update_many') for (const entry of body?.tickets ?? []) if (typeof entry.id === 'number') add(entry.id);
  }
  return sends;
}
