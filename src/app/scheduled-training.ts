import type { Logger } from './ports.js';

/**
 * The scheduled training (CXLOOP_TRAIN_EVERY) is `cxloop train` itself, with these arguments: the
 * account's solved tickets and the recorded corrections, the model stored only when the
 * combination beats the rules, the outcome as JSON to log.
 */
export const SCHEDULED_TRAIN_ARGS: readonly string[] = ['train', '--from-zendesk', '--if-better', '--json'];

/** Runs `cxloop <SCHEDULED_TRAIN_ARGS>` and hands back its exit code and what it printed. */
export type TrainCommand = () => Promise<{ readonly code: number; readonly stdout: string; readonly stderr: string }>;

/** What a scheduled run did, as logged. */
export interface TrainingOutcome {
  readonly rows: number;
  readonly stored: boolean;
  readonly decides: readonly string[];
  readonly macroF1: { readonly rules: number; readonly model: number; readonly combination: number };
  readonly fingerprint: string;
}

export class ScheduledTrainingError extends Error {
  readonly code = 'SCHEDULED_TRAINING_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'ScheduledTrainingError';
  }
}

/** Lines of `train`'s stderr kept in a failure's message (the reason is its last line). */
const STDERR_LINES_KEPT = 3;

/** Runs the training command once and logs what it did: stored or not, and the figures that decided. */
export async function runScheduledTraining(train: TrainCommand, logger: Logger): Promise<TrainingOutcome> {
  logger.log('info', 'scheduled training: cxloop train --from-zendesk started');
  const { code, stdout, stderr } = await train();
  if (code !== 0) {
    const why = stderr.trim().split('\n').slice(-STDERR_LINES_KEPT).join(' / ');
    throw new ScheduledTrainingError(`scheduled training failed (exit ${code}): ${why || 'no message'}`);
  }
  const outcome = trainingOutcomeOf(stdout);
  const figures = `rules ${outcome.macroF1.rules.toFixed(3)}, model ${outcome.macroF1.model.toFixed(3)}, combination ${outcome.macroF1.combination.toFixed(3)}`;
  logger.log(
    'info',
    outcome.stored
      ? `scheduled training: model stored, the combination decides ${outcome.decides.join(', ')} (cross-validated macro-F1 ${figures})`
      : `scheduled training: model not stored, the combination does not beat the rules (cross-validated macro-F1 ${figures}); the stored model stays as it was`,
    { rows: outcome.rows, stored: outcome.stored, decides: outcome.decides, fingerprint: outcome.fingerprint },
  );
  return outcome;
}

/** The outcome from `train --json`'s output. */
export function trainingOutcomeOf(stdout: string): TrainingOutcome {
  let parsed: {
    rows: number;
    stored: boolean;
    meta: { fingerprint: string; combination: { categories: string[] } };
    crossValidation: { rules: { macroF1: number }; model: { macroF1: number }; combination: { macroF1: number } };
  };
  try {
    parsed = JSON.parse(stdout);
  } catch (error) {
    throw new ScheduledTrainingError(`scheduled training printed no JSON outcome (${(error as Error).message})`);
  }
  const { crossValidation: cv } = parsed;
  return {
    rows: parsed.rows,
    stored: parsed.stored,
    decides: parsed.meta.combination.categories,
    macroF1: { rules: cv.rules.macroF1, model: cv.model.macroF1, combination: cv.combination.macroF1 },
    fingerprint: parsed.meta.fingerprint,
  };
}
