import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean } from '../../../src/core/closest-match.js';

const COMMANDS = ['serve', 'demo', 'classify', 'eval', 'config', 'report', 'install', 'doctor', 'dead-letters', 'help'];
const ENV = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_API_URL', 'ZENDESK_API_TOKEN', 'ZENDESK_SUBDOMAIN', 'CXLOOP_REDIS_PREFIX'];

describe('closestMatch: what a mistyped word meant', () => {
  it.each([
    ['doctr', COMMANDS, 'doctor'],
    ['sevre', COMMANDS, 'serve'],
    ['clasify', COMMANDS, 'classify'],
    ['deadletters', COMMANDS, 'dead-letters'],
    ['DOCTOR', COMMANDS, 'doctor'],
    ['escalaton', ['hours', 'escalation', 'members'], 'escalation'],
    ['thresold', ['threshold', 'languages'], 'threshold'],
    ['SLACK_TOKEN', ENV, 'SLACK_BOT_TOKEN'],
    ['SLACK_SIGNING_SECRT', ENV, 'SLACK_SIGNING_SECRET'],
    ['ZENDESK_SUBDOMIAN', ENV, 'ZENDESK_SUBDOMAIN'],
  ])('%s -> %s', (word, candidates, expected) => {
    expect(closestMatch(word, candidates)).toBe(expected);
  });

  it.each([
    ['frobnicate', COMMANDS],
    ['x', COMMANDS],
    ['SLACK_WEBHOOK_URL', ENV],
    ['CXLOOP_FOO', ENV],
  ])('%s -> nothing close', (word, candidates) => {
    expect(closestMatch(word, candidates)).toBeNull();
  });

  it('prefers the nearest candidate, then the first listed', () => {
    expect(closestMatch('remind', ['breach', 'reminds', 'remind_at'])).toBe('reminds');
    expect(closestMatch('cat', ['bat', 'hat'])).toBe('bat');
  });

  it('didYouMean is a phrase to append, or nothing', () => {
    expect(didYouMean('doctr', COMMANDS)).toBe(' (did you mean "doctor"?)');
    expect(didYouMean('frobnicate', COMMANDS)).toBe('');
  });
});
