/** `{ticketId}` when a job's data names one ticket, so a logged failure can be traced to it. */
export function ticketOf(data: unknown): { ticketId?: number } {
  const ticketId = typeof data === 'object' && data !== null ? (data as { ticketId?: unknown }).ticketId : undefined;
  return typeof ticketId === 'number' ? { ticketId } : {};
}
