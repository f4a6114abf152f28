/**
 * How long a `cxloop` command takes from `node bin/cxloop.js ...` to its exit, against bare
 * `node -e 0` measured in the same rounds (each round runs every command once, in turn, so the
 * noise of a shared machine falls on all of them alike). Runs the built code (dist/), as users do.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { percentile, round } from './support.js';

export interface StartupFigure {
  readonly command: string;
  readonly medianMs: number;
  readonly p90Ms: number;
  /** median / bare node's median */
  readonly ratio: number;
}

export interface CliStartupResult {
  readonly runs: number;
  readonly bare: StartupFigure;
  readonly commands: readonly StartupFigure[];
}

/** What is measured; `help` must stay close to bare node (it loads no dependency). */
export const STARTUP_COMMANDS: readonly (readonly string[])[] = [['help'], ['--version'], ['config', 'check'], ['classify', 'The app crashes when I log in']];
/** The target: `cxloop help` within this multiple of bare node's start (it was 10-15x while every command loaded Bolt, BullMQ and all of date-fns). */
export const HELP_MAX_RATIO = 2.5;

export function benchCliStartup(options: { root: string; runs: number }): CliStartupResult {
  const bin = join(options.root, 'bin', 'cxloop.js');
  const label = (args: readonly string[]) => `cxloop ${args.map((arg) => (arg.includes(' ') ? '"<text>"' : arg)).join(' ')}`;
  const targets = [{ command: 'node -e 0', args: ['-e', '0'] }, ...STARTUP_COMMANDS.map((args) => ({ command: label(args), args: [bin, ...args] }))];
  const times = targets.map(() => [] as number[]);
  // Environment of a plain shell: no .env or CXLOOP_CONFIG of the caller changes what runs.
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  for (let round = 0; round <= options.runs; round += 1) {
    targets.forEach((target, index) => {
      const started = performance.now();
      execFileSync(process.execPath, target.args, { cwd: options.root, env, stdio: 'ignore' });
      if (round > 0) times[index]!.push(performance.now() - started); // round 0 warms the file cache
    });
  }
  const figures = targets.map((target, index) => {
    const sorted = Float64Array.from(times[index]!).sort();
    return { command: target.command, medianMs: round(percentile(sorted, 0.5)), p90Ms: round(percentile(sorted, 0.9)) };
  });
  const bareMedian = figures[0]!.medianMs;
  const [bare, ...commands] = figures.map((figure) => ({ ...figure, ratio: round(figure.medianMs / bareMedian) }));
  return { runs: options.runs, bare: bare!, commands };
}
