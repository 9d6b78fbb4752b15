/**
 * Ranks known model names by likeness to an unknown one, so a user who typed an old or
 * provider-style name (`claude-3-5-sonnet-20241022`) learns what to type instead. Likeness blends the
 * overlap of name tokens (family words and version numbers) with edit distance.
 */
export function suggestModelNames(options: {
  requested: string;
  candidates: ReadonlyArray<{ id: string; names: readonly string[] }>;
  limit?: number;
}): string[] {
  const requestedTokens = tokenize(options.requested);
  const requested = options.requested.toLowerCase();
  const scored = options.candidates.map((candidate) => {
    let best = 0;
    for (const name of candidate.names) {
      const lower = name.toLowerCase();
      const tokenScore = jaccard(requestedTokens, tokenize(lower));
      const editScore =
        1 - levenshtein(requested, lower) / Math.max(requested.length, lower.length);
      best = Math.max(best, 0.7 * tokenScore + 0.3 * editScore);
    }
    return { id: candidate.id, score: best };
  });
  return scored
    .filter((entry) => entry.score >= 0.25)
    .sort((left, right) => right.score - left.score || left.id.localeCompare(right.id))
    .slice(0, options.limit ?? 3)
    .map((entry) => entry.id);
}

function tokenize(name: string): Set<string> {
  const tokens = name.toLowerCase().match(/[a-z]+|\d+/g) ?? [];
  // Dated snapshots (20241022) say little about which family the user meant.
  return new Set(tokens.filter((token) => !/^\d{6,}$/.test(token)));
}

function jaccard(left: Set<string>, right: Set<string>): number {
  if (left.size === 0 && right.size === 0) return 0;
  let shared = 0;
  for (const token of left) if (right.has(token)) shared += 1;
  return shared / (left.size + right.size - shared);
}

function levenshtein(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= right.length; j += 1) {
      const cost = left[i - 1] === right[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[right.length]!;
}
