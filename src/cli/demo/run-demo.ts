import { randomBytes } from 'node:crypto';
import { createRedis } from '../../adapters/redis/redis-connection.js';
import { DryRunRecorder } from '../../adapters/log/dry-run-recorder.js';
import { deleteInstallKeys } from '../../adapters/redis/redis-keys.js';
import { signSlackRequest } from '../../adapters/slack/slack-events-route.js';
import { ACTIONS } from '../../adapters/slack/slack-views.js';
import { ticketEvent, type TicketDetail } from '../../adapters/zendesk/sample-webhooks.js';
import { signZendeskPayload } from '../../adapters/zendesk/verify-signature.js';
import { SLACK_DRY_RUN_SECRET } from '../../adapters/slack/start-slack.js';
import { ZENDESK_TEST_SECRET } from '../../adapters/zendesk/webhook-route.js';
import { formatLoopReport } from '../../app/format-loop-report.js';
import type { CallRecorder, DryRunPeople, Logger, RecordedCall } from '../../app/ports.js';
import type { Env } from '../../config/env-schema.js';
import type { Policy } from '../../config/policy-schema.js';
import { loopFigures, type LoopFigures } from '../../core/loop/loop-figures.js';
import type { Stage } from '../../core/loop/loop-types.js';
import type { CategoryId } from '../../core/taxonomy.js';
import { settle, startCxloop, type Cxloop } from '../../main.js';
import { DEMO_ACTIONS, DEMO_END_MINUTES, DEMO_PEOPLE, DEMO_STEP_MINUTES, DEMO_TICKETS, type DemoAction, type DemoTicket } from './demo-script.js';

export interface DemoOptions {
  readonly env: Env;
  readonly policy: Policy;
  /** Where the story, the recorded calls and the report go. */
  readonly out: (text: string) => void;
  /** Real milliseconds per simulated step in which something happened (quiet steps take a fifth). */
  readonly stepDelayMs: number;
  /** JSON-lines file of every recorded call; null for none. */
  readonly recordFile: string | null;
  readonly logger: Logger;
  /** Simulated start (default: now, to the minute). */
  readonly start?: number;
  /** Keep the demo's Redis keys (its prefix is printed) to run `cxloop report` on them. */
  readonly keep?: boolean;
  /**
   * After the report, keep serving (status pages, and with `keep` the web dashboard, for which a
   * few more tickets are left open and a sign-in link is printed) until this resolves (Ctrl-C).
   */
  readonly serveUntil?: Promise<void>;
}

export interface DemoResult {
  readonly prefix: string;
  readonly tickets: readonly { id: number; expected: CategoryId; category: CategoryId | null; stage: Stage | null }[];
  readonly calls: Readonly<Record<string, number>>;
  readonly figures: LoopFigures;
  readonly wallMs: number;
  /** The status-page links the requesters' public comments carried, by ticket, and what each answered at the end. */
  readonly statusLinks: readonly { readonly ticketId: number; readonly url: string; readonly status: number; readonly stage: string | null }[];
}

const MINUTE = 60_000;

/** The tickets `--keep` leaves open for the dashboard (not narrated). */
const DASHBOARD_EXTRA_TICKETS: readonly { id: number; subject: string; description: string; priority: string }[] = [
  { id: 1101, subject: 'Checkout page times out', description: 'The checkout page is extremely slow and times out for all our users since this morning.', priority: 'high' },
  { id: 1102, subject: 'Rechnung doppelt abgebucht', description: 'Sie haben meine Rechnung diesen Monat doppelt abgebucht. Bitte erstatten Sie den Betrag.', priority: 'normal' },
  { id: 1103, subject: 'App crashes when I upload a photo', description: 'Every time I upload a photo the app crashes with an error. This is a bug.', priority: 'normal' },
  { id: 1104, subject: '¿Cómo invito a mi equipo?', description: 'No encuentro cómo invitar a mi equipo a la cuenta, ¿me pueden ayudar con la configuración?', priority: 'low' },
  { id: 1105, subject: 'Please add dark mode', description: 'It would be great if you could add a dark mode to the dashboard. Feature request.', priority: 'low' },
  { id: 1106, subject: 'Refund for the annual plan', description: 'I was charged for the annual plan by mistake, please refund the invoice.', priority: 'high' },
  { id: 1107, subject: 'Export to CSV fails with an error', description: 'Exporting the report to CSV fails with error 500, it is broken since the update.', priority: 'urgent' },
  { id: 1108, subject: 'Très déçu du support', description: "Je suis très déçu, personne ne répond à mes messages depuis une semaine. C'est inacceptable.", priority: 'normal' },
];
const DEMO_CUSTOMER_TIERS: Policy['customers']['updates']['tiers'] = ['critical', 'high'];
const DEMO_CUSTOMER_CATEGORIES: Policy['customers']['updates']['categories'] = ['performance_issue', 'bug_report'];
/** Zendesk's id for the requester of every demo ticket (the sample webhooks' default). */
const REQUESTER_ID = 501;

/**
 * Runs the demo: a dry-run cxloop on a private Redis prefix and a simulated clock, fed the
 * script's tickets and people's actions through its real endpoints (webhooks signed as Zendesk
 * signs them, Slack clicks signed as Slack signs them), printing what it would send as it goes and
 * the loop report at the end.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const start = options.start ?? Math.floor(Date.now() / MINUTE) * MINUTE;
  const prefix = `cxloop-demo-${randomBytes(4).toString('hex')}`;
  let now = start;
  const stamp = (at: number): string => `${clockLabel(at)}  `;
  const counter = new CallCounter(new DryRunRecorder({ file: options.recordFile, fileMode: 'replace', terminal: options.out, logger: options.logger, now: () => now, stamp }));
  const policy = demoPolicy(options.policy);
  // The driver needs the app, the app's dry-run Zendesk needs the driver's tickets: set once both exist.
  const drivers: { current?: DemoDriver } = {};
  const app = await startCxloop({
    env: demoEnv(options.env, prefix),
    policy,
    logger: options.logger,
    host: '127.0.0.1',
    now: () => now,
    recorder: counter,
    slack: { sender: { intervalMs: 5 } },
    dryRunPeople: demoPeople((ticketId) => drivers.current?.requesterView(ticketId) ?? null),
  });
  const driver = new DemoDriver(app, policy, () => now);
  drivers.current = driver;
  const settleApp = (at: number): Promise<void> => {
    now = at;
    return settle(app);
  };
  counter.onZendeskWrite = (request) => driver.applyWrite(request);
  try {
    options.out(intro(options.recordFile));
    for (const minute of timeline()) {
      now = start + minute * MINUTE;
      const due = DEMO_ACTIONS.filter((action) => action.at === minute);
      const before = counter.total;
      // What cxloop's own clock brings first (a reminder due now fires before the click it prompts).
      await settle(app);
      for (const action of due) {
        options.out(`\n${stamp(now)}── ${narrate(action)}\n`);
        await driver.perform(action, now);
        await settle(app);
      }
      const busy = due.length > 0 || counter.total > before;
      await new Promise((resolve) => setTimeout(resolve, busy ? options.stepDelayMs : options.stepDelayMs / 5));
    }
    const ids = await app.loops.openedBetween(start, now);
    const figures = loopFigures(await app.loops.histories(ids), { since: start, now });
    const tickets = await Promise.all(
      DEMO_TICKETS.map(async (ticket) => {
        const state = (await app.loops.get(ticket.id))?.state;
        return { id: ticket.id, expected: ticket.expected, category: state?.category ?? null, stage: state?.stage ?? null };
      }),
    );
    const statusLinks = await checkStatusLinks(counter.statusLinks);
    options.out(outro(tickets, counter.counts, figures, { since: start, now }, prefix, options.keep === true));
    options.out(statusOutro(statusLinks, counter.publicComments, options.serveUntil !== undefined));
    if (options.keep === true && options.serveUntil) {
      counter.quiet = true;
      now = await driver.leaveOpenTickets(now, settleApp);
      // An admin of the demo policy (the engineering lead), signed in for an hour of looking around.
      const link = await app.dashboardLink(DEMO_PEOPLE.maya.slackId, 3_600_000);
      options.out(
        [
          '',
          `══ The web dashboard of this demo (${DASHBOARD_EXTRA_TICKETS.length} more tickets left open for it, a few of them breached)`,
          '',
          `  ${link}`,
          '',
          `  The link signs you in once, as ${DEMO_PEOPLE.maya.name} (an admin here), within the hour. cxloop keeps serving it until Ctrl-C;`,
          `  later, CXLOOP_REDIS_PREFIX=${prefix} npm start serves the same data again (sign in with /cxloop dashboard).`,
          '',
        ].join('\n'),
      );
    }
    if (options.serveUntil) await options.serveUntil;
    return { prefix, tickets, calls: counter.counts, figures, wallMs: Date.now() - started, statusLinks };
  } finally {
    await app.stop();
    await counter.close();
    if (options.keep !== true) await dropKeys(options.env, prefix);
  }
}

/** Minutes the clock stops at: every step, and every scripted action's own minute. */
function timeline(): number[] {
  const minutes = new Set(DEMO_ACTIONS.map((action) => action.at));
  for (let minute = 0; minute <= DEMO_END_MINUTES; minute += DEMO_STEP_MINUTES) minutes.add(minute);
  return [...minutes].sort((a, b) => a - b);
}

interface WrittenTicket {
  id?: number;
  group_id?: number | null;
  priority?: string | null;
  tags?: string[];
}

/** Feeds one scripted action to cxloop's endpoints, keeping each ticket's Zendesk fields current. */
class DemoDriver {
  private readonly tickets = new Map<number, TicketDetail>();
  private sequence = 0;

  constructor(
    private readonly app: Cxloop,
    private readonly policy: Policy,
    private readonly clock: () => number,
  ) {}

  async perform(action: DemoAction, at: number): Promise<void> {
    if (action.kind === 'slack') return this.click(action.ticket, DEMO_PEOPLE[action.by].slackId, action.button, at);
    if (action.kind === 'csat') return this.webhook(JSON.stringify({ cxloop_trigger: 'satisfaction', ticket_id: String(action.ticket), updated_at: new Date(at).toISOString(), score: action.rating, comment: action.comment }), at);
    if (action.kind === 'created') {
      const ticket = DEMO_TICKETS.find((candidate) => candidate.id === action.ticket) as DemoTicket;
      const detail: TicketDetail = { id: ticket.id, subject: ticket.subject, description: ticket.description, status: 'new', priority: ticket.priority, created_at: iso(at), updated_at: iso(at), actor_id: REQUESTER_ID, tags: ['web_widget'] };
      this.tickets.set(ticket.id, detail);
      return this.webhook(ticketEvent('created', detail), at);
    }
    const agent = DEMO_PEOPLE[action.by].zendeskId;
    const detail = this.update(action.ticket, { updated_at: iso(at), actor_id: agent, assignee_id: agent, status: action.kind === 'solved' ? 'solved' : 'open' });
    if (action.kind === 'assigned') return this.webhook(ticketEvent('agent_assignment_changed', detail), at);
    if (action.kind === 'solved') return this.webhook(ticketEvent('status_changed', detail), at);
    this.sequence += 1;
    const comment = { id: String(this.sequence), body: action.body, is_public: true, author: { id: String(agent), is_staff: true } };
    return this.webhook(ticketEvent('comment_added', detail, { event: { comment } }), at);
  }

  /**
   * What a routing write changes on the ticket (group, priority, tags), as Zendesk would apply it,
   * so later webhooks carry it: otherwise cxloop would read its own group as an agent's override.
   */
  applyWrite(request: unknown): void {
    const body = (request as { path?: string; body?: { ticket?: WrittenTicket; tickets?: WrittenTicket[] } }).body;
    const id = Number(/\/tickets\/(\d+)\.json$/.exec((request as { path?: string }).path ?? '')?.[1]);
    const writes = body?.tickets ?? (body?.ticket ? [{ ...body.ticket, id }] : []);
    for (const write of writes) {
      if (write.id === undefined || !this.tickets.has(write.id)) continue;
      this.update(write.id, {
        ...(write.group_id !== undefined ? { group_id: write.group_id } : {}),
        ...(write.priority !== undefined ? { priority: write.priority } : {}),
        ...(write.tags !== undefined ? { tags: write.tags } : {}),
      });
    }
  }

  /** What Zendesk would answer for the ticket and its requester: the tags as they are now, the script's locale and time zone. */
  requesterView(ticketId: number): { tags: readonly string[]; locale: string; timeZone: string } | null {
    const detail = this.tickets.get(ticketId);
    const ticket = DEMO_TICKETS.find((candidate) => candidate.id === ticketId);
    return detail && ticket ? { tags: detail.tags ?? [], locale: ticket.requester.locale, timeZone: ticket.requester.timeZone } : null;
  }

  private update(ticketId: number, changes: Partial<TicketDetail>): TicketDetail {
    const detail = { ...(this.tickets.get(ticketId) as TicketDetail), ...changes };
    this.tickets.set(ticketId, detail);
    return detail;
  }

  /**
   * Tickets left open for the dashboard after the story: created a quarter of an hour apart, about
   * half of them acknowledged in Slack, then three quiet hours so the rest breach and escalate.
   * Returns the clock at the end.
   */
  async leaveOpenTickets(at: number, settleAt: (at: number) => Promise<void>): Promise<number> {
    let clock = at;
    for (const [index, ticket] of DASHBOARD_EXTRA_TICKETS.entries()) {
      const detail: TicketDetail = { id: ticket.id, subject: ticket.subject, description: ticket.description, status: 'new', priority: ticket.priority, created_at: iso(clock), updated_at: iso(clock), actor_id: REQUESTER_ID, tags: ['web_widget'] };
      this.tickets.set(ticket.id, detail);
      await settleAt(clock); // cxloop's clock first: the webhook is signed at this time
      await this.webhook(ticketEvent('created', detail), clock);
      await settleAt(clock);
      if (index % 2 === 1) {
        const team = this.policy.categories[(await this.app.loops.get(ticket.id))?.state.category ?? 'other'].team;
        const person = Object.values(DEMO_PEOPLE).find((candidate) => candidate.team === team);
        if (person) await this.click(ticket.id, person.slackId, 'acknowledge', clock);
        await settleAt(clock);
      }
      clock += 15 * MINUTE;
    }
    for (let step = 0; step < 12; step += 1) {
      clock += 15 * MINUTE;
      await settleAt(clock);
    }
    return clock;
  }

  private async webhook(body: string, at: number): Promise<void> {
    const timestamp = new Date(at).toISOString();
    const signature = signZendeskPayload(body, timestamp, ZENDESK_TEST_SECRET);
    await this.post('/webhooks/zendesk', body, { 'content-type': 'application/json', 'x-zendesk-webhook-signature-timestamp': timestamp, 'x-zendesk-webhook-signature': signature });
  }

  /** A click on the ticket's card in its team channel, as Slack posts it. */
  private async click(ticketId: number, user: string, button: 'acknowledge' | 'take', at: number): Promise<void> {
    const loop = (await this.app.loops.get(ticketId))?.state;
    if (!loop) throw new Error(`demo: ticket ${ticketId} has no loop to click on`);
    const channel = this.policy.categories[loop.category].slack_channel;
    const seconds = Math.floor(at / 1000);
    const payload = {
      type: 'block_actions',
      user: { id: user, username: user.toLowerCase(), team_id: 'T0DEMO' },
      team: { id: 'T0DEMO', domain: 'demo' },
      api_app_id: 'A0DEMO',
      trigger_id: `${seconds}.demo.${ticketId}`,
      container: { type: 'message', message_ts: `${seconds}.000001`, channel_id: channel, is_ephemeral: false },
      channel: { id: channel, name: channel.replace(/^#/, '') },
      response_url: 'https://hooks.slack.com/actions/T0DEMO/demo',
      actions: [{ type: 'button', action_id: ACTIONS[button], block_id: `cx_t_${ticketId}`, value: String(ticketId), action_ts: `${seconds}.${String(ticketId).padStart(6, '0')}` }],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    await this.post('/slack/events', body, { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(body, Math.floor(this.clock() / 1000), SLACK_DRY_RUN_SECRET) });
  }

  private async post(path: string, body: string, headers: Record<string, string>): Promise<void> {
    const response = await fetch(`${this.app.http.url}${path}`, { method: 'POST', headers, body });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`demo: ${path} answered ${response.status}: ${text}`);
  }
}

/** Counts the recorded calls by kind, for the closing summary, and passes them on. */
class CallCounter implements CallRecorder {
  readonly counts: Record<string, number> = {};
  /** The latest status link each ticket's public comments carried. */
  readonly statusLinks = new Map<number, string>();
  /** Public comments to requesters, per ticket. */
  readonly publicComments = new Map<number, number>();
  total = 0;
  /** Told of every Zendesk write, so the demo's tickets carry what cxloop wrote (as Zendesk's would). */
  onZendeskWrite: (request: unknown) => void = () => undefined;
  /** Set once the story is told: the calls for the dashboard's extra tickets are not printed. */
  quiet = false;

  constructor(private readonly inner: DryRunRecorder) {}

  record(call: RecordedCall): void {
    const verb = call.call.split(' ')[0] ?? '';
    const kind = `${call.system} ${verb === 'PUT' ? 'write' : verb}`;
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    this.total += 1;
    if (call.system === 'zendesk' && verb === 'PUT') this.onZendeskWrite(call.request);
    if (this.quiet) return;
    const comment = (call.request as { path?: string; body?: { ticket?: { comment?: { body?: string; public?: boolean } } } }).body?.ticket?.comment;
    if (call.system === 'zendesk' && comment?.public === true) {
      const ticketId = Number(/\/tickets\/(\d+)\.json$/.exec((call.request as { path?: string }).path ?? '')?.[1]);
      this.publicComments.set(ticketId, (this.publicComments.get(ticketId) ?? 0) + 1);
      const link = /https?:\/\/\S+\/status\/[A-Za-z0-9_-]{43}/.exec(comment.body ?? '')?.[0];
      if (link) this.statusLinks.set(ticketId, link);
    }
    this.inner.record(call);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * The shipped (or configured) policy with the demo's people in it: members and leads per team, a
 * user group for engineering, and a Zendesk group id per category where none is set yet.
 */
export function demoPolicy(policy: Policy): Policy {
  const people = Object.values(DEMO_PEOPLE);
  const teams = Object.fromEntries(
    Object.entries(policy.teams).map(([name, team]) => {
      const members = people.filter((person) => person.team === name);
      const lead = members.find((person) => 'lead' in person && person.lead);
      const escalation = { ...team.escalation, ...(lead ? { lead_user_id: lead.slackId } : {}), ...(name === 'engineering' ? { usergroup_id: 'S0DEMOENG' } : {}) };
      return [name, { ...team, members: [...team.members, ...members.map((person) => person.slackId)], escalation }];
    }),
  );
  const categories = Object.fromEntries(
    Object.entries(policy.categories).map(([id, category], index) => [id, { ...category, zendesk_group_id: category.zendesk_group_id ?? 360_000_000_101 + index }]),
  ) as Policy['categories'];
  // The demo opts its critical and high tickets about outages and bugs in to public comments (the shipped policy has none).
  const updates = policy.customers.updates.tiers.length > 0 ? policy.customers.updates : { ...policy.customers.updates, tiers: DEMO_CUSTOMER_TIERS, categories: DEMO_CUSTOMER_CATEGORIES };
  // The engineering lead is the demo's admin: the dashboard link `--keep` prints signs her in, seeing every team.
  return { ...policy, teams, categories, customers: { ...policy.customers, updates }, slack: { ...policy.slack, admins: [...new Set([...policy.slack.admins, DEMO_PEOPLE.maya.slackId])] } };
}

/**
 * Who the demo's people are, as Slack's users.info and Zendesk's Show User answer for a real team
 * (a dry run reads neither): cxloop looks them up and names them as it would name yours. The
 * requesters' locales and time zones are answered the same way, for their public comments.
 */
function demoPeople(requesterView: NonNullable<DryRunPeople['requesterView']>): DryRunPeople {
  const people = Object.values(DEMO_PEOPLE);
  return {
    slack: Object.fromEntries(people.map((person) => [person.slackId, person.name])),
    zendesk: Object.fromEntries(people.map((person) => [person.zendeskId, person.name])),
    requesterView,
  };
}

/** Opens each status link as the requester's browser would, while cxloop still runs. */
async function checkStatusLinks(links: ReadonlyMap<number, string>): Promise<DemoResult['statusLinks']> {
  return Promise.all(
    [...links.entries()].map(async ([ticketId, url]) => {
      const response = await fetch(url);
      const html = await response.text();
      const stage = /<p class="stage[^"]*"[^>]*>([^<]*)<\/p>/.exec(html)?.[1] ?? null;
      return { ticketId, url, status: response.status, stage };
    }),
  );
}

function statusOutro(links: DemoResult['statusLinks'], comments: ReadonlyMap<number, number>, serving: boolean): string {
  const lines = ['══ What the requesters saw: public comments in their language, and a status page each', ''];
  for (const [ticketId, count] of [...comments.entries()].sort(([a], [b]) => a - b)) {
    const ticket = DEMO_TICKETS.find((candidate) => candidate.id === ticketId);
    lines.push(`  #${ticketId}  ${count} public comment${count === 1 ? '' : 's'} in ${ticket?.requester.locale ?? '?'} (${ticket?.requester.timeZone ?? '?'})`);
  }
  for (const link of links) lines.push('', `  status page of #${link.ticketId}: ${link.url}`, `    answered ${link.status}${link.stage ? `: "${link.stage}"` : ''}`);
  lines.push(
    '',
    serving
      ? '  cxloop keeps serving these links until Ctrl-C.'
      : '  These links work while cxloop runs: `npm run demo -- --serve` keeps it running after the report (Ctrl-C stops it).',
    '',
  );
  return lines.join('\n');
}

/** A dry run whatever .env says, on its own prefix and a free port, verifying the published test secrets. */
function demoEnv(env: Env, prefix: string): Env {
  // No public URL: the requesters' status links point at the demo's own server.
  return { ...env, ZENDESK_WEBHOOK_SECRET: undefined, SLACK_SIGNING_SECRET: undefined, PORT: 0, CXLOOP_REDIS_PREFIX: prefix, CXLOOP_DRY_RUN: true, CXLOOP_PUBLIC_URL: undefined };
}

async function dropKeys(env: Env, prefix: string): Promise<void> {
  const redis = createRedis(env, { maxRetriesPerRequest: 1 });
  try {
    await deleteInstallKeys(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

function narrate(action: DemoAction): string {
  const ticket = DEMO_TICKETS.find((candidate) => candidate.id === action.ticket) as DemoTicket;
  switch (action.kind) {
    case 'created':
      return `Zendesk: a customer opens #${ticket.id} "${ticket.subject}" (${ticket.language}, priority ${ticket.priority})`;
    case 'slack':
      return `Slack: ${who(action.by)} clicks "${action.button === 'take' ? 'Take it' : 'Acknowledge'}" on #${ticket.id}'s card`;
    case 'assigned':
      return `Zendesk: ${who(action.by)} assigns #${ticket.id} to themself`;
    case 'reply':
      return `Zendesk: ${who(action.by)} replies publicly on #${ticket.id}`;
    case 'solved':
      return `Zendesk: ${who(action.by)} sets #${ticket.id} to solved`;
    case 'csat':
      return `Zendesk: the customer rates #${ticket.id} ${action.rating}: "${action.comment}"`;
  }
}

function who(person: keyof typeof DEMO_PEOPLE): string {
  const { name, team } = DEMO_PEOPLE[person];
  return `${name} (${team})`;
}

function iso(at: number): string {
  return new Date(at).toISOString();
}

const WEEKDAY = new Intl.DateTimeFormat('en-GB', { weekday: 'short', timeZone: 'UTC' });
const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' });

/** "Mon 23 Nov 09:15" in UTC (the demo policy's teams work in UTC). */
function clockLabel(at: number): string {
  const iso = new Date(at).toISOString();
  return `${WEEKDAY.format(at)} ${iso.slice(8, 10)} ${MONTH.format(at)} ${iso.slice(11, 16)}`;
}

function intro(recordFile: string | null): string {
  const languages = [...new Set(DEMO_TICKETS.map((ticket) => ticket.language))].join(', ');
  return [
    `cxloop demo: ${DEMO_TICKETS.length} tickets (${languages}) through the real webhook endpoint, ${Math.round(DEMO_END_MINUTES / 60)} simulated hours, ${DEMO_STEP_MINUTES} minutes per step.`,
    `Dry run: nothing leaves this machine. Each Zendesk write and Slack message is printed as cxloop would send it${recordFile ? `, and recorded in ${recordFile} (JSON lines)` : ''}.`,
    'Lines starting with "──" are what people do; everything else is cxloop: routing, reminders, escalations, status updates, follow-ups, verification.',
    '',
  ].join('\n');
}

function outro(tickets: DemoResult['tickets'], calls: Readonly<Record<string, number>>, figures: LoopFigures, window: { since: number; now: number }, prefix: string, kept: boolean): string {
  const lines = ['', '══ Where each ticket ended', ''];
  for (const ticket of tickets) {
    const check = ticket.category === ticket.expected ? '' : `  (the script expected ${ticket.expected})`;
    lines.push(`  #${ticket.id}  ${(ticket.category ?? 'not routed').padEnd(22)} ${ticket.stage ?? '-'}${check}`);
  }
  lines.push('', `  calls recorded: ${Object.entries(calls).map(([kind, count]) => `${count} ${kind}`).join(', ')}`, '', '══ cxloop report over the demo (the same as `cxloop report`)', '');
  lines.push(formatLoopReport(figures, window));
  lines.push(kept ? `Kept the demo's Redis keys: CXLOOP_REDIS_PREFIX=${prefix} npx cxloop report --since 7d --until ${new Date(window.now).toISOString()}` : 'Next: README "Going live" connects a real Zendesk and Slack; `npx cxloop doctor` checks the setup.', '');
  return lines.join('\n');
}
