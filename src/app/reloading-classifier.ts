import type { Classifier, Decision } from '../core/classify/classifier.js';
import type { LearnedClassifier } from '../core/learn/learned-classifier.js';
import { describeInstall, ModelRefusedError } from '../core/learn/model-codec.js';
import type { InstallIdentity } from '../core/learn/learned-model.js';
import type { Ticket } from '../core/ticket.js';
import { createLearnedClassifier } from './create-classifier.js';
import type { Logger, ModelStore, TicketClassifier } from './ports.js';

/** How often a process asks Redis whether a new model was stored (one GET of a short key). */
export const MODEL_CHECK_EVERY_MS = 10_000;

export interface ReloadingClassifierDeps {
  readonly rules: Classifier;
  readonly store: ModelStore;
  readonly install: InstallIdentity;
  readonly logger: Logger;
  readonly now: () => number;
  readonly checkEveryMs?: number;
}

/**
 * The rules, joined by the install's learned model when one is stored. Every process reads the
 * model's version key at most every MODEL_CHECK_EVERY_MS (before classifying, so no timer is left
 * to stop) and loads a new model when it changed: `cxloop train` takes effect without a restart.
 * A stored model this install must not use (another install, category set or format) is logged
 * once per version and the rules decide alone.
 */
export class ReloadingClassifier implements TicketClassifier {
  private current: { version: string | null; learned: LearnedClassifier | null } = { version: null, learned: null };
  private checkedAt = -Infinity;
  private checking: Promise<void> | null = null;

  constructor(private readonly deps: ReloadingClassifierDeps) {}

  /** The model in use, if any. */
  get learned(): LearnedClassifier | null {
    return this.current.learned;
  }

  async classify(ticket: Ticket): Promise<Decision> {
    if (this.deps.now() - this.checkedAt >= (this.deps.checkEveryMs ?? MODEL_CHECK_EVERY_MS)) await this.refresh();
    return (this.current.learned ?? this.deps.rules).classify(ticket);
  }

  /** Checks the stored version now and loads the model if it changed (concurrent callers share one check). */
  refresh(): Promise<void> {
    this.checking ??= this.check().finally(() => (this.checking = null));
    return this.checking;
  }

  private async check(): Promise<void> {
    const version = await this.deps.store.version();
    this.checkedAt = this.deps.now();
    if (version === this.current.version) return;
    if (version === null) {
      this.current = { version: null, learned: null };
      this.deps.logger.log('info', 'no learned model stored any more: the rules decide alone');
      return;
    }
    const stored = await this.deps.store.load();
    if (stored === null) return;
    try {
      const learned = createLearnedClassifier(this.deps.rules, stored.bytes, this.deps.install);
      this.current = { version: stored.version, learned };
      const { meta } = learned.model;
      this.deps.logger.log('info', 'learned model loaded', {
        version: stored.version,
        trainedAt: meta.trainedAt,
        rows: meta.rows,
        decides: meta.combination.categories,
        threshold: meta.combination.threshold,
      });
    } catch (error) {
      if (!(error instanceof ModelRefusedError)) throw error;
      this.current = { version: stored.version, learned: null };
      this.deps.logger.log('warn', `stored learned model refused, the rules decide alone: ${error.message}`, { code: error.code, version: stored.version, install: describeInstall(this.deps.install) });
    }
  }
}
