export interface PollingLoopOptions {
  /** One round of work; resolves to how long to wait before the next (0: go on at once). */
  readonly step: () => Promise<number>;
  /** A round that threw: logged by the owner, then the next is tried after `failurePauseMs`. */
  readonly onError: (error: Error) => void;
  readonly failurePauseMs: number;
  /** Rounds running side by side (default 1). */
  readonly concurrency?: number;
}

/**
 * How long a poller with nothing due waits: until `nextDueAt` (its first item, on the caller's
 * clock; null: none), at most `idleMs`, at least 1 ms.
 */
export function idlePause(nextDueAt: number | null, now: number, idleMs: number): number {
  return nextDueAt === null ? idleMs : Math.min(idleMs, Math.max(1, nextDueAt - now));
}

/**
 * The loop a poller runs in the background (the loop timer poller, the routing backlog writer,
 * the Slack sender): rounds until stopped, each waiting as long as the last asked, a failing round
 * logged and retried after a pause rather than ending the loop. stop() and wake() cut a wait short.
 */
export class PollingLoop {
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly sleeping = new Set<() => void>();
  /** A wake() while no round slept: the next wait is skipped (a round in flight may have looked too early). */
  private woken = false;

  constructor(private readonly options: PollingLoopOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = Array.from({ length: this.options.concurrency ?? 1 }, () => this.run());
  }

  /** Resolves once the rounds in hand have finished. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await Promise.all(this.loops);
  }

  /** Ends the waits now: the next rounds start at once (a round in flight starts its next one without waiting). */
  wake(): void {
    if (this.sleeping.size === 0) this.woken = true;
    for (const wake of this.sleeping) wake();
  }

  /** Ends one wait now (with none waiting, a round in flight starts its next one without waiting). */
  wakeOne(): void {
    const [first] = this.sleeping;
    if (first) first();
    else this.woken = true;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let pause: number;
      try {
        pause = await this.options.step();
      } catch (error) {
        this.options.onError(error as Error);
        pause = this.options.failurePauseMs;
      }
      if (this.woken) this.woken = false;
      else if (pause > 0 && this.running) await this.sleep(pause);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleeping.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleeping.add(wake);
    });
  }
}
