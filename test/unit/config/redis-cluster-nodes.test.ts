import { describe, expect, it } from 'vitest';
import { describeRedis } from '../../../src/adapters/redis/redis-connection.js';
import { parseEnv } from '../../../src/config/env-schema.js';
import { parseClusterNodes } from '../../../src/config/redis-cluster-nodes.js';

describe('REDIS_CLUSTER_NODES', () => {
  it.each([
    ['10.0.0.1:7000,10.0.0.2:7000', { nodes: [{ host: '10.0.0.1', port: 7000 }, { host: '10.0.0.2', port: 7000 }], tls: false }],
    [' redis-a:6379 , redis-b:6380 ', { nodes: [{ host: 'redis-a', port: 6379 }, { host: 'redis-b', port: 6380 }], tls: false }],
    ['redis://:s3cret@a:7000,redis://:s3cret@b:7000', { nodes: [{ host: 'a', port: 7000 }, { host: 'b', port: 7000 }], tls: false, password: 's3cret' }],
    ['rediss://app:p%40ss@a.example:6380', { nodes: [{ host: 'a.example', port: 6380 }], tls: true, username: 'app', password: 'p@ss' }],
    ['redis://a:7000/0', { nodes: [{ host: 'a', port: 7000 }], tls: false }],
    ['[::1]:7000', { nodes: [{ host: '::1', port: 7000 }], tls: false }],
  ])('takes %s', (text, seeds) => {
    expect(parseClusterNodes(text)).toEqual({ ok: true, seeds });
  });

  it.each([
    ['a', /host:port/],
    ['a:70000', /host:port/],
    ['a:7000,', /host:port/],
    ['http://a:7000', /redis:\/\//],
    ['redis://a', /port/],
    ['redis://a:7000/2', /database 0/],
    ['redis://a:7000,rediss://b:7000', /mixes/],
    ['redis://:one@a:7000,redis://:two@b:7000', /different credentials/],
    ['redis://:one@a:7000,b:7000', /different credentials/],
  ])('refuses %s', (text, reason) => {
    const parsed = parseClusterNodes(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it('is validated by the env schema, never echoing the value, and cannot be combined with Sentinel', () => {
    const bad = parseEnv({ REDIS_CLUSTER_NODES: 'redis://:hunter2@a:7000/3' });
    expect(bad).toEqual({ ok: false, problems: [{ path: 'REDIS_CLUSTER_NODES', message: expect.stringMatching(/database 0/) }] });
    expect(JSON.stringify(bad)).not.toContain('hunter2');
    const both = parseEnv({ REDIS_CLUSTER_NODES: 'a:7000', REDIS_SENTINELS: 's:26379', REDIS_SENTINEL_NAME: 'mymaster' });
    expect(both.ok).toBe(false);
    if (!both.ok) expect(both.problems.map((problem) => problem.path)).toEqual(['REDIS_CLUSTER_NODES']);
    const good = parseEnv({ REDIS_CLUSTER_NODES: 'a:7000,b:7001' });
    expect(good.ok && good.env.REDIS_CLUSTER_NODES).toBe('a:7000,b:7001');
  });

  it('is described by its seed nodes, without the password, before REDIS_URL', () => {
    const settings = { REDIS_URL: 'redis://:other@single:6379', REDIS_SENTINELS: undefined, REDIS_SENTINEL_NAME: undefined };
    expect(describeRedis({ ...settings, REDIS_CLUSTER_NODES: 'rediss://:s3cret@a:6380,rediss://:s3cret@b:6380' })).toBe('Redis Cluster of the seed nodes a:6380, b:6380 (TLS)');
    expect(describeRedis({ ...settings, REDIS_CLUSTER_NODES: 'a:7000' })).toBe('Redis Cluster of the seed nodes a:7000');
    expect(describeRedis({ ...settings, REDIS_CLUSTER_NODES: undefined })).toBe('redis://***@single:6379');
  });
});
