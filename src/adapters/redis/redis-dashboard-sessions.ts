import { randomBytes } from 'node:crypto';
import type { RedisClient } from './redis-connection.js';
import type { DashboardSession, DashboardSessions } from '../../app/ports.js';
import type { RedisKeys } from './redis-keys.js';

/** Dashboard sessions and used sign-in links in Redis, expiring on their own; every web process shares them. */
export class RedisDashboardSessions implements DashboardSessions {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    /** CXLOOP_DASHBOARD_SECRET when set. */
    private readonly configuredSecret: string | undefined,
    private readonly now: () => number,
  ) {}

  async create(session: DashboardSession): Promise<string> {
    const id = randomBytes(24).toString('base64url');
    await this.redis.set(this.keys.dashboardSession(id), JSON.stringify(session), 'PX', Math.max(1, session.expiresAt - this.now()));
    return id;
  }

  async get(id: string): Promise<DashboardSession | null> {
    if (!/^[A-Za-z0-9_-]{32}$/.test(id)) return null;
    const value = await this.redis.get(this.keys.dashboardSession(id));
    if (value === null) return null;
    const session = JSON.parse(value) as DashboardSession;
    // The key's TTL runs on Redis's clock; the session's own expiry on cxloop's.
    return session.expiresAt > this.now() ? session : null;
  }

  async destroy(id: string): Promise<void> {
    await this.redis.del(this.keys.dashboardSession(id));
  }

  async useLink(linkId: string, expiresAt: number): Promise<boolean> {
    const ttl = Math.max(1, expiresAt - this.now()) + 60_000;
    return (await this.redis.set(this.keys.dashboardLink(linkId), '1', 'PX', ttl, 'NX')) === 'OK';
  }

  async linkSecret(): Promise<string> {
    if (this.configuredSecret !== undefined) return this.configuredSecret;
    await this.redis.set(this.keys.dashboardSecret, randomBytes(32).toString('hex'), 'NX');
    const secret = await this.redis.get(this.keys.dashboardSecret);
    if (secret === null) throw new Error('the dashboard link secret vanished from RedisClient right after it was set');
    return secret;
  }
}
