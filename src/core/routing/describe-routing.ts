import { evidenceWords, type Decision, type Evidence } from '../classify/classifier.js';
import { formatDuration } from '../duration.js';
import { categoryLabel, type Tier } from '../taxonomy.js';
import type { ZendeskPriority } from '../ticket.js';

export interface RoutingNoteInput {
  readonly decision: Decision;
  readonly team: string;
  readonly priority: ZendeskPriority;
  /** Epoch ms; SLA due times are counted from it. */
  readonly openedAt: number;
  readonly acknowledgeWithinMinutes: number;
  readonly resolveWithinMinutes: number;
  /** What the category's on_routing actions found (requester context, articles), as note lines. */
  readonly extras?: readonly string[];
}

const MAX_SIGNALS = 8;
const PARTS = ['subject', 'body'] as const;

/** Labels live with the taxonomy; re-exported for the renderers that read them from here. */
export { categoryLabel };

/** 2026-11-22T16:05:00.000Z -> "2026-11-22 16:05 UTC". */
export function formatUtc(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The words that made the decision, strongest (weight x count) first, each once with the parts it
 * was found in: `"exportar" (subject, body)`, not the lexicon's "export*" and "exportar" twice each.
 */
function describeSignals(evidence: readonly Evidence[]): string[] {
  const parts = new Map<string, Set<string>>();
  for (const item of evidence.toSorted((a, b) => b.weight * b.count - a.weight * a.count)) {
    for (const word of evidenceWords(item)) {
      if (!parts.has(word) && parts.size >= MAX_SIGNALS) continue;
      const found = parts.get(word) ?? new Set<string>();
      if (item.part) found.add(item.part);
      parts.set(word, found);
    }
  }
  return [...parts].map(([word, found]) => {
    const where = PARTS.filter((part) => found.has(part));
    return `${word}${where.length > 0 ? ` (${where.join(', ')})` : ''}`;
  });
}

/**
 * The internal note cxloop adds when it routes a ticket: what it decided, why (the signals that
 * fired), the SLA due times, and how an agent corrects it. Plain text: Zendesk shows it as is.
 */
export function describeRouting(input: RoutingNoteInput): string {
  const { decision } = input;
  const signals = describeSignals(decision.evidence.filter((evidence) => evidence.for === decision.category || evidence.for === 'outage' || evidence.for === 'negative'));
  const tierLine = (tier: Tier) =>
    `Tier ${tier}, priority ${input.priority}${decision.tierReasons.length > 0 ? `: ${decision.tierReasons.join('; ')}` : ''}.`;
  const why = decision.learned
    ? `Learned from ${decision.learned.examples.toLocaleString('en')} of your tickets${decision.learned.words.length > 0 ? `: ${decision.learned.words.map((word) => `"${word}"`).join(', ')}` : ''}.`
    : signals.length > 0
      ? `Signals: ${signals.join(', ')}.`
      : 'No rule matched with confidence: default path.';
  const lines = [
    `cxloop routed this ticket to ${input.team}: ${categoryLabel(decision.category)} (${decision.category}).`,
    `Confidence ${decision.confidence.toFixed(2)}. ${why}`,
    tierLine(decision.tier),
    `Acknowledge within ${formatDuration(input.acknowledgeWithinMinutes)} (by ${formatUtc(input.openedAt + input.acknowledgeWithinMinutes * 60_000)}); ` +
      `resolve within ${formatDuration(input.resolveWithinMinutes)} (by ${formatUtc(input.openedAt + input.resolveWithinMinutes * 60_000)}).`,
    ...(input.extras ?? []),
    'Wrong? Change the cxloop_ category tag or the group: cxloop records the correction and will not change it back.',
  ];
  return lines.join('\n');
}
