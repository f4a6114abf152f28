import type { LoopHistoryEntry } from '../../core/loop/loop-history.js';
import type { LoopState } from '../../core/loop/loop-types.js';
import type { PersonNames } from '../../core/loop/person-ref.js';
import type { TicketBrief, TicketRecord } from '../ports.js';
import type { DashboardReadDeps } from './dashboard-deps.js';

export interface TicketView {
  readonly ticketId: number;
  /** The loop's team now (its state, else its last entry): who may see the page. */
  readonly team: string;
  readonly state: LoopState | null;
  readonly history: readonly (LoopHistoryEntry & { readonly effects: readonly string[] })[];
  readonly brief: TicketBrief | null;
  readonly record: TicketRecord | null;
  /** The ticket's card in its team channel: channel id and message ts, when it was posted. */
  readonly card: { readonly channel: string; readonly ts: string } | null;
  readonly names: PersonNames;
}

/** A ticket's whole loop: every transition with who, when and what it caused, its clocks and where it lives in Zendesk and Slack; null when cxloop has no loop for it. */
export async function readTicket(deps: DashboardReadDeps, ticketId: number): Promise<TicketView | null> {
  const [stored, history, brief, record, messages] = await Promise.all([
    deps.loops.get(ticketId),
    deps.loops.history(ticketId),
    deps.briefs.get(ticketId),
    deps.tickets.get(ticketId),
    deps.outbox.messages(ticketId),
  ]);
  const state = stored?.state ?? null;
  const team = state?.team ?? history.at(-1)?.team;
  if (team === undefined) return null;
  // The log is filed under the day the loop opened (the state outlives a history trimmed past its opening, and the history outlives the state).
  const openedAt = state?.openedAt ?? history[0]?.at ?? 0;
  const effects = await deps.dashboard.effectsLog(ticketId, openedAt);
  const byVersion = new Map(effects.map((entry) => [entry.version, entry.effects]));
  const people = [...new Set([...history.flatMap((entry) => (entry.actor ? [entry.actor] : [])), ...(state?.owner ? [state.owner] : [])])];
  // "<configured channel> <channel id> <ts>", as the Slack delivery stores it.
  const [, channel, ts] = (messages.card ?? '').split(' ');
  return {
    ticketId,
    team,
    state,
    history: history.map((entry) => ({ ...entry, effects: byVersion.get(entry.version) ?? [] })),
    brief,
    record,
    card: channel && ts ? { channel, ts } : null,
    names: await deps.people.namesOf(people),
  };
}
