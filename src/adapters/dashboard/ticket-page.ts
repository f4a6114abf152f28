import type { TicketView } from '../../app/dashboard/read-ticket.js';
import { stageLabel, tierLabel } from '../../core/loop/loop-labels.js';
import { personName } from '../../core/loop/person-ref.js';
import { categoryLabel } from '../../core/routing/describe-routing.js';
import { isCategoryId } from '../../core/taxonomy.js';
import { formatRelative, formatWhen } from './format.js';
import { html, type Html } from './html.js';
import { csvLink, layout, type PageViewer } from './layout.js';
import { renderTable, type Cell, type Table } from './table.js';

const EVENT_TEXTS: Readonly<Record<string, string>> = {
  opened: 'Loop opened (routed)',
  assigned: 'Assigned in Zendesk',
  agent_comment: 'Agent comment in Zendesk',
  recategorised: 'Category changed in Zendesk',
  reprioritised: 'Priority changed in Zendesk',
  acknowledge: 'Acknowledged in Slack',
  take: 'Taken in Slack',
  snooze: 'Snoozed in Slack',
  reassign: 'Reassigned in Slack',
  post_update: 'Status update posted in Slack',
};

/** How a history entry's event reads. */
function eventText(event: string): string {
  const known = EVENT_TEXTS[event];
  if (known) return known;
  if (event.startsWith('timer:')) return `Timer: ${event.slice(6).replace(/_/g, ' ')}`;
  if (event.startsWith('status:')) return `Zendesk status ${event.slice(7)}`;
  if (event.startsWith('csat:')) return `CSAT rated ${event.slice(5)}`;
  return event.replace(/_/g, ' ');
}

/** The ticket page's tables, for the page and export.csv alike. */
export function ticketTables(view: TicketView, now: number): Table[] {
  const state = view.state;
  const clock = (label: string, at: number | undefined | null): Cell[][] =>
    at === undefined || at === null ? [] : [[label, { text: formatWhen(at), html: html`<time datetime="${new Date(at).toISOString()}" data-due="${at}">${formatRelative(at, now)}</time> <small>${formatWhen(at)}</small>` }]];
  const clocks: Cell[][] = state
    ? [
        ...clock('Acknowledge due', state.timers.ack_breach),
        ...clock('Next status update due', state.timers.update_breach),
        ...clock('Resolve due', state.timers.resolve_breach),
        ...clock('Verify window ends', state.timers.verify_end),
        ...clock('Snoozed until', state.snoozedUntil),
        ...(state.resolveBreached ? [['Resolve target', 'breached']] : []),
        ...(state.escalation.breachAt !== null ? [['Acknowledge breached at', formatWhen(state.escalation.breachAt)]] : []),
      ]
    : [];
  return [
    { id: 'clocks', caption: 'Clocks', head: ['Clock', 'When'], rows: clocks, empty: state ? 'No clock runs: the loop is over.' : 'The loop\'s state has expired (30 days after its last change); its history is below.' },
    {
      id: 'history',
      caption: 'History',
      head: ['When', 'What happened', 'Who', 'Stage after', 'Category', 'Tier', 'What it caused'],
      rows: view.history.map((entry) => [
        formatWhen(entry.at),
        eventText(entry.event),
        entry.actor ? personName(entry.actor, view.names) : entry.event === 'opened' || entry.event.startsWith('timer:') ? 'cxloop' : '–',
        stageLabel(entry.stage),
        isCategoryId(entry.category) ? categoryLabel(entry.category) : entry.category,
        tierLabel(entry.tier),
        [
          ...(entry.update ? [entry.update === 'manual' ? 'status update by a person' : 'automatic status update (none came in time)'] : []),
          // The effects log names the escalation; a loop projected from its history alone has only the level.
          ...(entry.escalation !== undefined && !entry.effects.some((effect) => effect.startsWith('Slack: escalation')) ? [`escalation level ${entry.escalation}`] : []),
          ...(entry.followUp ? [`follow-up (${entry.followUp})`] : []),
          ...entry.effects,
        ].join('; '),
      ]),
      empty: 'No history is kept for this ticket (older than 90 days).',
    },
  ];
}

export function ticketPage(input: { view: TicketView; viewer: PageViewer; zendeskUrl: string | null; now: number }): Html {
  const { view } = input;
  const state = view.state;
  const query = new URLSearchParams({ id: String(view.ticketId) });
  const subject = view.brief?.subject ?? '';
  const cardUrl = view.card ? `https://slack.com/archives/${encodeURIComponent(view.card.channel)}/p${view.card.ts.replace('.', '')}` : null;
  return layout({
    title: `#${view.ticketId}`,
    active: 'ticket',
    viewer: input.viewer,
    now: input.now,
    body: html`<h1>#${view.ticketId} ${subject}</h1>
<ul class="facts">
<li>Team <strong>${view.team}</strong></li>
${state
  ? html`<li>Stage <strong>${stageLabel(state.stage)}</strong></li><li>Tier <strong>${tierLabel(state.tier)}</strong></li><li>Category <strong>${categoryLabel(state.category)}</strong></li><li>Owner <strong>${state.owner === null ? 'nobody yet' : personName(state.owner, view.names)}</strong></li><li>Opened <strong>${formatWhen(state.openedAt)}</strong></li>`
  : ''}
${view.record?.overridden ? html`<li><strong>An agent overrode cxloop's routing</strong></li>` : ''}
</ul>
<p class="links">${input.zendeskUrl ? html`<a href="${input.zendeskUrl}" rel="noopener noreferrer" target="_blank">Open in Zendesk</a>` : html`<span>No Zendesk link in a dry run without ZENDESK_SUBDOMAIN.</span>`}
${cardUrl ? html` · <a href="${cardUrl}" rel="noopener noreferrer" target="_blank">Open the Slack card</a>` : html` · <span>No Slack card posted yet.</span>`}</p>
${view.brief ? html`<p class="excerpt">${view.brief.excerpt}</p>` : ''}
${ticketTables(view, input.now).map((table) => renderTable(table, csvLink('/dashboard/ticket', query, table.id)))}`,
  });
}
