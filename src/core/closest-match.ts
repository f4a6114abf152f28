/**
 * The candidate a mistyped word most likely meant ("doctr" -> "doctor", "escalaton" ->
 * "escalation", "SLACK_TOKEN" -> "SLACK_BOT_TOKEN"), or null when none is close. Case is ignored.
 * Close means an edit distance (insertions, deletions, substitutions, swaps of neighbours) of at
 * most a third of the longer word, at least 1; the nearest wins, the first listed on a tie.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | null {
  const typed = word.toLowerCase();
  let best: { candidate: string; distance: number } | null = null;
  for (const candidate of candidates) {
    const distance = editDistance(typed, candidate.toLowerCase());
    if (distance === 0) return candidate;
    const allowed = Math.max(1, Math.floor(Math.max(typed.length, candidate.length) / 3));
    if (distance <= allowed && (best === null || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate ?? null;
}

/** ` (did you mean "escalation"?)` for a close candidate, else an empty string: for appending to a message. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closestMatch(word, candidates);
  return match === null ? '' : ` (did you mean "${match}"?)`;
}

/** Optimal string alignment distance: Levenshtein plus the swap of two neighbouring letters. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = rows[i]!;
      let value = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      row[j] = value;
    }
  }
  return rows[a.length]![b.length]!;
}
