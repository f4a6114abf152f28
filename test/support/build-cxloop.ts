import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = new URL('../../', import.meta.url).pathname;
/** The cxloop command as `npx cxloop` and `npm start` run it: bin/cxloop.js on the built dist/. */
export const CXLOOP_BIN = join(ROOT, 'bin/cxloop.js');
const LOCK = join(tmpdir(), `cxloop-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`);

/**
 * Compiles src/ and bench/ to dist/ (tsc -p tsconfig.build.json, as `npm run build` does, without
 * deleting dist/ first) unless bin/cxloop.js already accepts it. One test file builds at a time
 * (a lock directory), and a build never rewrites dist/ that another file's processes are running
 * from when it is current.
 */
export async function buildCxloopIfStale(): Promise<void> {
  if (isCurrent()) return;
  await takeLock();
  try {
    if (!isCurrent()) await run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: ROOT });
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** bin/cxloop.js refuses a missing or stale dist/ (exit 1); --version is the cheapest command. */
function isCurrent(): boolean {
  return spawnSync(process.execPath, [CXLOOP_BIN, '--version'], { cwd: tmpdir(), encoding: 'utf8' }).status === 0;
}

async function takeLock(): Promise<void> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!holderAlive()) rmSync(LOCK, { recursive: true, force: true });
    else await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A lock left by a process that died mid-build is taken over. */
function holderAlive(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
  } catch {
    return true; // just created, its pid not written yet
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
