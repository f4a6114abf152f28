/**
 * A fake Slack Web API on loopback, for the Slack burst benchmark: the methods cxloop calls
 * (chat.postMessage, chat.update, auth.test, usergroups.users.list, views.publish,
 * conversations.open) and the limits around them, recording every message it accepts so a
 * benchmark can check what reached each channel. Built on node:http only.
 *
 * Limits modelled (https://docs.slack.dev/apis/web-api/rate-limits):
 *   chat.postMessage  about 1 message per second per channel ("short bursts allowed": `burst`
 *                     tokens, 1 by default, i.e. strict); the workspace-wide cap is not modelled
 *   chat.update       Tier 3, 50 calls per minute per workspace (sliding minute)
 * A call over a limit gets HTTP 429, Retry-After in whole seconds and {ok:false,error:"ratelimited"},
 * which @slack/web-api v8 turns into WebAPIRateLimitedError (rejectRateLimitedCalls) (§3.3).
 * Errors Slack reports with HTTP 200 and ok:false (invalid_auth, message_not_found ...) do the same here.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { closeServer, listenOnLoopback, readCappedBody, slidingWindow, tokenBuckets, type LimitDecision } from './fake-http.js';

export interface FakeSlackOptions {
  port?: number;
  /** When set, every call needs `Authorization: Bearer <token>`, else {ok:false,error:"invalid_auth"}. */
  token?: string;
  /** chat.postMessage per channel: sustained rate (default 1/s) and bucket size (default 1). */
  postsPerSecond?: number;
  burst?: number;
  /** chat.update calls per sliding minute, all channels together (default 50, Tier 3). */
  updatesPerMinute?: number;
  /** Scopes granted to the token, sent as Slack does in the `x-oauth-scopes` header of every answer (none: no header). */
  scopes?: readonly string[];
  /** usergroups.users.list answers: user group id -> member user ids. */
  usergroups?: Record<string, string[]>;
  now?: () => number;
}

/** A message Slack accepted (posted, or the latest state of an updated one). */
export interface FakeSlackMessage {
  /** Channel id it lives in (C..., D... for a DM). */
  channel: string;
  /** What the caller named: "#cx-billing", a user id, or the id itself. */
  sentTo: string;
  ts: string;
  threadTs: string | null;
  text: string;
  blocks: unknown[];
  at: number;
}

/** Every call, accepted or not. */
export interface FakeSlackCall {
  method: string;
  channel: string | null;
  at: number;
  status: number;
  error: string | null;
}

export interface FakeSlack {
  /** Origin, e.g. http://127.0.0.1:PORT. */
  url: string;
  /** What SLACK_API_URL points at: `${url}/api/`. */
  apiUrl: string;
  /** Accepted chat.postMessage calls, in order. */
  posts: FakeSlackMessage[];
  /** Accepted chat.update calls, in order (each with the blocks it sent). */
  updates: FakeSlackMessage[];
  calls: FakeSlackCall[];
  stats: { posted: number; updated: number; rateLimited: number };
  /** The channel id a "#name" resolves to (created on first use, as if the channel existed). */
  channelId(name: string): string;
  close(): Promise<void>;
}

type Args = Record<string, unknown>;
interface Reply { status: number; body: Args; headers?: Record<string, string> }

const BODY_LIMIT_BYTES = 2 * 1024 * 1024;
const MINUTE_MS = 60_000;
const ok = (body: Args = {}): Reply => ({ status: 200, body: { ok: true, ...body } });
const fail = (error: string): Reply => ({ status: 200, body: { ok: false, error } });

/** Form-encoded (what @slack/web-api sends, nested values as JSON strings) or JSON arguments. */
function parseArgs(req: IncomingMessage, text: string, query: URLSearchParams): Args | null {
  const args: Args = Object.fromEntries(query);
  if (text === '') return args;
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    try {
      const json: unknown = JSON.parse(text);
      return typeof json === 'object' && json !== null && !Array.isArray(json) ? { ...args, ...(json as Args) } : null;
    } catch {
      return null;
    }
  }
  return { ...args, ...Object.fromEntries(new URLSearchParams(text)) };
}

/** blocks arrive as a JSON string (form encoding) or an array (JSON); anything else is invalid. */
function blocksOf(value: unknown): unknown[] | null {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const now = options.now ?? Date.now;
  const takePost = tokenBuckets(options.postsPerSecond ?? 1, options.burst ?? 1, now);
  const takeUpdate = slidingWindow(options.updatesPerMinute ?? 50, MINUTE_MS, now);
  const usergroups = options.usergroups ?? {};
  const posts: FakeSlackMessage[] = [];
  const updates: FakeSlackMessage[] = [];
  const calls: FakeSlackCall[] = [];
  const byRef = new Map<string, FakeSlackMessage>();
  const channelIds = new Map<string, string>();
  const stats = { posted: 0, updated: 0, rateLimited: 0 };
  let sequence = 0;

  function channelId(name: string): string {
    const bare = name.replace(/^#/, '');
    if (/^[CGD][A-Z0-9]+$/.test(bare)) return bare;
    if (/^[UW][A-Z0-9]+$/.test(bare)) return `D${bare.slice(1)}`; // posting to a user id opens the DM
    let id = channelIds.get(bare);
    if (id === undefined) {
      id = `C0BENCH${(channelIds.size + 1).toString(36).toUpperCase().padStart(3, '0')}`;
      channelIds.set(bare, id);
    }
    return id;
  }

  const limited = (decision: Extract<LimitDecision, { allowed: false }>): Reply => {
    stats.rateLimited++;
    return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'Retry-After': String(decision.retryAfterSeconds) } };
  };

  function postMessage(args: Args, at: number): Reply {
    const sentTo = text(args.channel);
    if (sentTo === '') return fail('channel_not_found');
    const blocks = blocksOf(args.blocks);
    if (blocks === null) return fail('invalid_blocks');
    if (text(args.text) === '' && blocks.length === 0) return fail('no_text');
    const channel = channelId(sentTo);
    const slot = takePost(channel);
    if (!slot.allowed) return limited(slot);
    sequence += 1;
    const ts = `${Math.floor(at / 1000)}.${String(sequence).padStart(6, '0')}`;
    const message: FakeSlackMessage = { channel, sentTo, ts, threadTs: text(args.thread_ts) || null, text: text(args.text), blocks, at };
    posts.push(message);
    byRef.set(`${channel} ${ts}`, message);
    stats.posted++;
    return ok({ channel, ts, message: { type: 'message', text: message.text, blocks, ts } });
  }

  function update(args: Args, at: number): Reply {
    const channel = text(args.channel);
    const ts = text(args.ts);
    const blocks = blocksOf(args.blocks);
    if (blocks === null) return fail('invalid_blocks');
    const slot = takeUpdate();
    if (!slot.allowed) return limited(slot);
    const original = byRef.get(`${channel} ${ts}`);
    if (!original) return fail('message_not_found');
    const message: FakeSlackMessage = { ...original, text: text(args.text), blocks, at };
    byRef.set(`${channel} ${ts}`, message);
    updates.push(message);
    stats.updated++;
    return ok({ channel, ts, text: message.text });
  }

  function route(method: string, args: Args, at: number): Reply {
    switch (method) {
      case 'auth.test':
        return ok({ url: 'https://bench.slack.com/', team: 'bench', user: 'cxloop', team_id: 'T0BENCH', user_id: 'U0BENCHBOT', bot_id: 'B0BENCHBOT' });
      case 'chat.postMessage':
        return postMessage(args, at);
      case 'chat.update':
        return update(args, at);
      case 'usergroups.users.list': {
        const members = usergroups[text(args.usergroup)];
        return members ? ok({ users: members }) : fail('no_such_subteam');
      }
      case 'views.publish':
        return text(args.user_id) === '' ? fail('invalid_arguments') : ok({ view: { id: `V0BENCH${++sequence}` } });
      case 'conversations.open': {
        const user = text(args.users).split(',')[0] ?? '';
        return /^[UW][A-Z0-9]+$/.test(user) ? ok({ channel: { id: channelId(user) } }) : fail('user_not_found');
      }
      default:
        return fail('unknown_method');
    }
  }

  async function handle(req: IncomingMessage): Promise<Reply> {
    const at = now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = /^\/api\/([a-zA-Z.]+)$/.exec(url.pathname)?.[1] ?? '';
    const body = await readCappedBody(req, BODY_LIMIT_BYTES);
    const args = body === null ? null : parseArgs(req, body, url.searchParams);
    const authorized = options.token === undefined || req.headers.authorization === `Bearer ${options.token}`;
    const reply = args === null ? fail('invalid_form_data') : !authorized ? fail('invalid_auth') : route(method, args, at);
    // The token's scopes come with every answer made with it (doctor's slack-scopes check reads them from auth.test).
    if (authorized && options.scopes) reply.headers = { ...reply.headers, 'x-oauth-scopes': options.scopes.join(',') };
    const channel = args && typeof args.channel === 'string' ? channelId(args.channel) : null;
    calls.push({ method, channel, at, status: reply.status, error: reply.body.ok === true ? null : text(reply.body.error) });
    return reply;
  }

  const server = createServer((req, res) => {
    handle(req).then((reply) => {
      res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    }, () => res.destroy());
  });
  const url = await listenOnLoopback(server, options.port);
  return { url, apiUrl: `${url}/api/`, posts, updates, calls, stats, channelId, close: () => closeServer(server) };
}
