import { z } from 'zod';
import { parseDuration } from '../core/duration.js';
import { ROUTING_ACTIONS } from '../core/routing/routing-actions.js';
import { didYouMean } from '../core/closest-match.js';
import { CATEGORY_IDS, isCategoryId, TIERS, type CategoryId } from '../core/taxonomy.js';
import { isKnownChannel, normaliseChannel, ZENDESK_CHANNELS } from '../core/zendesk-channels.js';
import { categoryTag, tierTag } from '../core/ticket-event.js';
import { CUSTOMER_PLACEHOLDERS, CUSTOMER_UPDATE_KINDS } from '../core/customers/customer-texts.js';
import { isTimeZone as isCustomerTimeZone, unknownPlaceholders } from '../core/customers/fill-customer-template.js';

/**
 * The policy file (YAML or JSON): taxonomy, owners, SLAs, tiers, escalation ladders, business
 * hours and classifier rules. Keys are snake_case as an admin writes them; unknown keys are errors
 * so a typo cannot silently fall back to a default. config/policy.yaml is the shipped default, as
 * README describes it (test/unit/config/default-policy.test.ts).
 */

/** A duration string ("30m", "2h", "5d"), parsed to minutes. */
const durationOf = (options: { allowZero?: boolean }) =>
  z.string({ error: 'must be a duration such as 30m, 2h or 5d' }).transform((text, context) => {
    const parsed = parseDuration(text, options);
    if (!parsed.ok) {
      context.addIssue({ code: 'custom', message: parsed.reason });
      return z.NEVER;
    }
    return parsed.minutes;
  });
const duration = durationOf({});
/** An offset that may be zero ("0m": at breach). */
const offset = durationOf({ allowZero: true });

/** remind/breach pair: a range such as "2-5 days" reminds at the first value and escalates at the second. */
const slaPair = z
  .object({ remind: duration, breach: duration })
  .strict()
  .refine((pair) => pair.remind <= pair.breach, { message: 'remind must not be later than breach', path: ['remind'] });

const slackChannel = z
  .string()
  .regex(/^(#[a-z0-9][a-z0-9._-]{0,79}|[CG][A-Z0-9]{8,})$/, 'must be "#channel-name" (lower case) or a channel id like C0123ABCD');

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const HOURS_RANGE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

const dayHours = z
  .string()
  .regex(HOURS_RANGE, 'must be "HH:MM-HH:MM", e.g. "09:00-17:00"')
  .refine((range) => {
    const [start, end] = range.split('-') as [string, string];
    return start < end;
  }, 'the start must be before the end')
  .nullable();

const isoDate = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });

const hours = z
  .object({
    timezone: z.string().refine(isTimeZone, 'is not an IANA time zone such as Europe/Berlin or America/New_York').default('UTC'),
    /** `calendar`: clocks run around the clock; `business`: only within `weekly`, minus holidays. */
    clock: z.enum(['calendar', 'business']).default('calendar'),
    weekly: z
      .object(Object.fromEntries(DAYS.map((day) => [day, dayHours.optional()])) as Record<(typeof DAYS)[number], z.ZodOptional<typeof dayHours>>)
      .strict()
      .default({ mon: '09:00-17:00', tue: '09:00-17:00', wed: '09:00-17:00', thu: '09:00-17:00', fri: '09:00-17:00' }),
    holidays: z.array(isoDate).default([]),
  })
  .strict()
  .refine((value) => value.clock === 'calendar' || DAYS.some((day) => value.weekly[day]), {
    message: 'business clock needs at least one day with hours',
    path: ['weekly'],
  });

const notifyTarget = z.enum(['team_channel', 'usergroup', 'lead', 'escalation_channel']);

const escalation = z
  .object({
    /** Level 1, 2, ... after breach; level 0 is the team-channel reminder at `remind`. */
    levels: z
      .array(z.object({ after_breach: offset, notify: z.array(notifyTarget).min(1) }).strict())
      .min(1, 'needs at least one level'),
    /** How many times the whole ladder repeats before it stays at its last level. */
    repeat: z.number().int().min(0).max(20).default(2),
    repeat_every: duration.prefault('1h'),
    usergroup_id: z.string().regex(/^S[A-Z0-9]{6,}$/, 'must be a Slack user group id like S0123ABCD').nullable().default(null),
    lead_user_id: z.string().regex(/^[UW][A-Z0-9]{6,}$/, 'must be a Slack user id like U0123ABCD').nullable().default(null),
    escalation_channel: slackChannel.nullable().default(null),
  })
  .strict()
  .superRefine((value, context) => {
    value.levels.forEach((level, index) => {
      const previous = value.levels[index - 1];
      if (previous && level.after_breach < previous.after_breach) {
        context.addIssue({ code: 'custom', path: ['levels', index, 'after_breach'], message: 'levels must be in ascending order of after_breach' });
      }
    });
  });

const team = z
  .object({
    hours: hours.default({ timezone: 'UTC', clock: 'calendar', weekly: {}, holidays: [] }),
    escalation,
    /** Slack user ids allowed to act on this team's loops besides the channel members. */
    members: z.array(z.string().regex(/^[UW][A-Z0-9]{6,}$/, 'must be a Slack user id like U0123ABCD')).default([]),
  })
  .strict();

/** A category's on_routing list: each action at most once (listed twice it would ping twice). */
const onRouting = z
  .array(z.enum(ROUTING_ACTIONS))
  .default([])
  .superRefine((actions, context) => {
    actions.forEach((action, index) => {
      if (actions.indexOf(action) !== index) context.addIssue({ code: 'custom', path: [index], message: `"${action}" is listed twice` });
    });
  });

/** cxloop's own category and tier tags: a configured tag must not be mistaken for one of them. */
const OWN_TAGS: ReadonlySet<string> = new Set([...CATEGORY_IDS.map(categoryTag), ...TIERS.map(tierTag)]);

/** A Zendesk tag as Zendesk stores it: lower case, no spaces. */
const zendeskTag = z
  .string()
  .regex(/^[a-z0-9_][a-z0-9_-]{0,79}$/, 'must be a Zendesk tag: lower-case letters, digits, _ or -, no spaces (at most 80)')
  .refine((tag) => !OWN_TAGS.has(tag), "is one of cxloop's category or tier tags; pick another");

/**
 * Settings of the on_routing actions (the lists are per category; these apply wherever an action
 * is listed). Every key has a default, so a policy file may leave the whole block out.
 */
const actions = z
  .object({
    attach_requester_context: z
      .object({
        /** The requester's latest tickets listed (subject and link) in the note and on the card. */
        recent_tickets: z.number().int().min(0).max(10).default(3),
      })
      .strict()
      .prefault({}),
    tag_for_pm_review: z.object({ tag: zendeskTag.default('cxloop_pm_review') }).strict().prefault({}),
    suggest_article: z
      .object({
        /** Help Center locale to search ("en-us", "de"); null: the ticket's language when clear, else the Help Center's default. */
        locale: z
          .string()
          .regex(/^[a-z]{2,3}(-[a-z0-9]{2,4})?$/, 'must be a Help Center locale such as en-us, de or pt-br')
          .nullable()
          .default(null),
        /** Best matches shown at most. */
        max_articles: z.number().int().min(1).max(5).default(3),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

/** A category id as a value ("billing_issue"), refused with the id a typo most likely meant. */
const categoryRef = z.string({ error: `must be a category id (${CATEGORY_IDS.join(', ')})` }).transform((text, context): CategoryId => {
  if (isCategoryId(text)) return text;
  context.addIssue({ code: 'custom', message: `"${text}" is not a category${didYouMean(text, CATEGORY_IDS) || ` (use one of ${CATEGORY_IDS.join(', ')})`}` });
  return z.NEVER;
});

/**
 * How `cxloop export-training` labels the account's solved tickets beyond the groups and
 * cxloop's own tags: the account's tags and the values of a custom ticket field, each naming a
 * category (README, "Training data from Zendesk").
 */
const trainingLabels = z
  .object({
    /** Account tag -> category. */
    tags: z.record(zendeskTag, categoryRef).default({}),
    /** Custom ticket field id -> its value (a drop-down's tag, "true" for a checkbox) -> category. */
    ticket_fields: z
      .record(z.string().regex(/^[1-9]\d{0,19}$/, 'must be a custom ticket field id (digits, as Admin Center > Objects and rules > Tickets > Fields shows it)'), z.record(z.string().min(1), categoryRef))
      .default({}),
  })
  .strict()
  .prefault({});

const term = z.string().min(1, 'must not be empty');

/**
 * A ticket channel, in the REST API's names (`email`, `web`, `api` ...). The spelling of event
 * webhooks (`mail`, `web_form`, `web_service` ...) is accepted and stored as the REST name, so a
 * rule matches a ticket however cxloop learnt of it; anything else is refused, naming the key.
 */
const channel = z.string().transform((text, context) => {
  const name = normaliseChannel(text);
  if (isKnownChannel(name)) return name;
  context.addIssue({ code: 'custom', message: `"${text}" is not a Zendesk channel; use one of ${ZENDESK_CHANNELS.join(', ')} (webhook spellings such as mail or web_service are accepted too)` });
  return z.NEVER;
});

const match = z
  .object({
    terms: z.array(term).default([]),
    weak_terms: z.array(term).default([]),
    regexes: z
      .array(
        z.string().refine((source) => {
          try {
            new RegExp(source, 'iu');
            return true;
          } catch {
            return false;
          }
        }, 'is not a valid regular expression'),
      )
      .default([]),
    tags: z.array(z.string().min(1)).default([]),
    channels: z.array(channel).default([]),
    forms: z.array(z.coerce.string()).default([]),
    organizations: z.array(z.coerce.string()).default([]),
    min_tier: z.enum(TIERS).nullable().default(null),
  })
  .strict();

const category = z
  .object({
    team: z.string().min(1),
    /** Zendesk group that owns the category; null leaves the group unchanged. */
    zendesk_group_id: z.number().int().positive().nullable().default(null),
    slack_channel: slackChannel,
    acknowledge: slaPair,
    on_routing: onRouting,
    /** `suggest_article` shows this Help Center article when the search finds no good match. */
    article_url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).nullable().default(null),
    match: match.default({ terms: [], weak_terms: [], regexes: [], tags: [], channels: [], forms: [], organizations: [], min_tier: null }),
  })
  .strict();

const tier = z
  .object({
    zendesk_priority: z.enum(['urgent', 'high', 'normal', 'low']),
    status_update: slaPair,
    resolve: duration,
  })
  .strict();

const KNOWN_LANGUAGES = ['en', 'de', 'es', 'fr', 'pt', 'it', 'nl', 'tr', 'ru', 'pl', 'cs'] as const;

const tierRule = z
  .object({
    tier: z.enum(TIERS),
    tags: z.array(z.string().min(1)).default([]),
    channels: z.array(channel).default([]),
    forms: z.array(z.coerce.string()).default([]),
    organizations: z.array(z.coerce.string()).default([]),
  })
  .strict()
  .refine((rule) => rule.tags.length + rule.channels.length + rule.forms.length + rule.organizations.length > 0, {
    message: 'needs at least one of tags, channels, forms, organizations',
  });

const classifier = z
  .object({
    threshold: z.number().min(0).max(1),
    languages: z.array(z.enum(KNOWN_LANGUAGES)).min(1).default([...KNOWN_LANGUAGES]),
    subject_weight: z.number().min(0).max(10).default(2),
    condition_weight: z.number().min(0).max(100).default(6),
    regex_weight: z.number().min(0).max(100).default(4),
    repeat_contact_threshold: z.number().int().min(0).default(3),
    tier_rules: z.array(tierRule).default([]),
  })
  .strict();

const categories = z
  .object(Object.fromEntries(CATEGORY_IDS.map((id) => [id, category])) as Record<(typeof CATEGORY_IDS)[number], typeof category>)
  .strict();

/**
 * Zendesk's current CSAT (survey responses) rates on a scale; these thresholds make a rating good
 * (the loop is verified) or bad (a detractor follow-up). Written for the account's scale; a
 * response on another scale is read by its position on it (core/csat-survey.ts).
 */
const csatSurvey = z
  .object({
    scale: z.number().int().min(2).max(10).default(5),
    bad_at_most: z.number().int().min(1).default(2),
    good_at_least: z.number().int().min(1).default(4),
  })
  .strict()
  .refine((survey) => survey.bad_at_most < survey.good_at_least, { message: 'bad_at_most must be below good_at_least', path: ['bad_at_most'] })
  .refine((survey) => survey.good_at_least <= survey.scale, { message: 'good_at_least must not be above scale', path: ['good_at_least'] });

/** A comment template: at most Zendesk-comment size, naming only placeholders cxloop fills. */
const customerTemplate = z
  .string()
  .min(1, 'must not be empty')
  .max(10_000)
  .superRefine((text, context) => {
    const unknown = unknownPlaceholders(text);
    if (unknown.length > 0) {
      context.addIssue({ code: 'custom', message: `names ${unknown.map((name) => `{${name}}`).join(', ')}; the placeholders are ${CUSTOMER_PLACEHOLDERS.map((name) => `{${name}}`).join(', ')}` });
    }
  });

/**
 * What the requester sees (README "Customers"): public comments in Zendesk, opt-in per tier and
 * category (both lists empty: none, as shipped), and the status page their links open.
 */
const customers = z
  .object({
    updates: z
      .object({
        tiers: z.array(z.enum(TIERS)).default([]),
        categories: z.array(z.enum(CATEGORY_IDS)).default([]),
        on: z.array(z.enum(CUSTOMER_UPDATE_KINDS)).default([...CUSTOMER_UPDATE_KINDS]),
        /** A ticket an agent tagged with this gets no public comment from cxloop. */
        quiet_tag: zendeskTag.default('cxloop_quiet'),
        /** Time zone of the times in a comment when the requester's Zendesk profile has none. */
        time_zone: z.string().refine(isCustomerTimeZone, 'is not an IANA time zone such as Europe/Berlin or America/New_York').default('UTC'),
        /** Language code -> kind -> template, replacing the built-in text; a kind missing here falls back to the built-in, then English. */
        templates: z
          .record(z.string().regex(/^[a-z]{2,3}$/, 'language codes are ISO 639-1, lower case: en, de, pt ...'), z.object(Object.fromEntries(CUSTOMER_UPDATE_KINDS.map((kind) => [kind, customerTemplate.optional()])) as Record<(typeof CUSTOMER_UPDATE_KINDS)[number], z.ZodOptional<typeof customerTemplate>>).strict())
          .default({}),
      })
      .strict()
      .prefault({}),
    status_page: z
      .object({
        /** Off: comments carry no link and /status/... answers 404. */
        enabled: z.boolean().default(true),
        /** A link stops working this long after its loop ends (verified or closed). */
        expires_after: duration.prefault('7d'),
        /** Page views per minute from one client address; more get 429. */
        requests_per_minute: z.number().int().min(1).max(10_000).default(30),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

export const policySchema = z
  .object({
    version: z.literal(1, { error: 'must be 1 (the only policy format so far)' }),
    classifier,
    categories,
    actions,
    training_labels: trainingLabels,
    tiers: z.object({ critical: tier, high: tier, normal: tier }).strict(),
    loop: z
      .object({
        verify_window: duration.prefault('72h'),
        follow_up_sla: duration.prefault('48h'),
        max_snooze: duration.prefault('24h'),
        csat_survey: csatSurvey.prefault({}),
      })
      .strict()
      .prefault({}),
    teams: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'team ids are lower_snake_case'), team),
    slack: z
      .object({
        status_channel: slackChannel.nullable().default(null),
        incident_channel: slackChannel.nullable().default(null),
        admins: z.array(z.string().regex(/^[UW][A-Z0-9]{6,}$/, 'must be a Slack user id like U0123ABCD')).default([]),
      })
      .strict(),
    customers,
  })
  .strict();
// Cross-references (a category's team must be defined under teams) are checked by load-policy.ts
// on the document itself, so they are reported along with every schema problem, not after them.

export type Policy = z.output<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;
export type TeamPolicy = Policy['teams'][string];
export type CategoryPolicy = Policy['categories'][(typeof CATEGORY_IDS)[number]];
export type ActionSettings = Policy['actions'];
export type CustomerSettings = Policy['customers'];
