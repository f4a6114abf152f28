/**
 * How long a call waits for others to join its group. At 1 ms the throughput bench's routed ticket
 * costs 5.0 Lua calls instead of 7.3 (the backlog, dashboard and Slack outbox scripts grouped),
 * with its throughput unchanged within the run-to-run noise; waiting only for the end of the turn
 * grouped too few calls (6.3), and 5 ms slowed the events stage (every event waits on these calls).
 * Nothing that waits here is in a hurry: a routing write waits for its batch anyway, a Slack post
 * for its channel's rate limit.
 */
export const GROUP_WAIT_MS = 1;

/**
 * Calls of one script by many callers of a process, sent to Redis as one call per group (a group
 * commit): a call waits GROUP_WAIT_MS for others, and while a group is in Redis the calls made
 * meanwhile wait for it and go together as the next one. Under a burst, one round trip and one Lua
 * call serve a whole group instead of one per call. Groups go one after another, so calls reach
 * Redis in the order they were made; the groups of every GroupedCalls due at the same moment
 * leave together.
 *
 * `send` gets the calls' arguments in order and answers per call: a value, or an Error that
 * rejects that call alone (one bad item fails no other caller); a failed send rejects the group.
 */
export class GroupedCalls<Call, Answer> {
  private waiting: Array<{ readonly call: Call; readonly resolve: (answer: Answer) => void; readonly reject: (error: unknown) => void }> = [];
  private sending = false;
  private scheduled = false;

  constructor(
    private readonly send: (calls: readonly Call[]) => Promise<ReadonlyArray<Answer | Error>>,
    /** Most calls in one group: a script runs alone in Redis, so a group is kept short. */
    private readonly maxGroup = 64,
  ) {}

  call(call: Call): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      this.waiting.push({ call, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.sending || this.scheduled) return;
    this.scheduled = true;
    sendSoon(this);
  }

  /** Sends the next group (once per schedule). */
  async sendNext(): Promise<void> {
    this.scheduled = false;
    if (this.sending || this.waiting.length === 0) return;
    const group = this.waiting.splice(0, this.maxGroup);
    this.sending = true;
    try {
      const answers = await this.send(group.map((waiting) => waiting.call));
      group.forEach((waiting, index) => {
        const answer = answers[index];
        if (answer instanceof Error) waiting.reject(answer);
        else if (index >= answers.length) waiting.reject(new Error(`a grouped script answered ${answers.length} of ${group.length} calls`));
        else waiting.resolve(answer as Answer);
      });
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
    } finally {
      this.sending = false;
      if (this.waiting.length > 0) this.schedule();
    }
  }
}

/**
 * The groups to send at the next timer, of every GroupedCalls of the process: sent from one
 * callback, so their scripts leave in one socket write (the connections cork each pass of
 * the event loop: redis-connection.ts), not one each.
 */
const due = new Set<{ sendNext(): Promise<void> }>();

function sendSoon(calls: { sendNext(): Promise<void> }): void {
  if (due.size === 0) {
    setTimeout(() => {
      const sending = [...due];
      due.clear();
      for (const each of sending) void each.sendNext();
    }, GROUP_WAIT_MS);
  }
  due.add(calls);
}
