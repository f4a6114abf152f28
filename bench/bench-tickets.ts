/**
 * Tickets the live sections send: seeded in the fake Zendesk (so routing writes find them) and
 * announced to cxloop with the ticket.created webhook Zendesk would send, signed as Zendesk signs.
 */
import { ticketEvent } from '../src/adapters/zendesk/sample-webhooks.js';
import type { FakeZendesk } from './fake-zendesk.js';
import { BENCH_SECRET } from './bench-cxloop.js';
import { postSignedWebhook } from './post-webhook.js';
import { forEachConcurrently } from './support.js';

/** One text per category the shipped policy routes to a different channel (billing, engineering, product, support, engineering + incidents). */
export const BENCH_SUBJECTS = [
  ['Charged twice for my subscription', 'I was charged twice this month, please refund the duplicate payment.'],
  ['App crashes when I upload a photo', 'Every time I upload a photo the app crashes. Steps: open, tap upload.'],
  ['Please add dark mode', 'It would be great to have a dark mode option in settings.'],
  ['How do I invite my team?', 'I cannot find where to add colleagues to my account.'],
  ['Dashboard extremely slow', 'The dashboard takes more than a minute to load since this morning.'],
] as const;

export function seedTicket(fake: FakeZendesk, id: number, index: number): void {
  const [subject, description] = BENCH_SUBJECTS[index % BENCH_SUBJECTS.length]!;
  fake.seed({ id, subject, description, tags: ['web_widget'], via: { channel: 'web' } });
}

/** The ticket.created webhook Zendesk would send for a seeded ticket (same updated_at, so safe_update matches). */
export function webhookFor(fake: FakeZendesk, id: number): string {
  const seeded = fake.tickets.get(id)!;
  return ticketEvent('created', { id, subject: seeded.subject, description: seeded.description, tags: seeded.tags, created_at: seeded.created_at, updated_at: seeded.updated_at });
}

/** True once cxloop's routing write reached the fake (its tier tag is on the ticket). */
export function isRouted(fake: FakeZendesk, id: number): boolean {
  return fake.tickets.get(id)?.tags.some((tag) => tag.startsWith('cxloop_tier_')) ?? false;
}

/**
 * A check that every ticket of `ids` is routed, cheap to call every few milliseconds while a
 * burst drains (it runs in the measured process): a ticket once routed stays routed, so each
 * call goes on from the first ticket the last one found unrouted.
 */
export function allRouted(fake: FakeZendesk, ids: readonly number[]): () => boolean {
  let firstUnrouted = 0;
  return () => {
    while (firstUnrouted < ids.length && isRouted(fake, ids[firstUnrouted]!)) firstUnrouted += 1;
    return firstUnrouted === ids.length;
  };
}

/** POSTs prepared webhooks to cxloop over `connections` concurrent requests; resolves when all were answered 200. */
export async function postWebhooks(url: string, bodies: readonly string[], connections: number): Promise<void> {
  await forEachConcurrently(bodies, connections, (body) => postSignedWebhook(url, body, BENCH_SECRET));
}
