import type { StreamEvent } from '../../canonical/stream-event.ts';
import type { Usage } from '../../canonical/usage.ts';

export type Charge = Omit<Extract<StreamEvent, { type: 'charge' }>, 'type'>;

/**
 * OpenAI's usage object. Totals already include their subsets in canonical usage (cached reads in
 * `prompt_tokens`, reasoning in `completion_tokens`), as in OpenAI's. Extension field:
 * `cache_creation_input_tokens` (prompt tokens written to a cache, a subset of `prompt_tokens`),
 * present only when non-zero so plain OpenAI answers keep OpenAI's exact shape. With a charge:
 * `cost` (what this request cost, in wallet currency units, as OpenRouter reports `usage.cost`),
 * `currency` (ISO 4217) and `balance` (the account's available credit afterwards).
 *
 * @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage
 */
export function encodeOpenaiUsage(usage: Usage, charge?: Charge): Record<string, unknown> {
  const encoded: Record<string, unknown> = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
  if (usage.cacheWriteTokens > 0) encoded.cache_creation_input_tokens = usage.cacheWriteTokens;
  if (charge !== undefined) {
    encoded.cost = microsToNumber(charge.costMicros);
    encoded.currency = charge.currency;
    encoded.balance = microsToNumber(charge.balanceMicros);
  }
  return encoded;
}

/** Micro-units to a JSON number of whole units (exact for display to 6 decimals). */
export function microsToNumber(micros: bigint): number {
  return Number(micros) / 1_000_000;
}
