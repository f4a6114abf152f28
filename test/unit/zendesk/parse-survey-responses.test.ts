import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isSurveyResponseEventType, surveyResponsesOfPage } from '../../../src/adapters/zendesk/parse-survey-responses.js';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/zendesk/incremental-ticket-events-survey.json', import.meta.url), 'utf8')) as unknown;
const page = (childEvents: unknown[], extra: Record<string, unknown> = {}) => ({
  ticket_events: [{ id: 1, ticket_id: 42, timestamp: 1_736_424_000, event_type: 'Audit', child_events: childEvents }],
  end_time: 1_736_424_001,
  end_of_stream: false,
  ...extra,
});

describe('surveyResponsesOfPage (the incremental ticket event export)', () => {
  it('finds the survey response of the fixture page with its rating, comment and the audit event id as key; the one without a rating is counted', () => {
    expect(surveyResponsesOfPage(fixture)).toEqual({
      responses: [{ key: 'survey:5158:926256957615', ticketId: 5158, occurredAt: Date.parse('2025-01-09T12:00:00Z'), rating: { value: 2, scale: null }, comment: 'Ich sehe immer noch zwei Abbuchungen.' }],
      unreadable: 1,
      nextStartTime: Date.parse('2025-01-09T12:01:01Z'),
      endOfStream: true,
    });
  });

  it.each(['SurveyResponseSubmitted', 'survey_response_submitted', 'Survey response submitted', 'ticket.survey_response_submitted'])('reads the event type spelled %j', (type) => {
    expect(isSurveyResponseEventType(type)).toBe(true);
  });

  it.each(['SurveyOffered', 'SatisfactionRating', 'Change', undefined])('ignores other audit events (%s)', (type) => {
    expect(isSurveyResponseEventType(type)).toBe(false);
    expect(surveyResponsesOfPage(page([{ id: 7, event_type: type, rating: 1 }])).responses).toEqual([]);
  });

  it('takes the rating from the event itself, as a numeric string too, and a scale when the response gives one', () => {
    const { responses } = surveyResponsesOfPage(page([{ id: 7, event_type: 'SurveyResponseSubmitted', rating: '4', scale: 7, comment: 'ok' }]));
    expect(responses).toEqual([{ key: 'survey:42:7', ticketId: 42, occurredAt: 1_736_424_000_000, rating: { value: 4, scale: 7 }, comment: 'ok' }]);
  });

  it('takes the rating from top-level answers', () => {
    const { responses } = surveyResponsesOfPage(page([{ id: 8, event_type: 'SurveyResponseSubmitted', answers: [{ type: 'rating_scale', rating: 5 }] }]));
    expect(responses[0]?.rating).toEqual({ value: 5, scale: null });
  });

  it('caps a long comment and keeps customer text as text', () => {
    const long = '<script>'.repeat(10_000);
    const { responses } = surveyResponsesOfPage(page([{ id: 9, event_type: 'SurveyResponseSubmitted', rating: 1, comment: long }]));
    expect(responses[0]?.comment).toHaveLength(64_000);
  });

  it('no end_time: no next start (the poller stops); a body that is not a page is an error', () => {
    expect(surveyResponsesOfPage(page([], { end_time: null })).nextStartTime).toBeNull();
    expect(() => surveyResponsesOfPage({ tickets: [] })).toThrow(/not a ticket event export page: ticket_events/);
  });
});
