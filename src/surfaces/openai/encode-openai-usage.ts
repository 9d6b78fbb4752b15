import { microsToDecimalText } from '../../accounting/micros-to-decimal-text.ts';
import type { StreamEvent } from '../../canonical/stream-event.ts';
import type { Usage } from '../../canonical/usage.ts';

export type Charge = Omit<Extract<StreamEvent, { type: 'charge' }>, 'type'>;

/**
 * OpenAI's usage object, as JSON text. Totals already include their subsets in canonical usage
 * (cached reads in `prompt_tokens`, reasoning in `completion_tokens`), as in OpenAI's. Extension
 * field: `cache_creation_input_tokens` (prompt tokens written to a cache, a subset of
 * `prompt_tokens`), present only when non-zero so plain OpenAI answers keep OpenAI's exact shape.
 * With a charge: `cost` (what this request cost, in wallet currency units, as OpenRouter reports
 * `usage.cost`), `currency` (ISO 4217) and `balance` (the account's available credit afterwards).
 * `cost` and `balance` are JSON numbers whose digits are exactly the micro-unit amounts (a double
 * holds only about 16 significant digits, and Node 20 has no `JSON.rawJSON`); they stay numbers,
 * not strings, since OpenRouter-style clients read `usage.cost` as one.
 *
 * @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage
 */
export function encodeOpenaiUsageJson(usage: Usage, charge?: Charge): string {
  const tokens = JSON.stringify(encodeTokens(usage));
  if (charge === undefined) return tokens;
  return `${tokens.slice(0, -1)},"cost":${microsToDecimalText(charge.costMicros)},"currency":${JSON.stringify(charge.currency)},"balance":${microsToDecimalText(charge.balanceMicros)}}`;
}

function encodeTokens(usage: Usage): Record<string, unknown> {
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
  return encoded;
}
