import type { View } from '@slack/types';
import type { Logger } from '../../app/ports.js';
import type { SlackApi, SlackMessageRef } from './slack-api.js';
import type { SlackMessage } from './slack-views.js';

/**
 * Dry-run Slack: every call cxloop would make is logged with its method and arguments (the
 * message's fallback text and block count; `blocks` in full at debug level) and answered as Slack
 * answers a success. Message timestamps are made up, so edits and threads still line up.
 */
export class RecordingSlackApi implements SlackApi {
  private sequence = 0;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async post(message: SlackMessage & { channel: string; threadTs?: string; broadcast?: boolean }): Promise<SlackMessageRef> {
    this.sequence += 1;
    const ts = `${Math.floor(this.now() / 1000)}.${String(this.sequence).padStart(6, '0')}`;
    this.record('chat.postMessage', { channel: message.channel, ...(message.threadTs ? { thread_ts: message.threadTs } : {}), text: message.text }, message.blocks);
    // A name ("#cx-billing") stands in for the channel id Slack would return.
    return { channel: message.channel, ts };
  }

  async update(message: SlackMessage & SlackMessageRef): Promise<void> {
    this.record('chat.update', { channel: message.channel, ts: message.ts, text: message.text }, message.blocks);
  }

  async respond(_responseUrl: string, message: SlackMessage): Promise<void> {
    this.record('response_url', { response_type: 'ephemeral', text: message.text }, message.blocks);
  }

  async openView(_triggerId: string, view: View): Promise<void> {
    this.record('views.open', { type: view.type, blocks: view.blocks.length });
  }

  async publishHome(userId: string, view: View): Promise<void> {
    this.record('views.publish', { user_id: userId, blocks: view.blocks.length });
  }

  async usergroupMembers(): Promise<readonly string[]> {
    return [];
  }

  private record(method: string, args: Record<string, unknown>, blocks?: SlackMessage['blocks']): void {
    this.logger.log('info', `dry-run: slack ${method}`, { ...args, ...(blocks ? { blocks: blocks.length } : {}) });
    if (blocks) this.logger.log('debug', `dry-run: slack ${method} blocks`, { blocks: JSON.stringify(blocks) });
  }
}
