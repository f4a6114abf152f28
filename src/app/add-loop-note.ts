import { namePeople, peopleIn } from '../core/loop/person-ref.js';
import type { PeopleDirectory, ZendeskApi } from './ports.js';

export interface LoopNoteDeps {
  readonly zendesk: Pick<ZendeskApi, 'addInternalNote'>;
  readonly people: PeopleDirectory;
}

/**
 * Adds one of the loop's internal notes to the Zendesk ticket, people named as Zendesk shows text:
 * "Acknowledged in Slack by Ana Lima." (Zendesk renders no Slack mentions). A name that cannot be
 * looked up now is written as the id; the note is never held back for it.
 */
export async function addLoopNote(ticketId: number, body: string, deps: LoopNoteDeps): Promise<void> {
  const people = peopleIn(body);
  const names = people.length === 0 ? {} : await deps.people.namesOf(people);
  await deps.zendesk.addInternalNote(ticketId, namePeople(body, names));
}
