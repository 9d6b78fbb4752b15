import { createOpenAICompatibleAdapter } from './create-openai-compatible-adapter.ts';

/** Real OpenAI (`type: openai`). */
export const openaiAdapter = createOpenAICompatibleAdapter({
  type: 'openai',
  maxTokensField: 'max_completion_tokens',
  sendReasoningContent: false,
});

/** DeepSeek, vLLM, Ollama and any other `/chat/completions` server (`type: openai-compatible`). */
export const openaiCompatibleAdapter = createOpenAICompatibleAdapter({
  type: 'openai-compatible',
  maxTokensField: 'max_tokens',
  sendReasoningContent: true,
});

export { createOpenAICompatibleAdapter } from './create-openai-compatible-adapter.ts';
export type { OpenAICompatibleOptions } from './openai-compatible-options.ts';
