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
 * neither is the snapshot of a ticket cxloop has not written to yet unless it moved away from
 * both where it was and where cxloop is taking it.
 */
export function detectOverride(state: RoutingState, snapshot: TicketSnapshot, bySelf: boolean): Override | null {
  if (bySelf) return null;
  const ours = categoryTag(state.category);
  const other = taggedCategory(snapshot.tags, state.category);
  if (state.status === 'routed') {
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
