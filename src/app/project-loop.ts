import type { LoopHistoryEntry } from '../core/loop/loop-history.js';
import { effectLabel } from '../core/loop/loop-labels.js';
import { summarizeLoop } from '../core/loop/loop-summary.js';
import type { Effect, LoopState } from '../core/loop/loop-types.js';
import { openLoopRow } from '../core/loop/open-loop-row.js';
import type { DashboardStore, LoopCommitResult, LoopStore, Logger } from './ports.js';

/**
 * Keeps the dashboard's read model in step with the loops: after each committed transition the
 * loop's history (up to that version) is summarised again and its contribution replaced. A
 * projection that fails is logged and left: the loop has moved all the same, and its next move
 * (or `rebuild`) puts its contribution right, since each is computed from the whole history.
 */
export class LoopProjector {
  constructor(
    private readonly deps: {
      readonly loops: Pick<LoopStore, 'get' | 'history'>;
      readonly dashboard: DashboardStore;
      readonly logger: Logger;
    },
  ) {}

  /** `history`: the loop's history as the commit left it, when the store answered with it (else it is read). */
  async moved(state: LoopState, effects: readonly Effect[], at: number, history?: readonly LoopHistoryEntry[]): Promise<void> {
    try {
      await this.project(state.ticketId, state, effects, at, history);
    } catch (error) {
      this.deps.logger.log('warn', 'dashboard read model not updated for this transition', { ticketId: state.ticketId, version: state.version, error: (error as Error).message });
    }
  }

  /**
   * Projects the loops that have no contribution yet (loops from before the dashboard, or whose
   * projection failed), from their history and current state; returns how many it projected.
   */
  async rebuild(loops: readonly { readonly ticketId: number; readonly openedAt: number }[], onProgress?: (done: number) => void, stopped: () => boolean = () => false): Promise<number> {
    let projected = 0;
    for (const [index, loop] of loops.entries()) {
      if (stopped()) break;
      if (!(await this.deps.dashboard.has(loop.ticketId, loop.openedAt))) {
        const state = (await this.deps.loops.get(loop.ticketId))?.state ?? null;
        if (await this.project(loop.ticketId, state, [], null)) projected += 1;
      }
      if ((index + 1) % 1000 === 0) onProgress?.(index + 1);
    }
    return projected;
  }

  private async project(ticketId: number, state: LoopState | null, effects: readonly Effect[], at: number | null, known?: readonly LoopHistoryEntry[]): Promise<boolean> {
    const history = known ?? (await this.deps.loops.history(ticketId));
    const version = state?.version ?? history.at(-1)?.version ?? 0;
    const summary = summarizeLoop(history.filter((entry) => entry.version <= version));
    if (summary === null) return false; // trimmed past its opening: the last contribution stands
    return this.deps.dashboard.apply({
      ticketId,
      version,
      at: at ?? history.at(-1)?.at ?? summary.openedAt,
      summary,
      row: state === null ? null : openLoopRow(state),
      effects: effects.flatMap((effect) => effectLabel(effect) ?? []),
    });
  }
}

/** A LoopStore that projects every committed transition into the dashboard's read model. */
export class ProjectedLoopStore implements LoopStore {
  constructor(
    private readonly inner: LoopStore,
    private readonly projector: LoopProjector,
  ) {}

  get: LoopStore['get'] = (ticketId) => this.inner.get(ticketId);
  parkedEffects: LoopStore['parkedEffects'] = (ticketId, eventKey) => this.inner.parkedEffects(ticketId, eventKey);
  clearOutbox: LoopStore['clearOutbox'] = (ticketId, version) => this.inner.clearOutbox(ticketId, version);
  history: LoopStore['history'] = (ticketId) => this.inner.history(ticketId);

  async commit(commit: Parameters<LoopStore['commit']>[0]): Promise<LoopCommitResult> {
    const result = await this.inner.commit(commit);
    if (result.committed) await this.projector.moved(commit.state, commit.effects, commit.entry.at, result.history);
    return result;
  }
}
