import type { HomeView, KnownBlock } from '@slack/types';
import { hoursLabel, REPORT_TARGETS_MS, type LoopFigures, type Ratio } from '../../core/loop/loop-figures.js';
import { categoryLabel } from '../../core/routing/describe-routing.js';
import { untrustedInline } from './mrkdwn.js';
import {
  LIMITS,
  andMore,
  contextBlock,
  fieldsBlock,
  formatDue,
  formatRelative,
  headerBlock,
  nextDeadline,
  ownerText,
  packLines,
  sectionBlock,
  stageLabel,
  ticketRef,
  tierLabel,
} from './slack-blocks-parts.js';
import { ACTIONS, type CardView, type HomeData } from './slack-views.js';

/** Lines per list: enough to act on, few enough that the tab stays a glance (and under 100 blocks). */
const LIST_LINES = { breached: 25, open: 50 } as const;
const LINE_MAX = 400;
/** Blocks outside the two lists: header, teams, three dividers, week title and fields, the dashboard button. */
const FRAME_BLOCKS = 8;
/** A list takes its title and maybe a "…and N more" besides its lines; an empty one takes one block. */
const LIST_FRAME = 2;

/** The App Home tab: the viewer's breached loops first, then the rest, then this week's figures. */
export function home(data: HomeData): HomeView {
  const breachedIds = new Set(data.breachedTicketIds);
  const breached = data.open.filter((view) => breachedIds.has(view.loop.ticketId)).toSorted(byUrgency);
  const others = data.open.filter((view) => !breachedIds.has(view.loop.ticketId)).toSorted(byUrgency);
  // Breached first: it may use all but what the other list needs to show at least one line.
  const breachedMax = LIMITS.viewBlocks - FRAME_BLOCKS - LIST_FRAME - (LIST_FRAME + 1);
  const breachedBlocks = listBlocks(`:rotating_light: *Breached* (${breached.length})`, 'Nothing breached.', breached, data.now, LIST_LINES.breached, breachedMax);
  const otherMax = LIMITS.viewBlocks - FRAME_BLOCKS - breachedBlocks.length - LIST_FRAME;
  const otherBlocks = listBlocks(`*Open* (${others.length})`, 'No other open loops.', others, data.now, LIST_LINES.open, otherMax);
  const teams = data.teams.map((team) => untrustedInline(team, 100));
  const blocks: KnownBlock[] = [
    headerBlock('Your ticket loops'),
    contextBlock(teams.length > 0 ? `Your teams: ${teams.join(', ')}` : 'You are not on any team in the cxloop policy; ask an admin to add you.'),
    { type: 'divider' },
    ...breachedBlocks,
    { type: 'divider' },
    ...otherBlocks,
    { type: 'divider' },
    sectionBlock('*This week*'),
    weekFields(data.week),
    ...(data.dashboardUrl ? [dashboardButton(data.dashboardUrl)] : []),
  ];
  return { type: 'home', blocks };
}

/** The link to the web dashboard (live loops, charts, ticket histories), signed for this viewer. */
function dashboardButton(url: string): KnownBlock {
  return { type: 'actions', elements: [{ type: 'button', action_id: ACTIONS.openDashboard, text: { type: 'plain_text', text: 'Open the dashboard' }, url }] };
}

/** A titled list packed into sections, closed by "…and N more" when it was cut. */
function listBlocks(title: string, empty: string, views: readonly CardView[], now: number, maxLines: number, maxBlocks: number): KnownBlock[] {
  if (views.length === 0) return [sectionBlock(`${title}\n${empty}`)];
  const packed = packLines(
    views.map((view) => loopLine(view, now)),
    { maxBlocks, maxLines, maxChars: Infinity, lineMax: LINE_MAX },
  );
  const rest = views.length - packed.shown;
  return [sectionBlock(title), ...packed.blocks, ...(rest > 0 ? [contextBlock(andMore(rest))] : [])];
}

/** "#123 Subject · Billing issue · High · Acknowledged · @owner · resolve by Mon 23 Nov 14:00 UTC (in 2h)". */
function loopLine(view: CardView, now: number): string {
  const { loop } = view;
  const subject = view.brief === null ? '' : ` ${untrustedInline(view.brief.subject, 60)}`;
  return [`${ticketRef(loop.ticketId, view.zendeskUrl)}${subject}`, categoryLabel(loop.category), tierLabel(loop.tier), stageLabel(loop.stage), ownerText(loop.owner, view.names, 'mention'), deadlineText(view, now)]
    .filter((part) => part !== '')
    .join(' · ');
}

function deadlineText(view: CardView, now: number): string {
  const deadline = nextDeadline(view.loop);
  if (deadline === null) return '';
  if (deadline.breached) return deadline.at === null ? `:rotating_light: ${deadline.what} target breached` : `:rotating_light: ${deadline.what} ${formatRelative(deadline.at, now)}`;
  return deadline.at === null ? '' : `${deadline.what} by ${formatDue(deadline.at, now, view.timeZone)}`;
}

/** Breached ones with the oldest breach first, then the nearest deadline. */
function byUrgency(a: CardView, b: CardView): number {
  return urgencyKey(a) - urgencyKey(b);
}

function urgencyKey(view: CardView): number {
  const deadline = nextDeadline(view.loop);
  if (deadline === null) return Infinity;
  return deadline.at ?? -Infinity;
}

function weekFields(week: LoopFigures): KnownBlock {
  return fieldsBlock([
    ['Opened', `${week.loops.opened} (${week.loops.open} still open)`],
    [`Acknowledged within ${hoursLabel(REPORT_TARGETS_MS.acknowledgedFast)}`, formatRatio(week.acknowledgedWithin2h)],
    [`Acknowledged within ${hoursLabel(REPORT_TARGETS_MS.acknowledged)}`, formatRatio(week.acknowledgedWithin6h)],
    [`Closed within ${hoursLabel(REPORT_TARGETS_MS.closed)}`, formatRatio(week.closedWithin48h)],
    ['Status updates on time', formatRatio(week.statusUpdates.onTime)],
    ['Reopen rate', formatRatio(week.reopened)],
    ['Escalations', String(week.escalations.total)],
  ]);
}

/** "80% (8 of 10)", or "—" when nothing counted yet. */
export function formatRatio(ratio: Ratio): string {
  return ratio.share === null ? '—' : `${Math.round(ratio.share * 100)}% (${ratio.count} of ${ratio.of})`;
}
