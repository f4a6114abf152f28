import type { Stage } from '../loop/loop-types.js';

/**
 * What cxloop says to a requester, per language: the public comments it adds in Zendesk and the
 * words of the status page. Each language is one file under texts/, written for the eleven
 * languages the classifier reads; a policy may replace any comment (customers.updates.templates).
 */

/** The moments a requester hears from cxloop. */
export const CUSTOMER_UPDATE_KINDS = ['acknowledged', 'revised_eta', 'solved'] as const;
export type CustomerUpdateKind = (typeof CUSTOMER_UPDATE_KINDS)[number];

/**
 * Placeholders of a comment. A line whose placeholder has no value (no ETA while the ticket waits
 * on the requester, no status page) is left out, so every template reads whole without it.
 */
export const CUSTOMER_PLACEHOLDERS = ['ticket', 'eta', 'next_update', 'status_link'] as const;
export type CustomerPlaceholder = (typeof CUSTOMER_PLACEHOLDERS)[number];

export type CustomerTemplates = Readonly<Record<CustomerUpdateKind, string>>;

/** The status page's words; `title` takes {ticket}. */
export interface StatusPageTexts {
  readonly title: string;
  readonly stage: string;
  readonly lastUpdate: string;
  readonly nextUpdate: string;
  readonly eta: string;
  /** Shown for a time that is not set (nothing planned, the ticket waits on the requester). */
  readonly none: string;
  readonly footer: string;
  readonly notFound: string;
  readonly tooMany: string;
  readonly stages: Readonly<Record<Stage, string>>;
}

export interface CustomerLanguage {
  /** ISO 639-1 code, as Zendesk locales start ("pt-BR" -> pt). */
  readonly code: string;
  readonly updates: CustomerTemplates;
  readonly page: StatusPageTexts;
}
