export interface PollingLoopOptions {
  /**
   * One round of work; resolves to how long to wait before the next (0: go on at once). A round
   * that has found work calls `found` as soon as it knows, so a waiting round looks for more while
   * this one works (rounds side by side: see PollingLoop).
   */
  readonly step: (found: () => void) => Promise<number>;
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
 *
 * With several rounds side by side (the Slack sender's 4), one idle round is enough to watch for
 * work: a round that finds nothing while another already waits out a pause waits without a timer,
 * and each round that finds work (says so, or asks for no pause) starts one of those again, so the
 * rounds running grow with the work. Each waiting out its own pause, 4 rounds looked 4 times a second
 * while idle, and all 4 at once when a channel fell due, 3 of them for nothing.
 */
export class PollingLoop {
  private running = false;
  private loops: Promise<void>[] = [];
  /** Every wait's way to end it: timed pauses and untimed waits alike. */
  private readonly sleeping = new Set<() => void>();
  /** The untimed waits (see the class comment), oldest first. */
  private readonly parked = new Set<() => void>();
  /** Rounds waiting out a pause. */
  private timedWaits = 0;
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
      let started = false;
      const found = () => {
        if (started) return;
        started = true;
        this.startParked();
      };
      try {
        pause = await this.options.step(found);
      } catch (error) {
        this.options.onError(error as Error);
        pause = this.options.failurePauseMs;
      }
      if (this.woken) this.woken = false;
      else if (!this.running) break;
      else if (pause === 0) found();
      else if (this.timedWaits > 0) await this.park();
      else await this.sleep(pause);
    }
  }

  /** A round found work: one untimed wait ends, so that round looks for more. */
  private startParked(): void {
    const [first] = this.parked;
    first?.();
  }

  private sleep(ms: number): Promise<void> {
    this.timedWaits += 1;
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleeping.delete(wake);
        this.timedWaits -= 1;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleeping.add(wake);
    });
  }

  private park(): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.sleeping.delete(wake);
        this.parked.delete(wake);
        resolve();
      };
      this.sleeping.add(wake);
      this.parked.add(wake);
    });
  }
}
