import type { SectionBlock } from '@slack/types';
import type { Logger, ReassignmentLog, SlackOutbox, TicketBriefs } from '../../app/ports.js';
import { applyLoopEvents, type LoopDeps } from '../../app/run-loop.js';
import { formatLoopReport } from '../../app/format-loop-report.js';
import type { Policy } from '../../config/policy-schema.js';
import type { LoopHistoryEntry } from '../../core/loop/loop-history.js';
import { loopFigures, type FigureWindow, type LoopFigures } from '../../core/loop/loop-figures.js';
import type { LoopEvent } from '../../core/loop/loop-types.js';
import type { CategoryId } from '../../core/taxonomy.js';
import { transition } from '../../core/loop/transition.js';
import { assertNever } from '../../core/assert-never.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { SlackApiError, type SlackApi } from './slack-api.js';
import { slackRenderers as render } from './slack-blocks.js';
import { parsePostedRef, type SlackDelivery } from './slack-delivery.js';
import { describeAction, describeRefusal, type SlackPermissions } from './slack-permissions.js';
import type { SlackJob } from './slack-work.js';
import type { CardView, SlackMessage } from './slack-views.js';

/** Loop histories over a window, for /cxloop report, App Home and the weekly digest. */
export interface LoopHistories {
  openedBetween(since: number, until: number): Promise<number[]>;
  histories(ticketIds: readonly number[]): Promise<LoopHistoryEntry[][]>;
}

export interface SlackWorkDeps {
  readonly loop: LoopDeps;
  readonly slack: SlackApi;
  readonly delivery: SlackDelivery;
  readonly outbox: SlackOutbox;
  readonly permissions: SlackPermissions;
  readonly histories: LoopHistories;
  readonly policy: Policy;
  /** A sign-in link to the web dashboard for a Slack user (App Home's button). */
  readonly dashboardLink?: (user: string) => Promise<string>;
  /**
   * Where a reassignment is kept as a training row (the corrections stream), with the text the
   * ticket's card shows (its brief: the subject and the start of the description).
   */
  readonly reassignments?: { readonly log: ReassignmentLog; readonly briefs: Pick<TicketBriefs, 'get'> };
  readonly logger: Logger;
  readonly now: () => number;
}

const DAY = 86_400_000;
/** App Home lists at most this many open loops (the view has a 100-block limit). */
const HOME_MAX_LOOPS = 500;

/** Does the work of an acknowledged Slack request: loop events, replies, App Home, digests. */
export class SlackWorkHandler {
  constructor(private readonly deps: SlackWorkDeps) {}

  async handle(job: SlackJob): Promise<void> {
    switch (job.kind) {
      case 'acknowledge':
        return this.act(job, { type: 'acknowledge', user: job.user });
      case 'take':
        return this.act(job, { type: 'take', user: job.user });
      case 'snooze':
        return this.act(job, { type: 'snooze', user: job.user, durationMs: job.minutes * 60_000 });
      case 'reassign':
        return this.act(job, { type: 'reassign', user: job.user, category: job.category });
      case 'post_update':
        return this.act(job, { type: 'post_update', user: job.user, text: job.text, ...(job.etaHours ? { etaAt: this.deps.now() + job.etaHours * 3_600_000 } : {}) });
      case 'status':
        return this.status(job);
      case 'report':
        return this.report(job);
      case 'home':
        return this.home(job.user);
      case 'weekly_digest':
        return this.weeklyDigest();
      default:
        return assertNever(job, 'Slack job kind');
    }
  }

  /** A button, select, modal or command that changes a loop: permission, then the loop event. */
  private async act(job: Extract<SlackJob, { ticketId: number }>, event: LoopEvent): Promise<void> {
    const stored = await this.deps.loop.store.get(job.ticketId);
    if (!stored) return this.reply(job, noLoopText(job.ticketId));
    const access = await this.deps.permissions.check(job.user, stored.state.team);
    if (!access.allowed) {
      this.deps.logger.log('info', 'slack action refused: not allowed on the owning team', { ticketId: job.ticketId, user: job.user, action: job.kind, rule: access.rule });
      return this.reply(job, describeRefusal(access, describeAction(job.kind, job.ticketId)));
    }
    const [outcome] = await applyLoopEvents(job.ticketId, [event], `slack-${job.key}`, this.deps.loop);
    if (outcome === 'rejected') {
      const current = (await this.deps.loop.store.get(job.ticketId))?.state ?? stored.state;
      const result = transition(current, event, this.deps.now(), this.deps.loop.policy);
      return this.reply(job, `Ticket #${job.ticketId} was not changed: ${result.ok ? 'it changed meanwhile, try again' : escapeMrkdwn(result.reason)}.`);
    }
    if (outcome === 'applied' && event.type === 'reassign') await this.recordReassignment(job.ticketId, stored.state.category, event);
    // Applied (or a retried request already applied): the card is edited in place through the loop's effects.
    if (job.responseUrl === null && job.channel === null) return;
    if (job.kind === 'acknowledge' && job.key.startsWith('cmd-')) await this.reply(job, `Acknowledged ticket #${job.ticketId}.`);
    if (job.kind === 'snooze' && job.key.startsWith('cmd-')) await this.reply(job, `Reminders for ticket #${job.ticketId} snoozed for ${job.minutes} min.`);
  }

  /** A team owner's reassignment is an agent's correction too: the next `cxloop train` learns from it. */
  private async recordReassignment(ticketId: number, from: CategoryId, event: Extract<LoopEvent, { type: 'reassign' }>): Promise<void> {
    const { reassignments, logger } = this.deps;
    if (!reassignments) return;
    const brief = await reassignments.briefs.get(ticketId);
    if (brief === null) {
      logger.log('info', 'slack reassignment not kept for training: the ticket has no text in cxloop', { ticketId, to: event.category });
      return;
    }
    await reassignments.log.recordReassignment({ ticketId, from, to: event.category, user: event.user, at: this.deps.now(), text: { subject: brief.subject, description: brief.excerpt } });
  }

  private async status(job: Extract<SlackJob, { kind: 'status' }>): Promise<void> {
    const view = await this.deps.delivery.viewOf(job.ticketId);
    if (!view) return this.reply(job, `cxloop has no loop for ticket #${job.ticketId}.`);
    await this.respond(job, render.statusParent(view));
  }

  private async report(job: Extract<SlackJob, { kind: 'report' }>): Promise<void> {
    const now = this.deps.now();
    const window = { since: now - job.days * DAY, now };
    const figures = await this.figures(window.since, now);
    await this.respond(job, { text: `cxloop report, last ${job.days} days`, blocks: [reportBlock(figures, window)] });
  }

  /** Figures of the loops opened in the window, from their histories. */
  private async figures(since: number, now: number): Promise<LoopFigures> {
    return loopFigures(await this.historiesOpened(since, now), { since, now });
  }

  private async historiesOpened(since: number, now: number): Promise<LoopHistoryEntry[][]> {
    return this.deps.histories.histories(await this.deps.histories.openedBetween(since, now));
  }

  /** App Home: the viewer's teams' open loops (breached first) and this week's figures. */
  async home(user: string): Promise<void> {
    const now = this.deps.now();
    const teams = await this.deps.permissions.teamsOf(user);
    const ids = await this.deps.histories.openedBetween(now - 30 * DAY, now);
    const open: CardView[] = [];
    for (const id of ids.toReversed()) {
      if (open.length >= HOME_MAX_LOOPS) break;
      const view = await this.deps.delivery.viewOf(id);
      if (view && teams.includes(view.loop.team) && view.loop.stage !== 'verified' && view.loop.stage !== 'closed') open.push(view);
    }
    const breached = open.filter(({ loop }) => loop.escalation.step >= 2 || loop.resolveBreached).map(({ loop }) => loop.ticketId);
    const week = await this.figures(now - 7 * DAY, now);
    const dashboardUrl = this.deps.dashboardLink ? await this.deps.dashboardLink(user) : undefined;
    await this.deps.slack.publishHome(user, render.home({ userId: user, teams, open, breachedTicketIds: breached, week, now, ...(dashboardUrl ? { dashboardUrl } : {}) }));
  }

  /** Each team's week, posted in its channels as one message. */
  private async weeklyDigest(): Promise<void> {
    const { policy, outbox } = this.deps;
    const now = this.deps.now();
    const window = { since: now - 7 * DAY, now };
    const channels = new Map<string, string>();
    for (const category of Object.values(policy.categories)) channels.set(category.slack_channel, category.team);
    // Read once; each team's figures are over its own loops (the team of a loop's latest entry).
    const histories = await this.historiesOpened(window.since, now);
    for (const [channel, team] of channels) {
      const figures = loopFigures(
        histories.filter((history) => history.at(-1)?.team === team),
        window,
      );
      const opened = figures.loops.opened;
      const title = `Weekly cxloop digest for team ${team}: ${opened} ${opened === 1 ? 'ticket' : 'tickets'} opened`;
      const blocks = [
        { type: 'header' as const, text: { type: 'plain_text' as const, text: title.slice(0, 150) } },
        reportBlock(figures, window),
      ];
      // Outbox pacing runs on real time, whatever clock the loop runs on.
      await outbox.push(channel, JSON.stringify({ k: 'raw', text: title, blocks, line: title }), Date.now());
    }
  }

  private async reply(job: Reachable, text: string): Promise<void> {
    await this.respond(job, { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
  }

  /**
   * Answers only the person who asked: through the request's response_url, else (a modal
   * submission has none) as an ephemeral message in the channel of the ticket's card, where its
   * Post update button was pressed; when Slack will not show it there (someone refused for not
   * being in that channel: user_not_in_channel), as a direct message from the app.
   */
  private async respond(job: Reachable, message: SlackMessage): Promise<void> {
    const { slack } = this.deps;
    if (job.responseUrl !== null) return slack.respond(job.responseUrl, message);
    const card = job.ticketId === undefined ? null : parsePostedRef((await this.deps.outbox.messages(job.ticketId)).card);
    try {
      if (card) return await slack.postEphemeral(card.channel, job.user, message);
    } catch (error) {
      if (!(error instanceof SlackApiError && error.code === 'REJECTED')) throw error;
    }
    await slack.post({ channel: job.user, ...message });
  }
}

export function noLoopText(ticketId: number): string {
  return `cxloop has no open loop for ticket #${ticketId} (not routed by cxloop, or finished more than 30 days ago).`;
}

/** Whom a reply goes to. */
type Reachable = { readonly responseUrl: string | null; readonly user: string; readonly ticketId?: number };

/** `cxloop report`'s text as a code block, cut to fit one section (3,000 characters). */
function reportBlock(figures: LoopFigures, window: FigureWindow): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${formatLoopReport(figures, window).slice(0, 2_900)}\`\`\`` } };
}
