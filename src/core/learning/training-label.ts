import { CATEGORY_IDS, type CategoryId } from '../taxonomy.js';
import { categoryTag, type ZendeskStatus } from '../ticket-event.js';
import type { RoutingCorrection } from './routing-corrections.js';

/**
 * Labelling the account's own tickets for training: which category a ticket belongs to, by what
 * the people who handled it did, and why a ticket gets no label. README, "Training data from
 * Zendesk", states the same rules.
 */

/** Where a label came from, strongest first. */
export const LABEL_SOURCES = ['correction', 'tag', 'mapping', 'group'] as const;
export type LabelSource = (typeof LABEL_SOURCES)[number];

/** Why a ticket read from the export gives no training row. */
export const SKIP_REASONS = [
  'not_solved',
  'deleted',
  'unreadable',
  'no_text',
  'already_exported',
  'conflicting_labels',
  'no_group',
  'unmapped_group',
  'shared_group',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface TrainingCounts {
  readonly pages: number;
  /** Tickets read from the export, repeats included. */
  readonly read: number;
  /** Rows produced. */
  readonly labelled: number;
  readonly bySource: Readonly<Record<LabelSource, number>>;
  readonly skipped: Readonly<Record<SkipReason, number>>;
}

export function emptyTrainingCounts(): TrainingCounts {
  return {
    pages: 0,
    read: 0,
    labelled: 0,
    bySource: Object.fromEntries(LABEL_SOURCES.map((source) => [source, 0])) as Record<LabelSource, number>,
    skipped: Object.fromEntries(SKIP_REASONS.map((reason) => [reason, 0])) as Record<SkipReason, number>,
  };
}

/** A ticket as the incremental export gives it, with what labelling needs. */
export interface TrainingTicket {
  readonly id: number;
  readonly subject: string;
  /** The first comment, as Zendesk keeps it in `description`. */
  readonly description: string;
  readonly status: ZendeskStatus;
  readonly groupId: number | null;
  readonly tags: readonly string[];
  readonly customFields: readonly { readonly id: number; readonly value: unknown }[];
  /** The requester's locale ("en-US", "de"), when the export's users sideload has them. */
  readonly requesterLocale: string | null;
  /** Epoch ms of Zendesk's generated_timestamp (where the export stands in time), else updated_at. */
  readonly exportedAt: number;
}

/** The account's own labels: from the policy's zendesk_group_id per category and its training_labels. */
export interface LabelRules {
  /** Group id -> the categories whose zendesk_group_id it is. */
  readonly groups: ReadonlyMap<number, readonly CategoryId[]>;
  /** Account tag -> category. */
  readonly tags: ReadonlyMap<string, CategoryId>;
  /** Custom ticket field id -> field value -> category. */
  readonly fields: ReadonlyMap<number, ReadonlyMap<string, CategoryId>>;
}

export type TicketLabel = { readonly ok: true; readonly category: CategoryId; readonly source: LabelSource } | { readonly ok: false; readonly reason: SkipReason };

const DONE: readonly ZendeskStatus[] = ['solved', 'closed', 'archived'];
const GONE: readonly ZendeskStatus[] = ['deleted', 'scrubbed'];

/**
 * The ticket's category for training, first of:
 * 1. cxloop's record of a correction (`latest`, the ticket's latest): a Slack reassignment, or an
 *    agent's group move to a group one category owns, gives that category. An agent's change of
 *    the cxloop tag gives the tag the ticket carries now (Zendesk's newest word), else the tag
 *    cxloop recorded. A corrected ticket counts even when it is not solved yet.
 * 2. exactly one `cxloop_<category>` tag on the ticket;
 * 3. the policy's training_labels: the account's tags and custom field values (one category);
 * 4. the group the ticket ended in, when exactly one category has it as zendesk_group_id.
 * A source that names several categories is passed over for the next one.
 * Otherwise no label, with the reason. Tickets not solved or closed (without a correction) and
 * deleted ones get none.
 */
export function labelTicket(ticket: TrainingTicket, rules: LabelRules, latest: RoutingCorrection | null): TicketLabel {
  if (GONE.includes(ticket.status)) return { ok: false, reason: 'deleted' };
  const corrected = latest === null ? null : correctedCategory(ticket, rules, latest);
  if (corrected !== null) return { ok: true, category: corrected, source: 'correction' };
  if (!DONE.includes(ticket.status)) return { ok: false, reason: 'not_solved' };
  const tagged = cxloopTags(ticket.tags);
  if (tagged.length === 1) return { ok: true, category: tagged[0]!, source: 'tag' };
  const mapped = mappedCategories(ticket, rules);
  if (mapped.length === 1) return { ok: true, category: mapped[0]!, source: 'mapping' };
  const conflicting = tagged.length > 1 || mapped.length > 1;
  if (ticket.groupId === null) return { ok: false, reason: conflicting ? 'conflicting_labels' : 'no_group' };
  const owners = rules.groups.get(ticket.groupId) ?? [];
  if (owners.length === 1) return { ok: true, category: owners[0]!, source: 'group' };
  if (conflicting) return { ok: false, reason: 'conflicting_labels' };
  return { ok: false, reason: owners.length === 0 ? 'unmapped_group' : 'shared_group' };
}

function correctedCategory(ticket: TrainingTicket, rules: LabelRules, correction: RoutingCorrection): CategoryId | null {
  switch (correction.via) {
    case 'slack':
      return correction.category;
    case 'zendesk_category': {
      const tagged = cxloopTags(ticket.tags);
      return tagged.length === 1 ? tagged[0]! : correction.category;
    }
    case 'zendesk_group': {
      const owners = correction.groupId === null ? [] : (rules.groups.get(correction.groupId) ?? []);
      return owners.length === 1 ? owners[0]! : null;
    }
  }
}

/** The categories named by the ticket's cxloop_<category> tags. */
function cxloopTags(tags: readonly string[]): CategoryId[] {
  return CATEGORY_IDS.filter((category) => tags.includes(categoryTag(category)));
}

/** The distinct categories the policy's training_labels give the ticket's tags and custom field values. */
function mappedCategories(ticket: TrainingTicket, rules: LabelRules): CategoryId[] {
  const found = new Set<CategoryId>();
  for (const tag of ticket.tags) {
    const category = rules.tags.get(tag);
    if (category !== undefined) found.add(category);
  }
  for (const field of ticket.customFields) {
    const values = rules.fields.get(field.id);
    if (values === undefined) continue;
    for (const value of Array.isArray(field.value) ? field.value : [field.value]) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
      const category = values.get(String(value));
      if (category !== undefined) found.add(category);
    }
  }
  return [...found];
}

/** The language column of a training row: the primary subtag of the requester's locale ("pt-BR" -> "pt"), else ''. */
export function languageOfLocale(locale: string | null): string {
  const match = locale === null ? null : /^([a-z]{2,3})(?:[-_]|$)/i.exec(locale.trim());
  return match ? match[1]!.toLowerCase() : '';
}
