/** Where tests put the servers they start themselves: below Linux's ephemeral range (32768-60999), where outgoing connections take their local ports and a listener could find its port taken. */
const FIRST = 20_000;
const LAST = 32_000;

/** A random loopback port for a server of the test's own, with `span - 1` more free after it (a cluster's nodes and buses). */
export function randomTestPort(span = 1): number {
  return FIRST + Math.floor(Math.random() * (LAST - FIRST - span));
}
