/** Quoted only when needed: a separator, a quote, a line break or spaces at either end. */
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One CSV record (RFC 4180) ending in "\n": fields that need it quoted, inner quotes doubled. */
export function formatCsvRow(fields: readonly string[]): string {
  return `${fields.map((field) => (NEEDS_QUOTES.test(field) ? `"${field.replace(/"/g, '""')}"` : field)).join(',')}\n`;
}
