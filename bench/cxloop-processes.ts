/**
 * cxloop as production scales it out: one `cxloop serve --role web` and N `cxloop serve --role
 * worker` processes of the built code (bin/cxloop.js -> dist/), sharing one Redis and one prefix,
 * pointed at loopback fakes through ZENDESK_API_URL and SLACK_API_URL. Whoever starts them (a
 * benchmark, an integration test) keeps the fakes and the load generator in its own process, so
 * the CPU these processes use is cxloop's alone (read from /proc on Linux).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CxloopProcessesOptions {
  /** The package root (where bin/cxloop.js and dist/ are). */
  readonly root: string;
  readonly redisUrl: string;
  readonly prefix: string;
  readonly workers: number;
  readonly zendeskUrl: string;
  readonly slackApiUrl: string;
  readonly webhookSecret: string;
  /** The fake Zendesk's Basic auth (ZENDESK_EMAIL + ZENDESK_API_TOKEN). */
  readonly zendeskEmail: string;
  readonly zendeskToken: string;
  /** More settings (ZENDESK_UPDATES_PER_MINUTE, CXLOOP_CONFIG ...). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface CxloopProcesses {
  /** The web process's origin (webhooks go to `${webUrl}/webhooks/zendesk`). */
  readonly webUrl: string;
  readonly web: ChildProcess;
  readonly workers: readonly ChildProcess[];
  /** CPU ms used so far (user + system) by the web process and by all the workers; null off Linux. */
  cpuMs(): { web: number; workers: number } | null;
  /**
   * Context switches so far (voluntary and not) of every thread of every process: each time a
   * thread blocked or was preempted, mostly an event loop going to sleep and being woken; null off Linux.
   */
  contextSwitches(): number | null;
  /** What the processes wrote (their logs, banners, failures), the last `chars` of it. */
  output(chars?: number): string;
  /** SIGTERM to every process (graceful drain), SIGKILL to any still running after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;
const LISTENING = /cxloop listening on (http:\/\/\S+)/;
/** USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s. */
const TICKS_PER_SECOND = 100;

export async function startCxloopProcesses(options: CxloopProcessesOptions): Promise<CxloopProcesses> {
  let output = '';
  const children: ChildProcess[] = [];
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    REDIS_URL: options.redisUrl,
    CXLOOP_REDIS_PREFIX: options.prefix,
    CXLOOP_DRY_RUN: 'false',
    PORT: '0',
    LOG_LEVEL: 'warn',
    ZENDESK_SUBDOMAIN: 'acme',
    ZENDESK_EMAIL: options.zendeskEmail,
    ZENDESK_API_TOKEN: options.zendeskToken,
    ZENDESK_API_URL: options.zendeskUrl,
    ZENDESK_WEBHOOK_SECRET: options.webhookSecret,
    SLACK_BOT_TOKEN: 'xoxb-processes',
    SLACK_SIGNING_SECRET: 'slack-signing-secret',
    SLACK_API_URL: options.slackApiUrl,
    ...options.env,
  };
  const start = (role: 'web' | 'worker'): Promise<{ child: ChildProcess; url: string }> => {
    // cwd outside the checkout: no .env of the developer's is read.
    const child = spawn(process.execPath, [join(options.root, 'bin/cxloop.js'), 'serve', '--role', role, '--host', '127.0.0.1'], { cwd: tmpdir(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    // The log (stdout, JSON lines at LOG_LEVEL) and the banner and failures (stderr), kept together.
    child.stdout?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    children.push(child);
    return new Promise((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`cxloop --role ${role} did not start within ${STARTUP_TIMEOUT_MS / 1000} s:\n${seen.slice(-2000)}`)), STARTUP_TIMEOUT_MS);
      child.stderr?.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        output += text;
        seen += text;
        const url = LISTENING.exec(seen)?.[1];
        if (url !== undefined) {
          clearTimeout(timer);
          resolve({ child, url });
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`cxloop --role ${role} exited (${signal ?? code}) before it listened:\n${seen.slice(-2000)}`));
      });
    });
  };
  const stop = async (graceMs = 35_000): Promise<void> => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }),
    );
  };
  try {
    const web = await start('web');
    const workers = await Promise.all(Array.from({ length: options.workers }, () => start('worker')));
    return {
      webUrl: web.url,
      web: web.child,
      workers: workers.map((worker) => worker.child),
      cpuMs() {
        const web_ = processCpuMs(web.child.pid);
        const workers_ = sumOrNull(workers.map((worker) => processCpuMs(worker.child.pid)));
        return web_ === null || workers_ === null ? null : { web: web_, workers: workers_ };
      },
      contextSwitches: () => sumOrNull([web, ...workers].map(({ child }) => processContextSwitches(child.pid))),
      output: (chars = 4000) => output.slice(-chars),
      stop,
    };
  } catch (error) {
    await stop(0);
    throw error;
  }
}

/** CPU ms (user + system) a running process has used, from /proc/<pid>/stat; null when unreadable. */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, inside parentheses): utime is the 14th field, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1000;
  } catch {
    return null;
  }
}

/** The sum of readings, or null when any could not be read. */
function sumOrNull(values: readonly (number | null)[]): number | null {
  return values.some((value) => value === null) ? null : values.reduce<number>((sum, value) => sum + (value ?? 0), 0);
}

/** Context switches (voluntary + involuntary) of every thread of a running process, from /proc/<pid>/task/<tid>/status; null when unreadable. */
export function processContextSwitches(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    let total = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const status = readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8');
      for (const match of status.matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)$/gm)) total += Number(match[1]);
    }
    return total;
  } catch {
    return null;
  }
}
