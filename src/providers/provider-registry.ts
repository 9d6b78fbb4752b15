import { anthropicAdapter } from './anthropic/index.ts';
import { geminiAdapter } from './gemini/index.ts';
import { openaiAdapter, openaiCompatibleAdapter } from './openai-compatible/index.ts';
import type { ProviderAdapter, ProviderType } from './provider-adapter.ts';

/** Provider type (as written in the config) → its adapter. A new provider adds one line here. */
export const PROVIDER_ADAPTERS: Readonly<Record<ProviderType, ProviderAdapter>> = {
  openai: openaiAdapter,
  'openai-compatible': openaiCompatibleAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
};
