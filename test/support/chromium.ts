import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (.ci/run installs it): playwright-core drives it, it downloads no browser of its own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** Screenshots of the browser tests (gitignored): test-output/<name>.png at the repository root. */
export function screenshotPath(name: string): string {
  const directory = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-output');
  mkdirSync(directory, { recursive: true });
  return join(directory, `${name}.png`);
}
