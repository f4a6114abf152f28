import type { View } from '@slack/types';
import type { CallRecorder, Logger } from '../../app/ports.js';
import { blocksToText } from './blocks-to-text.js';
import type { SlackApi, SlackMessageRef } from './slack-api.js';
import type { SlackMessage } from './slack-views.js';

/**
 * Dry-run Slack: every call cxloop would make goes to the recorder (its exact arguments, plus the
 * message as a reader would see it) and is answered as Slack answers a success. Message
 * timestamps are made up, so edits and threads still line up. Without a recorder (benchmarks)
 * only the method and channel are logged.
 */
export class RecordingSlackApi implements SlackApi {
  private sequence = 0;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    private readonly recorder?: CallRecorder,
    /** Users this dry run knows by name (the demo's people): users.info answers them, the terminal shows mentions as them. */
    private readonly people: Readonly<Record<string, string>> = {},
  ) {}

  async post(message: SlackMessage & { channel: string; threadTs?: string; broadcast?: boolean }): Promise<SlackMessageRef> {
    this.sequence += 1;
    const ts = `${Math.floor(this.now() / 1000)}.${String(this.sequence).padStart(6, '0')}`;
    const thread = message.threadTs ? { thread_ts: message.threadTs, ...(message.broadcast ? { reply_broadcast: true } : {}) } : {};
    this.record('chat.postMessage', message.threadTs ? `${message.channel} (thread${message.broadcast ? ', also to channel' : ''})` : message.channel, { channel: message.channel, ...thread, text: message.text, blocks: message.blocks }, blocksToText(message, this.people));
    // A name ("#cx-billing") stands in for the channel id Slack would return.
    return { channel: message.channel, ts };
  }

  async update(message: SlackMessage & SlackMessageRef): Promise<void> {
    this.record('chat.update', `${message.channel} (edit)`, { channel: message.channel, ts: message.ts, text: message.text, blocks: message.blocks }, blocksToText(message, this.people));
  }

  async pin(ref: SlackMessageRef): Promise<void> {
    this.record('pins.add', `${ref.channel} (pin)`, { channel: ref.channel, timestamp: ref.ts }, [`pins message ${ref.ts}`]);
  }

  async respond(_responseUrl: string, message: SlackMessage): Promise<void> {
    this.record('response_url', 'only the user who clicked', { response_type: 'ephemeral', text: message.text, blocks: message.blocks }, blocksToText(message, this.people));
  }

  async postEphemeral(channel: string, user: string, message: SlackMessage): Promise<void> {
    this.record('chat.postEphemeral', `${channel} (only ${user})`, { channel, user, text: message.text, blocks: message.blocks }, blocksToText(message, this.people));
  }

  async openView(_triggerId: string, view: View): Promise<void> {
    this.record('views.open', view.type, { view }, blocksToText(view, this.people));
  }

  async publishHome(userId: string, view: View): Promise<void> {
    this.record('views.publish', `App Home of ${userId}`, { user_id: userId, view }, blocksToText(view, this.people));
  }

  /** A dry run reads nothing from Slack: no user group or channel has members it knows of. */
  async usergroupMembers(): Promise<readonly string[]> {
    return [];
  }

  async channelMembers(): Promise<readonly string[]> {
    return [];
  }

  /** users.info of a user it was told about; anyone else is unknown (messages then show the id). Not recorded: a read. */
  async userName(userId: string): Promise<string | null> {
    return this.people[userId] ?? null;
  }

  private record(method: string, where: string, request: Record<string, unknown>, summary: string[]): void {
    this.logger.log(this.recorder ? 'debug' : 'info', `dry-run: slack ${method}`, { to: where });
    this.recorder?.record({ system: 'slack', call: `${method} ${where}`, request: { method, ...request }, summary });
  }
}
