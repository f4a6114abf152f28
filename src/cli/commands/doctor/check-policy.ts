import { DEFAULT_POLICY_PATH, loadPolicyFile } from '../../../config/load-policy.js';
import type { Policy, TeamPolicy } from '../../../config/policy-schema.js';
import { CATEGORY_IDS } from '../../../core/taxonomy.js';
import { failed, passed, skipped, warned, type DoctorResult } from './doctor-result.js';

export interface PolicyFindings {
  readonly file: DoctorResult;
  readonly groups: DoctorResult;
  readonly slack: DoctorResult;
  readonly access: DoctorResult;
  /** The loaded policy, or null when the file is invalid. */
  readonly policy: Policy | null;
}

/** Loads and validates the policy file, then looks for settings still unset that routing or Slack need. */
export async function checkPolicyFile(path: string): Promise<PolicyFindings> {
  const result = await loadPolicyFile(path);
  if (!result.ok) {
    // "(file)" and "(syntax)" problems carry their whereabouts in the message already.
    const problems = result.problems.map((problem) => (problem.path.startsWith('(') ? problem.message : `${problem.path}: ${problem.message}`)).join('; ');
    const reason = 'the policy file is invalid';
    return {
      file: failed('policy', problems.startsWith(path) ? problems : `${path}: ${problems}`, `correct the policy file (cxloop config check ${path} lists the same problems), or point CXLOOP_CONFIG at another`),
      groups: skipped('policy-groups', reason),
      slack: skipped('policy-slack', reason),
      access: skipped('policy-access', reason),
      policy: null,
    };
  }
  const { policy } = result;
  return {
    file: passed('policy', `${path} (${CATEGORY_IDS.length} categories, ${Object.keys(policy.teams).length} teams)`),
    groups: checkPolicyGroups(policy, path),
    slack: checkPolicySlack(policy, path),
    access: checkPolicyAccess(policy, path),
    policy,
  };
}

/** Categories without a zendesk_group_id: routing sets their tags and priority but cannot assign a group. */
export function checkPolicyGroups(policy: Policy, path: string): DoctorResult {
  const unset = CATEGORY_IDS.filter((id) => policy.categories[id].zendesk_group_id === null);
  if (unset.length === 0) return passed('policy-groups', `every category has a zendesk_group_id`);
  return warned(
    'policy-groups',
    `no zendesk_group_id for ${unset.length} of ${CATEGORY_IDS.length} categories (${unset.join(', ')}): routing cannot assign their tickets to a Zendesk group`,
    `set categories.<category>.zendesk_group_id in ${path} to the owning group's id (Admin Center > People > Team > Groups; the id ends the group's URL)`,
  );
}

/** Slack targets the policy names but leaves unset, so those messages are never posted. */
export function checkPolicySlack(policy: Policy, path: string): DoctorResult {
  const notes = unsetSlackTargets(policy);
  if (path === DEFAULT_POLICY_PATH) notes.unshift('the shipped example policy is in use: its channel names are examples');
  if (notes.length === 0) {
    const channels = new Set(CATEGORY_IDS.map((id) => policy.categories[id].slack_channel));
    return passed('policy-slack', `${channels.size} team channels, status channel ${policy.slack.status_channel ?? '-'}`);
  }
  return warned(
    'policy-slack',
    notes.join('; '),
    path === DEFAULT_POLICY_PATH
      ? 'copy config/policy.yaml, set your channels and Slack ids in the copy and point CXLOOP_CONFIG at it'
      : `set the missing channels and Slack ids in ${path}`,
  );
}

/**
 * Teams that list neither members nor a user group: anyone in their Slack channel may act on
 * their loops (acknowledge, take, snooze, reassign, post updates), which is rarely what is meant.
 */
export function checkPolicyAccess(policy: Policy, path: string): DoctorResult {
  const open = Object.entries(policy.teams)
    .filter(([, team]) => team.members.length === 0 && team.escalation.usergroup_id === null)
    .map(([id]) => id);
  const teams = Object.keys(policy.teams).length;
  if (open.length === 0) return passed('policy-access', `every team lists who may act on its loops (members or a user group) (${teams} teams)`);
  const channels = [...new Set(CATEGORY_IDS.filter((id) => open.includes(policy.categories[id].team)).map((id) => policy.categories[id].slack_channel))];
  return warned(
    'policy-access',
    `${open.length} of ${teams} teams (${open.join(', ')}) list no members and no user group: anyone in their Slack channels (${channels.join(', ') || 'none'}) may act on their loops`,
    `list each team's people in teams.<team>.members, or its Slack user group in teams.<team>.escalation.usergroup_id, in ${path}`,
  );
}

function unsetSlackTargets(policy: Policy): string[] {
  const notes: string[] = [];
  const live = CATEGORY_IDS.filter((id) => policy.categories[id].on_routing.includes('flag_live_status'));
  if (policy.slack.status_channel === null) {
    notes.push(`slack.status_channel is not set: status updates are not published to a status channel${live.length > 0 ? ` and ${live.join(', ')} get no live incidents summary` : ''}`);
  }
  const pinging = CATEGORY_IDS.filter((id) => policy.categories[id].on_routing.includes('ping_incident_channel'));
  if (policy.slack.incident_channel === null && pinging.length > 0) {
    notes.push(`slack.incident_channel is not set but ${pinging.join(', ')} ping it: those pings are not posted`);
  }
  const leadless = teamsMissing(policy, 'lead', 'lead_user_id');
  if (leadless.length > 0) notes.push(`no escalation.lead_user_id for ${leadless.join(', ')}: their escalations to the lead are not posted`);
  const channelless = teamsMissing(policy, 'escalation_channel', 'escalation_channel');
  if (channelless.length > 0) notes.push(`no escalation.escalation_channel for ${channelless.join(', ')}: their escalations to it are not posted`);
  return notes;
}

type Escalation = TeamPolicy['escalation'];

/** Teams whose ladder notifies `target` while `setting` is null (the notifier then logs a warning and posts nothing). */
function teamsMissing(policy: Policy, target: Escalation['levels'][number]['notify'][number], setting: 'lead_user_id' | 'escalation_channel'): string[] {
  return Object.entries(policy.teams)
    .filter(([, team]) => team.escalation[setting] === null && team.escalation.levels.some((level) => level.notify.includes(target)))
    .map(([id]) => id);
}
