/** A Redis Cluster's seed nodes as REDIS_CLUSTER_NODES gives them, with what every node is reached with. */
export interface ClusterSeeds {
  readonly nodes: readonly { readonly host: string; readonly port: number }[];
  /** rediss:// seeds: every node is reached over TLS. */
  readonly tls: boolean;
  readonly username?: string;
  readonly password?: string;
}

const HOST_PORT = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/;

/**
 * `host:port,host:port,...`, each entry possibly a `redis://` or `rediss://` URL with a user and
 * password. Every node of a cluster is reached with the same credentials and TLS (ioredis
 * connects to the nodes it discovers with the seeds' options), so the URLs must agree; a cluster
 * has only database 0, so a URL names none.
 */
export function parseClusterNodes(text: string): { ok: true; seeds: ClusterSeeds } | { ok: false; reason: string } {
  const nodes: { host: string; port: number }[] = [];
  const schemes = new Set<string>();
  const credentials = new Set<string>();
  let username: string | undefined;
  let password: string | undefined;
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    let hostPort = entry;
    if (/^[a-z]+:\/\//i.test(entry)) {
      let url: URL;
      try {
        url = new URL(entry);
      } catch {
        return { ok: false, reason: 'has an entry that is not a URL nor host:port' };
      }
      if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return { ok: false, reason: 'entries must be host:port, redis:// or rediss:// URLs' };
      if (url.pathname !== '' && url.pathname !== '/' && url.pathname !== '/0') return { ok: false, reason: 'must not name a database: a Redis Cluster has only database 0' };
      if (url.port === '') return { ok: false, reason: 'every node needs its port (host:port)' };
      schemes.add(url.protocol);
      credentials.add(`${url.username}\n${url.password}`);
      if (url.username) username = decodeURIComponent(url.username);
      if (url.password) password = decodeURIComponent(url.password);
      hostPort = `${url.hostname}:${url.port}`;
    } else {
      schemes.add('redis:');
      credentials.add('\n');
    }
    const match = HOST_PORT.exec(hostPort);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65_535) return { ok: false, reason: 'must be host:port of each seed node (or redis:// / rediss:// URLs), comma-separated' };
    nodes.push({ host: match[1]!.replace(/^\[|\]$/g, ''), port });
  }
  if (schemes.size > 1) return { ok: false, reason: 'mixes redis:// (or host:port) and rediss:// entries: every node of a cluster is reached the same way' };
  if (credentials.size > 1) return { ok: false, reason: 'gives different credentials for different nodes: every node of a cluster is reached with the same user and password' };
  return { ok: true, seeds: { nodes, tls: schemes.has('rediss:'), ...(username ? { username } : {}), ...(password ? { password } : {}) } };
}
