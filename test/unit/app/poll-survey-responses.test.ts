import { describe, expect, it } from 'vitest';
import { pollSurveyResponses, type SurveyPollDeps } from '../../../src/app/poll-survey-responses.js';
import type { SurveyResponsePage } from '../../../src/app/ports.js';
import type { TicketEvent } from '../../../src/core/ticket-event.js';

const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const MINUTE = 60_000;

function setup(pages: SurveyResponsePage[], saved: number | null) {
  const reads: number[] = [];
  const accepted: TicketEvent[] = [];
  const seen = new Set<string>();
  let cursor = saved;
  const deps: SurveyPollDeps = {
    zendesk: {
      async exportSurveyResponses(startTime) {
        reads.push(startTime);
        return pages.shift() ?? { responses: [], unreadable: 0, nextStartTime: null, endOfStream: true };
      },
    },
    store: {
      async getSurveyCursor() {
        return cursor;
      },
      async setSurveyCursor(startTime) {
        cursor = startTime;
      },
    },
    inbox: {
      async accept(event) {
        if (seen.has(event.key)) return 'duplicate';
        seen.add(event.key);
        accepted.push(event);
        return 'accepted';
      },
    },
    logger: { log: () => undefined },
    now: () => NOW,
    firstRunLookbackMs: 60 * MINUTE,
    maxPages: 2,
  };
  return { deps, reads, accepted, cursor: () => cursor };
}

const response = (ticketId: number, value: number) => ({ key: `survey:${ticketId}:1`, ticketId, occurredAt: NOW - 30 * MINUTE, rating: { value, scale: null }, comment: '' });

describe('pollSurveyResponses', () => {
  it('first run: reads from the lookback, queues each response as a survey satisfaction event, saves where the next page starts', async () => {
    const { deps, reads, accepted, cursor } = setup([{ responses: [response(42, 2)], unreadable: 0, nextStartTime: NOW - 10 * MINUTE, endOfStream: true }], null);
    expect(await pollSurveyResponses(deps)).toEqual({ pages: 1, found: 1, queued: 1, unreadable: 0 });
    expect(reads).toEqual([NOW - 60 * MINUTE]);
    expect(accepted).toEqual([{ key: 'survey:42:1', kind: 'satisfaction_rated', ticketId: 42, occurredAt: NOW - 30 * MINUTE, score: null, comment: '', source: 'survey', rating: { value: 2, scale: null } }]);
    expect(cursor()).toBe(NOW - 10 * MINUTE);
  });

  it('never asks for the latest minute, which the export leaves out', async () => {
    const { deps, reads } = setup([{ responses: [], unreadable: 0, nextStartTime: NOW, endOfStream: false }], NOW - 30_000);
    await pollSurveyResponses(deps);
    expect(reads[0]).toBe(NOW - MINUTE);
  });

  it('reads at most maxPages a run and stops when a page does not move the start time on', async () => {
    const many = setup(
      [
        { responses: [], unreadable: 0, nextStartTime: NOW - 20 * MINUTE, endOfStream: false },
        { responses: [], unreadable: 0, nextStartTime: NOW - 10 * MINUTE, endOfStream: false },
        { responses: [], unreadable: 0, nextStartTime: NOW - 5 * MINUTE, endOfStream: false },
      ],
      NOW - 30 * MINUTE,
    );
    expect((await pollSurveyResponses(many.deps)).pages).toBe(2);
    expect(many.cursor()).toBe(NOW - 10 * MINUTE);

    const stuck = setup([{ responses: [], unreadable: 0, nextStartTime: NOW - 30 * MINUTE, endOfStream: false }], NOW - 30 * MINUTE);
    expect((await pollSurveyResponses(stuck.deps)).pages).toBe(1);
    expect(stuck.cursor()).toBe(NOW - 30 * MINUTE);
  });

  it('a page read again after a crash queues its responses once', async () => {
    const page = (): SurveyResponsePage => ({ responses: [response(42, 5)], unreadable: 0, nextStartTime: null, endOfStream: true });
    const { deps } = setup([page(), page()], NOW - 30 * MINUTE);
    expect((await pollSurveyResponses(deps)).queued).toBe(1);
    expect(await pollSurveyResponses(deps)).toMatchObject({ found: 1, queued: 0 });
  });
});
