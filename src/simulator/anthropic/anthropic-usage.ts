import type { SimulatedUsage } from '../simulated-answer.ts';

/** Anthropic's `input_tokens` excludes cache reads and writes. */
function inputTokens(usage: SimulatedUsage): number {
  return usage.promptTokens - usage.cacheReadTokens - usage.cacheWriteTokens;
}

/**
 * Usage as in a message (and `message_start`, with `output_tokens` so far). Cache writes are
 * reported as 5-minute writes.
 * @see https://docs.anthropic.com/en/api/messages#response-usage
 */
export function renderAnthropicUsage(
  usage: SimulatedUsage,
  outputTokens: number,
): Record<string, unknown> {
  return {
    input_tokens: inputTokens(usage),
    cache_creation_input_tokens: usage.cacheWriteTokens,
    cache_read_input_tokens: usage.cacheReadTokens,
    cache_creation: {
      ephemeral_5m_input_tokens: usage.cacheWriteTokens,
      ephemeral_1h_input_tokens: 0,
    },
    output_tokens: outputTokens,
    ...(usage.reasoningTokens > 0
      ? { output_tokens_details: { thinking_tokens: usage.reasoningTokens } }
      : {}),
    service_tier: 'standard',
  };
}

/** `message_delta` usage: cumulative totals for the whole message. */
export function renderAnthropicDeltaUsage(usage: SimulatedUsage): Record<string, unknown> {
  return {
    input_tokens: inputTokens(usage),
    cache_creation_input_tokens: usage.cacheWriteTokens,
    cache_read_input_tokens: usage.cacheReadTokens,
    output_tokens: usage.outputTokens,
    ...(usage.reasoningTokens > 0
      ? { output_tokens_details: { thinking_tokens: usage.reasoningTokens } }
      : {}),
  };
}

export function anthropicStopReason(finish: 'stop' | 'length' | 'tool_call'): string {
  if (finish === 'length') return 'max_tokens';
  return finish === 'tool_call' ? 'tool_use' : 'end_turn';
}
