import { z } from 'zod';
import type { SurveyRating } from '../../core/csat-survey.js';
import type { SurveyResponsePage } from '../../app/ports.js';

/**
 * Survey responses (Zendesk's current CSAT) from a page of the incremental ticket event export,
 * `GET /api/v2/incremental/ticket_events.json?start_time=<unix seconds>`
 * (https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-ticket-event-export).
 *
 * Zendesk documents "Survey response submitted" as a ticket audit event (Ticket Audit events
 * reference: "Survey offered event", "Survey response submitted event"), not as a webhook event
 * type, and the legacy `satisfaction_score` trigger conditions never fire for it: the export,
 * whose `child_events` are a ticket's audit events, is where cxloop finds it. What was checked:
 * the export's envelope (ticket_events[], child_events[], end_time, end_of_stream) and that the
 * audit event exists. Not checked against a live account: the child event's exact spelling and
 * where it keeps the rating, so this reads the event type however it is cased or spaced
 * ("SurveyResponseSubmitted", "survey_response_submitted") and the rating from the places a
 * survey response carries it (the CSAT survey responses API: answers[] whose rating-scale answer
 * has a numeric `rating`; or a `rating` of the event itself). A response whose rating is not
 * found is counted as unreadable and logged by the poller, never guessed.
 */

const MAX_COMMENT = 64_000;
const numeric = z.union([z.number(), z.string().regex(/^\d{1,3}$/).transform(Number)]);

const answerSchema = z.looseObject({
  type: z.string().optional(),
  rating: numeric.optional(),
  scale: numeric.optional(),
  value: z.unknown().optional(),
  text: z.unknown().optional(),
});

const childSchema = z.looseObject({
  id: z.union([z.number(), z.string()]).optional(),
  event_type: z.string().optional(),
  type: z.string().optional(),
  rating: numeric.optional(),
  scale: numeric.optional(),
  comment: z.unknown().optional(),
  answers: z.array(answerSchema).optional(),
  survey_response: z.looseObject({ rating: numeric.optional(), scale: numeric.optional(), answers: z.array(answerSchema).optional() }).optional(),
});

const ticketEventSchema = z.looseObject({
  id: z.union([z.number(), z.string()]),
  ticket_id: z.number().int().positive(),
  /** Unix seconds. */
  timestamp: z.number().optional(),
  created_at: z.string().optional(),
  child_events: z.array(z.unknown()).optional(),
});

const pageSchema = z.looseObject({
  ticket_events: z.array(z.unknown()),
  /** Unix seconds: the start_time of the next page. */
  end_time: z.number().nullish(),
  end_of_stream: z.boolean().optional(),
});

export function isSurveyResponseEventType(type: string | undefined): boolean {
  return type !== undefined && /^(zeneventtype)?(ticket)?(csat)?surveyresponsesubmitted$/.test(type.replace(/[^a-z]/gi, '').toLowerCase());
}

export function surveyResponsesOfPage(body: unknown): SurveyResponsePage {
  const page = pageSchema.safeParse(body);
  if (!page.success) throw new Error(`not a ticket event export page: ${page.error.issues[0]?.path.join('.') ?? ''} ${page.error.issues[0]?.message ?? ''}`.trim());
  const responses: SurveyResponsePage['responses'][number][] = [];
  let unreadable = 0;
  for (const raw of page.data.ticket_events) {
    const parsed = ticketEventSchema.safeParse(raw);
    if (!parsed.success) continue;
    const event = parsed.data;
    const occurredAt = event.timestamp !== undefined ? event.timestamp * 1000 : Date.parse(event.created_at ?? '');
    for (const rawChild of event.child_events ?? []) {
      const child = childSchema.safeParse(rawChild);
      if (!child.success || !isSurveyResponseEventType(child.data.event_type ?? child.data.type)) continue;
      const rating = ratingOf(child.data);
      if (rating === null || Number.isNaN(occurredAt)) {
        unreadable += 1;
        continue;
      }
      responses.push({
        key: `survey:${event.ticket_id}:${String(child.data.id ?? event.id)}`,
        ticketId: event.ticket_id,
        occurredAt,
        rating,
        comment: commentOf(child.data),
      });
    }
  }
  return { responses, unreadable, nextStartTime: page.data.end_time ? page.data.end_time * 1000 : null, endOfStream: page.data.end_of_stream ?? true };
}

type Child = z.output<typeof childSchema>;

function ratingOf(child: Child): SurveyRating | null {
  const answers = child.answers ?? child.survey_response?.answers ?? [];
  const answer = answers.find((candidate) => candidate.rating !== undefined);
  const value = answer?.rating ?? child.survey_response?.rating ?? child.rating;
  if (value === undefined) return null;
  const scale = answer?.scale ?? child.survey_response?.scale ?? child.scale;
  return { value, scale: scale !== undefined && scale >= 2 ? scale : null };
}

function commentOf(child: Child): string {
  const answers = child.answers ?? child.survey_response?.answers ?? [];
  const open = answers.find((answer) => answer.type === 'open_ended' || (answer.rating === undefined && (typeof answer.value === 'string' || typeof answer.text === 'string')));
  const text = [open?.value, open?.text, child.comment].find((candidate): candidate is string => typeof candidate === 'string');
  return (text ?? '').slice(0, MAX_COMMENT);
}
