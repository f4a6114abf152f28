import { CATEGORY_IDS, type CategoryId } from '../taxonomy.js';
import type { Evidence } from './evidence.js';

/**
 * One piece of category evidence as found, before precedence: what it is for and the context it
 * was found in. The flags are what the precedence rules below read.
 */
export interface Candidate {
  /** `for` is a category; `weight` is the term's weight with the part's multiplier applied. */
  readonly evidence: Evidence & { readonly for: CategoryId };
  readonly negated: boolean;
  /** The multiplier of the part it was found in (the subject counts double by default). */
  readonly multiplier: number;
  /** A strong term (or an opener, regex or field condition): it outlasts a courtesy clause. */
  readonly strong: boolean;
  /** Onboarding evidence from the question's form ("how do I", "?", an opener), not its topic. */
  readonly form: boolean;
  /** Found in a clause with a greeting or thanks ("Dear customer service", "thanks for your help"). */
  readonly courtesy: boolean;
  /** Found in a clause ending "??" or "?!". */
  readonly rhetorical: boolean;
  /** Sentiment wording that is also strongly negative ("terrible", "schrecklich"). */
  readonly negativeWording: boolean;
  /** Found in a clause where an install, activation or sign-up word meets a failure. */
  readonly setupFailure: boolean;
}

export const NEGATED_DEFECT_WEIGHT = 2;
const DEFECT_CATEGORIES: ReadonlySet<CategoryId> = new Set(['bug_report', 'performance_issue']);
/**
 * Categories whose topic outranks a question's form: "how do I get a refund?" is billing's to
 * answer. A question about a defect or about speed stays a question ("how do I fix this error?",
 * "how can I profile this?"), unless it is an install failure (setupFailure).
 */
const TOPICS_OVER_FORM: readonly CategoryId[] = ['billing_issue'];
/** Score a topic needs (one strong term) before a question's form yields to it. */
const TOPIC_MIN_SCORE = 3;
/** Defect score from which a report of a defect outranks the feelings about it. */
const DEFECT_MIN_SCORE = 1;
/** What sentiment wording is worth next to a concrete defect ("love it, but it crashes"). */
const EVALUATION_SHARE_BESIDE_DEFECT = 0.5;

export interface Weighed {
  readonly scores: Record<CategoryId, number>;
  /** Evidence that counts, with its final weight. */
  readonly evidence: Evidence[];
  /** Terms that matched but were negated and count for nothing. */
  readonly negated: Evidence[];
}

/**
 * Applies the precedence between kinds of evidence, in this order:
 * 1. a negated defect ("never crashes") and a negated feeling ("not bad") are feedback;
 * 2. a greeting or thanks clause keeps only its strong terms;
 * 3. a rhetorical question ("why??") and an install failure ask nothing;
 * 4. a billing topic outranks onboarding's question form;
 * 5. a concrete defect outranks sentiment: strongly negative wording beside it counts for nothing,
 *    other feelings for half.
 */
export function weighEvidence(candidates: readonly Candidate[]): Weighed {
  const negated: Evidence[] = [];
  const kept: Candidate[] = [];
  for (const candidate of candidates) {
    const item = candidate.evidence;
    if (candidate.negated) {
      negated.push(item);
      if (DEFECT_CATEGORIES.has(item.for)) {
        const weight = NEGATED_DEFECT_WEIGHT * candidate.multiplier;
        kept.push({ ...candidate, negated: false, evidence: { ...item, rule: 'negated', for: 'sentiment_experience', value: `not ${item.value}`, weight } });
      } else if (item.for === 'sentiment_experience' && candidate.strong) {
        // "not happy", "nicht zufrieden": a denied feeling is still one ("not always" is not).
        kept.push({ ...candidate, negated: false, evidence: { ...item, rule: 'negated', value: `not ${item.value}` } });
      }
      continue;
    }
    if (candidate.courtesy && !candidate.strong) continue;
    if (candidate.form && candidate.rhetorical) continue;
    if (candidate.setupFailure && item.for === 'onboarding_help') continue;
    kept.push(candidate);
  }

  const provisional = sumScores(kept, () => 1);
  // An install failure is what a question around it asks about: "how do I get past this? The installation fails".
  const setupFailed = kept.some((candidate) => candidate.setupFailure && candidate.evidence.for === 'bug_report');
  const topicOutranksForm = setupFailed || TOPICS_OVER_FORM.some((category) => provisional[category] >= TOPIC_MIN_SCORE);
  const defect = provisional.bug_report + provisional.performance_issue >= DEFECT_MIN_SCORE;
  const share = (candidate: Candidate): number => {
    if (topicOutranksForm && candidate.form) return 0;
    if (defect && candidate.evidence.for === 'sentiment_experience') {
      return candidate.negativeWording ? 0 : EVALUATION_SHARE_BESIDE_DEFECT;
    }
    return 1;
  };
  const evidence: Evidence[] = [];
  for (const candidate of kept) {
    const factor = share(candidate);
    if (factor > 0) evidence.push(factor === 1 ? candidate.evidence : { ...candidate.evidence, weight: candidate.evidence.weight * factor });
  }
  const scores = zeroScores();
  for (const item of evidence) scores[item.for as CategoryId] += item.weight;
  return { scores, evidence, negated };
}

function sumScores(candidates: readonly Candidate[], factor: (candidate: Candidate) => number): Record<CategoryId, number> {
  const scores = zeroScores();
  for (const candidate of candidates) scores[candidate.evidence.for] += candidate.evidence.weight * factor(candidate);
  return scores;
}

export function zeroScores(): Record<CategoryId, number> {
  const scores = {} as Record<CategoryId, number>;
  for (const category of CATEGORY_IDS) scores[category] = 0;
  return scores;
}
