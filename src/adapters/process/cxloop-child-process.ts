import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { TrainCommand } from '../../app/scheduled-training.js';
import { findPackageRoot } from '../../config/package-root.js';

/** Output kept of a child command (its JSON outcome is a few kB; progress lines are many but short). */
const MAX_OUTPUT_CHARS = 1_048_576;

/**
 * `cxloop <args>` as a child process of this one, with this process's environment: a training run
 * takes seconds to minutes of CPU, which would stall this process's workers (their locks, Slack's
 * acknowledgements) if it ran on their event loop.
 */
export function cxloopChildCommand(args: readonly string[], env: NodeJS.ProcessEnv): TrainCommand {
  const bin = join(findPackageRoot(), 'bin', 'cxloop.js');
  return () =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        if (stdout.length < MAX_OUTPUT_CHARS) stdout += chunk;
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        // The last lines say why a run failed: keep the tail.
        stderr = (stderr + chunk).slice(-MAX_OUTPUT_CHARS);
      });
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr: signal ? `${stderr}\nkilled by ${signal}` : stderr }));
    });
}
