import { closestMatch } from '../core/closest-match.js';
import { ENV_KEYS } from './env-schema.js';

/** Names that look like cxloop's settings: a typo among them would otherwise be ignored without a word. */
const OWN_PREFIXES = ['CXLOOP_', 'ZENDESK_', 'SLACK_'];

export interface UnknownEnvKey {
  readonly key: string;
  /** The known key it most likely meant, if one is close ("SLACK_TOKEN" -> "SLACK_BOT_TOKEN"). */
  readonly suggestion: string | null;
}

/** Variables named CXLOOP_*, ZENDESK_* or SLACK_* that cxloop does not read (names only: values may be secrets). */
export function findUnknownEnvKeys(source: Readonly<Record<string, string | undefined>>): UnknownEnvKey[] {
  return Object.keys(source)
    .filter((key) => OWN_PREFIXES.some((prefix) => key.toUpperCase().startsWith(prefix)) && !ENV_KEYS.includes(key) && source[key] !== undefined)
    .sort()
    .map((key) => ({ key, suggestion: closestMatch(key, ENV_KEYS) }));
}

/** `SLACK_TOKEN is not a cxloop variable and is ignored (did you mean SLACK_BOT_TOKEN?)` */
export function describeUnknownEnvKey({ key, suggestion }: UnknownEnvKey): string {
  return `${key} is not a cxloop variable and is ignored${suggestion ? ` (did you mean ${suggestion}?)` : ''}`;
}
