import { CATEGORY_IDS, type CategoryId } from '../taxonomy.js';
import type { TicketSnapshot } from '../ticket-event.js';
import { categoryTag } from '../ticket-event.js';

/** Where cxloop's routing of a ticket stands, as far as overrides are concerned. */
export interface RoutingState {
  /** pending: decided, not yet written; routed: written to Zendesk. */
  readonly status: 'pending' | 'routed';
  readonly category: CategoryId;
  /** Group cxloop set (or will set); null when the category has no group configured. */
  readonly groupId: number | null;
  /** Group the ticket had when it was classified. */
  readonly baseGroupId: number | null;
  /**
   * Routed: the ticket's updated_at that cxloop's write was made on (safe_update: nothing else
   * changed the ticket in between). A snapshot at or before it predates the write, so it cannot
   * show anyone undoing it. Unknown (null) for tickets routed before this was kept.
   */
  readonly writtenOver?: number | null;
}

export type Override =
  | { readonly field: 'category'; readonly from: CategoryId; readonly to: CategoryId | null }
  | { readonly field: 'group'; readonly from: number | null; readonly to: number | null };

/** Category named by a ticket's cxloop_<category> tags other than `except`, if any. */
export function taggedCategory(tags: readonly string[], except?: CategoryId): CategoryId | null {
  return CATEGORY_IDS.find((category) => category !== except && tags.includes(categoryTag(category))) ?? null;
}

/**
 * Did a person override cxloop's routing? Agents win: a changed category tag or group is their
 * correction, recorded and never reverted. Changes made by cxloop itself are not overrides, and
 * neither is a snapshot from before cxloop's write (a late or repeated delivery, the export read
 * at start-up) unless it moved away from both where the ticket was and where cxloop is taking it.
 */
export function detectOverride(state: RoutingState, snapshot: TicketSnapshot, bySelf: boolean): Override | null {
  if (bySelf) return null;
  const ours = categoryTag(state.category);
  const other = taggedCategory(snapshot.tags, state.category);
  if (state.status === 'routed' && showsWrite(state, snapshot)) {
    if (!snapshot.tags.includes(ours) || other !== null) return { field: 'category', from: state.category, to: other };
    if (state.groupId !== null && snapshot.groupId !== state.groupId) return { field: 'group', from: state.groupId, to: snapshot.groupId };
    return null;
  }
  if (other !== null) return { field: 'category', from: state.category, to: other };
  if (snapshot.groupId !== state.baseGroupId && snapshot.groupId !== state.groupId) {
    return { field: 'group', from: state.groupId, to: snapshot.groupId };
  }
  return null;
}

/** Whether the snapshot is newer than the version cxloop's write was made on (unknown: assume so). */
function showsWrite(state: RoutingState, snapshot: TicketSnapshot): boolean {
  return state.writtenOver === undefined || state.writtenOver === null || snapshot.updatedAt > state.writtenOver;
}
