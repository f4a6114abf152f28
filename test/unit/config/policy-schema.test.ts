import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_PATH, loadPolicyFile, parsePolicyText } from '../../../src/config/load-policy.js';

type Json = Record<string, unknown>;
const base = (): Json => parse(readFileSync(DEFAULT_POLICY_PATH, 'utf8'), { merge: true }) as Json;

/** Sets a value at a dotted path (creating objects on the way) in a copy of the default policy. */
function withValue(path: string, value: unknown): string {
  const policy = structuredClone(base());
  const keys = path.split('.');
  let node: Json = policy;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Json;
  const last = keys.at(-1)!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return stringify(policy);
}

function problemsOf(text: string): Array<{ path: string; message: string }> {
  const result = parsePolicyText(text);
  if (result.ok) throw new Error('expected the policy to be invalid');
  return result.problems;
}

describe('policy validation names every bad key', () => {
  it.each([
    ['version', 2, 'version', /must be 1/],
    ['classifier.threshold', 1.5, 'classifier.threshold', /1/],
    ['classifier.languages', ['en', 'xx'], 'classifier.languages.1', /en/],
    ['classifier.thresold', 0.4, 'classifier', /unknown key.*thresold/],
    ['categories.bug_report.team', 'nobody', 'categories.bug_report.team', /team "nobody" is not defined/],
    ['categories.bug_report.acknowledge.remind', '1x', 'categories.bug_report.acknowledge.remind', /invalid duration "1x"/],
    ['categories.feature_request.acknowledge.remind', '6d', 'categories.feature_request.acknowledge.remind', /remind must not be later than breach/],
    ['categories.billing_issue.slack_channel', 'billing', 'categories.billing_issue.slack_channel', /#channel-name/],
    ['categories.billing_issue.zendesk_group_id', -4, 'categories.billing_issue.zendesk_group_id', /./],
    ['categories.bug_report.on_routing', ['page_everyone'], 'categories.bug_report.on_routing.0', /./],
    ['categories.bug_report.on_routing', ['attach_requester_context', 'attach_requester_context'], 'categories.bug_report.on_routing.1', /listed twice/],
    ['categories.onboarding_help.article_url', 'javascript:alert(1)', 'categories.onboarding_help.article_url', /http\(s\) URL/],
    ['actions.tag_for_pm_review.tag', 'PM review', 'actions.tag_for_pm_review.tag', /Zendesk tag/],
    ['actions.tag_for_pm_review.tag', 'cxloop_feature_request', 'actions.tag_for_pm_review.tag', /cxloop's category or tier tags/],
    ['actions.suggest_article.locale', 'French', 'actions.suggest_article.locale', /locale such as en-us/],
    ['actions.suggest_article.max_articles', 0, 'actions.suggest_article.max_articles', /./],
    ['actions.attach_requester_context.recent_tickets', 50, 'actions.attach_requester_context.recent_tickets', /./],
    ['actions.page_everyone', {}, 'actions', /unknown key.*page_everyone/],
    ['categories.bug_report.match.regexes', ['(unclosed'], 'categories.bug_report.match.regexes.0', /not a valid regular expression/],
    ['categories.bug_report.match.terms', ['ab*'], 'categories.bug_report.match.terms.0', /at least 3 letters/],
    ['categories.bug_report.match.weak_terms', ['bad-term!'], 'categories.bug_report.match.weak_terms.0', /letters or digits/],
    ['categories.bug_report.match.min_tier', 'extreme', 'categories.bug_report.match.min_tier', /./],
    ['categories.unknown_category', { team: 'support' }, 'categories', /unknown key.*unknown_category/],
    ['categories.other', undefined, 'categories.other', /./],
    ['tiers.critical.resolve', 'soon', 'tiers.critical.resolve', /invalid duration/],
    ['tiers.high.zendesk_priority', 'very-high', 'tiers.high.zendesk_priority', /./],
    ['tiers.normal.status_update', { remind: '24h' }, 'tiers.normal.status_update.breach', /./],
    ['loop.verify_window', '0m', 'loop.verify_window', /longer than zero/],
    ['teams.support.hours.timezone', 'Mars/Olympus', 'teams.support.hours.timezone', /IANA time zone/],
    ['teams.support.hours.holidays', ['2026-13-40'], 'teams.support.hours.holidays.0', /YYYY-MM-DD/],
    ['teams.support.hours.weekly', { mon: '17:00-09:00' }, 'teams.support.hours.weekly.mon', /start must be before the end/],
    ['teams.support.hours.weekly', { mon: '9-5' }, 'teams.support.hours.weekly.mon', /HH:MM-HH:MM/],
    ['teams.support.escalation.levels', [], 'teams.support.escalation.levels', /at least one level/],
    ['teams.support.escalation.usergroup_id', 'engineers', 'teams.support.escalation.usergroup_id', /user group id/],
    ['teams.support.escalation.levels', [{ after_breach: '1h', notify: ['lead'] }, { after_breach: '0m', notify: ['usergroup'] }], 'teams.support.escalation.levels.1.after_breach', /ascending/],
    ['teams.Support', base()['teams'] && (base()['teams'] as Json)['support'], 'teams.Support', /lower_snake_case/],
    ['slack.admins', ['alice'], 'slack.admins.0', /Slack user id/],
    ['categories.bug_report.match.channels', ['email', 'emial'], 'categories.bug_report.match.channels.1', /"emial" is not a Zendesk channel; use one of web, email, api/],
    ['classifier.tier_rules', [{ tier: 'critical', channels: ['fax'] }], 'classifier.tier_rules.0.channels.0', /"fax" is not a Zendesk channel/],
    ['training_labels.tags', { refund: 'billing_isue' }, 'training_labels.tags.refund', /"billing_isue" is not a category \(did you mean "billing_issue"\?\)/],
    ['training_labels.tags', { refund: 'money' }, 'training_labels.tags.refund', /"money" is not a category \(use one of bug_report, billing_issue/],
    ['training_labels.tags', { 'Big Refund': 'billing_issue' }, 'training_labels.tags.Big Refund', /./],
    ['training_labels.tags', { cxloop_bug_report: 'billing_issue' }, 'training_labels.tags.cxloop_bug_report', /./],
    ['training_labels.ticket_fields', { problem_type: { bug: 'bug_report' } }, 'training_labels.ticket_fields.problem_type', /custom ticket field id/],
    ['training_labels.ticket_fields', { '360001': { bug: 'bugreport' } }, 'training_labels.ticket_fields.360001.bug', /did you mean "bug_report"/],
    ['training_labels.ticket_field', {}, 'training_labels', /unknown key "ticket_field" \(did you mean "ticket_fields"\?\)/],
    ['training_label', {}, '(root)', /unknown key "training_label" \(did you mean "training_labels"\?\)/],
  ])('%s = %j -> %s', (path, value, problemPath, message) => {
    const problems = problemsOf(withValue(path, value));
    const problem = problems.find((candidate) => candidate.path === problemPath);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(problem!.message).toMatch(message);
  });

  it('reports every problem at once, not only the first', () => {
    const policy = base();
    (policy['classifier'] as Json)['threshold'] = 7;
    ((policy['tiers'] as Json)['high'] as Json)['resolve'] = 'x';
    const paths = problemsOf(stringify(policy)).map((problem) => problem.path);
    expect(paths).toEqual(expect.arrayContaining(['classifier.threshold', 'tiers.high.resolve']));
  });

  it.each([
    ['classifier.thresold', 0.4, 'classifier', 'unknown key "thresold" (did you mean "threshold"?)'],
    ['teams.support.escalaton', {}, 'teams.support', 'unknown key "escalaton" (did you mean "escalation"?)'],
    ['categories.bug_report.match.term', ['crash*'], 'categories.bug_report.match', 'unknown key "term" (did you mean "terms"?)'],
    ['slack.statuschannel', '#cx-status', 'slack', 'unknown key "statuschannel" (did you mean "status_channel"?)'],
    ['frobnicate', 1, '(root)', 'unknown key "frobnicate"'],
    ['categories.bug_report.team', 'suport', 'categories.bug_report.team', /^team "suport" is not defined under teams \(defined: .*\); did you mean "support"\?$/],
    ['tiers.high.resolve', undefined, 'tiers.high.resolve', 'is missing: must be a duration such as 30m, 2h or 5d'],
    ['teams.support.escalation', undefined, 'teams.support.escalation', 'is missing (expected object)'],
  ])('a typo names what it most likely meant: %s = %j', (path, value, problemPath, message) => {
    const problem = problemsOf(withValue(path, value)).find((candidate) => candidate.path === problemPath);
    expect(problem?.message).toMatch(typeof message === 'string' ? new RegExp(`^${message.replace(/[()?.*]/g, '\\$&')}$`) : message);
  });

  it('reports an unknown team and a bad term along with the schema problems, in one pass', () => {
    const policy = base();
    (policy['classifier'] as Json)['threshold'] = 7;
    ((policy['categories'] as Json)['billing_issue'] as Json)['team'] = 'acounting';
    ((policy['categories'] as Json)['bug_report'] as Json)['match'] = { terms: ['ab*'] };
    const paths = problemsOf(stringify(policy)).map((problem) => problem.path);
    expect(paths).toEqual(expect.arrayContaining(['classifier.threshold', 'categories.billing_issue.team', 'categories.bug_report.match.terms.0']));
  });

  it('reports YAML syntax errors with a line number', () => {
    expect(problemsOf('version: 1\nclassifier: [unclosed\n')[0]).toMatchObject({ path: '(syntax)', message: expect.stringMatching(/line \d+/) });
  });

  it('accepts a channel in either spelling (REST API or webhook) and keeps the REST API name, so both arrival paths match', () => {
    const result = parsePolicyText(withValue('categories.bug_report.match.channels', ['email', 'mail', 'web_service', 'Web', 'native_messaging']));
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.policy.categories.bug_report.match.channels).toEqual(['email', 'email', 'api', 'web', 'native_messaging']);
  });

  it('fills every action setting in when the actions block is left out', () => {
    const policy = base();
    delete policy['actions'];
    const result = parsePolicyText(stringify(policy));
    expect(result.ok && result.policy.actions).toEqual({
      attach_requester_context: { recent_tickets: 3 },
      tag_for_pm_review: { tag: 'cxloop_pm_review' },
      suggest_article: { locale: null, max_articles: 3 },
    });
  });

  it('takes training_labels as category ids by tag and by custom field value, and an empty block by default', () => {
    const parsed = parsePolicyText(withValue('training_labels', { tags: { refund: 'billing_issue' }, ticket_fields: { '360001': { hardware: 'bug_report', true: 'other' } } }));
    expect(parsed.ok && parsed.policy.training_labels).toEqual({ tags: { refund: 'billing_issue' }, ticket_fields: { '360001': { hardware: 'bug_report', true: 'other' } } });
    const none = parsePolicyText(withValue('training_labels', undefined));
    expect(none.ok && none.policy.training_labels).toEqual({ tags: {}, ticket_fields: {} });
  });

  it('accepts JSON as well as YAML', () => {
    expect(parsePolicyText(JSON.stringify(base())).ok).toBe(true);
  });

  it('says which file is missing', async () => {
    const result = await loadPolicyFile('/nonexistent/policy.yaml');
    expect(result).toMatchObject({ ok: false, problems: [{ path: '(file)', message: '/nonexistent/policy.yaml: file not found' }] });
  });
});
