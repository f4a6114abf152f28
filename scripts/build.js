// `npm run build`: compiles src/ and bench/ to dist/ from scratch, so no output of a deleted source
// is left behind. Needs the dev dependencies (TypeScript): build where `npm ci` ran, then
// `npm ci --omit=dev` keeps dist/.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url);
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  process.stderr.write('npm run build needs TypeScript, a dev dependency: run `npm ci` (without --omit=dev) first, then `npm run build`.\n');
  process.exit(1);
}
rmSync(new URL('dist', root), { recursive: true, force: true });
const { status } = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
process.exit(status ?? 1);
