import { describe, expect, it } from 'vitest';
import { createRedisKeys, installRedisKeys, type RedisKeys } from '../../../src/adapters/redis/redis-keys.js';
import { QUEUE_NAMES } from '../../../src/app/job-catalogue.js';

/** What a Redis Cluster hashes: the text between the first `{` and the next `}` when not empty, else the whole key (cluster spec, "Hash tags"). */
function hashedPart(key: string): string {
  const open = key.indexOf('{');
  const close = open === -1 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

/** The keys each multi-key script or transaction touches at once (see the adapters in src/adapters/redis). */
function keysUsedTogether(keys: RedisKeys): Record<string, string[]> {
  return {
    'loop commit': [keys.loop(7), keys.loopHistory(7), keys.loopOutbox(7)],
    'routing override': [keys.ticket(7), keys.pendingCorrection(7)],
    'brief forget': [keys.ticket(7), keys.ticketBrief(7)],
    'slack enqueue, complete, dead letter': [keys.slackOutbox('C1'), keys.slackEdits('C1'), keys.slackReady, keys.slackNext, keys.slackDead, keys.slackOutbox('C2')],
    'update budget': [keys.updateBudget, keys.updateHold],
    'read budget': [keys.zendeskReads(1), keys.zendeskReads(2), keys.zendeskReadsPaused],
    'oauth token': [keys.zendeskToken, keys.zendeskTokenRenewal],
    'model': [keys.model, keys.modelVersion],
    'names (MGET)': [keys.personName('U1'), keys.personName('zd:2')],
    'training export': [keys.trainingExport, keys.trainingExported],
    'route backlog': [keys.routeEntries, keys.routeDue, keys.routeClaimed, keys.routeOwners, keys.routeStalled, keys.routePaused],
    'loop timers': [keys.timersDue, keys.timersClaimed],
    'dashboard projection': [keys.dashboardDay(1), keys.dashboardContributions(1), keys.dashboardContributions(2), keys.dashboardUndecided, keys.dashboardOpen, keys.dashboardOpenLog, keys.dashboardOpenChanges, keys.dashboardDayVersions, keys.dashboardDayEffects(1), keys.dashboardOpenChangedSet],
    'dashboard open rows read': [keys.dashboardOpenLog, keys.dashboardOpenChanges, keys.dashboardOpen],
  };
}

describe('Redis key layout', () => {
  it('keeps the names an install on one Redis already has (nothing to move on upgrade)', () => {
    const keys = createRedisKeys('cx');
    expect([keys.loops, keys.corrections, keys.slackReady, keys.slackNext, keys.slackDead, keys.slackOutbox('C1'), keys.slackEdits('C1')]).toEqual([
      'cx:loops', 'cx:corrections', 'cx:slack:ready', 'cx:slack:next', 'cx:slack:dead', 'cx:so:C1', 'cx:se:C1',
    ]);
    expect([keys.updateBudget, keys.updateHold, keys.zendeskToken, keys.zendeskTokenRenewal, keys.model, keys.modelVersion, keys.personName('U1')]).toEqual([
      'cx:zd:budget', 'cx:zd:hold', 'cx:zendesk:oauth-token', 'cx:zendesk:oauth-renewal', 'cx:model', 'cx:model:version', 'cx:name:U1',
    ]);
    expect(Object.values(QUEUE_NAMES).map((queue) => keys.queuePrefix(queue))).toEqual(Object.values(QUEUE_NAMES).map(() => 'cx:q'));
    expect(installRedisKeys({ CXLOOP_REDIS_PREFIX: 'cx', REDIS_CLUSTER_NODES: undefined }).slackReady).toBe('cx:slack:ready');
  });

  it.each(Object.keys(keysUsedTogether(createRedisKeys('cx', 'cluster'))))('on a cluster, puts the keys of "%s" in one hash slot', (name) => {
    const together = keysUsedTogether(createRedisKeys('cx', 'cluster'))[name]!;
    expect(new Set(together.map(hashedPart)).size).toBe(1);
  });

  it("on a cluster, gives each ticket its own slot and each BullMQ queue its own tag, every key under the install's prefix", () => {
    const keys = installRedisKeys({ CXLOOP_REDIS_PREFIX: 'cx', REDIS_CLUSTER_NODES: 'a:7000' });
    expect(new Set([keys.ticket(1), keys.loop(1), keys.customerUpdates(1), keys.statusLink(1), keys.dashboardEffects(1)].map(hashedPart))).toEqual(new Set(['1']));
    expect(hashedPart(keys.ticket(2))).toBe('2');
    const prefixes = Object.values(QUEUE_NAMES).map((queue) => keys.queuePrefix(queue));
    expect(new Set(prefixes.map(hashedPart)).size).toBe(prefixes.length);
    for (const queuePrefix of prefixes) expect(queuePrefix).toMatch(/^cx:q:\{[a-z-]+\}$/);
    const all = [...Object.values(keysUsedTogether(keys)).flat(), keys.loops, keys.corrections, ...prefixes];
    for (const key of all) expect(key.startsWith('cx:')).toBe(true);
  });
});
