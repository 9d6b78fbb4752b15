import * as z from 'zod';
import { createUsage, type Usage } from '../../canonical/usage.ts';
import { GatewayError } from '../../errors/gateway-error.ts';

const tokenCount = z.number().int().nonnegative().nullish();

const usageSchema = z.object({
  prompt_tokens: tokenCount,
  completion_tokens: tokenCount,
  prompt_tokens_details: z.object({ cached_tokens: tokenCount }).nullish(),
  completion_tokens_details: z.object({ reasoning_tokens: tokenCount }).nullish(),
  prompt_cache_hit_tokens: tokenCount,
});

/**
 * Normalises a chat completion `usage` object. `prompt_tokens` already includes cached tokens and
 * `completion_tokens` reasoning tokens, as the canonical usage wants. DeepSeek reports cache reads as
 * `prompt_cache_hit_tokens` (hit + miss = prompt); it is the fallback when `cached_tokens` is absent.
 * Throws `GW_ERR_UPSTREAM_BAD_RESPONSE` for counts that are not non-negative integers: they are billed.
 *
 * @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage
 * @see https://api-docs.deepseek.com/api/create-chat-completion
 */
export function mapOpenAIUsage(value: unknown): Usage {
  const parsed = usageSchema.safeParse(value);
  if (!parsed.success) {
    throw new GatewayError(
      'GW_ERR_UPSTREAM_BAD_RESPONSE',
      'The upstream provider sent a malformed usage report.',
      { cause: parsed.error },
    );
  }
  const usage = parsed.data;
  return createUsage({
    inputTokens: usage.prompt_tokens ?? 0,
    cachedInputTokens:
      usage.prompt_tokens_details?.cached_tokens ?? usage.prompt_cache_hit_tokens ?? 0,
    outputTokens: usage.completion_tokens ?? 0,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  });
}
