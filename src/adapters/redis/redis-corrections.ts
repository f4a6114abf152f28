import type { RedisClient } from './redis-connection.js';
import type { RecordedCorrection } from '../../core/learn/correction-rows.js';
import type { RedisKeys } from './redis-keys.js';

/** Stream entries read per XRANGE call. */
const PAGE = 1_000;

/**
 * Reads the whole corrections stream (oldest first) in pages, as RedisTicketStore.recordOverride
 * wrote it: `ticket field from to actor at [subject body]` (and `via slack_user` for a Slack
 * reassignment, RedisTicketStore.recordReassignment).
 */
export async function readCorrections(redis: RedisClient, keys: RedisKeys, onProgress?: (read: number) => void): Promise<RecordedCorrection[]> {
  const found: RecordedCorrection[] = [];
  let start = '-';
  for (;;) {
    const page = await redis.xrange(keys.corrections, start, '+', 'COUNT', PAGE);
    for (const [, fields] of page) found.push(correctionOf(fields));
    if (page.length < PAGE) break;
    start = `(${page[page.length - 1]![0]}`;
    onProgress?.(found.length);
  }
  return found;
}

function correctionOf(fields: readonly string[]): RecordedCorrection {
  const value = (name: string): string | undefined => {
    for (let index = 0; index + 1 < fields.length; index += 2) if (fields[index] === name) return fields[index + 1];
    return undefined;
  };
  const subject = value('subject');
  const body = value('body');
  return {
    ticketId: Number(value('ticket')),
    field: value('field') === 'group' ? 'group' : 'category',
    to: value('to') ?? '',
    ...(subject !== undefined || body !== undefined ? { text: { subject: subject ?? '', body: body ?? '' } } : {}),
  };
}
