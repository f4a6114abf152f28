/**
 * `{ticketId}` when a job's data names one ticket, so a logged failure or a dead letter can be
 * traced to it: `ticketId` (effects, notes, Slack), `event.ticketId` (Zendesk events),
 * `plan.ticketId` (routing writes) or `t` (loop timers).
 */
export function ticketOf(data: unknown): { ticketId?: number } {
  const record = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const nested = (key: string) => {
    const value = record[key];
    return typeof value === 'object' && value !== null ? (value as { ticketId?: unknown }).ticketId : undefined;
  };
  const ticketId = record.ticketId ?? nested('event') ?? nested('plan') ?? record.t;
  return typeof ticketId === 'number' ? { ticketId } : {};
}
