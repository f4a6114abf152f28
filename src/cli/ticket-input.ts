import { z } from 'zod';
import type { Ticket } from '../core/ticket.js';
import { normaliseChannel } from '../core/zendesk-channels.js';

/** A ticket as `cxloop classify` reads it from stdin (our Ticket type, camelCase, as JSON). */
const ticketInputSchema = z
  .object({
    id: z.coerce.string().optional(),
    subject: z.string().default(''),
    description: z.string().default(''),
    comments: z
      .array(z.object({ body: z.string(), public: z.boolean().default(true), fromRequester: z.boolean().default(true) }).strict())
      .default([]),
    /** Either spelling (`mail` or `email`): matched against the policy in the REST API's names. */
    channel: z.string().transform(normaliseChannel).optional(),
    tags: z.array(z.string()).default([]),
    formId: z.coerce.string().optional(),
    organization: z.coerce.string().optional(),
    requester: z.object({ recentTicketCount: z.number().int().min(0).optional(), vip: z.boolean().optional() }).strict().optional(),
    priority: z.enum(['urgent', 'high', 'normal', 'low']).optional(),
  })
  .strict()
  .refine((ticket) => ticket.subject.trim() !== '' || ticket.description.trim() !== '', {
    message: 'needs a subject or a description',
  });

export function parseTicketInput(value: unknown): { ok: true; ticket: Ticket } | { ok: false; problems: string[] } {
  const parsed = ticketInputSchema.safeParse(value);
  if (parsed.success) return { ok: true, ticket: parsed.data as Ticket };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(ticket)'}: ${issue.message}`),
  };
}
