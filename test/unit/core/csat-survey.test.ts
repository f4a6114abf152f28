import { describe, expect, it } from 'vitest';
import { scoreOfSurveyRating, type CsatSurveyThresholds } from '../../../src/core/csat-survey.js';

/** The shipped policy's loop.csat_survey: bad at most 2 of 5, good at least 4 of 5. */
const FIVE: CsatSurveyThresholds = { scale: 5, badAtMost: 2, goodAtLeast: 4 };

describe('scoreOfSurveyRating', () => {
  it.each([
    [1, 'bad'],
    [2, 'bad'],
    [3, 'neutral'],
    [4, 'good'],
    [5, 'good'],
  ] as const)('%i of 5 on the policy\'s own scale is %s', (value, score) => {
    expect(scoreOfSurveyRating({ value, scale: null }, FIVE)).toBe(score);
    expect(scoreOfSurveyRating({ value, scale: 5 }, FIVE)).toBe(score);
  });

  it('a 2-point survey (thumbs down, thumbs up) is read by position: 1 is bad, 2 is good', () => {
    expect(scoreOfSurveyRating({ value: 1, scale: 2 }, FIVE)).toBe('bad');
    expect(scoreOfSurveyRating({ value: 2, scale: 2 }, FIVE)).toBe('good');
  });

  it('a 7-point survey: positions 0, 1/6 are at or below bad (1/4), 5/6 and 1 at or above good (3/4), the rest neutral', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((value) => scoreOfSurveyRating({ value, scale: 7 }, FIVE))).toEqual(['bad', 'bad', 'neutral', 'neutral', 'neutral', 'good', 'good']);
  });

  it('thresholds written for a 3-point scale (bad 1, good 3) leave 2 neutral', () => {
    const three = { scale: 3, badAtMost: 1, goodAtLeast: 3 };
    expect([1, 2, 3].map((value) => scoreOfSurveyRating({ value, scale: null }, three))).toEqual(['bad', 'neutral', 'good']);
  });

  it.each([0, 6, 2.5, -1])('a rating off its scale (%d of 5) is nothing to act on', (value) => {
    expect(scoreOfSurveyRating({ value, scale: 5 }, FIVE)).toBeNull();
  });
});
