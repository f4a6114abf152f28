import type { CategoryId, Tier } from '../taxonomy.js';
import type { Effect, LoopEvent, LoopState, Stage } from './loop-types.js';

/**
 * One accepted transition as the loop's append-only history keeps it: enough to compute every
 * figure of `cxloop report` without the state it came from. Texts (update bodies, notes) are not
 * kept: they are customer-facing or already in Zendesk, and they would blow the memory budget.
 */
export interface LoopHistoryEntry {
  /** Epoch ms of the transition. */
  readonly at: number;
  /** The loop's version after it. */
  readonly version: number;
  /** What happened: 'opened', a LoopEvent type, 'timer:<kind>', 'status:<status>' or 'csat:<score>'. */
  readonly event: string;
  /** Who, for Slack actions and Zendesk agents ('zd:<id>'). */
  readonly actor?: string;
  /** State after the transition. */
  readonly stage: Stage;
  readonly category: CategoryId;
  readonly tier: Tier;
  readonly team: string;
  /** A status update went out: by a person ('manual') or, because none came in time, by cxloop ('overdue'). */
  readonly update?: 'manual' | 'overdue';
  /** Highest escalation level notified by this transition. */
  readonly escalation?: number;
  /** The loop went back to its owner for a follow-up. */
  readonly followUp?: 'detractor' | 'reopened';
}

/** The history entry of an accepted transition (`state` is the state after it). */
export function historyEntryOf(event: LoopEvent | 'opened', state: LoopState, effects: readonly Effect[], at: number): LoopHistoryEntry {
  const manual = effects.some((effect) => effect.type === 'publish_status' && !effect.automatic);
  const overdue = event !== 'opened' && event.type === 'timer' && event.kind === 'update_breach';
  const levels = effects.flatMap((effect) => (effect.type === 'escalate' ? [effect.level] : []));
  const followUp = effects.find((effect) => effect.type === 'csat_follow_up' && effect.reason !== 'feedback');
  const actor = event === 'opened' ? undefined : actorOf(event);
  return {
    at,
    version: state.version,
    event: eventName(event),
    ...(actor ? { actor } : {}),
    stage: state.stage,
    category: state.category,
    tier: state.tier,
    team: state.team,
    ...(manual ? { update: 'manual' as const } : overdue ? { update: 'overdue' as const } : {}),
    ...(levels.length > 0 ? { escalation: Math.max(...levels) } : {}),
    ...(followUp?.type === 'csat_follow_up' && followUp.reason !== 'feedback' && state.stage === 'follow_up' ? { followUp: followUp.reason } : {}),
  };
}

function eventName(event: LoopEvent | 'opened'): string {
  if (event === 'opened') return 'opened';
  switch (event.type) {
    case 'timer':
      return `timer:${event.kind}`;
    case 'status_changed':
      return `status:${event.status}`;
    case 'csat':
      return `csat:${event.score}`;
    default:
      return event.type;
  }
}

function actorOf(event: LoopEvent): string | undefined {
  if ('user' in event) return event.user;
  if ('agentId' in event) return `zd:${event.agentId}`;
  return undefined;
}
