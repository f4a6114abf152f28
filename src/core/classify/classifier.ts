import { CATEGORY_IDS, categoryLabel, mostUrgentTier, type CategoryId, type Tier } from '../taxonomy.js';
import type { Ticket, ZendeskPriority } from '../ticket.js';
import type { CategoryRules, ClassifierRules, FieldConditions } from './classifier-rules.js';
import type { Evidence, Part } from './evidence.js';
import type { LanguageLexicon } from './lexicon.js';
import { OUTAGE_PAGES, STATUS_CODES } from './lexicons/universal.js';
import { stripMarkup } from './strip-markup.js';
import { compileLanguageDetector, type LanguageDetector } from './detect-languages.js';
import { compileReplyStripper, type ReplyStripper } from './strip-replies.js';
import { TermMatcher, type TermEntry, type TermMatch } from './term-matcher.js';
import { normalizeText } from './normalize-text.js';
import { createSurfaceReader, type SurfaceReader } from './surface-words.js';
import { tokenizeClauses, type ClauseTokens } from './tokenize-clauses.js';
import { typeAnswerOf } from './type-answer.js';
import { weighEvidence, zeroScores, type Candidate } from './weigh-evidence.js';

export type { Evidence, Part } from './evidence.js';

export const STRONG_WEIGHT = 3;
export const WEAK_WEIGHT = 1;
/** A service that is down outweighs the defect words that describe it ("sistem tamamen çöktü"). */
const OUTAGE_WEIGHT = 4;
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
/**
 * Categories whose strong words name a topic, whether affirmed or denied: "no refund yet", "I was
 * not charged", "haven't received my invoice" are billing tickets, so negation leaves those terms
 * counting. Weak ones still take it ("do not upgrade", "without a plan" are not about billing).
 */
const TOPIC_CATEGORIES: ReadonlySet<CategoryId> = new Set(['billing_issue']);
/** A question mark in the subject counts this many times one in the body. */
const SUBJECT_QUESTION_FACTOR = 2;
const MAX_QUESTION_MARKS = 3;
/**
 * A form's type answer ("Issue type: Support") against a subject's opener: twice its weight, so
 * the label the writer chose outweighs a few defect words in a question written up as a bug
 * report, and gives way only to a text that says much more for another category.
 */
const TYPE_ANSWER_FACTOR = 2;
/**
 * A ticket of at most this many words (subject and body) is a rating or a one-line verdict: "ok",
 * "not bad", "Love it!", "★★★★★". Its rating words count, and thanks alone count as feedback.
 */
const SHORT_TICKET_TOKENS = 8;
/** A line that opens with a greeting and has at most this many words is the salutation. */
const SALUTATION_TOKENS = 6;
/** Star, heart, thumb and face symbols, and "4/5" or "10/10" scores: ratings in any language. */
const RATING_SYMBOLS = /[\u2605\u2606\u2b50\u2764\u2665\u{1f44d}\u{1f44e}\u{1f495}-\u{1f49f}\u{1f4af}\u{1f600}-\u{1f64f}\u{1f910}-\u{1f92f}\u{1f970}-\u{1f97a}]|\b(?:[0-9]|10)\s?\/\s?(?:5|10)\b/u;
/** Confidence reaches about 63 % of its margin share with one strong term. */
const STRENGTH_SCALE = STRONG_WEIGHT;
/** Distinct written forms kept per piece of evidence ("crash*" matching "crashes", "crashed", "crash"). */
const MAX_WORDS = 3;
/** A regex match shown as the words that matched, at most this long. */
const MAX_REGEX_WORDS = 40;
/** Written forms of a part with none of its own, in a ticket whose writer types diacritics. */
const NOTHING_WRITTEN: ReadonlyArray<string | undefined> = [];
const UNIVERSAL = 'any';
/** Distinct tokens whose pattern ids are remembered; cleared when full (a cheap bound, not an LRU). */
const TOKEN_PATTERNS_LIMIT = 200_000;

type SignalRole = 'outage' | 'urgent' | 'negative' | 'negator' | 'postNegator' | 'greeting' | 'thanks' | 'rating' | 'setup' | 'statusCode';

type Signal = (
  | {
      readonly role: 'category';
      readonly category: CategoryId;
      readonly weight: number;
      readonly source: string;
      /** Counts only at the start of a clause (LanguageLexicon.clauseInitial). */
      readonly clauseInitial?: true;
    }
  | { readonly role: SignalRole; readonly source: string }
) & {
  /** Target and normalised term: the identity under which repeats and cross-language twins count once. */
  readonly key: string;
};

interface Counted {
  readonly signal: Signal;
  readonly term: string;
  readonly weight: number;
  /** Token positions it was found at: twins from two lexicons at one position count once. */
  readonly first: number;
  /** Tokens of its first match. */
  readonly length: number;
  later?: Set<number>;
  count: number;
  /** Start and length of its first MAX_WORDS matches, flat: the words shown are read from them. */
  readonly spans: number[];
}

/** What one part of a ticket (subject or body) says. */
interface PartFindings {
  readonly candidates: Candidate[];
  /** Rating words; found only in a short ticket. */
  readonly ratings: Candidate[];
  readonly outage: Evidence[];
  readonly urgent: Evidence[];
  readonly negative: Evidence[];
  readonly statusCodes: Evidence[];
  /** Install, activation and sign-in steps that fail: defects, unless the ticket reports an outage (then they are its symptom). */
  readonly setupFailures: Candidate[];
  /** Thanks; kept only in a short ticket, where they may be its message. */
  readonly thanks: Evidence[];
  /** Negated outage, urgency and negative wording (negated category terms are weighed later). */
  readonly negated: Evidence[];
  /** It opens with a salutation ("Dear ...", "Sehr geehrte ..."). */
  greeted: boolean;
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
  /** One matcher per lexicon language, plus `any` for language-neutral signals and `policy` for the policy file's own terms. */
  private readonly matchers: ReadonlyArray<{ readonly language: string; readonly matcher: TermMatcher<Signal> }>;
  /**
   * Per token, its pattern ids in each of `matchers` (by index; filled as a matcher first needs
   * them): one lookup per token for all the matchers, not one in each.
   */
  private readonly tokenPatterns = new Map<string, Array<readonly number[] | undefined>>();
  /** A part's tokenPatterns entries, and its pattern ids in one matcher: reused from part to part (classify is synchronous), as they are only read while matching. */
  private readonly scratchKnown: Array<Array<readonly number[] | undefined>> = [];
  private readonly scratchPatterns: Array<readonly number[]> = [];
  private readonly detectLanguages: LanguageDetector;
  private readonly openers: TermMatcher<{ category: CategoryId; source: string }>;
  private readonly stripReplies: ReplyStripper;
  private readonly regexes: ReadonlyArray<{ category: CategoryId; source: string; regex: RegExp }>;
  /** Per lexicon language, the words that close its two-part negation (LanguageLexicon.negationCloses), folded as tokens are. */
  private readonly negationCloses: ReadonlyMap<string, ReadonlySet<string>>;

  constructor(
    lexicons: readonly LanguageLexicon[],
    private readonly rules: ClassifierRules,
  ) {
    const wanted = new Set(rules.languages);
    const used = lexicons.filter((lexicon) => wanted.has(lexicon.language));
    const matchers = new Map<string, TermMatcher<Signal>>();
    for (const lexicon of used) matchers.set(lexicon.language, new TermMatcher(lexiconEntries(lexicon)));
    matchers.set(UNIVERSAL, new TermMatcher(universalEntries()));
    const custom = policyEntries(rules);
    if (custom.length > 0) matchers.set('policy', new TermMatcher(custom));
    this.matchers = [...matchers].map(([language, matcher]) => ({ language, matcher }));
    this.negationCloses = new Map(used.flatMap((lexicon) => (lexicon.negationCloses ? [[lexicon.language, new Set(lexicon.negationCloses.map(normalizeText))] as const] : [])));
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
    const body = this.bodyOf(ticket);
    const bodyText = body.slice(0, MAX_BODY_CHARS);
    const subjectTokens = tokenizeClauses(ticket.subject);
    const bodyTokens = tokenizeClauses(bodyText);
    const parts = [
      { part: 'subject' as const, multiplier: this.rules.subjectWeight, text: ticket.subject, tokenized: subjectTokens },
      { part: 'body' as const, multiplier: 1, text: bodyText, tokenized: firstTokens(bodyTokens, MAX_BODY_TOKENS) },
    ];
    const languages = this.detectLanguages(parts.map((part) => part.tokenized.tokens));
    // A writer who types diacritics anywhere in the ticket means them: match accent-aware (term-matcher.ts).
    const accentAware = parts.some((part) => part.tokenized.written !== undefined);
    const short = subjectTokens.tokens.length + bodyTokens.tokens.length <= SHORT_TICKET_TOKENS;

    const candidates: Candidate[] = [];
    const found: PartFindings[] = [];
    for (const { part, multiplier, text, tokenized } of parts) {
      if (tokenized.tokens.length === 0) continue;
      const written = accentAware ? (tokenized.written ?? NOTHING_WRITTEN) : undefined;
      const findings = this.evidenceIn(tokenized, written, part, multiplier, languages, createSurfaceReader(text, tokenized), short);
      found.push(findings);
      candidates.push(...findings.candidates, ...findings.ratings);
    }
    const signals = {
      outage: found.flatMap((findings) => findings.outage),
      urgent: found.flatMap((findings) => findings.urgent),
      negative: found.flatMap((findings) => findings.negative),
    };
    // Nobody able to sign in during an outage is the outage, not a defect of its own.
    if (signals.outage.length === 0) candidates.push(...found.flatMap((findings) => findings.setupFailures));

    candidates.push(...this.openersOf(ticket.subject, languages));
    // The writer's own answer to a form's type question (read from the description as written:
    // stripping markup drops the form's prompts) is a label they chose, not wording.
    const answer = typeAnswerOf(ticket.description);
    if (answer) {
      const weight = STRONG_WEIGHT * this.rules.subjectWeight * TYPE_ANSWER_FACTOR;
      const words = answer.words.toLowerCase();
      const evidence = { rule: 'answer', for: answer.category, value: words, source: UNIVERSAL, part: 'body', weight, count: 1, words: [words] } as const;
      candidates.push(plainCandidate(evidence));
    }
    const questionMarks = Math.min(SUBJECT_QUESTION_FACTOR * countQuestionMarks(ticket.subject) + countQuestionMarks(body), MAX_QUESTION_MARKS);
    if (questionMarks > 0) {
      const weight = questionMarks * QUESTION_MARK_WEIGHT;
      const evidence = { rule: 'question', for: 'onboarding_help', value: '?', source: 'any', weight, count: questionMarks, words: ['?'] } as const;
      candidates.push(plainCandidate(evidence, { form: true }));
    }
    if (short) {
      const symbol = RATING_SYMBOLS.exec(`${ticket.subject} ${body}`);
      if (symbol) {
        const evidence = { rule: 'term', for: 'sentiment_experience', value: 'rating', source: UNIVERSAL, weight: STRONG_WEIGHT, count: 1, words: [symbol[0]] } as const;
        candidates.push(plainCandidate(evidence));
      }
    }

    for (const { category, source, regex } of this.regexes) {
      const match = regex.exec(ticket.subject) ?? regex.exec(body);
      if (!match) continue;
      const part: Part = match.input === ticket.subject ? 'subject' : 'body';
      const words = match[0].replace(/\s+/g, ' ').trim().slice(0, MAX_REGEX_WORDS);
      candidates.push(plainCandidate({ rule: 'regex', for: category, value: source, source: 'policy', part, weight: this.rules.regexWeight, count: 1, ...(words ? { words: [words] } : {}) }));
    }
    for (const category of CATEGORY_IDS) {
      for (const condition of matchConditions(this.rules.categories[category], ticket)) {
        candidates.push(plainCandidate({ ...condition, for: category, source: 'policy', weight: this.rules.conditionWeight, count: 1 }));
      }
    }

    // A gateway status code is an outage when the words around it report a failure (universal.ts).
    const failing = signals.outage.length > 0 || candidates.some((candidate) => !candidate.negated && DEFECT_CATEGORIES.has(candidate.evidence.for));
    for (const code of failing ? found.flatMap((findings) => findings.statusCodes) : []) {
      signals.outage.push(code);
      candidates.push(plainCandidate({ ...code, for: 'performance_issue', weight: OUTAGE_WEIGHT * (code.part === 'subject' ? this.rules.subjectWeight : 1) }));
    }

    const weighed = weighEvidence(candidates);
    const { scores, evidence } = weighed;
    const thanks = found.flatMap((findings) => findings.thanks)[0];
    if (short && thanks && evidence.length === 0 && !found.some((findings) => findings.greeted)) {
      // "Thank you!" and nothing else: gratitude is the message (a letter's "Dear ..., thank you" is its opening).
      evidence.push({ ...thanks, for: 'sentiment_experience', weight: WEAK_WEIGHT });
      scores.sentiment_experience += WEAK_WEIGHT;
    }
    const negated = [...weighed.negated, ...found.flatMap((findings) => findings.negated)];

    const { best, confidence: ruled } = pickBest(scores);
    evidence.sort((a, b) => b.weight - a.weight);
    const rounded = roundScores(scores);
    const chosen = choose?.({ category: ruled >= this.rules.threshold ? best : 'other', confidence: ruled, scores: rounded, evidence }) ?? null;
    const category = chosen?.category ?? (ruled >= this.rules.threshold ? best : 'other');
    const confidence = chosen?.confidence ?? ruled;
    const { tier, reasons } = this.tierOf(ticket, category, signals);
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

  /** The token's entry in tokenPatterns (bounded as a TermMatcher bounds its own memo). */
  private patternsKnown(token: string): Array<readonly number[] | undefined> {
    const known = this.tokenPatterns.get(token);
    if (known) return known;
    if (this.tokenPatterns.size >= TOKEN_PATTERNS_LIMIT) this.tokenPatterns.clear();
    const fresh = new Array<readonly number[] | undefined>(this.matchers.length);
    this.tokenPatterns.set(token, fresh);
    return fresh;
  }

  private openersOf(subject: string, languages: ReadonlySet<string>): Candidate[] {
    // "[css] Add ..." and "[Feature] ..." open with a bracketed area label; the opener follows it.
    const text = subject.replace(SUBJECT_LABELS, '').slice(0, 80);
    const clauseTokens = tokenizeClauses(text);
    const { tokens } = clauseTokens;
    const read = createSurfaceReader(text, clauseTokens);
    const first = this.openers
      .match(tokens.slice(0, 4))
      .filter((match) => match.start === 0 && languages.has(match.entry.payload.source));
    const weight = STRONG_WEIGHT * this.rules.subjectWeight;
    // A subject opens one way: "Cannot ..." matches both "cannot" and "can not", and counts once.
    const opened = new Set<CategoryId>();
    const once = first.filter((match) => !opened.has(match.entry.payload.category) && opened.add(match.entry.payload.category));
    return once.map((match) => {
      const { category, source } = match.entry.payload;
      const evidence = { rule: 'opener', for: category, value: match.entry.term, source, part: 'subject', weight, count: 1, words: [read(match.start, match.length)] } as const;
      return plainCandidate(evidence, { form: category === 'onboarding_help', rhetorical: clauseTokens.rhetorical.has(0) });
    });
  }

  private bodyOf(ticket: Ticket): string {
    const texts = [this.stripReplies(stripMarkup(ticket.description))];
    for (const comment of ticket.comments ?? []) {
      if (comment.fromRequester && comment.public) texts.push(this.stripReplies(stripMarkup(comment.body)));
    }
    return texts.join('\n');
  }

  private evidenceIn(
    tokenized: ClauseTokens,
    written: ReadonlyArray<string | undefined> | undefined,
    part: Part,
    multiplier: number,
    languages: ReadonlySet<string>,
    read: SurfaceReader,
    short: boolean,
  ): PartFindings {
    const { tokens, clauses } = tokenized;
    const matches: Array<TermMatch<Signal>> = [];
    const known = this.scratchKnown;
    known.length = 0;
    for (const token of tokens) known.push(this.patternsKnown(token));
    const patternsAt = this.scratchPatterns;
    this.matchers.forEach(({ language, matcher }, index) => {
      if (language !== 'policy' && language !== UNIVERSAL && !languages.has(language)) return;
      patternsAt.length = 0;
      for (let position = 0; position < tokens.length; position++) patternsAt.push((known[position]![index] ??= matcher.resolve(tokens[position]!)));
      for (const match of matcher.matchResolved(tokens, patternsAt, written, clauses)) {
        const { payload } = match.entry;
        // A verb-first question's words after a fronted phrase state something instead: not a match.
        if (payload.role === 'category' && payload.clauseInitial && match.start > 0 && clauses[match.start - 1] === clauses[match.start]) continue;
        matches.push(match);
      }
    });
    const negatorAt = new Set<number>();
    const postNegatorAt = new Set<number>();
    const longTermCover = new Set<number>();
    const courtesyClauses = new Set<number>();
    const setupCover = new Set<number>();
    const setupClauses = new Set<number>();
    const negativeCover = new Set<number>();
    // A gapped term ("stürzt … ab") covers its own words, not what stands between them.
    const cover = (into: Set<number>, match: TermMatch<Signal>): void => {
      if (match.words) for (const at of match.words) into.add(at);
      else for (let i = match.start; i < match.start + match.length; i++) into.add(i);
    };
    for (const match of matches) {
      const { role } = match.entry.payload;
      if (role === 'negator') negatorAt.add(match.start);
      else if (role === 'postNegator') postNegatorAt.add(match.start);
      else if (match.length > 1) cover(longTermCover, match);
      if (role === 'thanks') courtesyClauses.add(clauses[match.start]!);
      else if (role === 'greeting') for (const clause of salutationClauses(tokenized, match.start)) courtesyClauses.add(clause);
      else if (role === 'setup') {
        cover(setupCover, match);
        setupClauses.add(clauses[match.start]!);
      }
      else if (role === 'negative') cover(negativeCover, match);
    }
    const isNegated = (match: TermMatch<Signal>): boolean => {
      if (negatorAt.size + postNegatorAt.size === 0) return false;
      const clause = clauses[match.start];
      const closes = this.negationCloses.get(match.entry.payload.source);
      let statesNegation = false;
      for (let at = match.start; closes !== undefined && !statesNegation && at < match.start + match.length; at++) statesNegation = closes.has(tokens[at]!);
      // A negator between a gapped term's words denies it: "stürzt nicht mehr ab".
      if (match.words) for (let at = match.start + 1; at < match.start + match.length; at++) if (negatorAt.has(at) && !match.words.includes(at)) return true;
      for (let distance = 1; distance <= NEGATION_WINDOW; distance++) {
        const before = match.start - distance;
        if (!statesNegation && before >= 0 && clauses[before] === clause && negatorAt.has(before) && !longTermCover.has(before)) return true;
        const after = match.start + match.length - 1 + distance;
        if (after < tokens.length && clauses[after] === clause && postNegatorAt.has(after)) return true;
      }
      return false;
    };

    // Repeats of one term (same entry, same negation) are counted, not listed again.
    // Keyed by target and term, so a term two detected lexicons share ("bug*" in en and pl) counts once.
    const counted = [new Map<string, Counted>(), new Map<string, Counted>()] as const;
    // A clause fails when it reports a defect, or denies a setup step: "the installation fails", "can't install".
    const failingClauses = new Set<number>();
    // Two lexicons' terms for one category on the same words ("error*" en, "erro*" pt) are one piece of evidence; the first counts.
    const twinAt = new Map<string, string>();
    for (const match of dropContained(matches)) {
      const signal = match.entry.payload;
      if (signal.role === 'negator' || signal.role === 'postNegator') continue;
      const negated = signal.role === 'category' && signal.weight === STRONG_WEIGHT && TOPIC_CATEGORIES.has(signal.category) ? false : isNegated(match);
      if (negated ? signal.role === 'setup' : signal.role === 'category' && signal.category === 'bug_report') failingClauses.add(clauses[match.start]!);
      const byEntry = counted[negated ? 1 : 0];
      const seen = byEntry.get(signal.key);
      if (signal.role === 'category' && signal.source !== 'policy') {
        const place = `${signal.category}\u0000${match.start}\u0000${match.length}\u0000${negated}`;
        const owner = twinAt.get(place);
        if (owner !== undefined && owner !== signal.key) continue;
        twinAt.set(place, signal.key);
      }
      if (!seen) {
        const weight = signal.role === 'category' ? signal.weight * (match.start < LEAD_TOKENS ? 1 : TAIL_FACTOR) : 0;
        byEntry.set(signal.key, { signal, term: match.entry.term, weight, first: match.start, length: match.length, count: 1, spans: [match.start, match.length] });
      } else if (match.start !== seen.first && !seen.later?.has(match.start)) {
        (seen.later ??= new Set()).add(match.start);
        seen.count++;
        if (seen.spans.length < 2 * MAX_WORDS) seen.spans.push(match.start, match.length);
      }
    }

    const findings: PartFindings = { candidates: [], ratings: [], outage: [], urgent: [], negative: [], statusCodes: [], setupFailures: [], thanks: [], negated: [], greeted: false };
    const covers = (set: ReadonlySet<number>, start: number, length: number): boolean => {
      for (let i = start; i < start + length; i++) if (set.has(i)) return true;
      return false;
    };
    counted.forEach((byEntry, negatedIndex) => {
      const negated = negatedIndex === 1;
      for (const item of byEntry.values()) {
        const { signal, first, length } = item;
        const clause = clauses[first]!;
        const term = (target: Evidence['for'], weight: number): Evidence => ({
          rule: 'term', for: target, value: item.term, source: signal.source, part, weight, count: item.count, words: readWords(item.spans, read),
        });
        const candidate = (evidence: Evidence, kind: { strong: boolean; form: boolean; negativeWording: boolean }): Candidate => ({
          evidence: evidence as Candidate['evidence'],
          negated,
          multiplier,
          strong: kind.strong,
          form: kind.form,
          courtesy: courtesyClauses.has(clause),
          rhetorical: tokenized.rhetorical.has(clause),
          negativeWording: kind.negativeWording,
          setupFailure: failingClauses.has(clause) && setupClauses.has(clause),
        });
        if (signal.role === 'category') {
          const weight = item.weight * (1 + REPEAT_SHARE * Math.min(item.count - 1, MAX_COUNTED_REPEATS)) * multiplier;
          findings.candidates.push(candidate(term(signal.category, weight), {
            strong: signal.weight >= STRONG_WEIGHT,
            form: signal.category === 'onboarding_help' && !covers(setupCover, first, length),
            negativeWording: signal.category === 'sentiment_experience' && covers(negativeCover, first, length),
          }));
          continue;
        }
        if (negated) {
          if (signal.role === 'outage' || signal.role === 'urgent' || signal.role === 'negative') findings.negated.push(term(signal.role === 'negative' ? 'negative' : 'outage', 0));
          continue;
        }
        const decisive = { strong: true, form: false, negativeWording: false };
        switch (signal.role) {
          case 'outage': {
            const evidence = term('outage', 0);
            findings.outage.push(evidence);
            findings.candidates.push(candidate({ ...evidence, for: 'performance_issue', weight: OUTAGE_WEIGHT * multiplier }, decisive));
            break;
          }
          case 'urgent':
            findings.urgent.push(term('outage', 0));
            break;
          case 'negative':
            findings.negative.push(term('negative', 0));
            break;
          case 'statusCode':
            findings.statusCodes.push(term('outage', 0));
            break;
          case 'thanks':
            if (short) findings.thanks.push(term('sentiment_experience', 0));
            break;
          case 'rating':
            if (short) findings.ratings.push({ ...candidate(term('sentiment_experience', STRONG_WEIGHT * multiplier), decisive), courtesy: false });
            break;
          case 'setup':
            // An install, activation or sign-up step that fails is a defect, whatever the question around it.
            if (failingClauses.has(clause) && setupClauses.has(clause)) findings.setupFailures.push(candidate(term('bug_report', STRONG_WEIGHT * multiplier), decisive));
            break;
          case 'greeting':
            findings.greeted = true;
            break;
        }
      }
    });
    return findings;
  }

  private tierOf(ticket: Ticket, category: CategoryId, signals: { outage: Evidence[]; urgent: Evidence[]; negative: Evidence[] }): { tier: Tier; reasons: string[] } {
    const { outage, urgent, negative } = signals;
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
    if (urgent.length > 0) raise('critical', `urgent wording: ${quoteValues(urgent)}`);
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

/**
 * The clauses a greeting at `start` opens: its own, and, when it stands on a short line of its own,
 * every clause of that line ("Здравствуйте, служба поддержки!", "Hello, support team,").
 */
function salutationClauses({ clauses, lines }: ClauseTokens, start: number): number[] {
  const line = lines[start];
  let first = start;
  while (first > 0 && lines[first - 1] === line) first--;
  let end = start;
  while (end < lines.length && lines[end] === line) end++;
  if (first !== start || end - first > SALUTATION_TOKENS) return [clauses[start]!];
  return [...new Set(clauses.slice(first, end))];
}

/** Evidence found outside a clause: an opener, question marks, a regex or a field condition. */
function plainCandidate(evidence: Candidate['evidence'], flags: { form?: boolean; rhetorical?: boolean } = {}): Candidate {
  return {
    evidence,
    negated: false,
    multiplier: 1,
    strong: true,
    form: flags.form ?? false,
    courtesy: false,
    rhetorical: flags.rhetorical ?? false,
    negativeWording: false,
    setupFailure: false,
  };
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
  add(lexicon.clauseInitial ?? [], { role: 'category', category: 'onboarding_help', weight: STRONG_WEIGHT, source, clauseInitial: true });
  add(lexicon.outage, { role: 'outage', source });
  add(lexicon.urgent, { role: 'urgent', source });
  add(lexicon.negative, { role: 'negative', source });
  add(lexicon.greetings, { role: 'greeting', source });
  add(lexicon.thanks, { role: 'thanks', source });
  add(lexicon.ratings, { role: 'rating', source });
  add(lexicon.setup, { role: 'setup', source });
  add(lexicon.negators, { role: 'negator', source });
  add(lexicon.postNegators, { role: 'postNegator', source });
  return entries;
}

/** Language-neutral signals (lexicons/universal.ts), matched in every ticket. */
function universalEntries(): Array<TermEntry<Signal>> {
  const entry = (term: string, role: 'outage' | 'statusCode'): TermEntry<Signal> => ({ term, payload: { role, source: UNIVERSAL, key: `${UNIVERSAL}\u0000${role}\u0000${term}` } });
  return [...STATUS_CODES.map((term) => entry(term, 'statusCode')), ...OUTAGE_PAGES.map((term) => entry(term, 'outage'))];
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
 * terms yield to longer category terms and ratings ("está bien" is one verdict, its "bien" no second
 * one); outage and negative wording only to their own kind.
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
        (other.entry.payload.role === kind || (kind === 'category' && other.entry.payload.role === 'rating')) &&
        other.start <= match.start &&
        match.start + match.length <= other.start + other.length &&
        // Within a gapped term, only its own words hold another match: not the words between them.
        (other.words === undefined || Array.from({ length: match.length }, (_, offset) => match.start + offset).every((at) => other.words!.includes(at))),
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
const MARK_RUNS = /[?!](?:\s?[?!])*/g;

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
  const cut = { ...tokens, tokens: tokens.tokens.slice(0, limit), clauses: tokens.clauses.slice(0, limit), starts: tokens.starts.slice(0, limit), lines: tokens.lines.slice(0, limit) };
  return tokens.written ? { ...cut, written: tokens.written.slice(0, limit) } : cut;
}

/**
 * Question marks a person asks with. A run of marks ("??", "?!", "!?!") is exasperation, not a
 * question ("why does it crash again??"), and counts for nothing.
 */
function countQuestionMarks(raw: string): number {
  if (!raw.includes('?')) return 0;
  const text = raw.replace(TEMPLATE_PROMPT, '');
  let count = 0;
  for (const run of text.matchAll(MARK_RUNS)) {
    if (run[0] === '?' && ++count >= MAX_QUESTION_MARKS) break;
  }
  return count;
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
