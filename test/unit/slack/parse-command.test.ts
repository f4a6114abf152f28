import { describe, expect, it } from 'vitest';
import { COMMAND_USAGE, parseCommand, type CxloopCommand } from '../../../src/adapters/slack/parse-command.js';

/** `/cxloop <text>`: every subcommand in the forms a person types. */
const VALID: readonly (readonly [text: string, command: CxloopCommand])[] = [
  ['status 123', { name: 'status', ticketId: 123 }],
  ['status #123', { name: 'status', ticketId: 123 }],
  ['  STATUS   #123  ', { name: 'status', ticketId: 123 }],
  ['ack 5', { name: 'ack', ticketId: 5 }],
  ['ack #5', { name: 'ack', ticketId: 5 }],
  ['snooze 5 2h', { name: 'snooze', ticketId: 5, minutes: 120 }],
  ['snooze 5 1h30m', { name: 'snooze', ticketId: 5, minutes: 90 }],
  ['snooze #5 30m', { name: 'snooze', ticketId: 5, minutes: 30 }],
  ['report', { name: 'report', days: 7 }],
  ['report 30d', { name: 'report', days: 30 }],
  ['report 1d', { name: 'report', days: 1 }],
  ['report 90d', { name: 'report', days: 90 }],
  ['help', { name: 'help' }],
  ['', { name: 'help' }],
  ['   ', { name: 'help' }],
];

/** Input that must be answered with the problem and the usage, never run. */
const INVALID: readonly (readonly [text: string, problem: RegExp])[] = [
  ['status', /`\/cxloop status <ticket>` takes one ticket number/],
  ['status abc', /`\/cxloop status <ticket>` takes one ticket number/],
  ['status 12 13', /takes one ticket number/],
  ['ack', /`\/cxloop ack <ticket>` takes one ticket number/],
  ['ack #', /takes one ticket number/],
  ['snooze 5', /takes a ticket number and a duration/],
  ['snooze abc 2h', /takes a ticket number and a duration/],
  ['snooze 5 soon', /^Cannot snooze: invalid duration "soon"/],
  ['snooze 5 90s', /^Cannot snooze: duration "90s" is not a whole number of minutes/],
  ['snooze 5 0m', /^Cannot snooze: duration "0m" must be longer than zero/],
  ['report 0d', /`\/cxloop report \[days\]` takes a window like `7d` \(1d to 90d\)/],
  ['report 91d', /takes a window like `7d` \(1d to 90d\)/],
  ['report 7', /takes a window like `7d`/],
  ['report 7d 30d', /takes a window like `7d`/],
  ['frobnicate', /^Unknown command `frobnicate`\./],
];

describe('parseCommand', () => {
  it.each(VALID)('parses %j', (text, command) => {
    expect(parseCommand(text)).toEqual({ ok: true, command });
  });

  it.each(INVALID)('answers %j with the problem and the usage', (text, problem) => {
    const result = parseCommand(text);
    if (result.ok) throw new Error(`accepted: ${JSON.stringify(result.command)}`);
    expect(result.reply).toMatch(problem);
    expect(result.reply.endsWith(`\n${COMMAND_USAGE}`)).toBe(true);
    expect(result.reply).toContain('`/cxloop help`');
  });

  // The reply is posted back into Slack: echoed words must not form a mention or a link.
  it.each([
    ['<!channel>', /^Unknown command `!channel`\./],
    ['<!here|here> 5', /^Unknown command `!here\|here`\./],
    ['snooze 5 <!channel>', /^Cannot snooze: invalid duration "!channel"/],
  ])('echoes %j without its Slack controls', (text, problem) => {
    const result = parseCommand(text);
    if (result.ok) throw new Error(`accepted: ${JSON.stringify(result.command)}`);
    expect(result.reply).toMatch(problem);
    expect(result.reply).not.toMatch(/<!/);
    expect(result.reply).not.toContain('<!channel>');
    expect(result.reply).toContain(COMMAND_USAGE);
  });

  it('cuts an unknown command name to 30 characters in the reply', () => {
    const result = parseCommand('x'.repeat(200));
    if (result.ok) throw new Error('accepted');
    expect(result.reply.split('\n')[0]).toBe(`Unknown command \`${'x'.repeat(30)}\`.`);
  });
});
