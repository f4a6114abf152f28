/** redis://user:pass@host:6379 -> redis://***@host:6379, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
