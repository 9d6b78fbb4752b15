import type { Usage } from '../../canonical/usage.ts';
import type { AnthropicUsage } from './anthropic-response-schemas.ts';

/**
 * Normalises Anthropic usage to the gateway's convention. Anthropic's `input_tokens` excludes cache
 * reads and cache writes, so both are added to form the prompt total; `output_tokens` already
 * includes thinking.
 *
 * @see https://docs.anthropic.com/en/api/messages#response-usage
 */
export function mapAnthropicUsage(usage: AnthropicUsage | null | undefined): Usage {
  const cacheRead = usage?.cache_read_input_tokens ?? 0;
  const cacheWrite = usage?.cache_creation_input_tokens ?? 0;
  return {
    inputTokens: (usage?.input_tokens ?? 0) + cacheRead + cacheWrite,
    cachedInputTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    cacheWrite1hTokens: usage?.cache_creation?.ephemeral_1h_input_tokens ?? 0,
    outputTokens: usage?.output_tokens ?? 0,
    reasoningTokens: usage?.output_tokens_details?.thinking_tokens ?? 0,
  };
}
