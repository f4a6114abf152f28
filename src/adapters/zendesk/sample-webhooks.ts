import { randomUUID } from 'node:crypto';

/**
 * Webhook bodies shaped exactly as Zendesk sends them, for tests, the benchmark and the demo:
 * ids as strings, status and priority in upper case.
 * https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events/
 */
export interface TicketDetail {
  id: number;
  subject?: string;
  description?: string;
  status?: string;
  priority?: string | null;
  group_id?: number | null;
  assignee_id?: number | null;
  tags?: string[];
  actor_id?: number;
  created_at?: string;
  updated_at?: string;
}

/** A `zen:event-type:ticket.<type>` event-subscription body. */
export function ticketEvent(type: string, detail: TicketDetail, options: { eventId?: string; event?: Record<string, unknown> } = {}): string {
  const created = detail.created_at ?? new Date().toISOString();
  return JSON.stringify({
    type: `zen:event-type:ticket.${type}`,
    account_id: 22129848,
    id: options.eventId ?? randomUUID(),
    time: detail.updated_at ?? created,
    zendesk_event_version: '2022-11-06',
    subject: `zen:ticket:${detail.id}`,
    detail: {
      id: String(detail.id),
      subject: detail.subject ?? 'Charged twice for my subscription',
      description: detail.description ?? 'I was charged twice this month, please refund the duplicate payment.',
      status: (detail.status ?? 'new').toUpperCase(),
      priority: detail.priority === null ? null : (detail.priority ?? 'normal').toUpperCase(),
      group_id: detail.group_id === undefined || detail.group_id === null ? null : String(detail.group_id),
      assignee_id: detail.assignee_id === undefined || detail.assignee_id === null ? null : String(detail.assignee_id),
      requester_id: '501',
      organization_id: null,
      form_id: null,
      actor_id: String(detail.actor_id ?? 501),
      tags: detail.tags ?? ['web_widget'],
      via: { channel: 'web' },
      created_at: created,
      updated_at: detail.updated_at ?? created,
      is_public: true,
      type: null,
      brand_id: '1',
      external_id: null,
    },
    event: options.event ?? {},
  });
}
