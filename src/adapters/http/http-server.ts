import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson, type Route } from '../../app/http-route.js';
import type { Logger } from '../../app/ports.js';

export interface RunningServer {
  readonly server: Server;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A plain node:http server with an exact-path router ("/status/*" matches every path below /status/). Routes are registered by the composition root
 * (main.ts); later surfaces (Zendesk webhooks, Slack) add theirs the same way.
 */
export async function startHttpServer(options: {
  port: number;
  host?: string;
  routes: readonly Route[];
  logger: Logger;
}): Promise<RunningServer> {
  const { routes, logger } = options;
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const matching = routes.filter((route) => route.path === path || (route.path.endsWith('/*') && path.startsWith(route.path.slice(0, -1))));
    const route = matching.find((candidate) => candidate.method === request.method);
    if (!route) {
      if (matching.length > 0) {
        response.setHeader('allow', matching.map((candidate) => candidate.method).join(', '));
        sendJson(response, 405, { error: 'method not allowed' });
      } else {
        sendJson(response, 404, { error: 'not found' });
      }
      return;
    }
    Promise.resolve(route.handler(request, response)).catch((error: unknown) => {
      logger.log('error', 'request failed', { path, error: (error as Error).message });
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
      else response.end();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new Error(describeListenError(error, options.port, options.host), { cause: error })));
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${host === '[::]' || host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

/** Why the server could not listen, in one line that says what to do. */
function describeListenError(error: NodeJS.ErrnoException, port: number, host: string | undefined): string {
  const where = `port ${port}${host ? ` on ${host}` : ''}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `${where} is already in use (EADDRINUSE): stop what listens there, or set PORT to a free port`;
    case 'EACCES':
      return `${where} needs privileges this process lacks (EACCES): set PORT to 1024 or above`;
    case 'EADDRNOTAVAIL':
      return `${host ?? 'the address'} is not an address of this machine (EADDRNOTAVAIL): pass --host with one of its addresses, or leave it out`;
    default:
      return `cannot listen on ${where}: ${error.message}`;
  }
}
