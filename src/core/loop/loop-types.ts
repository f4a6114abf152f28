import type { CustomerUpdateKind } from '../customers/customer-texts.js';
import type { CustomerUpdatePolicy } from '../customers/customer-updates.js';
import type { RoutingAction } from '../routing/routing-actions.js';
import type { SlaClock } from '../sla/sla-clock.js';
import type { WorkingHours } from '../sla/working-hours.js';
import type { CategoryId, Tier } from '../taxonomy.js';
import type { ZendeskStatus } from '../ticket-event.js';

/** routed -> acknowledged -> acted (solved) -> verified, with follow-up (reopen, detractor) and closed. */
export type Stage = 'routed' | 'acknowledged' | 'acted' | 'verified' | 'follow_up' | 'closed';

/** Timers a loop may have pending; each has at most one due time, so its job id is deterministic. */
export const TIMER_KINDS = ['ack_remind', 'ack_breach', 'escalate', 'update_remind', 'update_breach', 'resolve_breach', 'verify_end'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

export interface NotifyLevel {
  readonly afterBreachMs: number;
  readonly notify: readonly ('team_channel' | 'usergroup' | 'lead' | 'escalation_channel')[];
}

/** The policy as the loop needs it, in milliseconds (built from the policy file by the app layer). */
export interface LoopPolicy {
  readonly categories: Readonly<
    Record<
      CategoryId,
      {
        readonly team: string;
        readonly acknowledge: { readonly remindMs: number; readonly breachMs: number };
        /** The category's on_routing actions: the loop carries out ping_incident_channel, start_csat_followup and flag_live_status. */
        readonly onRouting: readonly RoutingAction[];
      }
    >
  >;
  readonly tiers: Readonly<Record<Tier, { readonly update: { readonly remindMs: number; readonly breachMs: number }; readonly resolveMs: number }>>;
  readonly teams: Readonly<
    Record<string, { readonly hours: WorkingHours; readonly ladder: readonly NotifyLevel[]; readonly repeat: number; readonly repeatEveryMs: number }>
  >;
  readonly verifyWindowMs: number;
  readonly followUpMs: number;
  readonly maxSnoozeMs: number;
  readonly minSnoozeMs: number;
  /** Public comments to the requester (opt-in; customers.updates in the policy): absent, none. */
  readonly customerUpdates?: CustomerUpdatePolicy;
}

export interface LoopState {
  readonly ticketId: number;
  /** Incremented by every accepted transition; the store's compare-and-set uses it. */
  readonly version: number;
  readonly stage: Stage;
  readonly category: CategoryId;
  readonly tier: Tier;
  readonly team: string;
  /** Slack user (or Zendesk agent, "zd:<id>") who acknowledged or took the loop. */
  readonly owner: string | null;
  readonly openedAt: number;
  readonly zendeskStatus: ZendeskStatus | null;
  /** Acknowledge clock: runs in routed and follow_up. */
  readonly ack: SlaClock;
  /** Resolve clock: from opening to solved, paused while pending or on hold. */
  readonly resolve: SlaClock;
  /** Status-update cadence: restarts at every update, runs until solved. */
  readonly update: SlaClock;
  readonly lastUpdateAt: number | null;
  readonly solvedAt: number | null;
  /**
   * Acknowledge ladder: `step` 0 nothing yet, 1 reminded, 2 breached, 2+n once the first n steps of
   * the ladder (escalation-ladder.ts: every level of every round, in due order) are announced;
   * `breachAt` anchors the ladder's offsets.
   */
  readonly escalation: { readonly step: number; readonly breachAt: number | null };
  /** Status cadence: 0 nothing yet, 1 reminded, 2 auto-published since the last update. */
  readonly updateStep: number;
  readonly resolveBreached: boolean;
  readonly snoozedUntil: number | null;
  /** Due time of every pending timer; a timer firing at another time is stale. */
  readonly timers: Readonly<Partial<Record<TimerKind, number>>>;
  readonly reopens: number;
  readonly csat: 'good' | 'bad' | null;
}

export type LoopEvent =
  // From Zendesk
  | { readonly type: 'assigned'; readonly agentId: number }
  | { readonly type: 'agent_comment'; readonly agentId: number; readonly public: boolean }
  | { readonly type: 'status_changed'; readonly status: ZendeskStatus }
  | { readonly type: 'csat'; readonly score: 'good' | 'bad' }
  | { readonly type: 'recategorised'; readonly category: CategoryId }
  | { readonly type: 'reprioritised'; readonly tier: Tier }
  // From Slack
  | { readonly type: 'acknowledge'; readonly user: string }
  | { readonly type: 'take'; readonly user: string }
  | { readonly type: 'snooze'; readonly user: string; readonly durationMs: number }
  | { readonly type: 'reassign'; readonly user: string; readonly category: CategoryId }
  | { readonly type: 'post_update'; readonly user: string; readonly text: string; readonly etaAt?: number }
  // From timers
  | { readonly type: 'timer'; readonly kind: TimerKind; readonly dueAt: number };

/** The deadline an escalation is about. */
export type EscalationAbout = 'acknowledge' | 'follow_up' | 'update' | 'resolve';

export type Effect =
  | { readonly type: 'schedule'; readonly timer: TimerKind; readonly at: number }
  | { readonly type: 'cancel'; readonly timer: TimerKind }
  /** A nudge before a deadline: acknowledging, the follow-up with the customer, or the next status update. */
  | { readonly type: 'remind_owner'; readonly about: 'acknowledge' | 'follow_up' | 'update'; readonly dueAt: number }
  /**
   * `reason` says what is overdue ("#1002 is <reason>"); `about` which deadline and `dueAt` when it
   * was (both absent in effects an older cxloop queued). `round` > 0 is a repeat of the ladder.
   */
  | {
      readonly type: 'escalate';
      readonly level: number;
      readonly round: number;
      readonly notify: NotifyLevel['notify'];
      readonly reason: string;
      readonly about?: EscalationAbout;
      readonly dueAt?: number;
    }
  | { readonly type: 'publish_status'; readonly stage: Stage; readonly text: string; readonly etaAt: number | null; readonly automatic: boolean }
  | { readonly type: 'zendesk_note'; readonly text: string }
  | { readonly type: 'incident'; readonly text: string }
  /** `dueAt`: when the follow-up is due (the policy's follow_up_sla), absent when no follow-up clock runs. */
  | { readonly type: 'csat_follow_up'; readonly reason: 'detractor' | 'reopened' | 'feedback'; readonly dueAt?: number }
  /** The ticket joins (live) or leaves the status channel's pinned summary of live incidents. */
  | { readonly type: 'live_status'; readonly live: boolean }
  | { readonly type: 'thank_customer' }
  /**
   * A public comment to the requester (only for tickets the policy opts in): acknowledged, a
   * revised ETA after a missed update, or solved. `etaAt` is the ETA at the transition.
   */
  | { readonly type: 'customer_update'; readonly kind: CustomerUpdateKind; readonly etaAt: number | null };

/** Every effect type, once: the effects queue's schema checks it (a missing or extra entry fails `tsc` below). */
export const EFFECT_TYPES = ['schedule', 'cancel', 'remind_owner', 'escalate', 'publish_status', 'zendesk_note', 'incident', 'csat_follow_up', 'live_status', 'thank_customer', 'customer_update'] as const;
type ListsEveryEffect = [Effect['type']] extends [(typeof EFFECT_TYPES)[number]] ? ([(typeof EFFECT_TYPES)[number]] extends [Effect['type']] ? true : false) : false;
const effectTypesComplete: ListsEveryEffect = true;
void effectTypesComplete;

export type Transition = { readonly ok: true; readonly state: LoopState; readonly effects: readonly Effect[] } | { readonly ok: false; readonly reason: string };
