/**
 * Token usage in one convention for every provider (OpenAI's): totals include their subsets.
 *
 * - `inputTokens` counts every prompt token, cached reads and cache writes included.
 * - `cachedInputTokens` (cache reads) and `cacheWriteTokens` are subsets of `inputTokens`.
 * - `cacheWrite1hTokens` is the part of `cacheWriteTokens` written with the 1-hour TTL.
 * - `outputTokens` includes `reasoningTokens`.
 */
export interface Usage {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  outputTokens: number;
  reasoningTokens: number;
}

export const EMPTY_USAGE: Readonly<Usage> = Object.freeze({
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
});

/** Usage with the kinds `partial` leaves out at 0. Fields written out: it runs on every request. */
export function createUsage(partial: Partial<Usage>): Usage {
  return {
    inputTokens: partial.inputTokens ?? 0,
    cachedInputTokens: partial.cachedInputTokens ?? 0,
    cacheWriteTokens: partial.cacheWriteTokens ?? 0,
    cacheWrite1hTokens: partial.cacheWrite1hTokens ?? 0,
    outputTokens: partial.outputTokens ?? 0,
    reasoningTokens: partial.reasoningTokens ?? 0,
  };
}

/** The two usages together, kind by kind (attempts of one request billed on one row). */
export function addUsage(first: Usage, second: Usage): Usage {
  return {
    inputTokens: first.inputTokens + second.inputTokens,
    cachedInputTokens: first.cachedInputTokens + second.cachedInputTokens,
    cacheWriteTokens: first.cacheWriteTokens + second.cacheWriteTokens,
    cacheWrite1hTokens: first.cacheWrite1hTokens + second.cacheWrite1hTokens,
    outputTokens: first.outputTokens + second.outputTokens,
    reasoningTokens: first.reasoningTokens + second.reasoningTokens,
  };
}

/** Prompt tokens billed at the plain input rate (neither read from nor written to a cache). */
export function uncachedInputTokens(usage: Usage): number {
  return Math.max(0, usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens);
}
