import { parseArgs } from 'node:util';
import { installRedisKeys } from '../../adapters/redis/redis-keys.js';
import { RedisStatusLinks } from '../../adapters/redis/redis-status-links.js';
import { withInstallRedis } from '../connect-redis.js';
import { CliError, type CliIo } from '../io.js';

export const STATUS_LINK_USAGE = `Usage: cxloop status-link revoke <ticket id>
Ends a ticket's status-page link at once (GET /status/<token> answers 404 as for any unknown
link); the ticket's next public comment carries a new one. Reads REDIS_URL and
CXLOOP_REDIS_PREFIX like serve.`;

export async function runStatusLink(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.stdout.write(`${STATUS_LINK_USAGE}\n`);
    return 0;
  }
  const [verb, ticket, ...extra] = positionals;
  const ticketId = Number(ticket);
  if (verb !== 'revoke' || !Number.isSafeInteger(ticketId) || ticketId <= 0 || extra.length > 0) throw new CliError(`say which ticket's link to end: "cxloop status-link revoke 1234"\n${STATUS_LINK_USAGE}`, 2);
  return withInstallRedis(io, async (redis, env) => {
    const revoked = await new RedisStatusLinks(redis, installRedisKeys(env)).revoke(ticketId);
    io.stdout.write(revoked ? `#${ticketId}: its status link no longer opens\n` : `#${ticketId} has no status link (none issued, already revoked or expired)\n`);
    return 0;
  });
}
