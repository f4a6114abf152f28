import type { SlackDirectory } from '../../app/ports.js';
import type { Policy } from '../../config/policy-schema.js';
import { CATEGORY_IDS } from '../../core/taxonomy.js';
import { SlackApiError, type SlackApi } from './slack-api.js';

/**
 * Member lists read from Slack (usergroups.users.list, conversations.members) are trusted this
 * long, in Redis for every process: someone removed from a group or channel keeps access at most
 * this long, and someone added waits at most this long.
 */
export const MEMBER_LIST_TTL_MS = 2 * 60_000;

/** A channel the policy gives as an id rather than "#name". */
const CHANNEL_ID = /^[CG][A-Z0-9]{8,}$/;

/** Why someone may act on a team's loops. */
export type AccessGrant = 'admin' | 'member' | 'lead' | 'usergroup' | 'channel';

export type TeamAccess =
  | { readonly allowed: true; readonly as: AccessGrant }
  | {
      readonly allowed: false;
      readonly team: string;
      /** roster: the team lists its people (members or a user group); channel: it does not, and presence in its channel counts; unknown_team: not in the policy. */
      readonly rule: 'roster' | 'channel' | 'unknown_team';
      /** The team's channels as configured (the channel rule). */
      readonly channels: readonly string[];
      /** Lists cxloop could not read, with why ("#cx-billing: nothing posted there yet"). */
      readonly unread: readonly string[];
    };

export interface SlackPermissionsDeps {
  readonly policy: Policy;
  readonly slack: Pick<SlackApi, 'usergroupMembers' | 'channelMembers'>;
  readonly directory: SlackDirectory;
}

/**
 * Who may act on a team's loops (acknowledge, take, snooze, reassign, post an update), the one rule
 * every surface asks (card buttons, the update modal, /cxloop, App Home):
 *   - cxloop admins (`slack.admins`) on every team;
 *   - when the team lists its people (`teams.<team>.members`, or a user group in
 *     `escalation.usergroup_id`): those members, the group's members and its lead, nobody else;
 *   - otherwise its lead and whoever is a member of one of its channels (the `slack_channel` of
 *     the categories it owns), as Slack's conversations.members lists them. Where the click
 *     happened proves nothing: a public channel can be read, and its buttons pressed, without
 *     joining it, and a modal or App Home carries no channel at all.
 * Member lists are cached in Redis for MEMBER_LIST_TTL_MS. Slack being unavailable or rate
 * limited throws (the caller retries); a list Slack refuses to give (missing scope, unknown
 * group) grants nothing and the refusal says so.
 */
export class SlackPermissions {
  constructor(private readonly deps: SlackPermissionsDeps) {}

  async check(user: string, team: string): Promise<TeamAccess> {
    const { policy } = this.deps;
    if (policy.slack.admins.includes(user)) return { allowed: true, as: 'admin' };
    const owner = policy.teams[team];
    if (!owner) return { allowed: false, team, rule: 'unknown_team', channels: [], unread: [] };
    if (owner.members.includes(user)) return { allowed: true, as: 'member' };
    if (owner.escalation.lead_user_id === user) return { allowed: true, as: 'lead' };
    const unread: string[] = [];
    const group = owner.escalation.usergroup_id;
    if (group !== null) {
      const inGroup = await this.isListed(`usergroup:${group}`, user, () => this.deps.slack.usergroupMembers(group), `user group ${group}`, unread);
      if (inGroup) return { allowed: true, as: 'usergroup' };
    }
    if (owner.members.length > 0 || group !== null) return { allowed: false, team, rule: 'roster', channels: [], unread };
    const channels = teamChannels(policy, team);
    for (const channel of channels) {
      const id = CHANNEL_ID.test(channel) ? channel : await this.deps.directory.channelId(channel);
      if (id === null) {
        unread.push(`${channel} (cxloop has not posted there yet)`);
        continue;
      }
      if (await this.isListed(`channel:${id}`, user, () => this.deps.slack.channelMembers(id), channel, unread)) return { allowed: true, as: 'channel' };
    }
    return { allowed: false, team, rule: 'channel', channels, unread };
  }

  /** The teams whose loops `user` may act on (App Home), in policy order. */
  async teamsOf(user: string): Promise<string[]> {
    const teams = Object.keys(this.deps.policy.teams);
    const access = await Promise.all(teams.map((team) => this.check(user, team)));
    return teams.filter((_, index) => access[index]!.allowed);
  }

  /** Membership from the cached list, else read from Slack and cached. */
  private async isListed(list: string, user: string, read: () => Promise<readonly string[]>, label: string, unread: string[]): Promise<boolean> {
    const { directory } = this.deps;
    const cached = await directory.isMember(list, user);
    if (cached !== null) return cached;
    let members: readonly string[];
    try {
      members = await read();
    } catch (error) {
      if (error instanceof SlackApiError && (error.code === 'REJECTED' || error.code === 'AUTH')) {
        unread.push(`${label} (Slack answered ${error.message})`);
        return false;
      }
      throw error;
    }
    await directory.cacheMembers(list, members, MEMBER_LIST_TTL_MS);
    return members.includes(user);
  }
}

/** The channels of the categories a team owns, as configured, without repeats. */
export function teamChannels(policy: Policy, team: string): string[] {
  return [...new Set(CATEGORY_IDS.filter((id) => policy.categories[id].team === team).map((id) => policy.categories[id].slack_channel))];
}

/** An action on a loop as a refusal names it: "snooze ticket #302", "post an update on ticket #306". */
export function describeAction(kind: 'acknowledge' | 'take' | 'snooze' | 'reassign' | 'post_update' | 'status', ticketId: number): string {
  return kind === 'post_update' ? `post an update on ticket #${ticketId}` : `${kind} ticket #${ticketId}`;
}

/** What the refused person reads (ephemeral, or under the modal's text field); `action` is e.g. "snooze ticket #302". */
export function describeRefusal(access: Extract<TeamAccess, { allowed: false }>, action: string): string {
  const { team } = access;
  const unread = access.unread.length > 0 ? ` cxloop could not read the members of ${access.unread.join('; ')}.` : '';
  if (access.rule === 'unknown_team') return `Team *${team}* is not in cxloop's policy any more: only cxloop admins can ${action}.`;
  if (access.rule === 'roster') return `Only members of team *${team}* and cxloop admins can ${action}. Ask someone in the team, or ask an admin to add you to teams.${team}.members.${unread}`;
  if (access.channels.length === 0) return `Team *${team}* owns no category, so no channel: only cxloop admins can ${action}.`;
  const channels = access.channels.join(', ');
  const join = access.channels.length === 1 ? `Join ${channels}` : `Join one of ${channels}`;
  return `Only people in team *${team}*'s channel ${channels} and cxloop admins can ${action}. ${join}, or ask an admin to add you to teams.${team}.members.${unread}`;
}
