import type { Tier } from '../taxonomy.js';
import { assertNever } from '../assert-never.js';
import type { Effect, LoopState, Stage } from './loop-types.js';

/** How people read a loop's stage, tier and next deadline: Slack and the dashboard say the same. */

/** Stages in which the loop is still being worked: the only ones Slack actions apply to. */
export const OPEN_STAGES: readonly Stage[] = ['routed', 'acknowledged', 'follow_up'];

const STAGE_LABELS: Record<Stage, string> = {
  routed: 'Routed, awaiting acknowledgement',
  acknowledged: 'Acknowledged',
  acted: 'Solved, verifying',
  verified: 'Verified',
  follow_up: 'Follow-up (reopened or rated bad)',
  closed: 'Closed',
};

const TIER_LABELS: Record<Tier, string> = { critical: 'Critical', high: 'High', normal: 'Normal' };

export function stageLabel(stage: Stage): string {
  return STAGE_LABELS[stage];
}

export function tierLabel(tier: Tier): string {
  return TIER_LABELS[tier];
}

/** What a loop waits for next: a breach already running (acknowledge, resolve), else the nearest deadline. */
export interface NextDeadline {
  readonly what: 'acknowledge' | 'update' | 'resolve';
  readonly at: number | null;
  readonly breached: boolean;
}

export function nextDeadline(loop: LoopState): NextDeadline | null {
  if (loop.escalation.step >= 2) return { what: 'acknowledge', at: loop.escalation.breachAt, breached: true };
  if (loop.resolveBreached) return { what: 'resolve', at: null, breached: true };
  const candidates = [
    { what: 'acknowledge' as const, at: loop.timers.ack_breach },
    { what: 'update' as const, at: loop.timers.update_breach },
    { what: 'resolve' as const, at: loop.timers.resolve_breach },
  ].flatMap(({ what, at }) => (at === undefined ? [] : [{ what, at, breached: false }]));
  return candidates.sort((a, b) => a.at - b.at)[0] ?? null;
}

const NOTIFY_LABELS: Record<string, string> = { team_channel: 'team channel', usergroup: 'user group', lead: 'lead', escalation_channel: 'escalation channel' };

/** What an effect did, in a few words and without its text (the ticket page's history): "Slack: escalation level 1 (team channel, user group)". */
export function effectLabel(effect: Effect): string | null {
  switch (effect.type) {
    case 'schedule':
    case 'cancel':
      return null;
    case 'remind_owner':
      return `Slack: reminder (${effect.about === 'update' ? 'status update' : effect.about === 'follow_up' ? 'follow-up' : 'acknowledge'} due)`;
    case 'escalate':
      return `Slack: escalation level ${effect.level}${effect.round > 0 ? ` (repeat ${effect.round})` : ''} to ${effect.notify.map((target) => NOTIFY_LABELS[target] ?? target).join(', ')}`;
    case 'publish_status':
      return effect.automatic ? `Slack: status channel update by cxloop${effect.etaAt === null ? '' : ' with a revised ETA'}` : 'Slack: status update posted by the owner';
    case 'zendesk_note':
      return 'Zendesk: internal note';
    case 'incident':
      return 'Slack: incident channel post';
    case 'csat_follow_up':
      return `Slack: follow-up asked (${effect.reason})`;
    case 'live_status':
      return effect.live ? 'Slack: on the live incidents summary' : 'Slack: off the live incidents summary';
    case 'thank_customer':
      return 'Thank-you to the customer';
    case 'customer_update':
      return `Zendesk: public comment to the requester (${effect.kind === 'revised_eta' ? 'revised ETA' : effect.kind})`;
    default:
      return assertNever(effect, 'effect type');
  }
}
