import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../../../bin/cxloop.js', import.meta.url);

/** A package directory with the real bin/cxloop.js, and dist/ and src/ as each test lays them out. */
function packageDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxloop-bin-'));
  mkdirSync(join(dir, 'bin'));
  copyFileSync(BIN, join(dir, 'bin', 'cxloop.js'));
  return dir;
}

/** A built dist/ whose main() says it ran, stamped `builtAt` (seconds since the epoch) as `npm run build` stamps it. */
function build(dir: string, builtAt: number): void {
  mkdirSync(join(dir, 'dist', 'src', 'cli'), { recursive: true });
  writeFileSync(join(dir, 'dist', 'src', 'cli', 'main.js'), "export async function main() { process.stdout.write('ran ' + process.argv.slice(2).join(' ') + '\\n'); }\n");
  writeFileSync(join(dir, 'dist', 'BUILD'), 'stamp\n');
  utimesSync(join(dir, 'dist', 'BUILD'), builtAt, builtAt);
}

function source(dir: string, path: string, modifiedAt: number): void {
  const file = join(dir, 'src', path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, 'export {};\n');
  utimesSync(file, modifiedAt, modifiedAt);
}

const run = (dir: string) => spawnSync(process.execPath, [join(dir, 'bin', 'cxloop.js'), 'help'], { encoding: 'utf8' });
const T = 1_700_000_000;

describe('bin/cxloop.js runs the built code and refuses a missing or stale build', () => {
  it('no dist/: exit 1 and "run npm run build first"', () => {
    const dir = packageDir();
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`cxloop: dist/ is missing (cxloop is not built): run \`npm run build\` first (in ${dir}/)\n`);
  });

  it('a checkout built after its last source change: runs dist/', () => {
    const dir = packageDir();
    source(dir, 'cli/main.ts', T);
    source(dir, 'core/deep/file.ts', T + 5);
    build(dir, T + 10);
    const result = run(dir);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('ran help\n');
    expect(result.status).toBe(0);
  });

  it('a checkout with a source newer than the build: exit 1 naming it', () => {
    const dir = packageDir();
    source(dir, 'cli/main.ts', T);
    build(dir, T + 10);
    source(dir, 'core/deep/file.ts', T + 20);
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`cxloop: dist/ is older than src/core/deep/file.ts: run \`npm run build\` first (in ${dir}/)\n`);
  });

  it('a dist/ not made by npm run build (no stamp) in a checkout: exit 1', () => {
    const dir = packageDir();
    source(dir, 'cli/main.ts', T);
    build(dir, T + 10);
    rmSync(join(dir, 'dist', 'BUILD'));
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('dist/ was not made by `npm run build` (no dist/BUILD): run `npm run build` first');
  });

  it('an installed package (dist/ without src/): runs dist/', () => {
    const dir = packageDir();
    build(dir, T);
    expect(run(dir).stdout).toBe('ran help\n');
  });
});
