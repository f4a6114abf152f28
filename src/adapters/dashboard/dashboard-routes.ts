import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Route } from '../../app/http-route.js';
import type { DashboardReadDeps } from '../../app/dashboard/dashboard-deps.js';
import { inScope, maySee, type DashboardScope } from '../../app/dashboard/dashboard-scope.js';
import { readFigures } from '../../app/dashboard/read-figures.js';
import { namesOf, readNow, subjectsOf } from '../../app/dashboard/read-now.js';
import { readTicket } from '../../app/dashboard/read-ticket.js';
import type { LoopMove } from '../../app/ports.js';
import type { Policy } from '../../config/policy-schema.js';
import { findPackageRoot } from '../../config/package-root.js';
import { DashboardAuth, type DashboardAuthDeps, type SignedIn } from './dashboard-auth.js';
import { figuresPage, figureTables } from './figures-page.js';
import { parseFilters, windowOf, type Filters } from './filters.js';
import { html } from './html.js';
import { messagePage } from './layout.js';
import { nowPage, nowTables, renderNowRow } from './now-page.js';
import { SECURITY_HEADERS, sendCsv, sendPage } from './send-page.js';
import type { Table } from './table.js';
import { tableCsv } from './table.js';
import { ticketPage, ticketTables } from './ticket-page.js';

export interface DashboardDeps extends DashboardAuthDeps {
  readonly read: DashboardReadDeps;
  readonly policy: Policy;
  /** The ticket in Zendesk's agent interface, or null when cxloop knows no Zendesk URL (a dry run). */
  readonly zendeskTicketUrl: (ticketId: number) => string | null;
}

const CANNOT_LOAD = [
  'cxloop could not read what this page shows; the reason is in cxloop\'s log ("dashboard page failed").',
  html`Most often Redis does not answer: <code>npx cxloop doctor</code> says what is wrong. Then reload this page.`,
];

/** SSE comment lines keep proxies from closing an idle stream. */
const HEARTBEAT_MS = 25_000;

/** Static files the pages load: our script and styles (web/), and Chart.js from its npm package. */
function assetFiles(): Record<string, { path: string; type: string }> {
  const web = join(findPackageRoot(), 'web');
  const chartJs = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');
  return {
    '/dashboard/assets/dashboard.js': { path: join(web, 'dashboard.js'), type: 'text/javascript; charset=utf-8' },
    '/dashboard/assets/dashboard.css': { path: join(web, 'dashboard.css'), type: 'text/css; charset=utf-8' },
    '/dashboard/assets/chart.umd.min.js': { path: chartJs, type: 'text/javascript; charset=utf-8' },
  };
}

/**
 * The web dashboard on cxloop's own server: Now (open loops, live), Figures (the report's figures
 * as charts against their goals), a ticket's whole loop, CSV of every table, and sign-in. Every
 * page needs a session; a viewer sees the teams the Slack permission rule gives them.
 */
export function createDashboard(deps: DashboardDeps): { routes: Route[]; close(): void } {
  const auth = new DashboardAuth(deps);
  const streams = new Set<ServerResponse>();
  const assets = assetFiles();
  const cache = new Map<string, Buffer>();
  const page = (handler: (request: IncomingMessage, response: ServerResponse, signedIn: SignedIn, query: URLSearchParams) => Promise<void>): Route['handler'] =>
    async (request, response) => {
      try {
        const signedIn = await auth.require(request, response);
        if (signedIn === null) return;
        await handler(request, response, signedIn, new URL(request.url ?? '/', 'http://x').searchParams);
      } catch (error) {
        // Said once, here: the log has the cause, the page what to do (not the server's JSON 500).
        deps.logger.log('error', 'dashboard page failed', { path: new URL(request.url ?? '/', 'http://x').pathname, error: (error as Error).message });
        if (response.headersSent) return void response.end();
        sendPage(response, 503, messagePage({ title: 'The dashboard could not load this page', lines: CANNOT_LOAD, viewer: null, now: deps.now() }));
      }
    };

  /** The viewer's scope with the page's filters, or null after answering 400/403. */
  const scopeOf = (response: ServerResponse, signedIn: SignedIn, query: URLSearchParams): { scope: DashboardScope; filters: Filters } | null => {
    const parsed = parseFilters(query, deps.policy);
    const now = deps.now();
    if (!parsed.ok) {
      sendPage(response, 400, messagePage({ title: 'That filter is not valid', lines: [parsed.problem, 'Pick the filter again from the form on the page.'], viewer: signedIn.viewer, now }));
      return null;
    }
    const { filters } = parsed;
    const teams = signedIn.viewer.teams;
    if (filters.team !== null && !maySee({ teams }, filters.team)) {
      sendPage(response, 403, messagePage({ title: 'Not your team', lines: [notYourTeam(filters.team, teams)], viewer: signedIn.viewer, now }));
      return null;
    }
    return { scope: { teams, team: filters.team, category: filters.category, tier: filters.tier }, filters };
  };

  const tablesFor = async (path: string, response: ServerResponse, signedIn: SignedIn, query: URLSearchParams): Promise<Table[] | null> => {
    const now = deps.now();
    if (path === '/dashboard/ticket') {
      const view = await visibleTicket(response, signedIn, query);
      return view === null ? null : ticketTables(view, now);
    }
    const scoped = scopeOf(response, signedIn, query);
    if (scoped === null) return null;
    if (path === '/dashboard/figures') return figureTables(await readFigures(deps.read.dashboard, windowOf(scoped.filters, now), scoped.scope), deps.policy);
    return nowTables(await readNow(deps.read, scoped.scope, { subjects: 'all' }), now);
  };

  const visibleTicket = async (response: ServerResponse, signedIn: SignedIn, query: URLSearchParams) => {
    const now = deps.now();
    const id = Number(query.get('id'));
    if (!Number.isSafeInteger(id) || id <= 0) {
      sendPage(response, 400, messagePage({ title: 'Which ticket?', lines: ['Open a ticket from the Now page, or give its number: /dashboard/ticket?id=1234.'], viewer: signedIn.viewer, now }));
      return null;
    }
    const view = await readTicket(deps.read, id);
    if (view === null) {
      sendPage(response, 404, messagePage({ title: `No loop for ticket #${id}`, lines: ['cxloop has no loop for this ticket: it was not routed by cxloop, or its history is older than 90 days.'], viewer: signedIn.viewer, now }));
      return null;
    }
    if (!maySee({ teams: signedIn.viewer.teams }, view.team)) {
      sendPage(response, 403, messagePage({ title: 'Not your team', lines: [notYourTeam(view.team, signedIn.viewer.teams)], viewer: signedIn.viewer, now }));
      return null;
    }
    return view;
  };

  const routes: Route[] = [
    ...auth.routes(),
    {
      method: 'GET',
      path: '/dashboard',
      handler: page(async (_request, response, signedIn, query) => {
        const scoped = scopeOf(response, signedIn, query);
        if (scoped === null) return;
        const view = await readNow(deps.read, scoped.scope);
        sendPage(response, 200, nowPage({ view, viewer: signedIn.viewer, filters: scoped.filters, query, policy: deps.policy, now: deps.now() }));
      }),
    },
    {
      method: 'GET',
      path: '/dashboard/figures',
      handler: page(async (_request, response, signedIn, query) => {
        const scoped = scopeOf(response, signedIn, query);
        if (scoped === null) return;
        const view = await readFigures(deps.read.dashboard, windowOf(scoped.filters, deps.now()), scoped.scope);
        sendPage(response, 200, figuresPage({ view, viewer: signedIn.viewer, filters: scoped.filters, query, policy: deps.policy }));
      }),
    },
    {
      method: 'GET',
      path: '/dashboard/ticket',
      handler: page(async (_request, response, signedIn, query) => {
        const view = await visibleTicket(response, signedIn, query);
        if (view !== null) sendPage(response, 200, ticketPage({ view, viewer: signedIn.viewer, zendeskUrl: deps.zendeskTicketUrl(view.ticketId), now: deps.now() }));
      }),
    },
    {
      method: 'GET',
      path: '/dashboard/export.csv',
      handler: page(async (_request, response, signedIn, query) => {
        const from = query.get('from') ?? '/dashboard';
        const tables = await tablesFor(from, response, signedIn, query);
        if (tables === null) return;
        const table = tables.find((candidate) => candidate.id === query.get('table'));
        if (!table) {
          sendPage(response, 404, messagePage({ title: 'No such table', lines: [`Tables of this page: ${tables.map((each) => each.id).join(', ')}.`], viewer: signedIn.viewer, now: deps.now() }));
          return;
        }
        sendCsv(response, `cxloop-${from.replace(/\W+/g, '-').replace(/^-|-$/g, '')}-${table.id}.csv`, tableCsv(table));
      }),
    },
    {
      method: 'GET',
      path: '/dashboard/events',
      handler: page(async (request, response, signedIn, query) => {
        streams.add(response);
        try {
          await streamMoves(deps, request, response, signedIn, query, scopeOf);
        } finally {
          streams.delete(response);
        }
      }),
    },
    ...Object.entries(assets).map(([path, asset]): Route => ({
      method: 'GET',
      path,
      handler: async (_request, response) => {
        let body = cache.get(path);
        if (body === undefined) {
          body = await readFile(asset.path);
          cache.set(path, body);
        }
        response.writeHead(200, { ...SECURITY_HEADERS, 'cache-control': 'public, max-age=300', 'content-type': asset.type, 'content-length': body.length });
        response.end(body);
      },
    })),
  ];
  return {
    routes,
    /** Ends the open event streams, so the server can close (browsers reconnect to the next process). */
    close: () => {
      for (const stream of streams) stream.end();
    },
  };
}

/**
 * Server-sent events for the Now page: each loop in the viewer's scope that moves is sent as its
 * re-rendered row (event `row`), and one that ended or left the scope as its removal (event
 * `gone`). A move of a loop the page never showed and that is not in scope is not sent, so no
 * other team's ticket shows up, not even its number.
 */
async function streamMoves(
  deps: DashboardDeps,
  request: IncomingMessage,
  response: ServerResponse,
  signedIn: SignedIn,
  query: URLSearchParams,
  scopeOf: (response: ServerResponse, signedIn: SignedIn, query: URLSearchParams) => { scope: DashboardScope } | null,
): Promise<void> {
  const scoped = scopeOf(response, signedIn, query);
  if (scoped === null) return;
  const { scope } = scoped;
  const shown = new Set((await deps.read.dashboard.openLoops()).filter((row) => inScope(scope, row)).map((row) => row.ticketId));
  response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  response.write('retry: 5000\n\n');
  let queue = Promise.resolve();
  const send = async (move: LoopMove): Promise<void> => {
    if (move.row === null || !inScope(scope, move.row)) {
      if (shown.delete(move.ticketId)) response.write(`event: gone\ndata: ${JSON.stringify({ ticketId: move.ticketId })}\n\n`);
      return;
    }
    shown.add(move.ticketId);
    const [names, subjects] = await Promise.all([namesOf(deps.read, [move.row]), subjectsOf(deps.read, [move.ticketId])]);
    const row = renderNowRow(move.row, names, subjects.get(move.ticketId) ?? null, deps.now()).text;
    response.write(`event: row\ndata: ${JSON.stringify({ ticketId: move.ticketId, version: move.version, breached: move.row.breaches.length > 0, html: row })}\n\n`);
  };
  const stop = await deps.read.dashboard.onMoved((move) => {
    // In order, one at a time per viewer; a failed render is logged and the stream goes on.
    queue = queue.then(() => send(move)).catch((error: unknown) => deps.logger.log('warn', 'dashboard live update not sent', { ticketId: move.ticketId, error: (error as Error).message }));
  });
  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  await new Promise<void>((resolve) => {
    request.on('close', resolve);
    response.on('close', resolve);
  });
  clearInterval(heartbeat);
  await stop();
}

function notYourTeam(team: string, teams: readonly string[] | null): string {
  const yours = teams === null || teams.length === 0 ? 'no team' : `team ${teams.join(', ')}`;
  return `This is team ${team}'s, and you see ${yours}. Ask a cxloop admin to add you to teams.${team}.members in the policy (or to the team's Slack user group).`;
}
