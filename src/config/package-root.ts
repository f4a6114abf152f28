import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding cxloop's package.json, whether running from src/ (tests) or dist/. */
export function findPackageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'config', 'policy.yaml'))) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the cxloop package root above ${from}`);
  }
}
