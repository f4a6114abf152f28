/**
 * The ingest load generator's thread (see load-generator.ts). It holds its own keep-alive TCP
 * connections and speaks just enough HTTP/1.1 for this job: a prepared request goes out, a
 * response with Content-Length comes back. Requests (signed distinct webhooks) are built before
 * the clock starts, so signing and serialising cost the measured run nothing.
 *
 * Open loop: request i is due at start + i / rate, whether or not earlier ones were answered.
 * When no connection is free it waits, and its latency counts from when it was due (no
 * coordinated omission). Free connections are used oldest first, so all of them carry traffic.
 * Closed loop: every connection sends its next request as soon as the previous one is answered.
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { ticketEvent } from '../src/adapters/zendesk/sample-webhooks.js';
import { signZendeskPayload } from '../src/adapters/zendesk/verify-signature.js';
import type { LoadMessage, LoadResult, LoadSpec } from './load-generator.js';

const HEADER_END = Buffer.from('\r\n\r\n');
const DRAIN_TIMEOUT_MS = 10_000;

interface Pending {
  readonly request: Buffer;
  /** When it was due (open loop) or sent (closed loop), performance.now() ms. */
  readonly due: number;
}

/** One keep-alive connection carrying one request at a time. */
class Connection {
  private socket!: Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private current: { pending: Pending; done: (status: number) => void } | null = null;

  constructor(private readonly port: number) {}

  open(): Promise<void> {
    this.socket = connect({ port: this.port, host: '127.0.0.1', noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.socket.on('error', () => undefined); // 'close' follows and fails the request in flight
    this.socket.on('close', () => this.fail());
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
  }

  send(pending: Pending, done: (status: number) => void): void {
    this.current = { pending, done };
    this.buffer = Buffer.alloc(0);
    if (this.socket.destroyed) {
      this.open().then(() => this.socket.write(pending.request), () => this.fail());
      return;
    }
    this.socket.write(pending.request);
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const end = this.buffer.indexOf(HEADER_END);
    if (end < 0 || this.current === null) return;
    const head = this.buffer.subarray(0, end).toString('latin1');
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? Number.NaN);
    if (Number.isNaN(length)) return this.fail(); // every server here sends Content-Length
    if (this.buffer.length < end + HEADER_END.length + length) return;
    const status = Number(head.slice(9, 12));
    const { done } = this.current;
    this.current = null;
    this.buffer = Buffer.alloc(0);
    if (/\r\nconnection:\s*close/i.test(head)) this.socket.destroy();
    done(status);
  }

  private fail(): void {
    const current = this.current;
    this.current = null;
    current?.done(0);
  }
}

function buildRequests(spec: LoadSpec, count: number): Buffer[] {
  const { host } = new URL(spec.url);
  const timestamp = new Date().toISOString();
  return Array.from({ length: count }, (_, index) => {
    const id = spec.firstTicketId + index;
    const body = ticketEvent('created', { id, subject: `Load ticket ${id}`, description: 'Benchmark ticket: the dashboard is slow to load.', created_at: timestamp, updated_at: timestamp });
    const head =
      `POST /webhooks/zendesk HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Zendesk-Webhook-Signature-Timestamp: ${timestamp}\r\nX-Zendesk-Webhook-Signature: ${signZendeskPayload(body, timestamp, spec.secret)}\r\n\r\n`;
    return Buffer.from(head + body);
  });
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const port = Number(new URL(spec.url).port);
  const total = spec.mode === 'open' ? Math.ceil((spec.rate * (spec.warmupMs + spec.durationMs)) / 1000) : spec.maxRequests;
  const requests = buildRequests(spec, total);
  const connections = Array.from({ length: spec.connections }, () => new Connection(port));
  await Promise.all(connections.map((connection) => connection.open()));

  const latencies: number[] = [];
  const fromSend: number[] = [];
  const statuses: Record<string, number> = {};
  let inFlight = 0;
  let next = 0;
  let answeredInWindow = 0;
  const start = performance.now();
  const windowStart = start + spec.warmupMs;
  const windowEnd = windowStart + spec.durationMs;
  let utilization = performance.eventLoopUtilization();
  let utilizationTaken = false;
  const idle = [...connections];
  const waiting: Pending[] = [];
  let scheduling = true;
  let resolveDrained: () => void = () => undefined;
  const drained = new Promise<void>((resolve) => (resolveDrained = resolve));

  const answered = (connection: Connection, pending: Pending, sent: number) => (status: number) => {
    const now = performance.now();
    inFlight -= 1;
    if (pending.due >= windowStart && pending.due < windowEnd) {
      statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
      if (status === 200) {
        latencies.push(now - pending.due);
        fromSend.push(now - sent);
      }
    }
    if (now >= windowStart && now < windowEnd) answeredInWindow += 1;
    idle.push(connection);
    dispatch();
    if (!scheduling && inFlight === 0 && waiting.length === 0) resolveDrained();
  };

  function dispatch(): void {
    for (;;) {
      if (spec.mode === 'closed' && waiting.length === 0 && scheduling && next < requests.length) waiting.push({ request: requests[next++]!, due: performance.now() });
      if (waiting.length === 0 || idle.length === 0) return;
      const connection = idle.shift()!;
      const pending = waiting.shift()!;
      inFlight += 1;
      connection.send(pending, answered(connection, pending, performance.now()));
    }
  }

  function takeUtilization(): void {
    if (utilizationTaken || performance.now() < windowStart) return;
    utilization = performance.eventLoopUtilization();
    utilizationTaken = true;
    parentPort?.postMessage({ type: 'window-start' } satisfies LoadMessage);
  }

  let utilizationInWindow = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      takeUtilization();
      if (now >= windowEnd || next >= requests.length) {
        scheduling = false;
        utilizationInWindow = performance.eventLoopUtilization(utilization).utilization;
        parentPort?.postMessage({ type: 'window-end' } satisfies LoadMessage);
        resolve();
        return;
      }
      if (spec.mode === 'open') {
        const due = Math.min(requests.length, Math.floor(((now - start) * spec.rate) / 1000) + 1);
        while (next < due) {
          waiting.push({ request: requests[next]!, due: start + (next * 1000) / spec.rate });
          next += 1;
        }
      }
      dispatch();
      setTimeout(tick, 1);
    };
    tick();
  });
  const measuredMs = Math.min(performance.now(), windowEnd) - windowStart;
  if (inFlight > 0 || waiting.length > 0) await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, DRAIN_TIMEOUT_MS))]);
  const unanswered = inFlight + waiting.length;
  for (const connection of connections) connection.close();
  return {
    latencies: Float64Array.from(latencies),
    latenciesFromSend: Float64Array.from(fromSend),
    statuses,
    answeredPerSecond: (answeredInWindow / measuredMs) * 1000,
    measuredSeconds: measuredMs / 1000,
    unanswered,
    generatorUtilization: utilizationInWindow,
  };
}

if (parentPort) {
  const port = parentPort;
  run(workerData as LoadSpec).then(
    (result) => port.postMessage({ type: 'result', result } satisfies LoadMessage),
    (error: unknown) => port.postMessage({ type: 'error', error: (error as Error).stack ?? String(error) } satisfies LoadMessage),
  );
}
