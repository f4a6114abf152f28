import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTrainingExportPage } from '../../../src/adapters/zendesk/parse-training-export.js';

/** Zendesk's published example of the cursor-based incremental ticket export (see test/fixtures/zendesk/README.md). */
const published = JSON.parse(readFileSync(new URL('../../fixtures/zendesk/incremental-tickets-cursor-published.json', import.meta.url), 'utf8')) as Record<string, unknown> & { tickets: unknown[] };

describe('parseTrainingExportPage', () => {
  it("reads Zendesk's published example page", () => {
    expect(parseTrainingExportPage(published)).toEqual({
      ok: true,
      page: {
        tickets: [
          {
            id: 35436,
            subject: 'Help, my printer is on fire!',
            description: 'The fire is very colorful.',
            status: 'open',
            groupId: 98738,
            tags: ['enterprise', 'other_tag'],
            customFields: [
              { id: 27642, value: '745' },
              { id: 27648, value: 'yes' },
            ],
            requesterLocale: null,
            exportedAt: 1_304_553_600_000,
          },
        ],
        unreadable: 0,
        afterCursor: 'MTU3NjYxMzUzOS4wfHw0Njd8',
        endOfStream: true,
      },
    });
  });

  it("takes the requester's locale from the users sideload, and counts a ticket it cannot read", () => {
    const parsed = parseTrainingExportPage({
      ...published,
      tickets: [...published.tickets, { id: 'not-an-id', status: 'solved' }],
      users: [
        { id: 76872, locale: 'en-US' },
        { id: 20978392, locale: 'de' },
      ],
    });
    expect(parsed.ok && parsed.page.tickets.map((ticket) => ticket.requesterLocale)).toEqual(['de']);
    expect(parsed.ok && parsed.page.unreadable).toBe(1);
  });

  it('reads a page without a cursor as the end, and refuses what is no page', () => {
    expect(parseTrainingExportPage({ tickets: [], after_cursor: null })).toEqual({ ok: true, page: { tickets: [], unreadable: 0, afterCursor: null, endOfStream: true } });
    expect(parseTrainingExportPage('<html>').ok).toBe(false);
  });
});
