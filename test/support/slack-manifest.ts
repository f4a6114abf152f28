import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The shipped Slack app manifest, as YAML (what admins paste) and as JSON (the same content). */
export const MANIFEST_YAML_URL = new URL('../../manifests/slack-app.yaml', import.meta.url);
export const MANIFEST_JSON_URL = new URL('../../manifests/slack-app.json', import.meta.url);

export type Manifest = Record<string, unknown>;

export function readManifestYaml(): Manifest {
  return parse(readFileSync(MANIFEST_YAML_URL, 'utf8')) as Manifest;
}

export function readManifestJson(): Manifest {
  return JSON.parse(readFileSync(MANIFEST_JSON_URL, 'utf8')) as Manifest;
}

export interface ManifestUrl {
  /** Where it sits, e.g. `settings.interactivity.request_url` or `features.slash_commands[0].url`. */
  readonly at: string;
  readonly url: string;
}

/**
 * Every URL in a manifest that Slack calls or links to: each string under a key named `url` /
 * `*_url` / `*_urls`, and any other string that looks like an absolute URL, wherever it sits (so a
 * URL field added later is not missed). `$schema` (the editor's schema link) is not one of them.
 */
export function collectManifestUrls(manifest: unknown): ManifestUrl[] {
  const found: ManifestUrl[] = [];
  const walk = (value: unknown, at: string, key: string): void => {
    if (typeof value === 'string') {
      if (/(^|_)urls?$/.test(key) || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) found.push({ at, url: value });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${at}[${index}]`, key));
    } else if (value !== null && typeof value === 'object') {
      for (const [child, item] of Object.entries(value)) if (child !== '$schema') walk(item, at === '' ? child : `${at}.${child}`, child);
    }
  };
  walk(manifest, '', '');
  return found;
}

/** The distinct URL paths the manifest sends Slack to, sorted. */
export function manifestUrlPaths(manifest: unknown): string[] {
  return [...new Set(collectManifestUrls(manifest).map(({ url }) => new URL(url).pathname))].sort();
}
