#!/usr/bin/env node
// Entry point of the `cxloop` command. The TypeScript sources are compiled to dist/ by
// `npm run build`, which `npm ci` / `npm install` run through the `prepare` script.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('cxloop is not built yet: run `npm ci` (or `npm run build`) in the cxloop directory first.\n');
  process.exit(1);
}
const { main } = await import(entry.href);
await main();
