import type { KnownBlock } from '@slack/types';
import { Redis } from 'ioredis';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRedisKeys, type RedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { RedisNameCache } from '../../../src/adapters/redis/redis-name-cache.js';
import { RedisSlackDirectory } from '../../../src/adapters/redis/redis-slack-directory.js';
import { RedisSlackOutbox } from '../../../src/adapters/redis/redis-slack-outbox.js';
import { SlackApiError, type SlackApi, type SlackMessageRef } from '../../../src/adapters/slack/slack-api.js';
import { SlackDelivery, type OutboxItem } from '../../../src/adapters/slack/slack-delivery.js';
import { PENDING_GRACE_MS, SlackMessagePendingError, SlackNotifier } from '../../../src/adapters/slack/slack-notifier.js';
import { slackRenderers } from '../../../src/adapters/slack/slack-blocks.js';
import { SlackSender, type SlackSenderOptions } from '../../../src/adapters/slack/slack-sender.js';
import { recordedRedis } from '../../support/recorded-redis.js';
import { WebSlackApi } from '../../../src/adapters/slack/web-slack-api.js';
import { ACTIONS, type SlackMessage } from '../../../src/adapters/slack/slack-views.js';
import { CachedPeopleDirectory } from '../../../src/app/cached-people-directory.js';
import { loopPolicyFrom } from '../../../src/app/loop-policy.js';
import type { LoopStore } from '../../../src/app/ports.js';
import type { Policy } from '../../../src/config/policy-schema.js';
import type { Effect, LoopEvent, LoopState, TimerKind } from '../../../src/core/loop/loop-types.js';
import { openLoop, transition } from '../../../src/core/loop/transition.js';
import type { CategoryId } from '../../../src/core/taxonomy.js';
import { defaultPolicy } from '../../support/default-classifier.js';
import { slackAnswer, slackArgs } from '../../support/slack-fixtures.js';
import { dropPrefix, REDIS_URL, silent, uniquePrefix, waitFor, ZENDESK_URL } from '../../support/zendesk-fixtures.js';
import { accepted, effectOf, fireTimer } from '../../support/loop-fixtures.js';

const loopPolicy = loopPolicyFrom(defaultPolicy);
/** Monday 23 November 2026, 09:00 UTC. */
const T0 = Date.UTC(2026, 10, 23, 9, 0);
const HOUR = 3_600_000;
const INTERVAL = 1_000;
const COALESCE_ABOVE = 5;
const DIGEST_SIZE = 40;
/** Channels of the shipped policy: billing_issue and bug_report cards, and the public status channel. */
const BILLING = '#cx-billing';
const ENGINEERING = '#cx-engineering';
const STATUS = '#cx-status';
const USERGROUP = 'S0123ABCD';

// --- loop states, built with the real state machine -------------------------------------------

function opened(ticketId: number, category: CategoryId = 'billing_issue'): { state: LoopState; effects: readonly Effect[] } {
  return accepted(openLoop({ ticketId, category, tier: 'normal', zendeskStatus: 'new' }, T0, loopPolicy));
}

function apply(state: LoopState, event: LoopEvent): { state: LoopState; effects: readonly Effect[] } {
  return accepted(transition(state, event, T0 + HOUR, loopPolicy));
}

/** Fires a pending timer at its due time. */
const fire = (state: LoopState, kind: TimerKind) => fireTimer(state, kind, loopPolicy);

// --- a recording Slack Web API, in memory ------------------------------------------------------

type Post = Parameters<SlackApi['post']>[0] & { readonly ref: SlackMessageRef };
type Update = Parameters<SlackApi['update']>[0];

/** Slack answers a "#name" with the channel's id; the fake makes one up the same way every time. */
function channelId(channel: string): string {
  return channel.startsWith('#') ? `C0${channel.slice(1).replace(/[^a-z0-9]/gi, '').toUpperCase()}` : channel;
}

/** Records every accepted chat.postMessage / chat.update; can be told to fail the next calls to a channel. */
class FakeSlackApi implements SlackApi {
  readonly posts: Post[] = [];
  readonly updates: Update[] = [];
  /** Every post and update tried, accepted or not, by channel as given. */
  readonly attempts: { method: 'post' | 'update'; channel: string }[] = [];
  private readonly failures = new Map<string, SlackApiError[]>();
  private readonly always = new Map<string, SlackApiError>();
  private sequence = 0;

  /** The next call to `channel` throws `error` (calls queue up: one error per call). */
  failNext(channel: string, error: SlackApiError): void {
    this.failures.set(channel, [...(this.failures.get(channel) ?? []), error]);
  }

  /** Every call to `channel` throws `error` (a channel or message gone for good). */
  failAlways(channel: string, error: SlackApiError): void {
    this.always.set(channel, error);
  }

  async post(message: Parameters<SlackApi['post']>[0]): Promise<SlackMessageRef> {
    this.attempt('post', message.channel);
    this.sequence += 1;
    const ref = { channel: channelId(message.channel), ts: `${Math.floor(T0 / 1000)}.${String(this.sequence).padStart(6, '0')}` };
    this.posts.push({ ...message, ref });
    return ref;
  }

  async update(message: Update): Promise<void> {
    this.attempt('update', message.channel);
    this.updates.push(message);
  }

  readonly pins: SlackMessageRef[] = [];

  async pin(ref: SlackMessageRef): Promise<void> {
    this.pins.push(ref);
  }

  async respond(): Promise<void> {
    throw new Error('the sender never responds to an interaction');
  }

  async openView(): Promise<void> {
    throw new Error('the sender never opens a view');
  }

  async publishHome(): Promise<void> {
    throw new Error('the sender never publishes a home tab');
  }

  async postEphemeral(): Promise<void> {
    throw new Error('the sender never posts ephemeral messages');
  }

  async usergroupMembers(): Promise<readonly string[]> {
    return [];
  }

  async channelMembers(): Promise<readonly string[]> {
    return [];
  }

  /** users.info: the display names it knows; every lookup is recorded. */
  readonly names: Record<string, string> = { U0123ABCD: 'Ana Lima' };
  readonly userLookups: string[] = [];

  async userName(userId: string): Promise<string | null> {
    this.userLookups.push(userId);
    return this.names[userId] ?? null;
  }

  postsTo(channel: string): Post[] {
    return this.posts.filter((post) => post.channel === channel);
  }

  private attempt(method: 'post' | 'update', channel: string): void {
    this.attempts.push({ method, channel });
    const error = this.always.get(channel) ?? this.failures.get(channel)?.shift();
    if (error) throw error;
  }
}

// --- reading what was sent ---------------------------------------------------------------------

/** Every string under a `text` key (text objects, headers, labels), recursively. */
function texts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(texts);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => (key === 'text' && typeof value === 'string' ? [value] : texts(value)));
}

function blocksOf(message: SlackMessage): readonly KnownBlock[] {
  return message.blocks;
}

function actionIds(message: SlackMessage): string[] {
  return blocksOf(message).flatMap((block) => (block.type === 'actions' ? block.elements.map((element) => element.action_id ?? '') : []));
}

/** The ticket ids a digest lists, one per line of its sections (`<url|#id> subject: what`). */
function digestTickets(message: SlackMessage): number[] {
  return blocksOf(message)
    .flatMap((block) => (block.type === 'section' && block.text ? block.text.text.split('\n') : []))
    .map((line) => {
      const match = /^<https:\/\/acme\.zendesk\.test\/agent\/tickets\/(\d+)\|#(\d+)>/.exec(line);
      if (!match || match[1] !== match[2]) throw new Error(`not a digest line: ${line}`);
      return Number(match[1]);
    });
}

describe('SlackSender (real Redis outbox, Slack faked as a port, stepped with an injected clock)', () => {
  let prefix: string;
  let redis: Redis;
  let keys: RedisKeys;
  let outbox: RedisSlackOutbox;
  let slack: FakeSlackApi;
  let clock: number;
  /** What the loop store would answer, per ticket; tests move a ticket on by replacing its state. */
  let states: Map<number, LoopState>;

  const loops: Pick<LoopStore, 'get'> = {
    get: async (ticketId) => {
      const state = states.get(ticketId);
      return state ? { state, eventKeys: [] } : null;
    },
  };

  beforeEach(() => {
    prefix = uniquePrefix();
    redis = new Redis(REDIS_URL);
    keys = createRedisKeys(prefix);
    outbox = new RedisSlackOutbox(redis, keys);
    slack = new FakeSlackApi();
    clock = T0;
    states = new Map();
  });
  afterEach(async () => {
    redis.disconnect();
    await dropPrefix(prefix);
  });

  function setUp(policy: Policy = defaultPolicy, options: Partial<Pick<SlackSenderOptions, 'idleMs' | 'logger'>> = {}): { sender: SlackSender; notifier: SlackNotifier } {
    const now = () => clock;
    const loopPolicy = loopPolicyFrom(policy);
    const people = new CachedPeopleDirectory({ cache: new RedisNameCache(redis, keys), lookups: { slackName: (id) => slack.userName(id), zendeskName: async () => null }, logger: silent });
    const delivery = new SlackDelivery({ slack, outbox, live: outbox, loops, briefs: outbox, directory: new RedisSlackDirectory(redis, keys), people, policy, loopPolicy, logger: silent, zendeskBaseUrl: ZENDESK_URL, now });
    return {
      sender: new SlackSender({ outbox, delivery, intervalMs: INTERVAL, coalesceAbove: COALESCE_ABOVE, digestSize: DIGEST_SIZE, now, ...options, logger: options.logger ?? silent }),
      notifier: new SlackNotifier({ outbox, live: outbox, loops, policy, loopPolicy, logger: silent, now }),
    };
  }

  /** A ticket with a loop the stubbed store knows, and its opening effects. */
  function track(ticketId: number, category: CategoryId = 'billing_issue'): readonly Effect[] {
    const { state, effects } = opened(ticketId, category);
    states.set(ticketId, state);
    return effects;
  }

  async function push(channel: string, item: OutboxItem): Promise<void> {
    await outbox.push(channel, JSON.stringify(item), clock);
  }

  /** Steps until no channel has work, moving the clock one interval whenever nothing is due; returns the steps that worked. */
  async function drain(sender: SlackSender, maxSteps = 10_000): Promise<number> {
    let worked = 0;
    while ((await redis.zcard(keys.slackReady)) > 0) {
      if (worked > maxSteps) throw new Error(`outbox not drained after ${maxSteps} steps`);
      if (await sender.step()) worked += 1;
      else clock += INTERVAL;
    }
    return worked;
  }

  const dueAt = async (channel: string) => redis.zscore(keys.slackReady, channel);

  describe('pacing', () => {
    it('sends one call per channel per interval, in queue order', async () => {
      const { sender } = setUp();
      track(1);
      track(2);
      await push(BILLING, { k: 'card', t: 1 });
      await push(BILLING, { k: 'card', t: 2 });

      expect(await sender.step()).toBe(true);
      expect(slack.posts.map((post) => post.text)).toEqual([expect.stringMatching(/^Ticket #1 /)]);
      expect(await sender.step()).toBe(false); // same instant: the channel is not due again yet
      expect(await dueAt(BILLING)).toBe(String(T0 + INTERVAL));

      clock = T0 + INTERVAL - 1;
      expect(await sender.step()).toBe(false);
      clock = T0 + INTERVAL;
      expect(await sender.step()).toBe(true);
      expect(slack.posts.map((post) => post.text)).toEqual([expect.stringMatching(/^Ticket #1 /), expect.stringMatching(/^Ticket #2 /)]);

      // Nothing left: the channel is idle, not rescheduled.
      expect(await sender.step()).toBe(false);
      expect(await dueAt(BILLING)).toBeNull();
      expect(await outbox.backlog()).toEqual({});
      const [first, second] = slack.posts;
      expect((await outbox.messages(1)).card).toBe(`${BILLING} ${first!.ref.channel} ${first!.ref.ts}`);
      expect((await outbox.messages(2)).card).toBe(`${BILLING} ${second!.ref.channel} ${second!.ref.ts}`);
    });

    it('running and idle, looks at the outbox once per loop until the first channel is due, and at once when its process queues a message', async () => {
      const recorded = recordedRedis(redis);
      outbox = new RedisSlackOutbox(recorded.client, keys);
      // An idle wait far longer than the test: only the wake-up can send the message in time.
      const { sender } = setUp(defaultPolicy, { idleMs: 600_000 });
      sender.start();
      try {
        await new Promise((resolve) => setTimeout(resolve, 300));
        // Four loops, one look each (at 100 ms polls they made about a dozen each by now).
        expect(recorded.scriptCalls()).toBe(4);
        track(1);
        await push(BILLING, { k: 'card', t: 1 });
        await waitFor(() => slack.posts.length === 1, 5_000, 'the card to be sent');
        expect(slack.posts[0]!.text).toMatch(/^Ticket #1 /);
      } finally {
        await sender.stop();
      }
    });

    it('paces channels independently of each other', async () => {
      const { sender } = setUp();
      track(1);
      track(2);
      track(3, 'bug_report');
      await push(BILLING, { k: 'card', t: 1 });
      await push(BILLING, { k: 'card', t: 2 });
      await push(ENGINEERING, { k: 'card', t: 3 });

      expect(await sender.step()).toBe(true);
      expect(await sender.step()).toBe(true);
      expect(await sender.step()).toBe(false);
      expect(slack.posts.map((post) => post.channel).sort()).toEqual([BILLING, ENGINEERING]);
      expect(await outbox.backlog()).toEqual({ [BILLING]: 1 });

      clock += INTERVAL;
      expect(await sender.step()).toBe(true);
      expect(slack.postsTo(BILLING).map((post) => post.text)).toEqual([expect.stringMatching(/^Ticket #1 /), expect.stringMatching(/^Ticket #2 /)]);
      expect(slack.postsTo(ENGINEERING).map((post) => post.text)).toEqual([expect.stringMatching(/^Ticket #3 /)]);
    });
  });

  describe('a burst of 1,000 routed tickets into one team channel', () => {
    const BURST = 1_000;
    const FIRST = 10_001;
    const ids = Array.from({ length: BURST }, (_, index) => FIRST + index);
    const digestsPerChannel = Math.ceil(BURST / DIGEST_SIZE);

    it('goes out as digests of digestSize, every ticket listed once, within Block Kit limits, nothing left behind', async () => {
      const { sender, notifier } = setUp();
      for (const id of ids) {
        const effects = track(id);
        // A hostile subject: the digest must escape it.
        await outbox.save({ ticketId: id, subject: `<!channel> card declined ${'x'.repeat(100)}`, excerpt: 'excerpt', why: 'why' });
        await notifier.notify(id, effectOf(effects, 'publish_status'));
      }
      // Each ticket queued one card (team channel) and one parent (status channel).
      expect(await outbox.backlog()).toEqual({ [BILLING]: BURST, [STATUS]: BURST });

      await drain(sender);

      expect(slack.posts).toHaveLength(2 * digestsPerChannel);
      expect(slack.updates).toEqual([]);
      expect(await outbox.backlog()).toEqual({});
      expect(await redis.exists(keys.slackOutbox(BILLING), keys.slackOutbox(STATUS))).toBe(0);

      for (const channel of [BILLING, STATUS]) {
        const digests = slack.postsTo(channel);
        expect(digests).toHaveLength(digestsPerChannel);
        const listed = digests.flatMap(digestTickets);
        // Each ticket exactly once, in the order they were queued.
        expect(listed).toEqual(ids);
        digests.forEach((digest, index) => {
          const last = index === digests.length - 1;
          const count = last ? BURST - DIGEST_SIZE * (digestsPerChannel - 1) : DIGEST_SIZE;
          expect(digestTickets(digest)).toHaveLength(count);
          expect(blocksOf(digest)[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: `${count} updates at once${last ? '' : ' (more follow)'}` } });
          expect(blocksOf(digest).length).toBeLessThanOrEqual(50);
          const all = texts(digest.blocks);
          expect(all.join('').length).toBeLessThan(12_000);
          for (const text of all) expect(text.length).toBeLessThanOrEqual(3_000);
          expect(JSON.stringify(digest)).not.toContain('<!channel>');
          expect(JSON.stringify(digest)).toContain('&lt;!channel&gt; card declined');
        });
      }
    });

    it('keeps what a digest could not list queued for the next one: long lines never drop a message', async () => {
      const { sender } = setUp();
      const long = Array.from({ length: DIGEST_SIZE }, (_, index) => index + 1);
      for (const id of long) {
        track(id);
        await outbox.save({ ticketId: id, subject: 's'.repeat(200), excerpt: 'e', why: 'w' });
        const update: Effect = { type: 'publish_status', stage: 'acknowledged', text: `update ${'u'.repeat(400)}`, etaAt: null, automatic: false };
        await push(BILLING, { k: 'reply', t: id, on: 'card', fx: update });
      }
      await drain(sender);
      const digests = slack.postsTo(BILLING).filter((post) => blocksOf(post)[0]?.type === 'header');
      // ~350 characters a line: one digest cannot hold 40 of them within Slack's text budget.
      expect(digests.length).toBeGreaterThan(1);
      const standalone = slack.postsTo(BILLING).filter((post) => blocksOf(post)[0]?.type !== 'header');
      const delivered = [...digests.flatMap(digestTickets), ...standalone.map((post) => Number(/#(\d+)/.exec(post.text)![1]))];
      expect(delivered.toSorted((a, b) => a - b)).toEqual(long);
      for (const digest of digests) expect(JSON.stringify(digest.blocks)).not.toContain('more\u2026');
      for (const digest of digests) expect(JSON.stringify(digest.blocks)).not.toMatch(/…and \d+ more/);
      expect(await outbox.backlog()).toEqual({});
    });

    it('leaves the digested tickets without a card, so later changes edit nothing', async () => {
      const { sender, notifier } = setUp();
      for (const id of ids) await notifier.notify(id, effectOf(track(id), 'publish_status'));
      await drain(sender);
      const digests = slack.posts.length;
      expect(digests).toBe(2 * digestsPerChannel);
      for (const id of [ids[0]!, ids[BURST / 2]!, ids[BURST - 1]!]) expect(await outbox.messages(id)).toEqual({ card: 'digest', status: 'digest' });

      // The first ticket is acknowledged afterwards: its card and status message would be edited, but it has none.
      const acknowledged = apply(states.get(FIRST)!, { type: 'acknowledge', user: 'U0123ABCD' });
      states.set(FIRST, acknowledged.state);
      await notifier.notify(FIRST, effectOf(acknowledged.effects, 'publish_status'));
      await outbox.markEdit(BILLING, `card ${FIRST}`, clock);
      await outbox.markEdit(STATUS, `status ${FIRST}`, clock);
      await drain(sender);

      expect(slack.updates).toEqual([]);
      expect(slack.attempts.filter((attempt) => attempt.method === 'update')).toEqual([]);
      // The change itself still reaches the status channel, standing alone (no parent to thread under).
      const [reply, ...others] = slack.posts.slice(digests);
      expect(others).toEqual([]);
      expect(reply).toMatchObject({ channel: STATUS, text: `#${FIRST}: Picked up by Ana Lima.` });
      expect(reply!.threadTs).toBeUndefined();
      expect(await outbox.messages(FIRST)).toEqual({ card: 'digest', status: 'digest' });
    });
  });

  describe('Slack refusals', () => {
    it('a 429 pauses only that channel for Retry-After, then the message is sent exactly once', async () => {
      const { sender } = setUp();
      track(1);
      track(2, 'bug_report');
      track(3, 'bug_report');
      await push(BILLING, { k: 'card', t: 1 });
      await push(ENGINEERING, { k: 'card', t: 2 });
      await push(ENGINEERING, { k: 'card', t: 3 });
      slack.failNext(BILLING, new SlackApiError('RATE_LIMITED', 'ratelimited', 1_500));

      expect(await sender.step()).toBe(true);
      expect(await sender.step()).toBe(true);
      expect(slack.attempts).toEqual([
        { method: 'post', channel: BILLING },
        { method: 'post', channel: ENGINEERING },
      ]);
      expect(slack.posts.map((post) => post.text)).toEqual([expect.stringMatching(/^Ticket #2 /)]);
      expect(await dueAt(BILLING)).toBe(String(T0 + 1_500));
      expect(await outbox.backlog()).toEqual({ [BILLING]: 1, [ENGINEERING]: 1 });

      clock = T0 + INTERVAL;
      expect(await sender.step()).toBe(true); // engineering's next card
      expect(await sender.step()).toBe(false); // billing is still paused
      expect(slack.postsTo(BILLING)).toEqual([]);
      expect(slack.postsTo(ENGINEERING)).toHaveLength(2);

      clock = T0 + 1_499;
      expect(await sender.step()).toBe(false);
      clock = T0 + 1_500;
      expect(await sender.step()).toBe(true);
      expect(slack.postsTo(BILLING).map((post) => post.text)).toEqual([expect.stringMatching(/^Ticket #1 /)]);
      expect(slack.attempts.filter((attempt) => attempt.channel === BILLING)).toHaveLength(2);

      expect(await drain(sender)).toBe(0);
      expect(slack.postsTo(BILLING)).toHaveLength(1);
      expect((await outbox.messages(1)).card).toBe(`${BILLING} ${channelId(BILLING)} ${slack.postsTo(BILLING)[0]!.ref.ts}`);
    });

    it('a message Slack refuses for good goes to the dead letter list with the reason; the channel goes on', async () => {
      const { sender } = setUp();
      track(1);
      track(2);
      await push(BILLING, { k: 'card', t: 1 });
      await push(BILLING, { k: 'card', t: 2 });
      slack.failNext(BILLING, new SlackApiError('REJECTED', 'channel_not_found'));

      expect(await sender.step()).toBe(true);
      expect(slack.posts).toEqual([]);
      expect(await redis.lrange(keys.slackDead, 0, -1)).toEqual([`${new Date(T0).toISOString()} ${BILLING} channel_not_found\t${JSON.stringify({ k: 'card', t: 1 })}`]);
      expect(await redis.lrange(keys.slackOutbox(BILLING), 0, -1)).toEqual([JSON.stringify({ k: 'card', t: 2 })]);

      expect(await sender.step()).toBe(false); // still paced
      clock += INTERVAL;
      expect(await sender.step()).toBe(true);
      expect(slack.posts.map((post) => post.text)).toEqual([expect.stringMatching(/^Ticket #2 /)]);
      expect(await outbox.backlog()).toEqual({});
      expect(await redis.llen(keys.slackDead)).toBe(1);
    });

    it('an edit Slack refuses for good is dropped, not retried every interval', async () => {
      const { sender } = setUp();
      track(1);
      await push(BILLING, { k: 'card', t: 1 });
      expect(await sender.step()).toBe(true);
      const card = slack.posts[0]!.ref;
      // Someone deleted the card: every chat.update of it fails with message_not_found.
      slack.failAlways(card.channel, new SlackApiError('REJECTED', 'message_not_found'));
      await outbox.markEdit(BILLING, 'card 1', clock);

      clock += INTERVAL;
      expect(await sender.step()).toBe(true);
      expect(slack.attempts.filter((attempt) => attempt.method === 'update')).toHaveLength(1);
      expect(await redis.scard(keys.slackEdits(BILLING))).toBe(0);

      expect(await drain(sender)).toBe(0);
      expect(slack.attempts.filter((attempt) => attempt.method === 'update')).toHaveLength(1);
      expect(await dueAt(BILLING)).toBeNull();
    });
  });

  it('coalesces ten edits of one card into one chat.update showing the latest state', async () => {
    const { sender } = setUp();
    track(1);
    await push(BILLING, { k: 'card', t: 1 });
    expect(await sender.step()).toBe(true);
    const card = slack.posts[0]!;
    expect(actionIds(card)).toContain(ACTIONS.acknowledge);

    for (let mark = 0; mark < 10; mark += 1) {
      // The loop moves on half way through the marks; only the state at send time counts.
      if (mark === 5) states.set(1, apply(states.get(1)!, { type: 'acknowledge', user: 'U0123ABCD' }).state);
      await outbox.markEdit(BILLING, 'card 1', clock);
    }
    expect(await redis.scard(keys.slackEdits(BILLING))).toBe(1);

    expect(await drain(sender)).toBe(1);
    expect(slack.updates).toHaveLength(1);
    const update = slack.updates[0]!;
    expect(update).toMatchObject({ channel: card.ref.channel, ts: card.ref.ts });
    const shown = texts(update.blocks).join('\n');
    expect(shown).toContain('*Stage*\nAcknowledged');
    expect(shown).toContain('*Owner*\n<@U0123ABCD>');
    expect(actionIds(update)).not.toContain(ACTIONS.acknowledge);
    expect(actionIds(update)).toContain(ACTIONS.take);
    expect(slack.posts).toHaveLength(1);
  });

  it('keeps an edit taken by a sender that died mid-call: the next sender to claim the channel sends it', async () => {
    const { sender } = setUp();
    track(1);
    await push(BILLING, { k: 'card', t: 1 });
    expect(await sender.step()).toBe(true);
    await outbox.markEdit(BILLING, 'card 1', clock);
    clock += INTERVAL;

    // A sender claims the channel and takes the edit, then its process is killed before chat.update completes.
    expect((await outbox.claim(clock, 30_000))?.channel).toBe(BILLING);
    expect(await outbox.takeEdit(BILLING)).toBe('card 1');
    expect(await redis.scard(keys.slackEdits(BILLING))).toBe(0);
    expect(await sender.step()).toBe(false); // leased to the dead sender
    clock += 30_000;
    expect(await drain(sender)).toBe(1);
    expect(slack.updates).toHaveLength(1);
    expect(await redis.exists(keys.slackEdits(BILLING), keys.slackEditsTaken(BILLING))).toBe(0);

    // One taken and never completed while a message was queued behind it: the message's completion puts it back.
    await outbox.markEdit(BILLING, 'card 1', clock);
    expect(await outbox.takeEdit(BILLING)).toBe('card 1');
    await push(BILLING, { k: 'reply', t: 1, on: 'card', fx: { type: 'remind_owner', about: 'acknowledge', dueAt: clock } });
    const claim = await outbox.claim(clock + 60_000, 30_000);
    expect(claim?.channel).toBe(BILLING);
    await outbox.complete(claim!, 1, clock);
    expect(await redis.smembers(keys.slackEdits(BILLING))).toEqual(['card 1']);
    expect(await redis.exists(keys.slackEditsTaken(BILLING))).toBe(0);
  });

  describe('the channel lease', () => {
    const LEASE = 30_000;
    /** Holds the next chat.postMessage until `release` is called; later ones go through. */
    function holdNextPost(): { started: () => boolean; release: () => void } {
      let started = false;
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const post = slack.post.bind(slack);
      let held = false;
      slack.post = async (message) => {
        if (!held) {
          held = true;
          started = true;
          await gate;
        }
        return post(message);
      };
      return { started: () => started, release: () => release() };
    }

    afterEach(() => {
      vi.useRealTimers();
    });

    it('is renewed every 10 s while a slow Slack call runs, so no other sender takes the channel meanwhile', async () => {
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      const { sender } = setUp();
      const { sender: other } = setUp();
      track(1);
      await push(BILLING, { k: 'card', t: 1 });
      const post = holdNextPost();
      const stepping = sender.step();
      await waitFor(async () => post.started());
      expect(await dueAt(BILLING)).toBe(String(T0 + LEASE));

      clock += 20_000;
      await vi.advanceTimersByTimeAsync(LEASE / 3);
      await waitFor(async () => (await dueAt(BILLING)) === String(clock + LEASE));
      clock += 15_000; // past the lease as first taken, within the renewed one
      expect(await other.step()).toBe(false);

      post.release();
      await stepping;
      expect(slack.postsTo(BILLING)).toHaveLength(1);
      expect(await outbox.peek(BILLING, 10)).toEqual([]);
    });

    it("leaves what a sender stalled past its lease sent for the sender that took the channel over: it may be sent twice, and nothing behind it is lost", async () => {
      const warnings: string[] = [];
      const logger = { log: (level: string, message: string) => void (level === 'warn' && warnings.push(message)) };
      const { sender: stalled } = setUp(defaultPolicy, { logger });
      const { sender: other } = setUp();
      track(1);
      track(2);
      await push(BILLING, { k: 'card', t: 1 });
      await push(BILLING, { k: 'card', t: 2 });
      const post = holdNextPost();
      const stepping = stalled.step();
      await waitFor(async () => post.started());

      // Frozen (no renewal) past its lease: the other sender claims the channel and sends the head.
      clock += LEASE;
      expect(await other.step()).toBe(true);
      expect(await outbox.peek(BILLING, 10)).toHaveLength(1);
      post.release();
      await stepping;
      expect(warnings).toEqual([expect.stringMatching(/^slack channel lease lost/)]);
      expect(await outbox.peek(BILLING, 10)).toHaveLength(1);

      clock += INTERVAL;
      expect(await drain(other)).toBe(1);
      expect(slack.postsTo(BILLING).map((message) => message.text)).toEqual([expect.stringMatching(/^Ticket #1 /), expect.stringMatching(/^Ticket #1 /), expect.stringMatching(/^Ticket #2 /)]);
    });
  });

  it("queues a routed ticket's card and status parent in one outbox call, both kept in order", async () => {
    const { notifier } = setUp();
    const routed = opened(1);
    states.set(1, routed.state);
    const enqueue = vi.spyOn(outbox, 'enqueue');
    const push = vi.spyOn(outbox, 'push');
    await notifier.notify(1, effectOf(routed.effects, 'publish_status'));
    expect(push).not.toHaveBeenCalled();
    expect(enqueue).toHaveBeenCalledTimes(1);
    expect(enqueue.mock.calls[0]).toEqual([
      [
        { channel: BILLING, post: JSON.stringify({ k: 'card', t: 1 }) },
        { channel: STATUS, post: JSON.stringify({ k: 'parent', t: 1 }) },
      ],
      clock,
    ]);
    expect(await redis.lrange(keys.slackOutbox(BILLING), 0, -1)).toEqual([JSON.stringify({ k: 'card', t: 1 })]);
    expect(await redis.lrange(keys.slackOutbox(STATUS), 0, -1)).toEqual([JSON.stringify({ k: 'parent', t: 1 })]);
    expect(Number(await dueAt(BILLING))).toBe(clock);
    expect(Number(await dueAt(STATUS))).toBe(clock);

    // The next status change: an edit of each message and a reply under the parent, again in one call.
    enqueue.mockClear();
    await outbox.setMessage(1, 'card', `${BILLING} C1 1.1`);
    await outbox.setMessage(1, 'status', `${STATUS} C2 2.2`);
    const breached = fire(routed.state, 'ack_breach');
    states.set(1, breached.state);
    await notifier.notify(1, effectOf(breached.effects, 'publish_status'));
    expect(enqueue).toHaveBeenCalledTimes(1);
    expect(enqueue.mock.calls[0]![0].map((entry) => ('post' in entry ? `post ${entry.channel} ${JSON.parse(entry.post).k}` : `edit ${entry.channel} ${entry.edit}`))).toEqual([
      `edit ${BILLING} card 1`,
      `edit ${STATUS} status 1`,
      `post ${STATUS} reply`,
    ]);
  });

  it("queues all of a transition's effects in one outbox call, a later effect finding the card an earlier one queued", async () => {
    const { sender, notifier } = setUp();
    const routed = opened(1);
    states.set(1, routed.state);
    const enqueue = vi.spyOn(outbox, 'enqueue');
    const get = vi.spyOn(loops, 'get');
    const remind: Effect = { type: 'remind_owner', about: 'acknowledge', dueAt: clock };
    expect(await notifier.notifyAll(1, [effectOf(routed.effects, 'publish_status'), remind])).toEqual([null, null]);
    expect(get).toHaveBeenCalledTimes(1);
    expect(enqueue).toHaveBeenCalledTimes(1);
    expect(enqueue.mock.calls[0]![0].map((entry) => ('post' in entry ? `post ${entry.channel} ${JSON.parse(entry.post).k}` : `edit ${entry.channel}`))).toEqual([
      `post ${BILLING} card`,
      `post ${STATUS} parent`,
      `post ${BILLING} reply`,
    ]);
    await drain(sender);
    expect(slack.postsTo(BILLING).filter((post) => post.threadTs === undefined)).toHaveLength(1);
    expect(slack.posts.filter((post) => post.threadTs !== undefined)).toHaveLength(1);

    // The outbox call failing fails every effect of the call (each is retried on its own).
    enqueue.mockRejectedValueOnce(new Error('Connection is closed.'));
    const failed = await notifier.notifyAll(1, [remind, remind]);
    expect(failed.map((error) => error?.message)).toEqual(['Connection is closed.', 'Connection is closed.']);
  });

  it('queues the card again when an earlier attempt marked it pending and failed before queueing it, and only then', async () => {
    const { sender, notifier } = setUp();
    const routed = opened(1);
    states.set(1, routed.state);
    const status = effectOf(routed.effects, 'publish_status');
    vi.spyOn(outbox, 'enqueue').mockRejectedValueOnce(new Error('Connection is closed.'));
    await expect(notifier.notify(1, status)).rejects.toThrow('Connection is closed.');
    expect(await outbox.messages(1)).toEqual({ card: `pending@${clock}`, status: `pending@${clock}` });
    expect(await outbox.backlog()).toEqual({});

    // Within the grace the marking attempt could still be about to queue it: retried later, nothing queued.
    clock += PENDING_GRACE_MS - 1;
    await expect(notifier.notify(1, status)).rejects.toThrow(SlackMessagePendingError);
    expect(await outbox.backlog()).toEqual({});

    clock += 1;
    await notifier.notify(1, status); // the retried effect
    await notifier.notify(1, status); // and another effect while both wait in the outbox
    expect(await redis.lrange(keys.slackOutbox(BILLING), 0, -1)).toEqual([JSON.stringify({ k: 'card', t: 1 })]);
    expect(await redis.lrange(keys.slackOutbox(STATUS), 0, -1)).toEqual([JSON.stringify({ k: 'parent', t: 1 }), expect.stringContaining('"k":"reply"')]);
    await drain(sender);
    expect(slack.postsTo(BILLING)).toHaveLength(1);
    expect(slack.postsTo(STATUS).filter((post) => post.threadTs === undefined)).toHaveLength(1);
  });

  it("posts one card when a new ticket's second effect runs while the first is still queueing it: the second is retried", async () => {
    const { sender, notifier } = setUp();
    const routed = opened(1);
    states.set(1, routed.state);
    const status = effectOf(routed.effects, 'publish_status');
    // The first effect has marked the card and status message pending; its outbox call is slow.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const enqueue = outbox.enqueue.bind(outbox);
    vi.spyOn(outbox, 'enqueue').mockImplementationOnce(async (entries, now) => {
      await held;
      await enqueue(entries, now);
    });
    const first = notifier.notify(1, status);
    await vi.waitFor(async () => expect(await outbox.messages(1)).toEqual({ card: `pending@${clock}`, status: `pending@${clock}` }));

    clock += 2_000;
    await expect(notifier.notify(1, status)).rejects.toThrow(SlackMessagePendingError);
    release();
    await first;
    // Retried after its back-off: the card is queued (or posted) by then, so the retry asks for edits only.
    await notifier.notify(1, status);
    await drain(sender);
    expect(slack.postsTo(BILLING)).toHaveLength(1);
    expect(slack.postsTo(STATUS).filter((post) => post.threadTs === undefined)).toHaveLength(1);
  });

  it('reads a bare `pending` (written by an earlier release) as marked long ago: a retry queues the card again', async () => {
    const { sender, notifier } = setUp();
    const routed = opened(1);
    states.set(1, routed.state);
    await outbox.setMessage(1, 'card', 'pending');
    await notifier.notify(1, effectOf(routed.effects, 'publish_status'));
    expect(await redis.lrange(keys.slackOutbox(BILLING), 0, -1)).toEqual([JSON.stringify({ k: 'card', t: 1 })]);
    await drain(sender);
    expect(slack.postsTo(BILLING)).toHaveLength(1);
  });

  it('lets one of two retries racing for a lost card queue it, and one of two effects racing after a reassignment post the new card', async () => {
    const { sender, notifier } = setUp();
    const routed = opened(1);
    states.set(1, routed.state);
    const status = effectOf(routed.effects, 'publish_status');
    await outbox.setMessage(1, 'card', `pending@${clock}`);
    await outbox.setMessage(1, 'status', `pending@${clock}`);
    clock += PENDING_GRACE_MS;
    const lost = await Promise.allSettled([notifier.notify(1, status), notifier.notify(1, status)]);
    expect(lost.filter((result) => result.status === 'rejected').map((result) => (result as PromiseRejectedResult).reason)).toEqual([expect.any(SlackMessagePendingError)]);
    await drain(sender);
    expect(slack.postsTo(BILLING)).toHaveLength(1);

    // Reassigned to engineering: two effects at once queue one new card and one "moved" edit.
    const moved = apply(routed.state, { type: 'reassign', category: 'bug_report', user: 'U0MEMBER1' });
    states.set(1, moved.state);
    const both = await Promise.allSettled([notifier.notify(1, status), notifier.notify(1, status)]);
    expect(both.filter((result) => result.status === 'rejected')).toHaveLength(1);
    await drain(sender);
    expect(slack.postsTo(ENGINEERING)).toHaveLength(1);
    expect(slack.updates.filter((update) => update.channel === channelId(BILLING))).toHaveLength(1);
  });

  it("keeps a reassigned ticket's \"moved\" edit when the outbox call that queued it with the new card failed", async () => {
    const { sender, notifier } = setUp();
    const routed = opened(1);
    states.set(1, routed.state);
    const status = effectOf(routed.effects, 'publish_status');
    await notifier.notify(1, status);
    await drain(sender);
    const [card] = slack.postsTo(BILLING);
    const moved = apply(routed.state, { type: 'reassign', category: 'bug_report', user: 'U0MEMBER1' });
    states.set(1, moved.state);
    vi.spyOn(outbox, 'enqueue').mockRejectedValueOnce(new Error('Connection is closed.'));
    await expect(notifier.notify(1, status)).rejects.toThrow('Connection is closed.');
    expect((await outbox.messages(1)).card).toBe(`pending@${clock} ${BILLING} ${card!.ref.channel} ${card!.ref.ts}`);

    clock += PENDING_GRACE_MS;
    await notifier.notify(1, status); // the retried effect
    await drain(sender);
    expect(slack.postsTo(ENGINEERING)).toHaveLength(1);
    expect(slack.updates.filter((update) => update.channel === card!.ref.channel && update.ts === card!.ref.ts)).toHaveLength(1);
    expect(slack.postsTo(BILLING)).toHaveLength(1);
  });

  it('threads replies under the card and broadcasts an escalation mentioning the user group', async () => {
    const policy = structuredClone(defaultPolicy);
    policy.teams.billing!.escalation.usergroup_id = USERGROUP;
    const { sender, notifier } = setUp(policy);
    const routed = opened(1);
    states.set(1, routed.state);
    await notifier.notify(1, effectOf(routed.effects, 'publish_status'));
    await drain(sender);
    const card = slack.postsTo(BILLING)[0]!;
    const parent = slack.postsTo(STATUS)[0]!;
    expect(card.threadTs).toBeUndefined();
    expect(parent.threadTs).toBeUndefined();

    // Not acknowledged in time: the breach, then the first escalation level (team channel + user group).
    const breached = fire(routed.state, 'ack_breach');
    const escalated = fire(breached.state, 'escalate');
    const escalation = effectOf(escalated.effects, 'escalate');
    expect(escalation).toMatchObject({ level: 1, notify: ['team_channel', 'usergroup'] });
    states.set(1, escalated.state);
    clock = escalation.dueAt! + 5 * 60_000; // sent five minutes after the deadline
    await notifier.notify(1, effectOf(breached.effects, 'publish_status'));
    await notifier.notify(1, escalation);
    await drain(sender);

    const [reply, ...more] = slack.postsTo(card.ref.channel);
    expect(more).toEqual([]);
    expect(reply).toMatchObject({ channel: card.ref.channel, threadTs: card.ref.ts, broadcast: true });
    expect(reply!.text).toBe(`#1 is not acknowledged (due Mon 23 Nov 11:00 UTC, overdue by 5m). Escalated to <!subteam^${USERGROUP}>.`);
    expect(texts(reply!.blocks).join('\n')).toContain(`Escalated to <!subteam^${USERGROUP}>.`);

    // The breach is a status change: a reply under the status-channel parent, not broadcast.
    const [statusReply, ...moreStatus] = slack.postsTo(parent.ref.channel);
    expect(moreStatus).toEqual([]);
    expect(statusReply).toMatchObject({ channel: parent.ref.channel, threadTs: parent.ref.ts, broadcast: false, text: '#1: No one has picked this up within 2 h; escalating to the billing team.' });

    // Card and parent were edited in place to show the breach; nothing else was posted.
    expect(slack.postsTo(BILLING)).toHaveLength(1);
    expect(slack.postsTo(STATUS)).toHaveLength(1);
    expect(slack.updates.map((update) => `${update.channel} ${update.ts}`).sort()).toEqual([`${card.ref.channel} ${card.ref.ts}`, `${parent.ref.channel} ${parent.ref.ts}`].sort());
    expect(texts(slack.updates.find((update) => update.ts === card.ref.ts)!.blocks).join('\n')).toContain('Acknowledge SLA breached');
  });
  describe("Slack's rate limits through the real Web API client (Slack faked at HTTP with nock)", () => {
    const API = 'https://slack.test';
    afterEach(() => {
      nock.cleanAll();
    });

    it('retries a chat.postMessage Slack answers `ok: false, rate_limited` (or 429): after Retry-After when given, else a doubling back-off; delivered once, nothing dead-lettered', async () => {
      const now = () => clock;
      const web = new WebSlackApi({ token: 'xoxb-test', apiUrl: `${API}/api/` });
      const people = new CachedPeopleDirectory({ cache: new RedisNameCache(redis, keys), lookups: { slackName: (id) => web.userName(id), zendeskName: async () => null }, logger: silent });
      const delivery = new SlackDelivery({ slack: web, outbox, live: outbox, loops, briefs: outbox, directory: new RedisSlackDirectory(redis, keys), people, policy: defaultPolicy, loopPolicy: loopPolicyFrom(defaultPolicy), logger: silent, zendeskBaseUrl: ZENDESK_URL, now });
      const sender = new SlackSender({ outbox, delivery, logger: silent, intervalMs: INTERVAL, coalesceAbove: COALESCE_ABOVE, digestSize: DIGEST_SIZE, now });
      track(1);
      await push(BILLING, { k: 'card', t: 1 });
      const card = slackRenderers.ticketCard((await delivery.viewOf(1))!);

      const requests: Record<string, string>[] = [];
      const record = (answer: nock.ReplyFnResult) =>
        function (_uri: string, body: nock.Body): nock.ReplyFnResult {
          requests.push(slackArgs(body));
          return answer;
        };
      const rateLimited = slackAnswer('chat.postMessage rate_limited');
      nock(API)
        .post('/api/chat.postMessage')
        .times(2)
        .reply(record([200, rateLimited]))
        .post('/api/chat.postMessage')
        .reply(record([200, rateLimited, { 'retry-after': '3' }]))
        .post('/api/chat.postMessage')
        .reply(record([429, { ok: false, error: 'ratelimited' }]))
        .post('/api/chat.postMessage')
        .reply(record([200, { ok: true, channel: 'C0CXBILLING', ts: '1795424400.000100' }]));

      /** One step at `at`: nothing is due a millisecond before it. */
      const stepAt = async (at: number): Promise<void> => {
        clock = at - 1;
        expect(await sender.step()).toBe(false);
        clock = at;
        expect(await sender.step()).toBe(true);
      };
      expect(await sender.step()).toBe(true); // rate_limited, no Retry-After: 2 s
      expect(await dueAt(BILLING)).toBe(String(T0 + 2_000));
      await stepAt(T0 + 2_000); // again: 4 s
      expect(await dueAt(BILLING)).toBe(String(T0 + 6_000));
      await stepAt(T0 + 6_000); // rate_limited with Retry-After: 3 s, as Slack says
      expect(await dueAt(BILLING)).toBe(String(T0 + 9_000));
      await stepAt(T0 + 9_000); // HTTP 429 without a usable Retry-After: the back-off goes on, 8 s
      expect(await dueAt(BILLING)).toBe(String(T0 + 17_000));
      expect(await outbox.backlog()).toEqual({ [BILLING]: 1 });
      await stepAt(T0 + 17_000); // accepted

      expect(nock.pendingMocks()).toEqual([]);
      const sent = { channel: BILLING, text: card.text, blocks: JSON.stringify(card.blocks), unfurl_links: 'false', unfurl_media: 'false' };
      expect(requests).toEqual([sent, sent, sent, sent, sent]);
      expect(await outbox.backlog()).toEqual({});
      expect(await redis.llen(keys.slackDead)).toBe(0);
      expect((await outbox.messages(1)).card).toBe(`${BILLING} C0CXBILLING 1795424400.000100`);
      // The id Slack answered for "#cx-billing" is kept for the permission rule (conversations.members takes ids).
      expect(await redis.hget(keys.slackChannelIds, BILLING)).toBe('C0CXBILLING');
    });
  });
});
