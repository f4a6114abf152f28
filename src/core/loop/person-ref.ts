/**
 * People in the texts cxloop writes. The core knows a person only by id: a Slack user
 * ("U0E2EMEM1") or a Zendesk agent ("zd:4242"). A status update or a Zendesk note names them with
 * a reference, `<@U0E2EMEM1>` or `<@zd:4242>`, and each renderer turns it into what its reader
 * should see: a Slack mention where Slack renders one, the person's name elsewhere (looked up in
 * the adapters), and the id only when no name could be looked up.
 */

/** A Slack user id or a Zendesk agent: the only shapes a reference may hold, so no text can smuggle a control in. */
const PERSON = /^(?:[UW][A-Z0-9]{2,20}|zd:\d{1,15})$/;
const PERSON_REF = /<@([UW][A-Z0-9]{2,20}|zd:\d{1,15})>/g;
const ZENDESK_AGENT = /^zd:(\d{1,15})$/;
/** References resolved in one text at most: a person's own words cannot make cxloop look up hundreds of names. */
export const MAX_PEOPLE_PER_TEXT = 10;

/** `<@U123>` for a person id; anything else (never produced by the loop) stays as it is. */
export function personRef(person: string): string {
  return PERSON.test(person) ? `<@${person}>` : person;
}

export function isPersonId(value: string): boolean {
  return PERSON.test(value);
}

/** The Zendesk agent id of "zd:4242", or null for a Slack user. */
export function zendeskAgentId(person: string): number | null {
  const match = ZENDESK_AGENT.exec(person);
  return match ? Number(match[1]) : null;
}

/** The distinct people a text refers to, in order, at most MAX_PEOPLE_PER_TEXT. */
export function peopleIn(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(PERSON_REF)) {
    if (found.size >= MAX_PEOPLE_PER_TEXT) break;
    found.add(match[1]!);
  }
  return [...found];
}

/** The text in pieces: literal text and the people it refers to, in order (every reference is kept). */
export function splitPersonRefs(text: string): Array<{ readonly text: string } | { readonly person: string }> {
  const pieces: Array<{ text: string } | { person: string }> = [];
  let last = 0;
  for (const match of text.matchAll(PERSON_REF)) {
    if (match.index > last) pieces.push({ text: text.slice(last, match.index) });
    pieces.push({ person: match[1]! });
    last = match.index + match[0].length;
  }
  if (last < text.length) pieces.push({ text: text.slice(last) });
  return pieces;
}

/** Names looked up for people, by id (only those found). */
export type PersonNames = Readonly<Record<string, string>>;

/** A person as plain text: their name, else the id ("U0E2EMEM1", "Zendesk agent 4242"). */
export function personName(person: string, names: PersonNames): string {
  const name = names[person]?.trim();
  if (name) return name;
  const agent = zendeskAgentId(person);
  return agent === null ? person : `Zendesk agent ${agent}`;
}

/** Every reference in the text replaced by the person's plain name (Zendesk notes: Zendesk renders no mentions). */
export function namePeople(text: string, names: PersonNames): string {
  return splitPersonRefs(text)
    .map((piece) => ('person' in piece ? personName(piece.person, names) : piece.text))
    .join('');
}
