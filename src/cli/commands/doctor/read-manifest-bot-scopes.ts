import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { findPackageRoot } from '../../../config/package-root.js';

/** The Slack app manifest admins create the app from, relative to the package root. */
export const MANIFEST = 'manifests/slack-app.yaml';

/** oauth_config.scopes.bot of the shipped manifest: https://docs.slack.dev/reference/app-manifest */
export async function readManifestBotScopes(path: string = join(findPackageRoot(), MANIFEST)): Promise<string[]> {
  const manifest = parse(await readFile(path, 'utf8')) as { oauth_config?: { scopes?: { bot?: unknown } } } | null;
  const scopes = manifest?.oauth_config?.scopes?.bot;
  if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string')) throw new Error('no oauth_config.scopes.bot list');
  return scopes;
}
