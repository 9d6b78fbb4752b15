import type { SimulatedUsage } from '../simulated-answer.ts';
import type { ChatCompletionsFlavor } from './chat-completions-flavor.ts';

/**
 * The usage object in each flavor's exact shape. OpenAI: cached tokens are a subset of
 * `prompt_tokens`, reasoning tokens a subset of `completion_tokens`. DeepSeek adds
 * `prompt_cache_hit_tokens` + `prompt_cache_miss_tokens` = `prompt_tokens`.
 * @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage
 * @see https://api-docs.deepseek.com/api/create-chat-completion
 */
export function renderChatCompletionsUsage(
  flavor: ChatCompletionsFlavor,
  usage: SimulatedUsage,
): Record<string, unknown> {
  const base = {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.promptTokens + usage.outputTokens,
  };
  if (flavor === 'openai') {
    return {
      ...base,
      prompt_tokens_details: { cached_tokens: usage.cacheReadTokens, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: usage.reasoningTokens,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    };
  }
  return {
    ...base,
    prompt_tokens_details: { cached_tokens: usage.cacheReadTokens },
    ...(usage.reasoningTokens > 0
      ? { completion_tokens_details: { reasoning_tokens: usage.reasoningTokens } }
      : {}),
    prompt_cache_hit_tokens: usage.cacheReadTokens,
    prompt_cache_miss_tokens: usage.promptTokens - usage.cacheReadTokens,
  };
}
