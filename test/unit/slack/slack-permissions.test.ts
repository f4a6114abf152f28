import { describe, expect, it } from 'vitest';
import { SlackApiError } from '../../../src/adapters/slack/slack-api.js';
import { describeRefusal, SlackPermissions, type TeamAccess } from '../../../src/adapters/slack/slack-permissions.js';
import type { SlackDirectory } from '../../../src/app/ports.js';
import type { Policy } from '../../../src/config/policy-schema.js';
import { defaultPolicy } from '../../support/default-classifier.js';

/** A SlackDirectory in memory, without expiry (the Redis one is exercised in test/integration/slack). */
class MemoryDirectory implements SlackDirectory {
  readonly lists = new Map<string, Set<string>>();
  readonly channelIds = new Map<string, string>();
  async isMember(list: string, user: string): Promise<boolean | null> {
    const members = this.lists.get(list);
    return members ? members.has(user) : null;
  }
  async cacheMembers(list: string, members: readonly string[]): Promise<void> {
    this.lists.set(list, new Set(members));
  }
  async rememberChannelId(name: string, id: string): Promise<void> {
    this.channelIds.set(name, id);
  }
  async channelId(name: string): Promise<string | null> {
    return this.channelIds.get(name) ?? null;
  }
}

/** Slack's member lists, counting the reads; a list can be made to fail. */
function fakeSlack(lists: Record<string, readonly string[] | SlackApiError>) {
  const reads: string[] = [];
  const read = async (id: string): Promise<readonly string[]> => {
    reads.push(id);
    const list = lists[id];
    if (list instanceof SlackApiError) throw list;
    return list ?? [];
  };
  return { reads, slack: { usergroupMembers: read, channelMembers: read } };
}

/** billing lists members and a user group; engineering lists nobody (its channel decides); admins U0ADMIN01. */
function policy(): Policy {
  const base = structuredClone(defaultPolicy);
  base.teams.billing = { ...base.teams.billing!, members: ['U0MEMBER1'], escalation: { ...base.teams.billing!.escalation, usergroup_id: 'S0BILLING1', lead_user_id: 'U0LEAD001' } };
  base.teams.engineering = { ...base.teams.engineering!, escalation: { ...base.teams.engineering!.escalation, lead_user_id: 'U0ENGLEAD' } };
  base.slack.admins = ['U0ADMIN01'];
  return base;
}

function setUp(lists: Record<string, readonly string[] | SlackApiError> = {}) {
  const directory = new MemoryDirectory();
  const { reads, slack } = fakeSlack(lists);
  return { directory, reads, permissions: new SlackPermissions({ policy: policy(), slack, directory }) };
}

const refused = (access: TeamAccess) => {
  if (access.allowed) throw new Error(`allowed as ${access.as}`);
  return access;
};

describe('SlackPermissions: who may act on a team', () => {
  it('admins everywhere, without reading any list', async () => {
    const { permissions, reads } = setUp();
    expect(await permissions.check('U0ADMIN01', 'billing')).toEqual({ allowed: true, as: 'admin' });
    expect(await permissions.check('U0ADMIN01', 'engineering')).toEqual({ allowed: true, as: 'admin' });
    expect(reads).toEqual([]);
  });

  it('a team that lists its people: its members, lead and user group, nobody else (its channel counts for nothing)', async () => {
    const { permissions, reads, directory } = setUp({ S0BILLING1: ['U0GROUP01'], C0BILLING01: ['U0CHANNEL1'] });
    directory.channelIds.set('#cx-billing', 'C0BILLING01');
    expect(await permissions.check('U0MEMBER1', 'billing')).toEqual({ allowed: true, as: 'member' });
    expect(await permissions.check('U0LEAD001', 'billing')).toEqual({ allowed: true, as: 'lead' });
    expect(await permissions.check('U0GROUP01', 'billing')).toEqual({ allowed: true, as: 'usergroup' });
    const access = refused(await permissions.check('U0CHANNEL1', 'billing'));
    expect(access).toEqual({ allowed: false, team: 'billing', rule: 'roster', channels: [], unread: [] });
    expect(describeRefusal(access, 'take ticket #7')).toBe('Only members of team *billing* and cxloop admins can take ticket #7. Ask someone in the team, or ask an admin to add you to teams.billing.members.');
    // The group was read once; the second look-up came from the cache.
    expect(reads).toEqual(['S0BILLING1']);
  });

  it('a team that lists nobody: its lead and the members of its channels, by id; names are resolved from the ids Slack answered', async () => {
    const { permissions, reads, directory } = setUp({ C0ENGINEER1: ['U0CHANNEL1', 'U0CHANNEL2'] });
    const unknown = refused(await permissions.check('U0CHANNEL1', 'engineering'));
    expect(unknown).toEqual({ allowed: false, team: 'engineering', rule: 'channel', channels: ['#cx-engineering'], unread: ['#cx-engineering (cxloop has not posted there yet)'] });
    expect(describeRefusal(unknown, 'acknowledge ticket #8')).toBe(
      "Only people in team *engineering*'s channel #cx-engineering and cxloop admins can acknowledge ticket #8. Join #cx-engineering, or ask an admin to add you to teams.engineering.members. cxloop could not read the members of #cx-engineering (cxloop has not posted there yet).",
    );
    expect(await permissions.check('U0ENGLEAD', 'engineering')).toEqual({ allowed: true, as: 'lead' });

    directory.channelIds.set('#cx-engineering', 'C0ENGINEER1');
    expect(await permissions.check('U0CHANNEL1', 'engineering')).toEqual({ allowed: true, as: 'channel' });
    expect(await permissions.check('U0CHANNEL2', 'engineering')).toEqual({ allowed: true, as: 'channel' });
    expect(refused(await permissions.check('U0OUTSIDE', 'engineering')).unread).toEqual([]);
    expect(reads).toEqual(['C0ENGINEER1']);
    expect([...directory.lists.get('channel:C0ENGINEER1')!]).toEqual(['U0CHANNEL1', 'U0CHANNEL2']);
  });

  it('a list Slack will not give (missing scope) grants nothing and the refusal says so; Slack unavailable throws for a retry', async () => {
    const missing = setUp({ S0BILLING1: new SlackApiError('AUTH', 'usergroups.users.list: missing_scope (check SLACK_BOT_TOKEN and the app\'s scopes)') });
    expect(await missing.permissions.check('U0MEMBER1', 'billing')).toEqual({ allowed: true, as: 'member' });
    const access = refused(await missing.permissions.check('U0GROUP01', 'billing'));
    expect(access.unread).toEqual(["user group S0BILLING1 (Slack answered usergroups.users.list: missing_scope (check SLACK_BOT_TOKEN and the app's scopes))"]);
    expect(missing.directory.lists.size).toBe(0);

    const down = setUp({ S0BILLING1: new SlackApiError('UNAVAILABLE', 'usergroups.users.list: HTTP 503') });
    await expect(down.permissions.check('U0GROUP01', 'billing')).rejects.toThrow('HTTP 503');
  });

  it('a team not in the policy: admins only', async () => {
    const { permissions } = setUp();
    const access = refused(await permissions.check('U0MEMBER1', 'gone'));
    expect(describeRefusal(access, 'snooze ticket #9')).toBe("Team *gone* is not in cxloop's policy any more: only cxloop admins can snooze ticket #9.");
  });

  it('App Home: the teams the same rule grants, in policy order', async () => {
    const { permissions, directory } = setUp({ C0ENGINEER1: ['U0MEMBER1'] });
    directory.channelIds.set('#cx-engineering', 'C0ENGINEER1');
    expect(await permissions.teamsOf('U0MEMBER1')).toEqual(['engineering', 'billing']);
    expect(await permissions.teamsOf('U0ADMIN01')).toEqual(Object.keys(policy().teams));
    expect(await permissions.teamsOf('U0OUTSIDE')).toEqual([]);
  });
});
