import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../../../bin/cxloop.js', import.meta.url);
const T = 1_700_000_000;

/** A package directory with the real bin/cxloop.js; dist/ and src/ as each test lays them out. */
function packageDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxloop-bin-'));
  mkdirSync(join(dir, 'bin'));
  copyFileSync(BIN, join(dir, 'bin', 'cxloop.js'));
  return dir;
}

/** Writes `file` under `dir` with the modification time `at` (seconds since the epoch). */
function write(dir: string, file: string, text: string, at: number): void {
  const path = join(dir, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  utimesSync(path, at, at);
}

/** A source file and, unless `builtAt` is null, its compiled output as the compiler writes it. */
function source(dir: string, path: string, modifiedAt: number, builtAt: number | null): void {
  write(dir, `src/${path}`, 'export {};\n', modifiedAt);
  if (builtAt !== null) write(dir, `dist/src/${path.replace(/\.ts$/, '.js')}`, 'export {};\n', builtAt);
}

/** The compiled entry point: its main() says that it ran and with what. */
function entry(dir: string, builtAt: number): void {
  write(dir, 'src/cli/main.ts', 'export {};\n', builtAt - 10);
  write(dir, 'dist/src/cli/main.js', "export async function main() { process.stdout.write('ran ' + process.argv.slice(2).join(' ') + '\\n'); }\n", builtAt);
}

const run = (dir: string) => spawnSync(process.execPath, [join(dir, 'bin', 'cxloop.js'), 'help'], { encoding: 'utf8' });

describe('bin/cxloop.js runs the built code and refuses a missing or stale build', () => {
  it('no dist/: exit 1 and "run npm run build first"', () => {
    const dir = packageDir();
    source(dir, 'cli/main.ts', T, null);
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`cxloop: dist/ is missing (cxloop is not built): run \`npm run build\` first (in ${dir}/)\n`);
  });

  it('a checkout built after its last source change: runs dist/', () => {
    const dir = packageDir();
    entry(dir, T + 10);
    source(dir, 'core/deep/file.ts', T + 5, T + 10);
    source(dir, 'core/types.d.ts', T + 50, null); // declarations have no output
    const result = run(dir);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('ran help\n');
    expect(result.status).toBe(0);
  });

  it('a source changed after the build: exit 1 naming it', () => {
    const dir = packageDir();
    entry(dir, T + 10);
    source(dir, 'core/deep/file.ts', T + 20, T + 10);
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`cxloop: dist/ is older than src/core/deep/file.ts: run \`npm run build\` first (in ${dir}/)\n`);
  });

  it('a source added after the build (no output yet): exit 1 naming it', () => {
    const dir = packageDir();
    entry(dir, T + 10);
    source(dir, 'app/new-use-case.ts', T, null);
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('dist/ is older than src/app/new-use-case.ts');
  });

  it('an installed package (dist/ without src/): runs dist/', () => {
    const dir = packageDir();
    write(dir, 'dist/src/cli/main.js', "export async function main() { process.stdout.write('ran\\n'); }\n", T);
    expect(run(dir).stdout).toBe('ran\n');
  });
});
