import type { DashboardStore, LoopStore, PeopleDirectory, SlackOutbox, TicketBriefs, TicketStore } from '../ports.js';

/** What the dashboard reads, all through the existing ports and its own read model. */
export interface DashboardReadDeps {
  readonly dashboard: DashboardStore;
  readonly loops: Pick<LoopStore, 'get' | 'history'>;
  readonly briefs: Pick<TicketBriefs, 'get'>;
  readonly outbox: Pick<SlackOutbox, 'backlog' | 'messages'>;
  readonly tickets: Pick<TicketStore, 'get'>;
  readonly people: PeopleDirectory;
}
