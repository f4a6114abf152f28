import type { App, BlockAction, BlockElementAction, SlackActionMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { Logger } from '../../app/ports.js';
import { isCategoryId } from '../../core/taxonomy.js';
import { COMMAND_USAGE, parseCommand } from './parse-command.js';
import type { SlackApi } from './slack-api.js';
import { slackRenderers as render, ticketIdFromBlockId } from './slack-blocks.js';
import type { SlackDelivery } from './slack-delivery.js';
import { describeAction, describeRefusal, type SlackPermissions, type TeamAccess } from './slack-permissions.js';
import { ACTIONS, UPDATE_MODAL } from './slack-views.js';
import type { SlackJob } from './slack-work.js';
import { noLoopText } from './slack-work-handler.js';

export interface SlackListenerDeps {
  readonly queue: { add(job: SlackJob): Promise<void> };
  readonly delivery: SlackDelivery;
  readonly slack: SlackApi;
  readonly permissions: SlackPermissions;
  /** A sign-in link to the web dashboard for a Slack user. */
  readonly dashboardLink?: (user: string) => Promise<string>;
  readonly logger: Logger;
}

/** What the user sees when their click could not be queued (Redis unreachable): nothing is silently lost. */
const NOT_QUEUED = 'cxloop could not take this right now (its queue is unreachable). Nothing was changed; please try again in a minute.';
/**
 * How long a Post update press and a modal submission wait for the permission check before going
 * on without it (a trigger_id expires 3 s after the click; Slack waits 3 s for a submission's
 * answer). Late, the modal opens anyway and the submission is queued: its job checks again and
 * answers a refusal ephemerally.
 */
const PRESS_CHECK_MS = 1_500;
const SUBMIT_CHECK_MS = 2_000;

/**
 * Every listener queues the work (one Redis write) and acknowledges (Slack waits 3 s at most);
 * only opening the update modal happens here, because a trigger_id expires 3 s after the click,
 * and so does the permission check of Post update (press and submission), so a refused person is
 * told before typing, or in the open modal. The queued job checks again (SlackPermissions) either way.
 * The job key is the interaction's own identity, so a request Slack sends again is done once.
 * If the work cannot be queued the user is told so, rather than the click vanishing.
 */
export function registerSlackListeners(app: App, deps: SlackListenerDeps): void {
  const { logger } = deps;
  const queue = {
    add: async (job: SlackJob): Promise<void> => {
      try {
        await deps.queue.add(job);
      } catch (error) {
        logger.log('error', 'slack work not queued', { kind: job.kind, error: (error as Error).message });
        if ('responseUrl' in job && job.responseUrl) await deps.slack.respond(job.responseUrl, { text: NOT_QUEUED, blocks: [] }).catch(() => undefined);
      }
    },
  };

  app.action<BlockAction<BlockElementAction>>(
    { type: 'block_actions', action_id: new RegExp(`^(${ACTIONS.acknowledge}|${ACTIONS.take}|${ACTIONS.snooze}|${ACTIONS.reassign})$`) },
    async ({ ack, body, action }) => {
      await queueAction(body, action);
      await ack();
    },
  );

  async function queueAction(body: BlockAction<BlockElementAction>, action: BlockElementAction): Promise<void> {
    const ticketId = ticketOf(action);
    if (ticketId === null) return void logger.log('warn', 'slack action without a ticket id', { actionId: action.action_id });
    const source = { user: body.user.id, responseUrl: body.response_url ?? null, channel: body.channel?.id ?? null, key: `${body.container?.message_ts ?? 'x'}-${action.action_ts}-${body.user.id}` };
    const value = action.type === 'static_select' ? action.selected_option.value : 'value' in action ? String(action.value ?? '') : '';
    if (action.action_id === ACTIONS.acknowledge) return queue.add({ v: 1, kind: 'acknowledge', ticketId, ...source });
    if (action.action_id === ACTIONS.take) return queue.add({ v: 1, kind: 'take', ticketId, ...source });
    if (action.action_id === ACTIONS.snooze) {
      const minutes = Number(value);
      if (Number.isInteger(minutes) && minutes > 0) return queue.add({ v: 1, kind: 'snooze', ticketId, minutes, ...source });
    }
    if (action.action_id === ACTIONS.reassign && isCategoryId(value)) return queue.add({ v: 1, kind: 'reassign', ticketId, category: value, ...source });
    logger.log('warn', 'slack action with an unexpected value', { actionId: action.action_id });
  }

  app.action<BlockAction<BlockElementAction>>({ type: 'block_actions', action_id: ACTIONS.postUpdate }, async ({ ack, body, action }) => {
    await ack();
    const ticketId = ticketOf(action);
    if (ticketId === null) return void logger.log('warn', 'slack action without a ticket id', { actionId: action.action_id });
    const view = await deps.delivery.viewOf(ticketId);
    const refusal = !view ? noLoopText(ticketId) : refusalOf(await checkWithin(body.user.id, view.loop.team, PRESS_CHECK_MS), ticketId);
    if (refusal !== null) {
      if (body.response_url) await deps.slack.respond(body.response_url, { text: refusal, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: refusal } }] });
      return;
    }
    await deps.slack.openView(body.trigger_id, render.updateModal(view!));
  });

  /** The permission check, or null when it takes longer than `ms` or fails (its job decides then). */
  async function checkWithin(user: string, team: string, ms: number): Promise<TeamAccess | null> {
    const check = deps.permissions.check(user, team).catch((error: unknown) => {
      logger.log('warn', 'slack permission check failed', { team, error: (error as Error).message });
      return null;
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
    try {
      return await Promise.race([check, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  // The Zendesk and dashboard link buttons: Slack opens the URL and still sends the click.
  app.action({ type: 'block_actions', action_id: ACTIONS.openTicket }, async ({ ack }: SlackActionMiddlewareArgs) => ack());
  app.action({ type: 'block_actions', action_id: ACTIONS.openDashboard }, async ({ ack }: SlackActionMiddlewareArgs) => ack());

  /** The ephemeral answer to `/cxloop dashboard`: a link signed for the caller alone. */
  async function dashboardReply(user: string): Promise<string> {
    if (!deps.dashboardLink) return 'The web dashboard is not served by this cxloop process.';
    try {
      return `<${await deps.dashboardLink(user)}|Open the cxloop dashboard> (this link is for you only: it signs you in once, within 10 minutes).`;
    } catch (error) {
      logger.log('error', 'dashboard link not made', { error: (error as Error).message });
      return NOT_QUEUED;
    }
  }

  app.view<ViewSubmitAction>(UPDATE_MODAL.callbackId, async ({ ack, body, view }) => {
    const text = view.state.values[UPDATE_MODAL.textBlock]?.[UPDATE_MODAL.textAction]?.value?.trim() ?? '';
    if (text.length === 0) return ack({ response_action: 'errors', errors: { [UPDATE_MODAL.textBlock]: 'Write the update the customer and the status channel will see.' } });
    const ticketId = Number(view.private_metadata);
    if (!Number.isInteger(ticketId) || ticketId <= 0) return ack();
    // The modal stays open with the text and says why, rather than closing on an update that is refused.
    const card = await deps.delivery.viewOf(ticketId).catch(() => undefined); // unreadable: the queue below tells
    const refusal = card === null ? noLoopText(ticketId) : card ? refusalOf(await checkWithin(body.user.id, card.loop.team, SUBMIT_CHECK_MS), ticketId) : null;
    if (refusal !== null) return ack({ response_action: 'errors', errors: { [UPDATE_MODAL.textBlock]: plainText(refusal) } });
    const eta = view.state.values[UPDATE_MODAL.etaBlock]?.[UPDATE_MODAL.etaAction]?.selected_option?.value;
    const etaHours = eta && eta !== 'none' && Number(eta) > 0 ? Number(eta) : null;
    try {
      await deps.queue.add({ v: 1, kind: 'post_update', ticketId, text: text.slice(0, 3000), etaHours, user: body.user.id, responseUrl: null, channel: null, key: `view-${view.id}-${view.hash}` });
    } catch (error) {
      logger.log('error', 'slack work not queued', { kind: 'post_update', error: (error as Error).message });
      // The modal stays open with the text, so the user can submit again.
      return ack({ response_action: 'errors', errors: { [UPDATE_MODAL.textBlock]: NOT_QUEUED } });
    }
    await ack();
  });

  app.command('/cxloop', async ({ ack, command }) => {
    const parsed = parseCommand(command.text);
    if (!parsed.ok) return ack({ response_type: 'ephemeral', text: parsed.reply });
    if (parsed.command.name === 'help') return ack({ response_type: 'ephemeral', text: COMMAND_USAGE });
    if (parsed.command.name === 'dashboard') return ack({ response_type: 'ephemeral', text: await dashboardReply(command.user_id) });
    const source = { user: command.user_id, responseUrl: command.response_url, channel: command.channel_id, key: `cmd-${command.trigger_id}` };
    const parsedCommand = parsed.command;
    const job: SlackJob =
      parsedCommand.name === 'status'
        ? { v: 1, kind: 'status', ticketId: parsedCommand.ticketId, ...source }
        : parsedCommand.name === 'ack'
          ? { v: 1, kind: 'acknowledge', ticketId: parsedCommand.ticketId, ...source }
          : parsedCommand.name === 'snooze'
            ? { v: 1, kind: 'snooze', ticketId: parsedCommand.ticketId, minutes: parsedCommand.minutes, ...source }
            : { v: 1, kind: 'report', days: parsedCommand.days, ...source };
    try {
      await deps.queue.add(job);
    } catch (error) {
      logger.log('error', 'slack work not queued', { kind: job.kind, error: (error as Error).message });
      return ack({ response_type: 'ephemeral', text: NOT_QUEUED });
    }
    await ack();
  });

  app.event('app_home_opened', async ({ event }) => {
    if (event.tab === 'home') await queue.add({ v: 1, kind: 'home', user: event.user });
  });
}

/** The refusal of a Post update, or null when it is allowed or not known yet. */
function refusalOf(access: TeamAccess | null, ticketId: number): string | null {
  return access && !access.allowed ? describeRefusal(access, describeAction('post_update', ticketId)) : null;
}

/** A modal's error text is plain: no mrkdwn emphasis. */
function plainText(mrkdwn: string): string {
  return mrkdwn.replace(/\*/g, '');
}

/** The ticket a card's control acts on: from its actions block's id, else a button's value. */
function ticketOf(action: BlockElementAction): number | null {
  const fromBlock = ticketIdFromBlockId(action.block_id ?? '');
  if (fromBlock !== null) return fromBlock;
  const id = Number('value' in action && typeof action.value === 'string' ? action.value : '');
  return Number.isInteger(id) && id > 0 ? id : null;
}
