import type { RedisClient } from './redis-connection.js';
import type { CustomerUpdateClaim, CustomerUpdateLedger } from '../../app/ports.js';
import type { RedisKeys } from './redis-keys.js';
import { runScript } from './run-script.js';

/** A ticket's record of public comments outlives its loop's verify window by far (cadence and dedupe only need days). */
const LEDGER_TTL_SECONDS = 60 * 86_400;

/**
 * KEYS ledger. ARGV key, now, cadence ms, ttl s, body. Returns the outcome and, for 'wait', until
 * when, for 'unsure', the body claimed.
 * One script, so two attempts (or two comments) of one ticket never both pass the cadence.
 */
const CLAIM = `
local state = redis.call('HGET', KEYS[1], 's:' .. ARGV[1])
if state == 'sent' then return {'sent', 0} end
if state == 'sending' then return {'unsure', redis.call('HGET', KEYS[1], 'b:' .. ARGV[1]) or ''} end
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '-1')
local now = tonumber(ARGV[2])
local cadence = tonumber(ARGV[3])
if last >= 0 and now - last < cadence then return {'wait', last + cadence} end
redis.call('HSET', KEYS[1], 's:' .. ARGV[1], 'sending', 'b:' .. ARGV[1], ARGV[5], 'last', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return {'send', 0}`;

export class RedisCustomerLedger implements CustomerUpdateLedger {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async claim(ticketId: number, key: string, body: string, now: number, cadenceMs: number): Promise<CustomerUpdateClaim> {
    const [outcome, detail] = (await runScript(this.redis, CLAIM, 1, this.keys.customerUpdates(ticketId), key, now, cadenceMs, LEDGER_TTL_SECONDS, body)) as [string, number | string];
    if (outcome === 'wait') return { outcome, until: Number(detail) };
    if (outcome === 'unsure') return { outcome, body: String(detail) };
    return { outcome: outcome as 'send' | 'sent' };
  }

  /** The comment went out; its body is no longer needed. */
  async confirm(ticketId: number, key: string, etaAt: number | null): Promise<void> {
    const ledger = this.keys.customerUpdates(ticketId);
    await this.redis.multi().hset(ledger, `s:${key}`, 'sent', ...(etaAt === null ? [] : ['eta', String(etaAt)])).hdel(ledger, `b:${key}`).exec();
  }

  async lastEta(ticketId: number): Promise<number | null> {
    const eta = await this.redis.hget(this.keys.customerUpdates(ticketId), 'eta');
    return eta === null ? null : Number(eta);
  }
}
