import type { SatisfactionScore } from './ticket-event.js';

/**
 * How a survey response's rating (Zendesk's current CSAT: a rating scale such as 1-5 stars, a
 * 2-point thumbs up/down or 1-7) becomes the good/bad the loop acts on: the policy's
 * `loop.csat_survey`, written for its own `scale`. A response on another scale is placed on the
 * policy's by its position between the lowest and highest point, so "bad at most 2 of 5" also
 * reads a thumbs down as bad and a thumbs up as good.
 */
export interface CsatSurveyThresholds {
  /** The number of points of the account's rating scale (ratings are 1..scale). */
  readonly scale: number;
  /** Ratings at or below this are bad: a detractor follow-up for the owner. */
  readonly badAtMost: number;
  /** Ratings at or above this are good: the loop is verified. In between: neutral, recorded only. */
  readonly goodAtLeast: number;
}

export interface SurveyRating {
  readonly value: number;
  /** Points of the response's own scale, when it says; null means the policy's scale. */
  readonly scale: number | null;
}

export type SurveyScore = Extract<SatisfactionScore, 'good' | 'bad' | 'neutral'>;

/** null when the rating is not on its scale (0, or above the top point): nothing to act on. */
export function scoreOfSurveyRating(rating: SurveyRating, thresholds: CsatSurveyThresholds): SurveyScore | null {
  const scale = rating.scale ?? thresholds.scale;
  if (!Number.isInteger(rating.value) || rating.value < 1 || rating.value > scale) return null;
  const position = (value: number, points: number) => (value - 1) / (points - 1);
  const at = position(rating.value, scale);
  if (at <= position(thresholds.badAtMost, thresholds.scale)) return 'bad';
  if (at >= position(thresholds.goodAtLeast, thresholds.scale)) return 'good';
  return 'neutral';
}
