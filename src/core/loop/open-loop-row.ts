import { nextDeadline } from './loop-labels.js';
import type { LoopState, Stage } from './loop-types.js';
import type { CategoryId, Tier } from '../taxonomy.js';

/** What the dashboard's Now page shows of an open loop: no customer text, no texts at all. */
export interface OpenLoopRow {
  readonly ticketId: number;
  readonly version: number;
  readonly stage: Stage;
  readonly category: CategoryId;
  readonly team: string;
  readonly tier: Tier;
  /** Slack user or "zd:<id>"; null before anyone acknowledged. */
  readonly owner: string | null;
  readonly openedAt: number;
  /** The next deadline (a breach already running first); verify: the end of the verify window of a solved loop. */
  readonly due: { readonly what: 'acknowledge' | 'update' | 'resolve' | 'verify'; readonly at: number | null; readonly breached: boolean } | null;
  /** Breaches running now: acknowledge (or follow-up) breached, resolve breached, a status update overdue. */
  readonly breaches: readonly ('acknowledge' | 'resolve' | 'update')[];
  /** Escalation steps announced after the breach (0: none yet, or not breached). */
  readonly escalationSteps: number;
  readonly snoozedUntil: number | null;
}

/** Stages after which a loop is over. */
const ENDED: readonly Stage[] = ['verified', 'closed'];

/** The Now page's row of a loop, or null when the loop is over (verified or closed). */
export function openLoopRow(state: LoopState): OpenLoopRow | null {
  if (ENDED.includes(state.stage)) return null;
  const next = nextDeadline(state);
  const verifyAt = state.timers.verify_end;
  const breaches = [
    ...(state.escalation.step >= 2 ? (['acknowledge'] as const) : []),
    ...(state.resolveBreached ? (['resolve'] as const) : []),
    ...(state.updateStep >= 2 ? (['update'] as const) : []),
  ];
  return {
    ticketId: state.ticketId,
    version: state.version,
    stage: state.stage,
    category: state.category,
    team: state.team,
    tier: state.tier,
    owner: state.owner,
    openedAt: state.openedAt,
    due: next ?? (verifyAt === undefined ? null : { what: 'verify', at: verifyAt, breached: false }),
    breaches,
    escalationSteps: Math.max(0, state.escalation.step - 2),
    snoozedUntil: state.snoozedUntil,
  };
}
