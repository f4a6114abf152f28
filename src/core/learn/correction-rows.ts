import { isCategoryId, type CategoryId } from '../taxonomy.js';

/** One entry of the corrections stream: an agent changed the category tag or the group cxloop set, or a team owner reassigned the ticket in Slack. */
export interface RecordedCorrection {
  readonly ticketId: number;
  readonly field: 'category' | 'group';
  /** The category the agent tagged, or the group they moved the ticket to ('' when none). */
  readonly to: string;
  /** The ticket's text then; absent in corrections recorded before cxloop kept it. */
  readonly text?: { readonly subject: string; readonly body: string };
}

export interface CorrectionRow {
  readonly id: string;
  readonly subject: string;
  readonly body: string;
  readonly category: CategoryId;
}

export interface CorrectionRows {
  readonly rows: CorrectionRow[];
  /** Corrections that say no category: no text kept, a tag removed without another, a group no category owns. */
  readonly skipped: { readonly withoutText: number; readonly withoutCategory: number };
}

/**
 * Turns agents' corrections into labelled rows: the category they tagged, or the one whose
 * `zendesk_group_id` is the group they moved the ticket to (when exactly one category has it).
 * A ticket corrected twice counts once, with its latest correction.
 */
export function correctionRows(corrections: readonly RecordedCorrection[], groupCategories: ReadonlyMap<number, CategoryId>): CorrectionRows {
  const latest = new Map<number, CorrectionRow>();
  let withoutText = 0;
  let withoutCategory = 0;
  for (const correction of corrections) {
    if (!correction.text || (correction.text.subject.trim() === '' && correction.text.body.trim() === '')) {
      withoutText++;
      continue;
    }
    const category = correction.field === 'category' ? (isCategoryId(correction.to) ? correction.to : null) : (groupCategories.get(Number(correction.to)) ?? null);
    if (category === null) {
      withoutCategory++;
      continue;
    }
    latest.delete(correction.ticketId);
    latest.set(correction.ticketId, { id: String(correction.ticketId), subject: correction.text.subject, body: correction.text.body, category });
  }
  return { rows: [...latest.values()], skipped: { withoutText, withoutCategory } };
}
