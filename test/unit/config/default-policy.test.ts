import { describe, expect, it } from 'vitest';
import { loadPolicyFile } from '../../../src/config/load-policy.js';
import type { Policy } from '../../../src/config/policy-schema.js';

const HOUR = 60;
const DAY = 24 * HOUR;

async function defaultPolicy(): Promise<Policy> {
  const result = await loadPolicyFile();
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.policy;
}

describe('the shipped config/policy.yaml holds the defaults README describes', () => {
  it.each([
    ['bug_report', 'engineering', 1 * HOUR, 1 * HOUR],
    ['billing_issue', 'billing', 2 * HOUR, 2 * HOUR],
    ['feature_request', 'product', 2 * DAY, 5 * DAY],
    ['onboarding_help', 'support', 4 * HOUR, 4 * HOUR],
    ['performance_issue', 'engineering', 4 * HOUR, 4 * HOUR],
    ['sentiment_experience', 'cx_insights', 24 * HOUR, 24 * HOUR],
    ['content_communication', 'content', 24 * HOUR, 24 * HOUR],
    ['other', 'operations', 1 * DAY, 1 * DAY],
  ] as const)('%s is owned by %s with acknowledge remind %i min / breach %i min', async (id, team, remind, breach) => {
    const policy = await defaultPolicy();
    expect(policy.categories[id].team).toBe(team);
    expect(policy.categories[id].acknowledge).toEqual({ remind, breach });
    expect(policy.teams[team]).toBeDefined();
  });

  it('carries the "on routing" column as actions', async () => {
    const { categories } = await defaultPolicy();
    expect(categories.bug_report.on_routing).toEqual(['attach_requester_context']);
    expect(categories.feature_request.on_routing).toEqual(['tag_for_pm_review']);
    expect(categories.onboarding_help.on_routing).toEqual(['suggest_article']);
    expect(categories.performance_issue.on_routing).toEqual(['ping_incident_channel', 'flag_live_status']);
    expect(categories.sentiment_experience.on_routing).toEqual(['start_csat_followup']);
    for (const id of ['billing_issue', 'content_communication', 'other'] as const) expect(categories[id].on_routing).toEqual([]);
  });

  it('ships the action settings README describes', async () => {
    const { actions, categories } = await defaultPolicy();
    expect(actions).toEqual({ attach_requester_context: { recent_tickets: 3 }, tag_for_pm_review: { tag: 'cxloop_pm_review' }, suggest_article: { locale: null, max_articles: 3 } });
    expect(categories.onboarding_help.article_url).toBeNull();
  });

  it.each([
    ['critical', 'urgent', 15, 30, 24 * HOUR],
    ['high', 'high', 2 * HOUR, 4 * HOUR, 48 * HOUR],
    ['normal', 'normal', 24 * HOUR, 24 * HOUR, 72 * HOUR],
  ] as const)('tier %s: Zendesk %s, status update remind %i / breach %i min, resolve %i min', async (tier, priority, remind, breach, resolve) => {
    const { tiers } = await defaultPolicy();
    expect(tiers[tier]).toEqual({ zendesk_priority: priority, status_update: { remind, breach }, resolve });
  });

  it('has the documented loop windows and a ladder, hours and holidays for every team', async () => {
    const policy = await defaultPolicy();
    expect(policy.loop).toEqual({ verify_window: 72 * HOUR, follow_up_sla: 48 * HOUR, max_snooze: 24 * HOUR, csat_survey: { scale: 5, bad_at_most: 2, good_at_least: 4 } });
    for (const team of Object.values(policy.teams)) {
      expect(team.escalation.levels.length).toBeGreaterThanOrEqual(2);
      expect(team.hours).toMatchObject({ timezone: 'UTC', clock: 'calendar', holidays: [] });
    }
  });

  it('is deeply frozen', async () => {
    const policy = await defaultPolicy();
    expect(Object.isFrozen(policy.categories.bug_report.acknowledge)).toBe(true);
  });
});
