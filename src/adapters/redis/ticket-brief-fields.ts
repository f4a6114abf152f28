import type { TicketBrief } from '../../app/ports.js';

/**
 * A ticket's brief in its hash, as the JSON array [subject, excerpt, why] (and, when the
 * category's on_routing found something, its extras as a fourth element) cut into `b0`, `b1` ...
 * fields of at most 60 bytes (`bn` = how many), whole UTF-8 characters each: every value stays
 * under Redis's 64-byte listpack limit, so the hash keeps its compact encoding, and the ticket
 * needs no key of its own for it (about 150 B less per open loop). Written by the Slack outbox's
 * save and, for a ticket's first routing, by the ticket store's claim in the same script.
 */
export const BRIEF_CHUNK = 'b';
export const BRIEF_COUNT = 'bn';
const BRIEF_CHUNK_BYTES = 60;

/**
 * Lua: replaces the brief in hash `key` with the chunks ARGV[first] ... ARGV[#ARGV] (a shorter
 * brief leaves none of the old pieces).
 */
export const SAVE_BRIEF_LUA = `
local function saveBrief(key, first)
  local old = tonumber(redis.call('HGET', key, '${BRIEF_COUNT}') or '0')
  for i = 0, old - 1 do redis.call('HDEL', key, '${BRIEF_CHUNK}' .. i) end
  for i = first, #ARGV do redis.call('HSET', key, '${BRIEF_CHUNK}' .. (i - first), ARGV[i]) end
  redis.call('HSET', key, '${BRIEF_COUNT}', #ARGV - first + 1)
end`;

/** The brief's pieces, as SAVE_BRIEF_LUA writes them. */
export function briefChunks(brief: TicketBrief): string[] {
  const fields: unknown[] = [brief.subject, brief.excerpt, brief.why, ...(brief.extras ? [brief.extras] : [])];
  return utf8Chunks(JSON.stringify(fields), BRIEF_CHUNK_BYTES);
}

/** `text` cut into pieces of at most `maxBytes` UTF-8 bytes, never inside a character. */
export function utf8Chunks(text: string, maxBytes: number): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + maxBytes, bytes.length);
    // A continuation byte (10xxxxxx) starts no character: back off to the start of this one.
    while (end < bytes.length && end > start && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
    chunks.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
  }
  return chunks;
}
