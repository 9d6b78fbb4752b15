import type { LatencyProfile } from '../src/simulator/latency-profile.ts';

/** Pepper of the bench gateway's API-key digests (a throwaway database, so a fixed value is fine). */
export const BENCH_KEY_PEPPER = 'bench-pepper-0123456789abcdef';

/** Non-streaming throughput: the built-in OpenAI model, answered instantly. */
export const INSTANT_OPENAI_MODEL = 'gpt-4.1';

/**
 * Streaming and time to first token on the OpenAI pass-through path. A bench-only copy of gpt-4.1
 * (same provider, same adapter) exists only so the simulator can pace it differently from the
 * instant `gpt-4.1` of the throughput run: one simulator serves every run.
 */
export const PACED_OPENAI_MODEL = 'gpt-4.1-paced';

/**
 * The slow-streams run: thousands of streams held open at once, each answered the way a slow model
 * answers a long question (one token every 500 ms), so the memory a stream holds is measured while
 * every stream is open. Another bench-only copy of gpt-4.1, paced by the simulator.
 */
export const SLOW_STREAM_MODEL = 'gpt-4.1-slow';
export const SLOW_STREAM_TOKEN_INTERVAL_MS = 500;
/** 24 tokens, one every 500 ms: each slow stream lasts about 12 s. */
export const SLOW_STREAM_TOKENS = 24;

/** Streaming and time to first token on the Anthropic → OpenAI translation path. */
export const ANTHROPIC_MODEL = 'claude-sonnet-4-20250514';

/** Fixed delay before the first token, so the time a hop adds is measurable against it. */
export const TIME_TO_FIRST_TOKEN_MS = 20;

/**
 * Streams are paced (1 000 tokens/s) rather than instant: an instant stream leaves the simulator in
 * one write, so a proxy would relay a few 64 KiB buffers instead of one frame per chunk, which no
 * real provider does.
 */
export const SIMULATOR_PROFILES: Record<string, LatencyProfile> = {
  [PACED_OPENAI_MODEL]: {
    timeToFirstTokenMs: TIME_TO_FIRST_TOKEN_MS,
    tokensPerSecond: 1_000,
    tokensPerChunk: 1,
  },
  [ANTHROPIC_MODEL]: { timeToFirstTokenMs: TIME_TO_FIRST_TOKEN_MS, tokensPerSecond: 1_000 },
  [SLOW_STREAM_MODEL]: {
    timeToFirstTokenMs: SLOW_STREAM_TOKEN_INTERVAL_MS,
    tokensPerSecond: 1_000 / SLOW_STREAM_TOKEN_INTERVAL_MS,
    tokensPerChunk: 1,
  },
};

/**
 * The failover run: `bench-failover` is served first by a deployment whose upstream model the
 * simulator always answers with 503, then by its fallback `gpt-4.1`.
 */
export const FAILOVER_MODEL = 'bench-failover';
export const FAILING_UPSTREAM_MODEL = 'bench-failing';
export const FAILING_UPSTREAM_STATUS = 503;
