/**
 * Zendesk's explanation of a failed request, as one short line. Two shapes exist:
 * - Support API (triggers): {"error":"RecordInvalid","description":"Record validation errors",
 *   "details":{"actions":[{"description":"Actions: ... is invalid","error":"InvalidValue"}]}}
 *   https://developer.zendesk.com/api-reference/introduction/requests/#400-range
 * - Webhooks API: {"errors":[{"code":"InvalidValue","title":"Invalid value","detail":"...","source":{"pointer":"/webhook/endpoint"}}]}
 *   https://developer.zendesk.com/api-reference/webhooks/webhooks-api/webhooks/
 * Only Zendesk's own words are kept, never the request (it may hold a secret or customer text).
 */
export function describeZendeskErrorBody(result: unknown, maxLength = 400): string {
  if (typeof result !== 'object' || result === null) return '';
  const parts = [...webhooksApiErrors(result), ...supportApiError(result)];
  return [...new Set(parts)].join('; ').slice(0, maxLength);
}

function webhooksApiErrors(result: object): string[] {
  const errors = (result as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { title, detail, source } = entry as { title?: unknown; detail?: unknown; source?: { pointer?: unknown } };
    const at = typeof source?.pointer === 'string' ? ` (at ${source.pointer})` : '';
    const text = [title, detail].filter(isText).join(': ');
    return text ? [`${text}${at}`] : [];
  });
}

function supportApiError(result: object): string[] {
  const { error, description, details } = result as { error?: unknown; description?: unknown; details?: unknown };
  const title = isText(error) ? error : typeof error === 'object' && error !== null ? (error as { title?: unknown; message?: unknown }).title : undefined;
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  const head = [title, message, description].filter(isText).join(': ');
  return [...(head ? [head] : []), ...detailDescriptions(details)];
}

/** {"actions":[{"description":"..."}], "conditions":[...]} -> ["actions: ...", "conditions: ..."] */
function detailDescriptions(details: unknown): string[] {
  if (typeof details !== 'object' || details === null) return [];
  return Object.entries(details).flatMap(([field, entries]: [string, unknown]) =>
    (Array.isArray(entries) ? entries : [entries]).flatMap((entry: unknown) => {
      const text = typeof entry === 'object' && entry !== null ? (entry as { description?: unknown }).description : entry;
      return isText(text) ? [`${field}: ${text}`] : [];
    }),
  );
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}
