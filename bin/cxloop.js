#!/usr/bin/env node
// Entry point of the `cxloop` command. It runs the compiled code in dist/, which `npm run build`
// makes once; `npm start` and every command then start without compiling. In a checkout (src/ is
// here) a dist/ older than the sources is refused, so nobody runs old code by mistake.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('..', import.meta.url);
const entry = new URL('dist/src/cli/main.js', root);
const problem = buildProblem();
if (problem !== null) {
  process.stderr.write(`cxloop: ${problem}: run \`npm run build\` first (in ${fileURLToPath(root)})\n`);
  process.exit(1);
}
const { main } = await import(entry.href);
await main();

/** Why dist/ cannot be run as it is, or null. */
function buildProblem() {
  if (!existsSync(entry)) return 'dist/ is missing (cxloop is not built)';
  const sources = new URL('src/', root);
  if (!existsSync(sources)) return null; // an installed package: dist/ is all there is
  // The compiler rewrites every output on each build, so each source's output is newer than it.
  for (const file of readdirSync(sources, { recursive: true })) {
    if (!file.endsWith('.ts') || file.endsWith('.d.ts')) continue;
    const output = statSync(new URL(`dist/src/${file.slice(0, -3)}.js`, root), { throwIfNoEntry: false });
    if (output === undefined || output.mtimeMs < statSync(new URL(file, sources)).mtimeMs) return `dist/ is older than src/${file}`;
  }
  return null;
}
