import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { RedisSlackOutbox } from '../../../src/adapters/redis/redis-slack-outbox.js';
import { RedisTicketStore } from '../../../src/adapters/redis/redis-ticket-store.js';
import { utf8Chunks } from '../../../src/adapters/redis/ticket-brief-fields.js';
import { dropPrefix, uniquePrefix } from '../../support/zendesk-fixtures.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('utf8Chunks', () => {
  it('cuts at the byte limit but never inside a character, and joins back to the text', () => {
    const text = `a${'é'.repeat(40)}${'😀'.repeat(10)}`;
    const chunks = utf8Chunks(text, 60);
    expect(chunks.join('')).toBe(text);
    for (const chunk of chunks) expect(Buffer.byteLength(chunk)).toBeLessThanOrEqual(60);
    expect(utf8Chunks('', 60)).toEqual([]);
  });
});

describe('ticket briefs and Slack message refs in Redis', () => {
  const prefix = uniquePrefix();
  const redis = new Redis(REDIS_URL);
  const keys = createRedisKeys(prefix);
  const briefs = new RedisSlackOutbox(redis, keys);
  afterAll(async () => {
    await dropPrefix(prefix);
    redis.disconnect();
  });

  it('round-trips a brief kept in the ticket hash in pieces of at most 60 bytes, so the hash stays a listpack', async () => {
    const brief = { ticketId: 77, subject: 'Charged "twice"\n<!channel> ✓✓✓✓', excerpt: `Ça ne marche pas — ${'ünïcödé '.repeat(20)}`, why: 'billing_issue (confidence 0.92): abbuchung* [de]' };
    await redis.hset(keys.ticket(77), 'u', '1', 'rs', 'routed');
    await briefs.save(brief);
    expect(await briefs.get(77)).toEqual(brief);
    const fields = await redis.hgetall(keys.ticket(77));
    const pieces = Object.keys(fields).filter((field) => /^b\d+$/.test(field));
    expect(pieces.length).toBe(Number(fields.bn));
    for (const piece of pieces) expect(Buffer.byteLength(fields[piece] ?? '')).toBeLessThanOrEqual(60);
    expect(fields).toMatchObject({ u: '1', rs: 'routed' });
    expect(await redis.object('ENCODING', keys.ticket(77))).toBe('listpack');
    expect(await redis.ttl(keys.ticket(77))).toBeGreaterThan(29 * 86_400);
    expect(await redis.exists(keys.ticketBrief(77))).toBe(0);
    expect(await briefs.get(78)).toBeNull();
  });

  it("saves the brief with the ticket's routing claim, and leaves it to the winner when the claim is lost", async () => {
    const tickets = new RedisTicketStore(redis, keys);
    const routing = { status: 'pending', category: 'billing_issue', tier: 'normal', groupId: 1002, baseGroupId: null } as const;
    const brief = { ticketId: 90, subject: 'Charged twice', excerpt: `Ça ne marche pas — ${'ünïcödé '.repeat(20)}`, why: 'Billing (confidence 0.92)' };
    expect(await tickets.claimRouting(90, routing, 'evt:a', brief)).toBe(true);
    expect(await briefs.get(90)).toEqual(brief);
    expect(await tickets.get(90)).toMatchObject({ routing: { status: 'pending', category: 'billing_issue', claimedBy: 'evt:a' } });
    expect(await tickets.claimRouting(90, { ...routing, category: 'bug_report' }, 'evt:b', { ...brief, subject: 'Other' })).toBe(false);
    expect(await briefs.get(90)).toEqual(brief);
    // A claim without a brief leaves the ticket's brief as it is (the events that claimed before briefs were saved with it).
    await briefs.save({ ticketId: 91, subject: 'Kept', excerpt: '', why: '' });
    expect(await tickets.claimRouting(91, routing, 'evt:c')).toBe(true);
    expect(await briefs.get(91)).toEqual({ ticketId: 91, subject: 'Kept', excerpt: '', why: '' });
    expect(await redis.object('ENCODING', keys.ticket(90))).toBe('listpack');
  });

  it("claims a new ticket's routing with the brief in the step that stores its first snapshot, and only while it has none", async () => {
    const tickets = new RedisTicketStore(redis, keys);
    const routing = { status: 'pending', category: 'billing_issue', tier: 'high', groupId: 1002, baseGroupId: 7 } as const;
    const brief = { ticketId: 95, subject: 'Charged twice', excerpt: 'Twice this month', why: 'Billing (confidence 0.92)' };
    const snapshot = { id: 95, subject: 'Charged twice', description: 'Twice this month', status: 'new', priority: null, groupId: 7, assigneeId: null, requesterId: 1, organizationId: null, formId: null, tags: [], channel: 'web', createdAt: 1_000, updatedAt: 1_000 } as const;
    expect(await tickets.observe(snapshot, { routing, claimedBy: 'evt:created', brief })).toEqual({ applied: true, previous: null, claimed: true });
    expect(await tickets.get(95)).toEqual({
      ticketId: 95,
      updatedAt: 1_000,
      status: 'new',
      routing: { status: 'pending', category: 'billing_issue', tier: 'high', groupId: 1002, baseGroupId: 7, claimedBy: 'evt:created', writtenOver: null },
      overridden: false,
    });
    expect(await briefs.get(95)).toEqual(brief);
    // The same event again (a retry), or another: the routing and brief stay the first claim's.
    const again = await tickets.observe({ ...snapshot, updatedAt: 2_000 }, { routing: { ...routing, category: 'bug_report' }, claimedBy: 'evt:other', brief: { ...brief, subject: 'Other' } });
    expect(again).toMatchObject({ applied: true, claimed: false, previous: { routing: { category: 'billing_issue', claimedBy: 'evt:created' } } });
    expect(await briefs.get(95)).toEqual(brief);
    // Without a claim, observing claims nothing.
    expect(await tickets.observe({ ...snapshot, id: 96 })).toEqual({ applied: true, previous: null, claimed: false });
    expect((await tickets.get(96))?.routing).toBeNull();
    // A snapshot older than the stored one claims nothing: the event that stored the newer one routes it.
    expect(await tickets.observe({ ...snapshot, id: 97, updatedAt: 5_000 })).toMatchObject({ applied: true, claimed: false });
    expect(await tickets.observe({ ...snapshot, id: 97, updatedAt: 4_000 }, { routing, claimedBy: 'evt:created', brief: { ...brief, ticketId: 97 } })).toMatchObject({ applied: false, claimed: false });
    expect((await tickets.get(97))?.routing).toBeNull();
    expect(await redis.object('ENCODING', keys.ticket(95))).toBe('listpack');
  });

  it('replaces a brief whole: a shorter one leaves no piece of the longer behind', async () => {
    await briefs.save({ ticketId: 82, subject: 's'.repeat(150), excerpt: 'e'.repeat(200), why: 'w' });
    await briefs.save({ ticketId: 82, subject: 'short', excerpt: '', why: '' });
    expect(await briefs.get(82)).toEqual({ ticketId: 82, subject: 'short', excerpt: '', why: '' });
    expect(Object.keys(await redis.hgetall(keys.ticket(82))).sort()).toEqual(['b0', 'bn']);
  });

  it("round-trips what the category's on_routing found with the brief, still in pieces of at most 60 bytes", async () => {
    const extras = {
      requester: { ok: true as const, context: { organizations: ['Acme Corp'], vip: null, earlier: 4, recent: [{ id: 850, subject: 'Login «broken» again' }] } },
      articles: { source: 'search' as const, links: [{ title: 'Inviting team members', url: 'https://acme.zendesk.com/hc/en-us/articles/360001' }] },
    };
    const brief = { ticketId: 84, subject: 'Crash', excerpt: 'It crashes', why: 'bug_report', extras };
    await briefs.save(brief);
    expect(await briefs.get(84)).toEqual(brief);
    await briefs.save({ ticketId: 84, subject: 'Crash', excerpt: 'It crashes', why: 'bug_report' });
    expect(await briefs.get(84)).toEqual({ ticketId: 84, subject: 'Crash', excerpt: 'It crashes', why: 'bug_report' });
    const fields = await redis.hgetall(keys.ticket(84));
    for (const [field, value] of Object.entries(fields)) if (/^b\d+$/.test(field)) expect(Buffer.byteLength(value)).toBeLessThanOrEqual(60);
  });

  it('still reads briefs saved under their own key, as an array or an object', async () => {
    await redis.set(keys.ticketBrief(83), JSON.stringify(['s', 'e', 'w']));
    expect(await briefs.get(83)).toEqual({ ticketId: 83, subject: 's', excerpt: 'e', why: 'w' });
    await redis.set(keys.ticketBrief(79), JSON.stringify({ ticketId: 79, subject: 's', excerpt: 'e', why: 'w' }));
    expect(await briefs.get(79)).toEqual({ ticketId: 79, subject: 's', excerpt: 'e', why: 'w' });
  });

  it('forgets a brief (a scrubbed ticket): every piece and a brief under the old key go, the ticket fields and message refs stay', async () => {
    await redis.hset(keys.ticket(84), 'u', '1', 'rs', 'routed');
    await briefs.setMessage(84, 'card', '#cx-billing C0BILL 1700000000.000100');
    await briefs.save({ ticketId: 84, subject: 'Mein Konto', excerpt: 'x'.repeat(200), why: 'billing_issue' });
    await redis.set(keys.ticketBrief(84), JSON.stringify(['old', 'brief', 'kept']));
    await briefs.forget(84);
    expect(await briefs.get(84)).toBeNull();
    expect(await redis.exists(keys.ticketBrief(84))).toBe(0);
    expect(await redis.hgetall(keys.ticket(84))).toEqual({ u: '1', rs: 'routed', 'm:card': '#cx-billing C0BILL 1700000000.000100' });
    await briefs.forget(85);
    expect(await redis.exists(keys.ticket(85))).toBe(0);
  });

  it('keeps the Slack message refs as m: fields of the ticket hash, beside the ticket fields, with its expiry', async () => {
    await redis.hset(keys.ticket(80), 'u', '1', 'rs', 'routed');
    await briefs.setMessage(80, 'card', '#cx-billing C0BILL 1700000000.000100');
    expect(await briefs.setMessageIfAbsent(80, 'status', 'pending')).toBe(true);
    expect(await briefs.setMessageIfAbsent(80, 'status', 'other')).toBe(false);
    expect(await briefs.messages(80)).toEqual({ card: '#cx-billing C0BILL 1700000000.000100', status: 'pending' });
    expect(await redis.hgetall(keys.ticket(80))).toMatchObject({ u: '1', rs: 'routed' });
    expect(await redis.ttl(keys.ticket(80))).toBeGreaterThan(29 * 86_400);
    expect(await briefs.messages(81)).toEqual({});
  });
});
