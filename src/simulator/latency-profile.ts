import * as z from 'zod';

/** How fast a simulated model answers. */
export interface LatencyProfile {
  /** Delay from the request to the first token, in milliseconds. */
  timeToFirstTokenMs: number;
  /** Generation speed after the first token. */
  tokensPerSecond: number;
  /** Tokens per streamed chunk; defaults per dialect (OpenAI and DeepSeek 1, Anthropic 3, Gemini 8). */
  tokensPerChunk?: number;
}

export const latencyProfileSchema = z.strictObject({
  timeToFirstTokenMs: z.number().min(0).max(600_000),
  tokensPerSecond: z.number().positive(),
  tokensPerChunk: z.number().int().positive().max(10_000).optional(),
});

/** No waiting at all: for tests and for measuring the gateway's own overhead. */
export const INSTANT_LATENCY: Readonly<LatencyProfile> = Object.freeze({
  timeToFirstTokenMs: 0,
  tokensPerSecond: Number.POSITIVE_INFINITY,
});

/** Used for models that no realistic profile names: about 400 ms to first token, 180 tokens/s. */
export const DEFAULT_REALISTIC_LATENCY: Readonly<LatencyProfile> = Object.freeze({
  timeToFirstTokenMs: 400,
  tokensPerSecond: 180,
});

/**
 * Plausible per-model figures (model-name prefix → profile), around the seed's measured average of
 * ~400 ms to first token and ~180 tokens/s. The longest matching prefix wins.
 */
export const REALISTIC_LATENCY_PROFILES: Readonly<Record<string, LatencyProfile>> = Object.freeze({
  'gpt-4.1': { timeToFirstTokenMs: 420, tokensPerSecond: 170 },
  'gpt-4.1-mini': { timeToFirstTokenMs: 330, tokensPerSecond: 220 },
  'gpt-4.1-nano': { timeToFirstTokenMs: 260, tokensPerSecond: 260 },
  'gpt-4o': { timeToFirstTokenMs: 450, tokensPerSecond: 160 },
  'gpt-4o-mini': { timeToFirstTokenMs: 350, tokensPerSecond: 200 },
  'claude-haiku': { timeToFirstTokenMs: 380, tokensPerSecond: 210, tokensPerChunk: 3 },
  'claude-sonnet': { timeToFirstTokenMs: 520, tokensPerSecond: 160, tokensPerChunk: 3 },
  'claude-opus': { timeToFirstTokenMs: 700, tokensPerSecond: 90, tokensPerChunk: 3 },
  'gemini-2.5-flash': { timeToFirstTokenMs: 400, tokensPerSecond: 200, tokensPerChunk: 8 },
  'gemini-2.5-flash-lite': { timeToFirstTokenMs: 280, tokensPerSecond: 260, tokensPerChunk: 8 },
  'gemini-2.5-pro': { timeToFirstTokenMs: 900, tokensPerSecond: 140, tokensPerChunk: 8 },
  'deepseek-chat': { timeToFirstTokenMs: 550, tokensPerSecond: 120 },
  'deepseek-reasoner': { timeToFirstTokenMs: 650, tokensPerSecond: 110 },
});

function longestPrefixMatch(
  table: Readonly<Record<string, LatencyProfile>>,
  model: string,
): LatencyProfile | undefined {
  let best: string | undefined;
  for (const prefix of Object.keys(table)) {
    if (model.startsWith(prefix) && (best === undefined || prefix.length > best.length))
      best = prefix;
  }
  return best === undefined ? undefined : table[best];
}

export type LatencySetting = LatencyProfile | 'realistic' | 'instant';

/**
 * Returns model → profile. `profiles` (exact name, else longest prefix) wins over `latency`, which
 * is either one profile for every model, the realistic per-model table, or instant.
 */
export function createLatencyResolver(options: {
  latency: LatencySetting;
  profiles: Readonly<Record<string, LatencyProfile>>;
}): (model: string) => LatencyProfile {
  const { latency, profiles } = options;
  return (model) => {
    const own = longestPrefixMatch(profiles, model);
    if (own !== undefined) return own;
    if (latency === 'instant') return INSTANT_LATENCY;
    if (latency === 'realistic') {
      return longestPrefixMatch(REALISTIC_LATENCY_PROFILES, model) ?? DEFAULT_REALISTIC_LATENCY;
    }
    return latency;
  };
}
