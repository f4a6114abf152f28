import { CATEGORY_IDS, categoryLabel, mostUrgentTier, type CategoryId, type Tier } from '../taxonomy.js';
import type { Ticket, ZendeskPriority } from '../ticket.js';
import type { CategoryRules, ClassifierRules, FieldConditions } from './classifier-rules.js';
import type { LanguageLexicon } from './lexicon.js';
import { stripMarkup } from './strip-markup.js';
import { compileLanguageDetector, type LanguageDetector } from './detect-languages.js';
import { compileReplyStripper, type ReplyStripper } from './strip-replies.js';
import { TermMatcher, type TermEntry, type TermMatch } from './term-matcher.js';
import { normalizeText } from './normalize-text.js';
import { createSurfaceReader, type SurfaceReader } from './surface-words.js';
import { tokenizeClauses, type ClauseTokens } from './tokenize-clauses.js';

export const STRONG_WEIGHT = 3;
export const WEAK_WEIGHT = 1;
/** A term repeated in one part adds this share of its weight per repeat, at most twice. */
const REPEAT_SHARE = 0.5;
const MAX_COUNTED_REPEATS = 2;
/** Question marks are a language-neutral hint of a how-to question. */
const QUESTION_MARK_WEIGHT = 2;
/** Tokens between a negator and its term: "not a bug", "no es un error", "kein echter Fehler". */
const NEGATION_WINDOW = 3;
const SUBJECT_LABELS = /^\s*(\[[^\]]{0,40}\]\s*)+/;
/**
 * People say what they want first; long bodies trail off into templates, logs and system details.
 * Terms first seen after the lead count at TAIL_FACTOR of their weight.
 */
const LEAD_TOKENS = 120;
/**
 * What a person writes about their problem fits well within these; beyond them bodies are logs,
 * stack traces and pasted mails. The caps also bound the work a hostile 1 MB ticket can cause.
 */
const MAX_BODY_CHARS = 3_000;
const MAX_BODY_TOKENS = 400;
const TAIL_FACTOR = 0.5;
const DEFECT_CATEGORIES: ReadonlySet<CategoryId> = new Set(['bug_report', 'performance_issue']);
const NEGATED_DEFECT_WEIGHT = 2;
/** A question mark in the subject counts this many times one in the body. */
const SUBJECT_QUESTION_FACTOR = 2;
const MAX_QUESTION_MARKS = 3;
/** Confidence reaches about 63 % of its margin share with one strong term. */
const STRENGTH_SCALE = STRONG_WEIGHT;
/** Distinct written forms kept per piece of evidence ("crash*" matching "crashes", "crashed", "crash"). */
const MAX_WORDS = 3;
/** A regex match shown as the words that matched, at most this long. */
const MAX_REGEX_WORDS = 40;

type Signal = (
  | { readonly role: 'category'; readonly category: CategoryId; readonly weight: number; readonly source: string }
  | { readonly role: 'outage' | 'negative' | 'negator' | 'postNegator'; readonly source: string }
) & {
  /** Target and normalised term: the identity under which repeats and cross-language twins count once. */
  readonly key: string;
};

export type Part = 'subject' | 'body';

interface Counted {
  readonly signal: Signal;
  readonly term: string;
  readonly weight: number;
  /** Token positions it was found at: twins from two lexicons at one position count once. */
  readonly first: number;
  later?: Set<number>;
  count: number;
  /** Start and length of its first MAX_WORDS matches, flat: the words shown are read from them. */
  readonly spans: number[];
}

export interface Evidence {
  readonly rule: 'term' | 'negated' | 'opener' | 'regex' | 'tag' | 'channel' | 'form' | 'organization' | 'question';
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

export interface Decision {
  readonly category: CategoryId;
  readonly confidence: number;
  readonly tier: Tier;
  /** Score per category, before the threshold. */
  readonly scores: Readonly<Record<CategoryId, number>>;
  /** Category the scores favour, even when confidence fell below the threshold. */
  readonly bestGuess: CategoryId;
  readonly evidence: readonly Evidence[];
  /** Terms that matched but were negated ("not a bug"); they count for nothing. */
  readonly negated: readonly Evidence[];
  readonly tierReasons: readonly string[];
  /** One line a human can read in a Zendesk note. */
  readonly summary: string;
  /** Set when a model learnt from the account's own tickets chose the category (src/core/learn). */
  readonly learned?: LearnedEvidence;
}

export interface LearnedEvidence {
  /** Labelled tickets the model learnt from. */
  readonly examples: number;
  /** The ticket's words that counted most for the category, as written (lower-cased). */
  readonly words: readonly string[];
}

/**
 * Lets a caller choose the category after the rules scored the ticket (the learned model does), so
 * the tier and its reasons follow the category chosen. Null keeps the rules' choice.
 */
export type CategoryChooser = (rules: Pick<Decision, 'category' | 'confidence' | 'scores' | 'evidence'>) => {
  readonly category: CategoryId;
  readonly confidence: number;
  /** The summary's first half, before "; tier ...". */
  readonly why: string;
  readonly learned?: LearnedEvidence;
} | null;

const PRIORITY_TIER: Readonly<Record<ZendeskPriority, Tier>> = {
  urgent: 'critical',
  high: 'high',
  normal: 'normal',
  low: 'normal',
};

/**
 * The multilingual rule classifier. Built once from the lexicons and the policy's rules; `classify`
 * is pure and safe to call concurrently.
 */
export class Classifier {
  /** One matcher per lexicon language, plus `policy` for the policy file's own terms. */
  private readonly matchers: ReadonlyMap<string, TermMatcher<Signal>>;
  private readonly detectLanguages: LanguageDetector;
  private readonly openers: TermMatcher<{ category: CategoryId; source: string }>;
  private readonly stripReplies: ReplyStripper;
  private readonly regexes: ReadonlyArray<{ category: CategoryId; source: string; regex: RegExp }>;

  constructor(
    lexicons: readonly LanguageLexicon[],
    private readonly rules: ClassifierRules,
  ) {
    const wanted = new Set(rules.languages);
    const used = lexicons.filter((lexicon) => wanted.has(lexicon.language));
    const matchers = new Map<string, TermMatcher<Signal>>();
    for (const lexicon of used) matchers.set(lexicon.language, new TermMatcher(lexiconEntries(lexicon)));
    const custom = policyEntries(rules);
    if (custom.length > 0) matchers.set('policy', new TermMatcher(custom));
    this.matchers = matchers;
    this.detectLanguages = compileLanguageDetector(used.map((lexicon) => lexicon.language));
    this.stripReplies = compileReplyStripper(used);
    this.openers = new TermMatcher(
      used.flatMap((lexicon) =>
        CATEGORY_IDS.flatMap((category) =>
          (lexicon.subjectOpeners?.[category] ?? []).map((term) => ({ term, payload: { category, source: lexicon.language } })),
        ),
      ),
    );
    this.regexes = CATEGORY_IDS.flatMap((category) =>
      rules.categories[category].regexes.map((source) => ({ category, source, regex: new RegExp(source, 'iu') })),
    );
  }

  classify(ticket: Ticket, choose?: CategoryChooser): Decision {
    const scores = zeroScores();
    const evidence: Evidence[] = [];
    const negated: Evidence[] = [];
    const signals = { outage: [] as Evidence[], negative: [] as Evidence[] };
    const body = this.bodyOf(ticket);
    const bodyText = body.slice(0, MAX_BODY_CHARS);
    const parts = [
      { part: 'subject' as const, multiplier: this.rules.subjectWeight, text: ticket.subject, tokenized: tokenizeClauses(ticket.subject) },
      { part: 'body' as const, multiplier: 1, text: bodyText, tokenized: firstTokens(tokenizeClauses(bodyText), MAX_BODY_TOKENS) },
    ];
    const languages = this.detectLanguages(parts.map((part) => part.tokenized.tokens));

    for (const { part, multiplier, text, tokenized } of parts) {
      const { tokens, clauses } = tokenized;
      if (tokens.length === 0) continue;
      for (const found of this.evidenceIn(tokens, clauses, part, languages, createSurfaceReader(text, tokenized))) {
        const target = found.negated ? negated : found.evidence.for === 'outage' || found.evidence.for === 'negative' ? signals[found.evidence.for] : evidence;
        const item = { ...found.evidence, weight: found.evidence.weight * multiplier };
        target.push(item);
        if (item.for === 'outage' || item.for === 'negative') continue;
        if (!found.negated) scores[item.for] += item.weight;
        else if (DEFECT_CATEGORIES.has(item.for)) {
          // "no problems at all", "never crashes": a denied defect is a statement about the experience.
          const weight = NEGATED_DEFECT_WEIGHT * multiplier;
          evidence.push({ ...item, rule: 'negated', for: 'sentiment_experience', value: `not ${item.value}`, weight });
          scores.sentiment_experience += weight;
        }
      }
    }

    for (const opener of this.openersOf(ticket.subject, languages)) {
      evidence.push(opener);
      scores[opener.for as CategoryId] += opener.weight;
    }

    const questionMarks = Math.min(SUBJECT_QUESTION_FACTOR * countQuestionMarks(ticket.subject) + countQuestionMarks(body), MAX_QUESTION_MARKS);
    if (questionMarks > 0) {
      const weight = questionMarks * QUESTION_MARK_WEIGHT;
      evidence.push({ rule: 'question', for: 'onboarding_help', value: '?', source: 'any', weight, count: questionMarks, words: ['?'] });
      scores.onboarding_help += weight;
    }

    for (const { category, source, regex } of this.regexes) {
      const match = regex.exec(ticket.subject) ?? regex.exec(body);
      if (!match) continue;
      const part: Part = match.input === ticket.subject ? 'subject' : 'body';
      const words = match[0].replace(/\s+/g, ' ').trim().slice(0, MAX_REGEX_WORDS);
      evidence.push({ rule: 'regex', for: category, value: source, source: 'policy', part, weight: this.rules.regexWeight, count: 1, ...(words ? { words: [words] } : {}) });
      scores[category] += this.rules.regexWeight;
    }

    for (const category of CATEGORY_IDS) {
      for (const condition of matchConditions(this.rules.categories[category], ticket)) {
        evidence.push({ ...condition, for: category, source: 'policy', weight: this.rules.conditionWeight, count: 1 });
        scores[category] += this.rules.conditionWeight;
      }
    }

    const { best, confidence: ruled } = pickBest(scores);
    evidence.sort((a, b) => b.weight - a.weight);
    const rounded = roundScores(scores);
    const chosen = choose?.({ category: ruled >= this.rules.threshold ? best : 'other', confidence: ruled, scores: rounded, evidence }) ?? null;
    const category = chosen?.category ?? (ruled >= this.rules.threshold ? best : 'other');
    const confidence = chosen?.confidence ?? ruled;
    const { tier, reasons } = this.tierOf(ticket, category, signals.outage, signals.negative);
    return {
      category,
      confidence,
      tier,
      scores: rounded,
      bestGuess: best,
      evidence,
      negated,
      tierReasons: reasons,
      summary: chosen ? `${chosen.why}; tier ${tier} (${reasons.join('; ')})` : summarize(category, best, confidence, this.rules.threshold, evidence, tier, reasons),
      ...(chosen?.learned ? { learned: chosen.learned } : {}),
    };
  }

  private openersOf(subject: string, languages: ReadonlySet<string>): Evidence[] {
    // "[css] Add ..." and "[Feature] ..." open with a bracketed area label; the opener follows it.
    const text = subject.replace(SUBJECT_LABELS, '').slice(0, 80);
    const clauseTokens = tokenizeClauses(text);
    const { tokens } = clauseTokens;
    const read = createSurfaceReader(text, clauseTokens);
    const first = this.openers
      .match(tokens.slice(0, 4))
      .filter((match) => match.start === 0 && languages.has(match.entry.payload.source));
    const weight = STRONG_WEIGHT * this.rules.subjectWeight;
    return first.map((match) => ({
      rule: 'opener',
      for: match.entry.payload.category,
      value: match.entry.term,
      source: match.entry.payload.source,
      part: 'subject',
      weight,
      count: 1,
      words: [read(match.start, match.length)],
    }));
  }

  private bodyOf(ticket: Ticket): string {
    const texts = [this.stripReplies(stripMarkup(ticket.description))];
    for (const comment of ticket.comments ?? []) {
      if (comment.fromRequester && comment.public) texts.push(this.stripReplies(stripMarkup(comment.body)));
    }
    return texts.join('\n');
  }

  private evidenceIn(
    tokens: readonly string[],
    clauses: readonly number[],
    part: Part,
    languages: ReadonlySet<string>,
    read: SurfaceReader,
  ): Array<{ evidence: Evidence; negated: boolean }> {
    const matches: Array<TermMatch<Signal>> = [];
    for (const [language, matcher] of this.matchers) {
      if (language === 'policy' || languages.has(language)) matches.push(...matcher.match(tokens));
    }
    const negatorAt = new Set<number>();
    const postNegatorAt = new Set<number>();
    const longTermCover = new Set<number>();
    for (const match of matches) {
      const { role } = match.entry.payload;
      if (role === 'negator') negatorAt.add(match.start);
      else if (role === 'postNegator') postNegatorAt.add(match.start);
      else if (match.length > 1) for (let i = match.start; i < match.start + match.length; i++) longTermCover.add(i);
    }
    const isNegated = (match: TermMatch<Signal>): boolean => {
      const clause = clauses[match.start];
      for (let distance = 1; distance <= NEGATION_WINDOW; distance++) {
        const before = match.start - distance;
        if (before >= 0 && clauses[before] === clause && negatorAt.has(before) && !longTermCover.has(before)) return true;
        const after = match.start + match.length - 1 + distance;
        if (after < tokens.length && clauses[after] === clause && postNegatorAt.has(after)) return true;
      }
      return false;
    };

    // Repeats of one term (same entry, same negation) are counted, not listed again.
    // Keyed by target and term, so a term two detected lexicons share ("bug*" in en and pl) counts once.
    const counted = [new Map<string, Counted>(), new Map<string, Counted>()] as const;
    for (const match of dropContained(matches)) {
      const signal = match.entry.payload;
      if (signal.role === 'negator' || signal.role === 'postNegator') continue;
      const negated = negatorAt.size + postNegatorAt.size > 0 && isNegated(match);
      const byEntry = counted[negated ? 1 : 0];
      const seen = byEntry.get(signal.key);
      if (!seen) {
        const weight = signal.role === 'category' ? signal.weight * (match.start < LEAD_TOKENS ? 1 : TAIL_FACTOR) : 0;
        byEntry.set(signal.key, { signal, term: match.entry.term, weight, first: match.start, count: 1, spans: [match.start, match.length] });
      } else if (match.start !== seen.first && !seen.later?.has(match.start)) {
        (seen.later ??= new Set()).add(match.start);
        seen.count++;
        if (seen.spans.length < 2 * MAX_WORDS) seen.spans.push(match.start, match.length);
      }
    }
    const found: Array<{ evidence: Evidence; negated: boolean }> = [];
    counted.forEach((byEntry, negatedIndex) => {
      for (const { signal, term, weight, count, spans } of byEntry.values()) {
        const repeats = Math.min(count - 1, MAX_COUNTED_REPEATS);
        found.push({
          evidence: {
            rule: 'term',
            for: signal.role === 'category' ? signal.category : (signal.role as 'outage' | 'negative'),
            value: term,
            source: signal.source,
            part,
            weight: weight * (1 + REPEAT_SHARE * repeats),
            count,
            words: readWords(spans, read),
          },
          negated: negatedIndex === 1,
        });
      }
    });
    return found;
  }

  private tierOf(ticket: Ticket, category: CategoryId, outage: Evidence[], negative: Evidence[]): { tier: Tier; reasons: string[] } {
    const reasons: string[] = [];
    let tier: Tier = 'normal';
    const raise = (to: Tier, reason: string): void => {
      const next = mostUrgentTier(tier, to);
      if (next !== tier) {
        tier = next;
        reasons.push(reason);
      }
    };
    const stepUp = (from: Tier): Tier => (from === 'normal' ? 'high' : 'critical');

    if (ticket.priority) raise(PRIORITY_TIER[ticket.priority], `Zendesk priority ${ticket.priority}`);
    if (outage.length > 0) raise('critical', `outage wording: ${quoteValues(outage)}`);
    const vip = ticket.requester?.vip === true;
    if (vip && negative.length > 0) raise('critical', `VIP requester with strongly negative wording: ${quoteValues(negative)}`);
    if (vip) raise(stepUp(tier), 'VIP requester');
    if (negative.length > 0) raise(stepUp('normal'), `strongly negative wording: ${quoteValues(negative)}`);
    const threshold = this.rules.repeatContactThreshold;
    const recent = ticket.requester?.recentTicketCount ?? 0;
    if (threshold > 0 && recent >= threshold) raise(stepUp('normal'), `repeat contact: ${recent} recent tickets`);
    const minTier = this.rules.categories[category].minTier;
    if (minTier) raise(minTier, `${category} is at least ${minTier} by policy`);
    for (const rule of this.rules.tierRules) {
      const hit = matchConditions(rule, ticket)[0];
      if (hit) raise(rule.tier, `policy tier rule ${hit.value}`);
    }
    if (reasons.length === 0) reasons.push('default tier');
    return { tier, reasons };
  }
}

function lexiconEntries(lexicon: LanguageLexicon): Array<TermEntry<Signal>> {
  const entries: Array<TermEntry<Signal>> = [];
  const add = (terms: readonly string[], payload: DistributiveOmit<Signal, 'key'>): void => {
    for (const term of terms) entries.push({ term, payload: { ...payload, key: signalKey(payload, term) } as Signal });
  };
  const source = lexicon.language;
  for (const category of CATEGORY_IDS) {
    const terms = lexicon.categories[category];
    if (!terms) continue;
    add(terms.strong, { role: 'category', category, weight: STRONG_WEIGHT, source });
    add(terms.weak, { role: 'category', category, weight: WEAK_WEIGHT, source });
  }
  add(lexicon.outage, { role: 'outage', source });
  add(lexicon.negative, { role: 'negative', source });
  add(lexicon.negators, { role: 'negator', source });
  add(lexicon.postNegators, { role: 'postNegator', source });
  return entries;
}

function policyEntries(rules: ClassifierRules): Array<TermEntry<Signal>> {
  return CATEGORY_IDS.flatMap((category) => {
    const custom: CategoryRules = rules.categories[category];
    const entry = (term: string, weight: number): TermEntry<Signal> => ({
      term,
      payload: { role: 'category', category, weight, source: 'policy', key: `policy\u0000${category}\u0000${term}` },
    });
    return [...custom.terms.map((term) => entry(term, STRONG_WEIGHT)), ...custom.weakTerms.map((term) => entry(term, WEAK_WEIGHT))];
  });
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function signalKey(signal: DistributiveOmit<Signal, 'key'>, term: string): string {
  const target = signal.role === 'category' ? `${signal.category}\u0000${signal.weight}` : signal.role;
  return `${target}\u0000${normalizeText(term).trim()}`;
}

/**
 * Drops a match lying inside a longer one: the phrase decides what its words mean ("keeps crashing"
 * is one bug term, not two; "sería genial" asks for a feature, its "genial" is not praise). Category
 * terms yield to longer category terms; outage and negative wording only to their own kind.
 */
function dropContained(matches: Array<TermMatch<Signal>>): Array<TermMatch<Signal>> {
  const longer = matches.filter((match) => match.length > 1);
  if (longer.length === 0) return matches;
  return matches.filter((match) => {
    const kind = match.entry.payload.role;
    return !longer.some(
      (other) =>
        other !== match &&
        other.length > match.length &&
        other.entry.payload.role === kind &&
        other.start <= match.start &&
        match.start + match.length <= other.start + other.length,
    );
  });
}

function matchConditions(conditions: FieldConditions, ticket: Ticket): Array<{ rule: Evidence['rule']; value: string }> {
  const hits: Array<{ rule: Evidence['rule']; value: string }> = [];
  for (const tag of conditions.tags) if (ticket.tags?.includes(tag)) hits.push({ rule: 'tag', value: `tag:${tag}` });
  if (ticket.channel && conditions.channels.includes(ticket.channel)) hits.push({ rule: 'channel', value: `channel:${ticket.channel}` });
  if (ticket.formId && conditions.forms.includes(ticket.formId)) hits.push({ rule: 'form', value: `form:${ticket.formId}` });
  if (ticket.organization && conditions.organizations.includes(ticket.organization)) {
    hits.push({ rule: 'organization', value: `organization:${ticket.organization}` });
  }
  return hits;
}

/**
 * Confidence combines strength (how much evidence the winner has) with margin (its share of the
 * two best scores): one strong term alone gives ~0.63, a weak term alone ~0.28, a tie at most 0.5.
 */
function pickBest(scores: Record<CategoryId, number>): { best: CategoryId; confidence: number } {
  let best: CategoryId = 'other';
  let top = 0;
  let second = 0;
  for (const category of CATEGORY_IDS) {
    const score = scores[category];
    if (score > top) {
      second = top;
      top = score;
      best = category;
    } else if (score > second) {
      second = score;
    }
  }
  if (top === 0) return { best: 'other', confidence: 0 };
  const strength = 1 - Math.exp(-top / STRENGTH_SCALE);
  const margin = top / (top + second);
  return { best, confidence: Math.round(strength * margin * 1000) / 1000 };
}

/** Template prompts ("**What is the current behavior?**", "### Why?") are not the customer asking. */
const TEMPLATE_PROMPT = /\*\*[^*\n]{0,200}\*\*|^\s{0,3}#{1,6} .*$/gm;

/** The distinct words of flat (start, length) spans, in order. */
function readWords(spans: readonly number[], read: SurfaceReader): string[] {
  const words: string[] = [];
  for (let index = 0; index < spans.length; index += 2) {
    const word = read(spans[index]!, spans[index + 1]!);
    if (!words.includes(word)) words.push(word);
  }
  return words;
}

function firstTokens(tokens: ClauseTokens, limit: number): ClauseTokens {
  if (tokens.tokens.length <= limit) return tokens;
  return { ...tokens, tokens: tokens.tokens.slice(0, limit), clauses: tokens.clauses.slice(0, limit), starts: tokens.starts.slice(0, limit) };
}

function countQuestionMarks(raw: string): number {
  if (!raw.includes('?')) return 0;
  const text = raw.replace(TEMPLATE_PROMPT, '');
  let count = 0;
  for (let index = text.indexOf('?'); index !== -1 && count < MAX_QUESTION_MARKS; index = text.indexOf('?', index + 1)) count++;
  return count;
}

function zeroScores(): Record<CategoryId, number> {
  return {
    bug_report: 0,
    billing_issue: 0,
    feature_request: 0,
    onboarding_help: 0,
    performance_issue: 0,
    sentiment_experience: 0,
    content_communication: 0,
    other: 0,
  };
}

function roundScores(scores: Record<CategoryId, number>): Record<CategoryId, number> {
  const rounded = zeroScores();
  for (const category of CATEGORY_IDS) rounded[category] = Math.round(scores[category] * 100) / 100;
  return rounded;
}

function quoteValues(evidence: readonly Evidence[]): string {
  return [...new Set(evidence.map((item) => `"${item.value}"`))].slice(0, 3).join(', ');
}

/**
 * What a piece of evidence shows people, quoted: the ticket's words that matched, once each
 * (`"crashes"`, not the lexicon's `crash*`); a field condition (`"tag:vip"`) or evidence built
 * without words shows its rule value. A denied defect says so outside the quotes: `not "crash"`.
 */
export function evidenceWords(item: Evidence): string[] {
  const words = item.words && item.words.length > 0 ? item.words : [item.rule === 'negated' ? item.value.replace(/^not /, '') : item.value];
  return words.map((word) => (item.rule === 'negated' ? `not "${word}"` : `"${word}"`));
}

/** Up to `max` distinct quoted words of the evidence, in its order. */
export function quoteEvidenceWords(evidence: readonly Evidence[], max: number): string[] {
  const words = new Set<string>();
  for (const item of evidence) {
    for (const word of evidenceWords(item)) {
      if (words.size >= max) return [...words];
      words.add(word);
    }
  }
  return [...words];
}

/** "Bug report (confidence 0.82): "crashes", "bug"; tier high (Zendesk priority high)". */
function summarize(
  category: CategoryId,
  best: CategoryId,
  confidence: number,
  threshold: number,
  evidence: readonly Evidence[],
  tier: Tier,
  tierReasons: readonly string[],
): string {
  const top = quoteEvidenceWords(
    evidence.filter((item) => item.for === best),
    5,
  );
  const why =
    best === 'other' && top.length === 0
      ? 'Other: no category rule matched'
      : category === best
        ? `${categoryLabel(category)} (confidence ${confidence.toFixed(2)})${top.length > 0 ? `: ${top.join(', ')}` : ''}`
        : `Other: best guess ${categoryLabel(best).toLowerCase()} at ${confidence.toFixed(2)} is below the threshold ${threshold.toFixed(2)}${top.length > 0 ? ` (${top.join(', ')})` : ''}`;
  return `${why}; tier ${tier} (${tierReasons.join('; ')})`;
}
