import type { AnthropicUsage } from './anthropic-response-schemas.ts';

/**
 * Combines two usage reports of one streamed answer. Anthropic's counts are cumulative (each
 * `message_delta` restates the totals so far), so they are never added: the larger value of each
 * field is the latest. This also keeps real counts when a compatible server sends 0 in
 * `message_start` and the totals in `message_delta`, or repeats a field as 0 later.
 *
 * @see https://docs.anthropic.com/en/api/messages-streaming#event-types
 */
export function mergeAnthropicUsage(
  previous: AnthropicUsage,
  next: AnthropicUsage | null | undefined,
): AnthropicUsage {
  if (next === undefined || next === null) return previous;
  return {
    input_tokens: larger(previous.input_tokens, next.input_tokens),
    output_tokens: larger(previous.output_tokens, next.output_tokens),
    cache_creation_input_tokens: larger(
      previous.cache_creation_input_tokens,
      next.cache_creation_input_tokens,
    ),
    cache_read_input_tokens: larger(previous.cache_read_input_tokens, next.cache_read_input_tokens),
    cache_creation: {
      ephemeral_1h_input_tokens: larger(
        previous.cache_creation?.ephemeral_1h_input_tokens,
        next.cache_creation?.ephemeral_1h_input_tokens,
      ),
    },
    output_tokens_details: {
      thinking_tokens: larger(
        previous.output_tokens_details?.thinking_tokens,
        next.output_tokens_details?.thinking_tokens,
      ),
    },
  };
}

function larger(a: number | null | undefined, b: number | null | undefined): number {
  return Math.max(a ?? 0, b ?? 0);
}
