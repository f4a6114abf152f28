/**
 * Why a signed Slack request body is not something Slack sends, or null when it looks like one.
 * Bolt dereferences these fields before any listener runs, so without the check a malformed body
 * (an interaction without its user, a command without its text, an event that is not an object)
 * failed inside Bolt as a 500; it is a 400 with the reason instead. Only what Bolt and cxloop's
 * listeners read is checked, so payload kinds cxloop does not use still reach Bolt.
 * https://api.slack.com/reference/interaction-payloads, https://api.slack.com/interactivity/slash-commands
 */
export function checkSlackPayload(payload: unknown): string | null {
  if (!isObject(payload)) return 'payload must be a JSON object';
  if ('event' in payload) {
    const { event } = payload;
    if (!isObject(event) || typeof event.type !== 'string') return 'event must be an object with a type';
    if ('item' in event && !isObject(event.item)) return 'event.item must be an object';
    return null;
  }
  if ('command' in payload) {
    for (const field of ['command', 'text', 'user_id'] as const) if (typeof payload[field] !== 'string') return `slash command: ${field} must be a string`;
    return null;
  }
  if (payload.type === 'url_verification') return typeof payload.challenge === 'string' ? null : 'url_verification: challenge must be a string';
  if (typeof payload.type !== 'string') return 'payload must have a type';
  if ('actions' in payload && !(Array.isArray(payload.actions) && payload.actions.every(isObject))) return 'actions must be a list of objects';
  if (INTERACTIONS.has(payload.type) || 'actions' in payload || 'name' in payload) {
    if (!isObject(payload.user) || typeof payload.user.id !== 'string') return `${payload.type}: user.id must be a string`;
    if (payload.team !== undefined && payload.team !== null && !isObject(payload.team)) return `${payload.type}: team must be an object`;
  }
  if ((payload.type === 'view_submission' || payload.type === 'view_closed') && !isObject(payload.view)) return `${payload.type}: view must be an object`;
  return null;
}

/** Interaction payloads whose user and team Bolt reads to authorize them. */
const INTERACTIONS = new Set(['block_actions', 'block_suggestion', 'interactive_message', 'dialog_submission', 'view_submission', 'view_closed', 'shortcut', 'message_action']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
