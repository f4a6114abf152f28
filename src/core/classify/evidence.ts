import type { CategoryId } from '../taxonomy.js';

export type Part = 'subject' | 'body';

/** One reason a decision was made: a term, opener, type answer, regex or field condition that counted. */
export interface Evidence {
  /** `answer`: the writer's answer to a form's type question ("Issue type: Support"). */
  readonly rule: 'term' | 'negated' | 'opener' | 'answer' | 'regex' | 'tag' | 'channel' | 'form' | 'organization' | 'question';
  /** The category it counts for, or the tier signal it raises. */
  readonly for: CategoryId | 'outage' | 'negative';
  /** The term or condition as configured ("crash*", "tag:vip"). */
  readonly value: string;
  /** Language code of a built-in term, or `policy`. */
  readonly source: string;
  readonly part?: Part;
  readonly weight: number;
  readonly count: number;
  /** The ticket's words that matched, as written (lower-cased), once each; absent for field conditions. */
  readonly words?: readonly string[];
}
