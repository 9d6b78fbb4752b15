import type { ProviderType } from '../provider-adapter.ts';

/**
 * What differs between real OpenAI and other `/chat/completions` servers. Everything else in this
 * folder is shared.
 */
export interface OpenAICompatibleOptions {
  type: Extract<ProviderType, 'openai' | 'openai-compatible'>;
  /**
   * The body field for the output limit: OpenAI deprecated `max_tokens` (its reasoning models reject
   * it) in favour of `max_completion_tokens`, which most other servers do not know.
   */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /**
   * Send assistant reasoning back as `reasoning_content`. DeepSeek requires it on turns with tool
   * calls; OpenAI rejects any unknown property on a message, so there the reasoning is left out.
   */
  sendReasoningContent: boolean;
}
