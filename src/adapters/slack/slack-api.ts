import type { View } from '@slack/types';
import type { SlackMessage } from './slack-views.js';

/** Slack's Web API as cxloop uses it. Errors are SlackApiError. */
export interface SlackApi {
  /** chat.postMessage; `channel` is an id, a "#name" of a public channel, or a user id (a DM). */
  post(message: SlackMessage & { readonly channel: string; readonly threadTs?: string; readonly broadcast?: boolean }): Promise<SlackMessageRef>;
  /** chat.update of a message cxloop posted. */
  update(message: SlackMessage & SlackMessageRef): Promise<void>;
  /** pins.add of a message cxloop posted (scope pins:write); one already pinned counts as pinned. */
  pin(ref: SlackMessageRef): Promise<void>;
  /** A reply only the user sees, through the interaction's response_url. */
  respond(responseUrl: string, message: SlackMessage): Promise<void>;
  /** chat.postEphemeral: a message only `user` sees, in `channel` (an id of a channel they are in). */
  postEphemeral(channel: string, user: string, message: SlackMessage): Promise<void>;
  openView(triggerId: string, view: View): Promise<void>;
  publishHome(userId: string, view: View): Promise<void>;
  /** usergroups.users.list: the Slack user ids in a user group. */
  usergroupMembers(usergroupId: string): Promise<readonly string[]>;
  /** conversations.members, every page: the user ids in a channel (`channelId` is an id, not a "#name"). */
  channelMembers(channelId: string): Promise<readonly string[]>;
  /** users.info: the name Slack shows for a user (display name, else real name), or null when Slack has no such user. */
  userName(userId: string): Promise<string | null>;
}

/** Where a posted message lives: chat.update needs the channel id (not a name) and its ts. */
export interface SlackMessageRef {
  readonly channel: string;
  readonly ts: string;
}

/**
 * RATE_LIMITED: retry later, after `retryAfterMs` when Slack said how long (Retry-After), else
 * (`retryAfterMs` null) after a back-off of the caller's choosing; UNAVAILABLE: network or 5xx,
 * retry later; REJECTED: Slack refused the call for good (channel_not_found, not_in_channel,
 * invalid_blocks ...): retrying the same call cannot succeed; AUTH: the token or its scopes are
 * wrong (an operator must fix it).
 */
export type SlackApiErrorCode = 'RATE_LIMITED' | 'UNAVAILABLE' | 'REJECTED' | 'AUTH';

export class SlackApiError extends Error {
  override readonly name = 'SlackApiError';
  constructor(
    readonly code: SlackApiErrorCode,
    message: string,
    readonly retryAfterMs: number | null = null,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
