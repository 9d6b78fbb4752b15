import { createUsage, type Usage } from '../../canonical/usage.ts';
import type { GeminiUsageMetadataWire } from './gemini-response-schemas.ts';

/**
 * Normalises `usageMetadata` to the canonical (OpenAI) convention. `promptTokenCount` already
 * includes cached tokens; tool-use prompt tokens (from built-in tools) are billed as input.
 * `candidatesTokenCount` excludes thinking, which Google bills as output, so thoughts are added.
 * Implicit caching has no write charge, hence no cache-write tokens.
 *
 * @see https://ai.google.dev/api/generate-content#UsageMetadata
 */
export function mapGeminiUsage(metadata: GeminiUsageMetadataWire): Usage {
  const thoughts = metadata.thoughtsTokenCount ?? 0;
  return createUsage({
    inputTokens: (metadata.promptTokenCount ?? 0) + (metadata.toolUsePromptTokenCount ?? 0),
    cachedInputTokens: metadata.cachedContentTokenCount ?? 0,
    outputTokens: (metadata.candidatesTokenCount ?? 0) + thoughts,
    reasoningTokens: thoughts,
  });
}
