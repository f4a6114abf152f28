import { MIN_SNOOZE_MINUTES } from '../../app/loop-policy.js';
import { formatDuration, parseDuration } from '../../core/duration.js';

/** `/cxloop` subcommands, parsed; anything else is answered with usage at once. */
export type CxloopCommand =
  | { readonly name: 'help' }
  | { readonly name: 'status'; readonly ticketId: number }
  | { readonly name: 'ack'; readonly ticketId: number }
  | { readonly name: 'snooze'; readonly ticketId: number; readonly minutes: number }
  | { readonly name: 'report'; readonly days: number }
  | { readonly name: 'dashboard' };

export const COMMAND_USAGE = [
  '`/cxloop status <ticket>` where a ticket stands: stage, owner, SLA clocks',
  '`/cxloop ack <ticket>` acknowledge a ticket of your team',
  `\`/cxloop snooze <ticket> <duration>\` pause its reminders (${formatDuration(MIN_SNOOZE_MINUTES)} to the policy maximum, e.g. 2h)`,
  '`/cxloop report [7d]` acknowledgement, SLA and follow-up figures (default: the last 7 days)',
  '`/cxloop dashboard` a sign-in link to the web dashboard, for you only (works once, for 10 minutes)',
  '`/cxloop help` this list',
].join('\n');

const MAX_REPORT_DAYS = 90;

/** Parses the text after `/cxloop`; a problem comes back as the reply to show the user. */
export function parseCommand(text: string): { ok: true; command: CxloopCommand } | { ok: false; reply: string } {
  const words = text.trim().split(/\s+/).filter((word) => word.length > 0);
  const [name = 'help', ...rest] = words;
  const fail = (problem: string) => ({ ok: false as const, reply: `${problem}\n${COMMAND_USAGE}` });
  const ticket = (word: string | undefined) => {
    const match = /^#?(\d{1,12})$/.exec(word ?? '');
    return match ? Number(match[1]) : null;
  };
  switch (name.toLowerCase()) {
    case 'help':
      return { ok: true, command: { name: 'help' } };
    case 'dashboard':
      return { ok: true, command: { name: 'dashboard' } };
    case 'status':
    case 'ack': {
      const ticketId = ticket(rest[0]);
      if (ticketId === null || rest.length > 1) return fail(`\`/cxloop ${name} <ticket>\` takes one ticket number, like \`/cxloop ${name} 1234\`.`);
      return { ok: true, command: { name: name.toLowerCase() as 'status' | 'ack', ticketId } };
    }
    case 'snooze': {
      const ticketId = ticket(rest[0]);
      if (ticketId === null || rest[1] === undefined || rest.length > 2) return fail('`/cxloop snooze <ticket> <duration>` takes a ticket number and a duration, like `/cxloop snooze 1234 2h`.');
      const duration = parseDuration(rest[1]);
      if (!duration.ok) return fail(`Cannot snooze: ${escapeWord(duration.reason)}.`);
      return { ok: true, command: { name: 'snooze', ticketId, minutes: duration.minutes } };
    }
    case 'report': {
      const window = rest[0] ?? '7d';
      const match = /^(\d{1,3})d$/.exec(window);
      const days = match ? Number(match[1]) : 0;
      if (rest.length > 1 || days < 1 || days > MAX_REPORT_DAYS) return fail(`\`/cxloop report [days]\` takes a window like \`7d\` (1d to ${MAX_REPORT_DAYS}d).`);
      return { ok: true, command: { name: 'report', days } };
    }
    default:
      return fail(`Unknown command \`${escapeWord(name.slice(0, 30))}\`.`);
  }
}

/** The user's own words echoed back: nothing in them may form a mention or a link. */
function escapeWord(text: string): string {
  return text.replace(/[<>&`]/g, '');
}
