import { describeMinutes } from '../duration.js';
import { formatUtc } from '../routing/describe-routing.js';
import { categoryLabel, type CategoryId, type Tier } from '../taxonomy.js';
import type { NotifyLevel } from './loop-types.js';
import { personRef } from './person-ref.js';

/**
 * Every sentence the loop writes for people, in one place. Status updates go to the public status
 * channel, read by people outside the team: plain sentences, no stage ids, no SLA jargon. Notes
 * go to Zendesk as internal comments. People appear as references (person-ref.ts) that each
 * renderer turns into a name or a mention.
 */

const MINUTE = 60_000;

function span(ms: number): string {
  return describeMinutes(ms / MINUTE);
}

/** "cx_insights" -> "cx insights": team ids as a reader says them. */
export function teamName(team: string): string {
  return team.replace(/_/g, ' ');
}

/** Who the first level of a team's ladder alerts, as the status channel says it. */
function ladderTarget(team: string, first: NotifyLevel | undefined): string | null {
  if (!first) return null;
  return first.notify.includes('lead') ? `the ${teamName(team)} lead` : `the ${teamName(team)} team`;
}

/** Texts of the status updates the loop publishes (publish_status). */
export const statusTexts = {
  routed: (team: string) => `Received and passed to the ${teamName(team)} team.`,
  acknowledged: (owner: string, followUp: boolean) => (followUp ? `${personRef(owner)} is following up with the customer.` : `Picked up by ${personRef(owner)}.`),
  taken: (user: string) => `Now handled by ${personRef(user)}.`,
  agentReplied: (owner: string) => `${personRef(owner)} replied to the customer.`,
  solved: () => 'Solved; checking with the customer that the problem is gone.',
  closedUnsolved: (status: 'closed' | 'archived') => `${status === 'archived' ? 'Archived' : 'Closed'} in Zendesk without being solved.`,
  closed: (status: 'closed' | 'archived') => `${status === 'archived' ? 'Archived' : 'Closed'} in Zendesk.`,
  verifiedByRating: () => 'Verified: the customer rated the help good.',
  verifiedByClosing: (status: 'closed' | 'archived') => `Verified: ${status} in Zendesk and not reopened.`,
  verifiedByWindow: (windowMs: number) => `Verified: the customer has not come back within ${span(windowMs)} of the solve.`,
  deleted: () => 'The ticket was deleted in Zendesk.',
  scrubbed: () => 'The ticket was deleted in Zendesk and its text erased; cxloop no longer keeps it.',
  moved: (category: CategoryId, team: string, teamChanged: boolean) =>
    teamChanged ? `Moved to the ${teamName(team)} team as ${categoryLabel(category).toLowerCase()}.` : `Now filed as ${categoryLabel(category).toLowerCase()}.`,
  tierChanged: (tier: Tier) => `Priority changed to ${tier}.`,
  /** The acknowledge (or follow-up) deadline passed with nobody on it. */
  ackBreached: (followUp: boolean, targetMs: number, team: string, first: NotifyLevel | undefined) => {
    const what = followUp ? `No one has followed up with the customer within ${span(targetMs)}` : `No one has picked this up within ${span(targetMs)}`;
    const target = ladderTarget(team, first);
    return target === null ? `${what}.` : `${what}; escalating to ${target}.`;
  },
  followUp: (reason: 'detractor' | 'reopened', owner: string | null, team: string, followUpMs: number) => {
    const who = owner === null ? `the ${teamName(team)} team` : personRef(owner);
    const why = reason === 'detractor' ? 'The customer is not satisfied with the answer' : 'The customer reopened the ticket';
    return `${why}; ${who} will follow up within ${span(followUpMs)}.`;
  },
  updateOverdue: (updateMs: number) => `Still being worked on; no new update from the team in the last ${span(updateMs)}.`,
};

/** What an escalation says is overdue ("#1002 is <reason>"), by what the ladder climbs for. */
export const escalationReasons = {
  acknowledge: () => 'not acknowledged',
  followUp: (detractor: boolean) => (detractor ? "not followed up after the customer's bad rating" : 'not followed up after the customer reopened it'),
  update: () => 'waiting for a status update',
  resolve: (tier: Tier, resolveMs: number) => `not resolved within the ${tier} tier's ${span(resolveMs)}`,
};

/** Internal notes the loop adds in Zendesk (zendesk_note). */
export const noteTexts = {
  acknowledged: (user: string) => `Acknowledged in Slack by ${personRef(user)}.`,
  taken: (user: string) => `Taken in Slack by ${personRef(user)}.`,
  snoozed: (user: string, until: number) => `Reminders snoozed in Slack by ${personRef(user)} until ${formatUtc(until)}.`,
  reassigned: (user: string, category: CategoryId, team: string) => `Reassigned in Slack by ${personRef(user)} to ${categoryLabel(category)} (team ${team}).`,
  /** Posted in Slack, or in the cxloop app in Zendesk by an agent ("zd:<id>"). */
  statusUpdate: (user: string, text: string) => `Status update posted in ${user.startsWith('zd:') ? 'the cxloop app in Zendesk' : 'Slack'} by ${personRef(user)}: ${text}`,
};
