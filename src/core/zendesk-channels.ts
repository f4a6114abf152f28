/**
 * The channel a ticket came in by (Zendesk `via.channel`), in one vocabulary: the names the REST
 * API gives (`email`, `web`, `api`, ...), which are also what a policy's `channels:` rules match.
 *
 * Event webhooks name the same channel by its via type instead (`mail`, `web_service`,
 * `web_form`, ...). Zendesk's via types reference maps each via type to the channel of the ticket
 * it creates ("Ticket created by"); VIA_TYPE_CHANNELS is that mapping for every via type whose
 * channel differs from its own name:
 * https://developer.zendesk.com/documentation/ticketing/reference-guides/via-types/
 * https://developer.zendesk.com/documentation/ticketing/reference-guides/via-object-reference/
 */
const VIA_TYPE_CHANNELS: Readonly<Record<string, string>> = {
  web_form: 'web',
  mail: 'email',
  web_service: 'api',
  dropbox: 'web',
  batch: 'web',
  closed_ticket: 'web',
  topic: 'forum',
  twitter_favorite: 'twitter',
  twitter_dm: 'twitter',
  ticket_sharing: 'api',
  voicemail: 'voice',
  phone_call_inbound: 'voice',
  phone_call_outbound: 'voice',
  blog: 'api',
  facebook_post: 'facebook',
  import: 'api',
  github: 'api',
  facebook_message: 'facebook',
};

/** The channels a policy may name (the REST API's names); webhook spellings are accepted and mapped onto these. */
export const ZENDESK_CHANNELS = [
  'web',
  'email',
  'api',
  'chat',
  'voice',
  'sms',
  'native_messaging',
  'web_widget',
  'mobile_sdk',
  'mobile',
  'any_channel',
  'help_center',
  'facebook',
  'twitter',
  'whatsapp',
  'line',
  'wechat',
  'messenger',
  'instagram_dm',
  'telegram',
  'viber',
  'forum',
  'rule',
  'system',
  'sample_ticket',
] as const;

/** `mail` -> `email`, `web_service` -> `api`, `Email` -> `email`; a name already in the vocabulary, or unknown, stays (lower case). */
export function normaliseChannel(channel: string): string {
  const name = channel.trim().toLowerCase();
  return VIA_TYPE_CHANNELS[name] ?? name;
}

/** Whether a (normalised) name is in the vocabulary. */
export function isKnownChannel(channel: string): boolean {
  return (ZENDESK_CHANNELS as readonly string[]).includes(channel);
}

