import type { TrainingCounts, TrainingTicket } from '../core/learning/training-label.js';
import type { Decision } from '../core/classify/classifier.js';
import type { FigureTally } from '../core/loop/figure-tally.js';
import type { LoopHistoryEntry } from '../core/loop/loop-history.js';
import type { LoopSummary } from '../core/loop/loop-summary.js';
import type { OpenLoopRow } from '../core/loop/open-loop-row.js';
import type { Effect, LoopState, TimerKind } from '../core/loop/loop-types.js';
import type { HelpCenterArticle } from '../core/routing/article-suggestions.js';
import type { PersonNames } from '../core/loop/person-ref.js';
import type { Override, RoutingState } from '../core/routing/detect-override.js';
import type { RequestedTickets, RequesterProfile } from '../core/routing/requester-context.js';
import type { RoutingExtras } from '../core/routing/routing-extras.js';
import type { RoutePlan, TicketFields, TicketUpdate } from '../core/routing/route-plan.js';
import type { CategoryId, Tier } from '../core/taxonomy.js';
import type { SurveyRating } from '../core/csat-survey.js';
import type { CsatSource, SatisfactionScore, TicketEvent, TicketSnapshot, ZendeskStatus } from '../core/ticket-event.js';
import type { Ticket } from '../core/ticket.js';

/** Ports the use-cases talk to; adapters implement them. */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured logs: one JSON object per line. Never pass secrets or customer emails as fields. */
/** Anything that classifies a ticket: the rules alone, or the rules with a learned model (which may need to check Redis first). */
export interface TicketClassifier {
  classify(ticket: Ticket): Decision | Promise<Decision>;
}

/** Where the install's learned model is kept, shared by every process (`cxloop train` writes it). */
export interface ModelStore {
  /** The stored model's version, or null when none is stored: cheap, read often. */
  version(): Promise<string | null>;
  /** The stored model and its version, read together; null when none is stored. */
  load(): Promise<{ readonly version: string; readonly bytes: Uint8Array } | null>;
  save(bytes: Uint8Array, version: string): Promise<void>;
}

export interface Logger {
  log(level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/**
 * A call a dry run would have sent to Zendesk or Slack: `request` is exact (method, path or
 * API method, body), `summary` the same for people (a few short lines, customer text as is).
 */
export interface RecordedCall {
  readonly system: 'zendesk' | 'slack';
  /** "PUT /api/v2/tickets/101.json", "chat.postMessage" ... */
  readonly call: string;
  readonly request: unknown;
  readonly summary: readonly string[];
}

/**
 * Who a dry run's Slack and Zendesk know, by Slack user id and Zendesk agent id: their users.info
 * and Show User answers (a dry run reads no real account). The demo's people; empty otherwise.
 */
export interface DryRunPeople {
  readonly slack: Readonly<Record<string, string>>;
  readonly zendesk: Readonly<Record<number, string>>;
  /** The demo's tickets as a read of ticket and requester would show them (tags, locale, time zone). */
  readonly requesterView?: (ticketId: number) => RequesterView | null;
}

/** Where a dry run's calls go instead of the network (terminal, JSON-lines file, a demo). */
export interface CallRecorder {
  record(call: RecordedCall): void;
}

/** Liveness of a dependency for /healthz. */
export interface HealthCheck {
  readonly name: string;
  check(): Promise<{ ok: true } | { ok: false; reason: string }>;
}

/** Durable intake of Zendesk events: accepted means stored in Redis, safe to answer 2xx. */
export interface EventInbox {
  /** Throws InboxUnavailableError when the event could not be stored (answer 503 so Zendesk retries). */
  accept(event: TicketEvent, receivedAt: number): Promise<'accepted' | 'duplicate'>;
}

/** Routing writes waiting for Zendesk; one per ticket at most. */
export interface RouteQueue {
  enqueue(plan: RoutePlan): Promise<void>;
  /** Drops a write not yet sent (an agent overrode the routing first). */
  cancel(ticketId: number): Promise<void>;
  /**
   * The ticket changed before its write was sent: a waiting write is computed on these fields
   * instead (when they are newer than its own), so safe_update does not spend a call on a 409.
   * 'held': no write of the ticket is in the backlog yet (its event is still queueing it), so the
   * fields are kept for a while and the write is computed on them when it is claimed.
   */
  rebase(ticketId: number, current: TicketFields): Promise<'rebased' | 'unchanged' | 'held'>;
}

/** A routing write waiting in the backlog or a batch: the plan, and the ticket as last read when a conflict forced a re-read. */
export interface RouteEntry {
  readonly plan: RoutePlan;
  /** Fresh fields after a conflict; the plan's base still decides whose group and priority win. */
  readonly current?: TicketFields;
  /** How many batch conflicts this write has been through. */
  readonly round?: number;
}

/**
 * When a claim of routing writes goes ahead, checked in the claim itself: on what a writer looked
 * at a moment before, writers of several processes would each act (one taking a full batch, the
 * next the few left over, alone or as a second small batch, each spending a call of the Update
 * Ticket budget).
 */
export interface RouteClaimCondition {
  /** At least this many due (default 1). */
  readonly min?: number;
  /** Fewer than `max` due: only once the oldest has been due this long (a batch waits to fill). */
  readonly lingeredMs?: number;
  /** Not while a burst is on. */
  readonly notInBurst?: boolean;
  /** A burst is on for this long after this claim (a batch claimed: more writes are coming). */
  readonly markBurstMs?: number;
}

/** Routing writes claimed by one writer, all under one lease. */
export interface RouteClaim {
  /** The claim's token: only its holder can renew, finish or release these writes. */
  readonly token: string;
  readonly entries: readonly ClaimedRoute[];
}

export interface ClaimedRoute {
  readonly entry: RouteEntry;
  /** An earlier claim of this write expired (its writer died, maybe mid-call): read the ticket before sending it again. */
  readonly stalled: boolean;
}

/**
 * The routing writes waiting for Zendesk, shared by every worker process: one entry per ticket,
 * each claimed by one writer at a time under a lease (atomically, in batches). A write whose
 * writer dies comes back when its lease ends, marked stalled.
 */
export interface RouteBacklog extends RouteQueue {
  /**
   * Writes due now and not claimed, and since when the oldest of them has been due (Redis time, ms;
   * null: none); with none due, when the first will be (a write put back for later, a claim whose
   * lease will end; null: none); and whether a burst is on (a batch was claimed a moment ago: see
   * RouteClaimCondition's markBurstMs).
   */
  waiting(): Promise<{ readonly count: number; readonly oldestDueAt: number | null; readonly nextDueAt: number | null; readonly burst: boolean }>;
  /** Calls `listener` whenever this process has added writes (a writer of the process need not wait to look). */
  onQueued(listener: () => void): void;
  /** Writes in the backlog, claimed or not (0: nothing left to write or settle). */
  size(): Promise<number>;
  /** No write is claimed until resume() (writes in hand go on): every process's writers wait. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Claims up to `max` due writes, oldest first, for `leaseMs`, if `when` holds (by default: one is due); else null. */
  claim(max: number, leaseMs: number, when?: RouteClaimCondition): Promise<RouteClaim | null>;
  /** Keeps claimed writes for `leaseMs` from now (while they are written, or wait for a batch's results); returns how many the claim still held. */
  extend(ticketIds: readonly number[], token: string, leaseMs: number): Promise<number>;
  /** The writes are done (written, settled, or handed on): they leave the backlog. */
  finish(ticketIds: readonly number[], token: string): Promise<void>;
  /** Puts claimed writes back in line, due in `delayMs`, as given (a fresher read after a conflict). */
  release(entries: readonly RouteEntry[], token: string, delayMs: number): Promise<void>;
}

/** What cxloop keeps per ticket: the latest snapshot's key fields and where routing stands. */
export interface TicketRecord {
  readonly ticketId: number;
  readonly updatedAt: number;
  readonly status: ZendeskStatus | null;
  readonly routing: (RoutingState & { readonly tier: Tier; readonly claimedBy?: string | null }) | null;
  /** An agent's correction froze the routing: cxloop never writes it again. */
  readonly overridden: boolean;
}

export interface Correction {
  readonly ticketId: number;
  readonly override: Override;
  readonly actorId: number | null;
  readonly at: number;
  /** The ticket's text when it was corrected: the correction is a labelled row for the next `cxloop train`. */
  readonly text?: { readonly subject: string; readonly description: string };
}

/** A routing write that landed: the ticket, and the updated_at it was made on (see RoutingState). */
export interface RoutedMark {
  readonly ticketId: number;
  readonly writtenOver: number;
}

/** A routing decision claimed for a ticket by the event `claimedBy`, with the brief saved alongside. */
export interface RoutingClaim {
  readonly routing: RoutingState & { readonly tier: Tier };
  readonly claimedBy: string;
  readonly brief?: TicketBrief;
}

export interface TicketStore {
  /**
   * Stores the snapshot's fields unless a newer snapshot is already stored (events arrive out of
   * order). With `claim`, also claims the routing as claimRouting does, if the ticket has none yet
   * (`claimed`), in the same step.
   */
  observe(snapshot: TicketSnapshot, claim?: RoutingClaim): Promise<{ applied: boolean; previous: TicketRecord | null; claimed: boolean }>;
  get(ticketId: number): Promise<TicketRecord | null>;
  /**
   * Records the routing decision made from the event `claimedBy` (its key: only that event's retry
   * queues the write again); false when the ticket already has one (another event won). With
   * `brief`, the claim saves it too, as TicketBriefs.save would (one write for both).
   */
  claimRouting(ticketId: number, routing: RoutingState & { readonly tier: Tier }, claimedBy: string, brief?: TicketBrief): Promise<boolean>;
  /** The routing write landed; `writtenOver` is the ticket's updated_at it was made on (see RoutingState). */
  markRouted(ticketId: number, writtenOver: number): Promise<void>;
  /** markRouted for each of many tickets (an update_many's), in as few calls as the deployment allows. */
  markAllRouted(marks: readonly RoutedMark[]): Promise<void>;
  /** Freezes routing and appends the correction to the corrections log; false if already frozen and recorded; throws (to be retried) while another attempt is recording it. */
  recordOverride(correction: Correction): Promise<boolean>;
  /** Keeps the ticket's latest rating and counts it as received from `source` (what doctor reports). */
  recordSatisfaction(ticketId: number, score: SatisfactionScore, at: number, source: CsatSource): Promise<void>;
  /** Notes a ticket left unrouted for being older than the routing window; true the first time (within the days kept). */
  noteTooOld(ticketId: number, at: number): Promise<boolean>;
  getExportCursor(): Promise<string | null>;
  setExportCursor(cursor: string): Promise<void>;
  /**
   * Keeps a ticket the reconciliation read too soon after its update to tell a missed webhook
   * from one still queued; it is looked at again from `dueAt` (once per version).
   */
  deferObservation(snapshot: TicketSnapshot, dueAt: number): Promise<void>;
  /** The deferred observations due at `now`, oldest first, at most `max`; each `handle` drops it. */
  dueObservations(now: number, max: number): Promise<{ readonly snapshot: TicketSnapshot; readonly handle: string }[]>;
  dropObservations(handles: readonly string[]): Promise<void>;
  /** Where the next read of the ticket events export (survey responses) starts, epoch ms; null before the first. */
  getSurveyCursor(): Promise<number | null>;
  setSurveyCursor(startTime: number): Promise<void>;
}

/** An OAuth access token and when to renew it (epoch ms; null: the answer gave no lifetime). */
export interface AccessToken {
  readonly token: string;
  readonly renewAt: number | null;
  readonly expiresAt: number | null;
}

/**
 * Where the processes of one install share Zendesk's OAuth access token, so they hold one token
 * and renew it once (the token lives in Redis, never in logs).
 */
export interface AccessTokenCache {
  read(): Promise<AccessToken | null>;
  /** Claims the right to renew for `ttlMs`; a claim id, or null when another process holds it. */
  claimRenewal(ttlMs: number): Promise<string | null>;
  /** Stores a new token and gives up the claim. */
  store(token: AccessToken, claim: string): Promise<void>;
  release(claim: string): Promise<void>;
  /** Forgets `token` if it is still the shared one (Zendesk refused it). */
  drop(token: string): Promise<void>;
}

/**
 * Zendesk's Update Ticket limit as a budget every cxloop process of an install shares: at most N
 * calls (single updates, update_many, internal notes; retries included) in any sliding minute,
 * and none at all while a 429's Retry-After runs.
 */
export interface UpdateBudget {
  /** Spends one call, or says in how many ms one is free (nothing spent). */
  take(): Promise<BudgetGrant>;
  /**
   * The call a grant paid for was answered (or failed) now: it counts from now on. Zendesk counts
   * a call when it arrives, which can be seconds after the grant on a busy worker; it arrived
   * before its answer came back, so counting it from then holds Zendesk's window too.
   */
  answered(grant: BudgetGrant & { readonly granted: true }): Promise<void>;
  /** How many ms until a call could be spent (0: now), spending nothing. */
  wait(): Promise<number>;
  /** Zendesk answered 429: no call is spent before `until` (cxloop's clock). */
  holdUntil(until: number): Promise<void>;
}

export type BudgetGrant = { readonly granted: true; readonly call: string } | { readonly granted: false; readonly retryAfterMs: number };

/** Tickets per update_many call and ids per show_many read (Zendesk's limit for both). */
export const ZENDESK_BULK_LIMIT = 100;

/** Zendesk's REST API as cxloop uses it. Errors are ZendeskApiError (see zendesk-api-error.ts). */
export interface ZendeskApi {
  /** Id of the Zendesk user cxloop writes as (its own changes are not agent overrides); null when unknown. */
  currentUserId(): Promise<number | null>;
  getTicket(ticketId: number): Promise<TicketSnapshot>;
  /** The ticket's satisfaction score as Zendesk stores it (`satisfaction_rating.score`), null when it has none. */
  satisfactionOf(ticketId: number): Promise<SatisfactionScore | null>;
  /** Up to 100 tickets in one read (show_many); missing tickets are left out. */
  getTickets(ticketIds: readonly number[]): Promise<TicketSnapshot[]>;
  /** One Update Ticket call with safe_update; throws code CONFLICT when the ticket moved on. */
  updateTicket(update: TicketUpdate): Promise<void>;
  /** One update_many call (at most 100 tickets, each with its own changes); returns the job status id. */
  updateMany(updates: readonly TicketUpdate[]): Promise<string>;
  getJobStatus(jobId: string): Promise<JobStatus>;
  /** Survey responses (current CSAT) in one page of the incremental ticket event export, from `startTime` (epoch ms). */
  exportSurveyResponses(startTime: number): Promise<SurveyResponsePage>;
  /** One page of the incremental ticket export. */
  exportTickets(from: { cursor: string } | { startTime: number }): Promise<ExportPage>;
  /** Adds an internal note (a private comment); touches nothing else on the ticket. */
  addInternalNote(ticketId: number, body: string): Promise<void>;
  /** The requester's organisations: GET /users/{id}.json?include=organizations. */
  getRequester(userId: number): Promise<RequesterProfile>;
  /** The requester's latest `perPage` tickets, newest first, and their count: GET /users/{id}/tickets/requested.json. */
  getRequestedTickets(userId: number, perPage: number): Promise<RequestedTickets>;
  /** The account's Help Center articles for a query, best first: GET /help_center/articles/search.json. */
  searchArticles(query: string, locale: string | null, perPage: number): Promise<HelpCenterArticle[]>;
  /** The name of a Zendesk user (an agent), or null when Zendesk has no such user (404). */
  userName(userId: number): Promise<string | null>;
  /** The ticket's tags and its requester's locale and time zone, in one read: GET /tickets/{id}.json?include=users. */
  getRequesterView(ticketId: number): Promise<RequesterView>;
  /** Adds a public comment, which Zendesk's own triggers email to the requester; touches nothing else. */
  addPublicComment(ticketId: number, body: string): Promise<void>;
  /** Whether one of the ticket's latest comments is public and reads `body` (an attempt that may have sent it died). */
  hasPublicComment(ticketId: number, body: string): Promise<boolean>;
}

/** What a public comment needs to know of a ticket and its requester. */
export interface RequesterView {
  readonly tags: readonly string[];
  /** The requester's Zendesk locale ("pt-BR") and IANA time zone; null when unknown. */
  readonly locale: string | null;
  readonly timeZone: string | null;
}

/**
 * The share of the account's API rate limit that cxloop's optional reads (requester context,
 * article search) may spend, shared by every process of an install. When it says no, routing goes
 * on without them; their absence never holds a ticket back.
 */
export interface ZendeskReadBudget {
  /** Takes `reads` from the current minute's budget: null when granted, else why not. */
  take(reads: number): Promise<string | null>;
  /** Zendesk answered 429: no optional read until `retryAfterMs` from now. */
  pause(retryAfterMs: number): Promise<void>;
}

export interface JobStatus {
  readonly status: 'queued' | 'working' | 'completed' | 'failed' | 'killed';
  readonly results: readonly { readonly ticketId: number; readonly success: boolean; readonly error?: string }[];
}

/** Survey responses found in one page of the ticket event export. */
export interface SurveyResponsePage {
  readonly responses: readonly {
    /** Deduplication key, the same however often the page is read. */
    readonly key: string;
    readonly ticketId: number;
    readonly occurredAt: number;
    readonly rating: SurveyRating;
    readonly comment: string;
  }[];
  /** Survey responses whose rating could not be read. */
  readonly unreadable: number;
  /** Where the next page starts (epoch ms); null when Zendesk gave no end_time. */
  readonly nextStartTime: number | null;
  readonly endOfStream: boolean;
}

export interface ExportPage {
  readonly snapshots: readonly TicketSnapshot[];
  /** Tickets in the page that could not be read (logged, skipped). */
  readonly skipped: number;
  readonly afterCursor: string | null;
  readonly endOfStream: boolean;
}

/** One page of the incremental ticket export, read for training (with the requesters' locales). */
export interface TrainingExportPage {
  readonly tickets: readonly TrainingTicket[];
  /** Tickets in the page that could not be read. */
  readonly unreadable: number;
  readonly afterCursor: string | null;
  readonly endOfStream: boolean;
}

/** Zendesk's incremental ticket export as training reads it. Errors are ZendeskApiError. */
export interface ZendeskTrainingExport {
  exportTrainingTickets(from: { cursor: string } | { startTime: number }): Promise<TrainingExportPage>;
}

/** A training export under way, as saved after each page (README, "Training data from Zendesk"). */
export interface SavedTrainingExport {
  /** Epoch ms the export reads from, and when it started. */
  readonly startTime: number;
  readonly startedAt: number;
  /** Where the next page starts. */
  readonly cursor: string;
  readonly counts: TrainingCounts;
  /** The file the rows go to and its length after the last saved page (a resumed run cuts it back to that). */
  readonly output: { readonly path: string; readonly bytes: number } | null;
}

/** Where a training export keeps its place, shared by every process of the install (one export at a time). */
export interface TrainingExportStore {
  /** The export under way and the tickets it has produced a row for, or null when none is. */
  load(): Promise<{ saved: SavedTrainingExport; exported: Set<number> } | null>;
  /** Saves the place and adds the tickets the last page produced. */
  save(saved: SavedTrainingExport, exported: readonly number[]): Promise<void>;
  clear(): Promise<void>;
}

/** The agents' corrections cxloop recorded in Zendesk (the corrections stream), oldest first. */
export interface CorrectionLog {
  correctionsSince(since: number): Promise<Correction[]>;
}

/** A team owner's reassignment in Slack, with the ticket's text then: a labelled row for the next `cxloop train`. */
export interface Reassignment {
  readonly ticketId: number;
  readonly from: CategoryId;
  readonly to: CategoryId;
  /** The Slack user who reassigned it. */
  readonly user: string;
  readonly at: number;
  readonly text: { readonly subject: string; readonly description: string };
}

export interface ReassignmentLog {
  /** Appends it to the corrections stream `cxloop train` learns from; routing is left as it is. */
  recordReassignment(reassignment: Reassignment): Promise<void>;
}

/** Loops' histories by opening time, for figures over a window (report, /metrics, training). */
export interface LoopHistories {
  openedBetween(since: number, until: number): Promise<number[]>;
  /** The histories of `ticketIds`, in the same order. */
  histories(ticketIds: readonly number[]): Promise<LoopHistoryEntry[][]>;
}

/** Counters and timings of ingest and routing, exposed on /metrics. */
export interface RoutingMetrics {
  webhook(outcome: 'accepted' | 'duplicate' | 'ignored' | 'unauthorized' | 'invalid' | 'too_large' | 'unavailable'): void;
  event(outcome: string): void;
  /** Tickets written per path: single Update Ticket or update_many. */
  routed(path: 'single' | 'batch', tickets: number): void;
  /** Webhook received -> routing write sent, in seconds. */
  routingLatency(seconds: number): void;
}

/**
 * A loop as stored: its state and the keys of the latest deliveries applied to it, newest first
 * (a retried delivery is not applied twice, even when other deliveries were applied in between).
 */
export interface StoredLoop {
  readonly state: LoopState;
  readonly eventKeys: readonly string[];
}

/** Effects of one committed transition that still have to be carried out (Slack, Zendesk notes). */
export interface PendingEffects {
  readonly ticketId: number;
  readonly version: number;
  readonly effects: readonly Effect[];
}

export type LoopCommitResult =
  /** `history`: the loop's whole history with this commit's entry, when the store has it at hand (then nothing needs to read it back). */
  | { readonly committed: true; readonly leftover: readonly PendingEffects[]; readonly history?: readonly LoopHistoryEntry[] }
  | { readonly committed: false };

/** Loops, versioned: a commit only lands on the version it was computed from, so no concurrent event is lost. */
export interface LoopStore {
  get(ticketId: number): Promise<StoredLoop | null>;
  /**
   * Atomically, if the stored version is `state.version - 1` (nothing stored for version 0):
   * stores the state, appends `entry` to the ticket's history and parks `effects` in its outbox.
   * `leftover` returns effects an earlier commit parked but never cleared (a crash in between).
   */
  commit(commit: {
    readonly state: LoopState;
    readonly entry: LoopHistoryEntry;
    /** The key of this transition's event (its parked effects are marked with it). */
    readonly eventKey: string;
    /** The loop's delivery keys after this commit (StoredLoop.eventKeys). */
    readonly eventKeys: readonly string[];
    readonly effects: readonly Effect[];
  }): Promise<LoopCommitResult>;
  /**
   * Every effect parked in the ticket's outbox, whatever its age; with `eventKey`, only those its
   * commit parked (and any an earlier release parked unmarked).
   */
  parkedEffects(ticketId: number, eventKey?: string): Promise<PendingEffects[]>;
  /** The effects of `version` are queued: drop them from the outbox. */
  clearOutbox(ticketId: number, version: number): Promise<void>;
  history(ticketId: number): Promise<LoopHistoryEntry[]>;
}

/** A loop's next timer: what it waits for and when (cxloop's clock, epoch ms). */
export interface LoopTimer {
  readonly kind: TimerKind;
  readonly at: number;
}

/** One pending wake-up per loop (its earliest timer), named by a deterministic key: scheduling it twice is a no-op. */
export interface LoopTimers {
  /** Adds the timer unless it is already waiting; true when it added it. */
  schedule(ticketId: number, timer: LoopTimer): Promise<boolean>;
  /** A timer being fired is left alone: its firing finds it stale and does nothing. */
  cancel(ticketId: number, timer: LoopTimer): Promise<void>;
}

/** A loop's timer with its key (timerKey), as the schedule holds it. */
export interface ScheduledTimer {
  readonly key: string;
  readonly ticketId: number;
  readonly timer: LoopTimer;
}

/** What one claim took: the timers to fire, and keys no timer parses from (written by something else), to drop. */
export interface TimerClaim {
  readonly timers: readonly ScheduledTimer[];
  readonly unreadable: readonly string[];
  /** When the earliest timer still waiting falls due (cxloop's clock), or null when none waits. */
  readonly nextDueAt: number | null;
}

/**
 * The install's loop timers as one schedule that any number of pollers claim due timers from.
 * A claim is atomic and leased: a timer is held by one poller at a time, and a claim whose lease
 * ran out (its poller died) is claimed again. A poller acknowledges a timer once its transition
 * has committed.
 */
export interface LoopTimerSchedule extends LoopTimers {
  /** Claims, for `leaseMs`, the claims whose lease ended and then up to `max` in all of the timers due at `upTo` (cxloop's clock), earliest first. */
  claim(upTo: number, max: number, leaseMs: number): Promise<TimerClaim>;
  /** Renews the lease of claimed timers; returns how many were still claimed. */
  extend(keys: readonly string[], leaseMs: number): Promise<number>;
  /** Drops fired timers (their transitions committed, or they were handed on). */
  ack(keys: readonly string[]): Promise<void>;
  /** Timers due at `upTo` and not yet fired: waiting or claimed. */
  unfired(upTo: number): Promise<number>;
  /** Every timer waiting to be claimed, earliest first (tests, doctor). */
  scheduled(): Promise<ScheduledTimer[]>;
  /** Calls `listener` with the due time (cxloop's clock) of every timer this process adds to the schedule. */
  onScheduled(listener: (at: number) => void): void;
}

/** Durable queue of effects to carry out, one job per committed transition. */
export interface EffectQueue {
  enqueue(pending: PendingEffects): Promise<void>;
}

/** Where loop effects meant for people go (Slack; logged in a dry run). */
export interface Notifier {
  notify(ticketId: number, effect: Effect): Promise<void>;
  /**
   * Several effects of one transition, in order, sharing the notifier's reads and writes: per
   * effect, null when delivered or the error it failed with (that one alone is retried).
   */
  notifyAll?(ticketId: number, effects: readonly Effect[]): Promise<ReadonlyArray<Error | null>>;
}

/** Counters of the loop, exposed on /metrics. */
export interface LoopMetrics {
  transition(event: string, outcome: 'applied' | 'rejected' | 'duplicate'): void;
  stageEntered(stage: string): void;
  effect(type: string): void;
  statusUpdate(kind: 'manual' | 'overdue'): void;
  escalation(level: number): void;
}

/** Loop counters that count nothing: for tools and tests that drive the loop without /metrics. */
export const NO_LOOP_METRICS: LoopMetrics = { transition: () => undefined, stageEntered: () => undefined, effect: () => undefined, statusUpdate: () => undefined, escalation: () => undefined };

/** What Slack shows of a ticket, kept from the routing decision. Subject and excerpt are customer text: untrusted. */
export interface TicketBrief {
  readonly ticketId: number;
  readonly subject: string;
  /** The start of the description, at most a few hundred characters. */
  readonly excerpt: string;
  /** Why it was routed so (the classifier's one-line summary). */
  readonly why: string;
  /** What the category's on_routing actions found (requester context, articles), as the routing note shows it. */
  readonly extras?: RoutingExtras;
}

export interface TicketBriefs {
  save(brief: TicketBrief): Promise<void>;
  get(ticketId: number): Promise<TicketBrief | null>;
  /** Drops the ticket's brief (its text was scrubbed in Zendesk); Slack shows it without one from then on. */
  forget(ticketId: number): Promise<void>;
}

/**
 * Per-channel queue of Slack messages and edits (the Slack sender drains it, paced per channel).
 * Items are opaque strings to the store; `channel` is the channel as configured (or a user id).
 */
/** A message to queue for a channel (`post`), or a message of it to re-render (`edit`). */
export type OutboxEntry = { readonly channel: string; readonly post: string } | { readonly channel: string; readonly edit: string };

/** A Slack channel leased to one sender (SlackOutbox.claimOrNextDue); `leaseEnd` tells this claim from a later one. */
export interface ChannelClaim {
  readonly channel: string;
  readonly leaseEnd: number;
}

export interface SlackOutbox {
  /** Queues a message for the channel (sent in order) and makes the channel due if it is idle. */
  push(channel: string, item: string, now: number): Promise<void>;
  /** Asks for `member` (a message to re-render) to be edited; asking twice before it is done is one edit. */
  markEdit(channel: string, member: string, now: number): Promise<void>;
  /** Pushes and marks edits as push and markEdit do, in order, all at once: all are queued or none. */
  enqueue(entries: readonly OutboxEntry[], now: number): Promise<void>;
  /**
   * A channel due at `now`, leased to the caller for `leaseMs` (other senders skip it meanwhile);
   * with none due, when the first one will be (null: none waits).
   */
  claimOrNextDue(now: number, leaseMs: number): Promise<ChannelClaim | { readonly channel: null; readonly nextDueAt: number | null }>;
  /** Extends a claim still held to `leaseEnd`; null when its lease ran out and the channel may have been claimed again. */
  renew(claim: ChannelClaim, leaseEnd: number): Promise<ChannelClaim | null>;
  /** Calls `listener` whenever this process has queued something (a sender of the process need not wait to look). */
  onQueued(listener: () => void): void;
  /** The oldest `max` queued messages, still queued. */
  peek(channel: string, max: number): Promise<string[]>;
  /** Whether `item` waits in the channel's queue (being sent counts: an item leaves once it is done). */
  isQueued(channel: string, item: string): Promise<boolean>;
  /**
   * Takes one pending edit off the channel (put it back with markEdit if it cannot be done now). It
   * is kept aside until complete(): a sender that dies before then leaves it for the next claimant.
   */
  takeEdit(channel: string): Promise<string | null>;
  /**
   * The first `sent` messages are done, and `edit` (taken with takeEdit) if named; the channel is
   * next due at `nextAt` if work remains, else idle. These three change nothing and answer false
   * when the claim's lease ran out: the channel's messages stay for the sender that holds it now.
   */
  complete(claim: ChannelClaim, sent: number, nextAt: number, edit?: string | null): Promise<boolean>;
  /** Moves the first queued message to the dead-letter list with the reason Slack gave. */
  deadLetter(claim: ChannelClaim, reason: string, now: number): Promise<boolean>;
  /** When the channel was paused (429, outage): it is not due before `until`. */
  pause(claim: ChannelClaim, until: number): Promise<boolean>;
  /** How many messages wait, per channel (for /metrics and tests). */
  backlog(): Promise<Record<string, number>>;
  /** The ticket's Slack message refs (kind -> value), and setting one only if absent. */
  messages(ticketId: number): Promise<Record<string, string>>;
  setMessage(ticketId: number, kind: string, value: string): Promise<void>;
  setMessageIfAbsent(ticketId: number, kind: string, value: string): Promise<boolean>;
  /** Sets the ref to `value` only if it is still `expected`; false when it changed meanwhile. */
  replaceMessage(ticketId: number, kind: string, expected: string, value: string): Promise<boolean>;
}

/** Counters of every queue's jobs, exposed on /metrics. */
export interface JobMetrics {
  /** A job failed for good (no attempt left, or a payload that can never parse): it is now a dead letter. */
  deadLettered(queue: string): void;
}

export const NO_JOB_METRICS: JobMetrics = { deadLettered: () => undefined };

/**
 * What cxloop has learnt of the Slack workspace, shared by every process: member lists (a user
 * group's, a channel's) cached for a short time, and the ids Slack answered for channels the
 * policy names as "#name" (conversations.members takes only ids).
 */
export interface SlackDirectory {
  /** Whether `user` is in the cached list `list` ("usergroup:S..." or "channel:C..."); null when it is not cached or expired. */
  isMember(list: string, user: string): Promise<boolean | null>;
  /** Caches a list's members, replacing what was cached, for `ttlMs`. */
  cacheMembers(list: string, members: readonly string[], ttlMs: number): Promise<void>;
  rememberChannelId(name: string, id: string): Promise<void>;
  /** The id Slack answered for the channel "#name", or null when cxloop has not posted there yet. */
  channelId(name: string): Promise<string | null>;
}

/**
 * The status channel's pinned summary of live incidents (flag_live_status): which tickets it
 * lists, and the one message per install that shows them.
 */
export interface LiveIncidents {
  /** Puts the ticket on the summary (`since`: for its order) or takes it off. */
  setLive(ticketId: number, live: boolean, since: number): Promise<void>;
  /** The tickets on it, oldest first, at most `max`, and how many there are in all. */
  liveTickets(max: number): Promise<{ readonly ids: readonly number[]; readonly total: number }>;
  /** The summary message as stored ("<configured channel> <channel id> <ts> <pinned 0|1>"), or null before its first post. */
  liveSummaryRef(): Promise<string | null>;
  setLiveSummaryRef(value: string): Promise<void>;
}

/**
 * Who people are, as people read them: a Slack user's display name, a Zendesk agent's name, by
 * person id ("U…", "zd:<id>"). Looked up once and cached for a while; it never throws and never
 * waits long: a person whose name cannot be had now is left out, and the caller shows the id.
 */
export interface PeopleDirectory {
  namesOf(people: readonly string[]): Promise<PersonNames>;
}

/** Where looked-up names are kept for a while, shared by every process of an install. */
export interface NameCache {
  /** The cached entries among `people`: a name, or '' for "looked up, has no name"; the rest are not cached. */
  get(people: readonly string[]): Promise<ReadonlyMap<string, string>>;
  set(person: string, name: string, ttlMs: number): Promise<void>;
}

/** Counters of the Slack surface, exposed on /metrics. */
export interface SlackMetrics {
  /** Requests to /slack/events by outcome. */
  request(outcome: 'accepted' | 'unauthorized' | 'too_large' | 'invalid'): void;
  /** Calls the sender made: what it sent (message, digest, edit) and how Slack answered. */
  sent(kind: 'message' | 'digest' | 'edit', outcome: 'ok' | 'rate_limited' | 'unavailable' | 'rejected' | 'auth'): void;
  /** Queued messages a digest stood in for. */
  digested(items: number): void;
}

/**
 * One loop's part in the dashboard's read model, as of one committed version: its summary (what
 * its figures need), its row on the Now page (null once it ended), and labels of what the
 * transition caused (effects, without their texts).
 */
export interface LoopContribution {
  readonly ticketId: number;
  readonly version: number;
  readonly at: number;
  readonly summary: LoopSummary;
  readonly row: OpenLoopRow | null;
  readonly effects: readonly string[];
}

/** A loop as another process saw it move: its new row, or null when it ended (or has none). */
export interface LoopMove {
  readonly ticketId: number;
  readonly version: number;
  readonly team: string;
  readonly row: OpenLoopRow | null;
}

/** One loop's stored contribution to its opening day: when it opened and what it adds to the day's tally. */
export interface DayContribution {
  readonly openedAt: number;
  readonly tally: FigureTally;
}

/**
 * The dashboard's read model, kept as loops move (every process that commits a transition
 * applies it), so no request reads every history: per opening day (UTC) the tally of its loops'
 * figures, each loop's contribution (to take it out again when the loop moves), the loops whose
 * verdicts still wait on the clock, the open loops' rows, and a short log of what each transition
 * caused.
 */
export interface DashboardStore {
  /** Applies the contribution unless this or a newer version of the loop is applied already; true when applied (then the move is published). */
  apply(contribution: LoopContribution): Promise<boolean>;
  /** Whether the loop has a contribution at all (the rebuild skips those that have). */
  has(ticketId: number, openedAt: number): Promise<boolean>;
  /** Rows of every open loop. */
  openLoops(): Promise<OpenLoopRow[]>;
  /** The tally of each UTC day (epoch day numbers), in the order asked; {} for a day without loops. */
  dayTallies(days: readonly number[]): Promise<FigureTally[]>;
  /** The contributions of the loops opened on one UTC day (for a window that starts or ends within it). */
  dayContributions(day: number): Promise<DayContribution[]>;
  /** Summaries of the loops with a target not reached whose deadline is at or after `now`. */
  undecided(now: number): Promise<LoopSummary[]>;
  /** What the loop's transitions caused, oldest first: version, time and effect labels (`openedAt`, when the loop opened, files them by day). */
  effectsLog(ticketId: number, openedAt: number): Promise<{ readonly version: number; readonly at: number; readonly effects: readonly string[] }[]>;
  /** Calls `listener` for each loop that moves, in any process, until the returned stop is called. */
  onMoved(listener: (move: LoopMove) => void): Promise<() => Promise<void>>;
}

/** A signed-in dashboard user: a Slack user id, and the token every state-changing request must carry. */
export interface DashboardSession {
  readonly user: string;
  readonly csrf: string;
  readonly expiresAt: number;
}

/** Dashboard sessions and sign-in links, shared by every web process of the install. */
export interface DashboardSessions {
  create(session: DashboardSession): Promise<string>;
  get(id: string): Promise<DashboardSession | null>;
  destroy(id: string): Promise<void>;
  /** Marks a sign-in link as used; false when it was used before (a link signs in once). */
  useLink(linkId: string, expiresAt: number): Promise<boolean>;
  /** The install's secret that signs sign-in links, created on first use unless configured. */
  linkSecret(): Promise<string>;
}

/** Where a claim to send a public comment stands (see CustomerUpdateLedger.claim). */
export type CustomerUpdateClaim =
  /** Claimed: send it now; the cadence slot is taken. */
  | { readonly outcome: 'send' }
  /** An earlier attempt claimed it and never confirmed: it may have gone out (check Zendesk before sending). */
  | { readonly outcome: 'unsure'; readonly body: string }
  /** It went out before (a retried or re-queued effect). */
  | { readonly outcome: 'sent' }
  /** The ticket's last comment is closer than the cadence: not before `until`. */
  | { readonly outcome: 'wait'; readonly until: number };

/**
 * The public comments each ticket got and when the last went out, shared by every process: a
 * comment goes out once however often its job runs, and never sooner than the tier's cadence after
 * the one before.
 */
export interface CustomerUpdateLedger {
  /**
   * Claims the comment `key` (its text `body`, kept so a retry checks Zendesk for exactly what the
   * first attempt sent). 'unsure' carries that first body.
   */
  claim(ticketId: number, key: string, body: string, now: number, cadenceMs: number): Promise<CustomerUpdateClaim>;
  /** The comment `key` went out, promising `etaAt` (kept as the ETA the requester was last told, unless null). */
  confirm(ticketId: number, key: string, etaAt: number | null): Promise<void>;
  /** The ETA the ticket's requester was last told, or null. */
  lastEta(ticketId: number): Promise<number | null>;
}

/** A status-page link as stored: whose it is and how the page speaks to its requester. */
export interface StatusLinkRecord {
  readonly ticketId: number;
  readonly language: string;
  readonly timeZone: string;
}

/**
 * The per-ticket status-page links: long random tokens, one per ticket at a time, revocable. A
 * request is looked up by the token's digest; the ticket's record keeps the token itself, so
 * every comment of a ticket carries the same link.
 */
export interface StatusLinks {
  /** The ticket's token, made on first use; the page's language and time zone are kept with it (the latest given). */
  issue(ticketId: number, page: { readonly language: string; readonly timeZone: string }): Promise<string>;
  /** What a token opens, or null (never issued, revoked, or forgotten). */
  open(token: string): Promise<StatusLinkRecord | null>;
  /** The ticket's link stops working at once; a later comment issues a new one. False when it had none. */
  revoke(ticketId: number): Promise<boolean>;
}

/** Counters of the public comments to requesters, exposed on /metrics. */
export interface CustomerMetrics {
  /** One comment job's outcome: sent, or why not (quiet, moved_on, duplicate, waiting for the cadence). */
  update(outcome: string): void;
}

/** Requests per client per minute on one surface, shared by every process. */
export interface RequestRateLimit {
  /** Counts one request of `client`: allowed, or how long until the next minute. */
  hit(client: string, now: number): Promise<{ readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number }>;
}
