import { z } from 'zod';
import type { Env } from '../../../config/env-schema.js';
import type { Policy } from '../../../config/policy-schema.js';
import { CATEGORY_IDS, type CategoryId } from '../../../core/taxonomy.js';
import { redactUrl } from '../../../config/redact-url.js';
import type { ZendeskIdentity } from './check-zendesk-user.js';
import { describeError, failed, passed, skipped, type DoctorResult } from './doctor-result.js';
import { excerptOf } from './fetch-answer.js';
import { getZendesk, zendeskAccessOf, type ZendeskAccess } from './zendesk-access.js';

/** 100 groups a page; an account with more than 10,000 groups is not expected. */
const MAX_PAGES = 100;
const GROUPS_SHOWN = 10;

/**
 * https://developer.zendesk.com/api-reference/ticketing/groups/groups/#list-groups with cursor
 * pagination (https://developer.zendesk.com/api-reference/introduction/pagination/): `meta.has_more`
 * and `links.next`.
 */
const groupsPageSchema = z.object({
  groups: z.array(z.object({ id: z.number(), name: z.string(), deleted: z.boolean().optional() })),
  meta: z.object({ has_more: z.boolean() }).optional(),
  links: z.object({ next: z.string().nullish() }).optional(),
});

type Group = z.infer<typeof groupsPageSchema>['groups'][number];

/** Every zendesk_group_id of the policy must be a live group of the account, or routing writes fail. */
export async function checkZendeskGroups(env: Env, identity: ZendeskIdentity, policy: Policy | null): Promise<DoctorResult> {
  const access = zendeskAccessOf(env);
  if (access === null) return skipped('zendesk-groups', 'no Zendesk credentials set (dry-run)');
  if (policy === null) return skipped('zendesk-groups', 'the policy file is invalid');
  if (!identity.verified) return skipped('zendesk-groups', 'the Zendesk credentials were not confirmed');
  const wanted = CATEGORY_IDS.flatMap((id) => {
    const groupId = policy.categories[id].zendesk_group_id;
    return groupId === null ? [] : [{ category: id, groupId }];
  });
  if (wanted.length === 0) return skipped('zendesk-groups', 'no zendesk_group_id in the policy');
  let groups: Group[];
  try {
    groups = await listGroups(access);
  } catch (error) {
    return failed('zendesk-groups', `cannot list the groups of ${redactUrl(access.baseUrl)}: ${describeError(error)}`, 'run cxloop doctor again; if it persists, check the API user may list groups');
  }
  return judgeGroups(wanted, groups);
}

function judgeGroups(wanted: readonly { category: CategoryId; groupId: number }[], groups: readonly Group[]): DoctorResult {
  const live = new Map(groups.filter((group) => group.deleted !== true).map((group) => [group.id, group.name]));
  const missing = wanted.filter(({ groupId }) => !live.has(groupId));
  if (missing.length === 0) {
    const ids = new Set(wanted.map(({ groupId }) => groupId));
    return passed('zendesk-groups', `all ${ids.size} zendesk_group_id${ids.size === 1 ? '' : 's'} of the policy exist (${[...ids].map((id) => live.get(id)).join(', ')})`);
  }
  const named = missing.map(({ category, groupId }) => `${groupId} (${category})`).join(', ');
  const known = [...live].slice(0, GROUPS_SHOWN).map(([id, name]) => `${id} ${name}`).join(', ');
  return failed(
    'zendesk-groups',
    `no such Zendesk group: ${named}`,
    `set those categories' zendesk_group_id to an existing group (${known || 'the account has no groups'}${live.size > GROUPS_SHOWN ? ', ...' : ''})`,
  );
}

async function listGroups(access: ZendeskAccess): Promise<Group[]> {
  const groups: Group[] = [];
  let next: string | null = '/api/v2/groups.json?page[size]=100';
  for (let page = 0; next !== null && page < MAX_PAGES; page += 1) {
    const answer = await getZendesk(access, next);
    if (answer.status !== 200) throw new Error(`HTTP ${answer.status} ${excerptOf(answer.text)}`.trim());
    const parsed = groupsPageSchema.safeParse(answer.body);
    if (!parsed.success) throw new Error(`not a list of groups: ${excerptOf(answer.text)}`);
    groups.push(...parsed.data.groups);
    next = parsed.data.meta?.has_more && parsed.data.links?.next ? sameOrigin(parsed.data.links.next, access.baseUrl) : null;
  }
  return groups;
}

/** The credentials go only to the configured account. */
function sameOrigin(link: string, baseUrl: string): string {
  const url = new URL(link, baseUrl);
  if (url.origin !== new URL(baseUrl).origin) throw new Error(`the next page is on another host (${url.origin})`);
  return url.href;
}
