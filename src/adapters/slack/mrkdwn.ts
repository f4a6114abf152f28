/**
 * Customer text in Slack messages. Slack's mrkdwn reads `<...>` as controls: `<!channel>`,
 * `<!here>`, `<@U123>`, `<!subteam^S1>` notify people and `<https://evil|Zendesk>` disguises a
 * link, so a ticket subject must never reach Slack with them intact. Slack's own rule is to
 * escape exactly &, < and > (https://docs.slack.dev/messaging/formatting-message-text#escaping);
 * with them escaped no sequence can open a control. Plain "@here" only notifies when a message
 * is sent with link_names or parse=full, which cxloop never sets.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Untrusted text on one line and escaped, neither trimmed nor cut (a piece of a longer line). */
export function foldUntrusted(text: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return escapeMrkdwn(text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' '));
}

/**
 * Untrusted text made safe and short for one mrkdwn field: control characters and line breaks
 * folded to spaces (a subject cannot fake extra lines of the message), escaped, then cut at
 * `max` characters of the escaped form without splitting an entity or a surrogate pair.
 */
export function untrustedInline(text: string, max: number): string {
  const escaped = foldUntrusted(text).trim();
  if (escaped.length <= max) return escaped;
  let cut = escaped.slice(0, Math.max(0, max - 1));
  cut = cut.replace(/&[a-z]*$/, ''); // a cut entity (&am) would render as text
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}
