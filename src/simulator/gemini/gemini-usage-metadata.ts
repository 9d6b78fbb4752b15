import type { SimulatedUsage } from '../simulated-answer.ts';

/**
 * `usageMetadata` with running totals: `promptTokenCount` includes `cachedContentTokenCount`,
 * `candidatesTokenCount` excludes `thoughtsTokenCount`.
 * @see https://ai.google.dev/api/generate-content#UsageMetadata
 */
export function geminiUsageMetadata(
  usage: SimulatedUsage,
  progress: { candidates: number; thoughts: number },
): Record<string, unknown> {
  const metadata: Record<string, unknown> = {
    promptTokenCount: usage.promptTokens,
    candidatesTokenCount: progress.candidates,
    totalTokenCount: usage.promptTokens + progress.candidates + progress.thoughts,
  };
  if (usage.cacheReadTokens > 0) metadata.cachedContentTokenCount = usage.cacheReadTokens;
  metadata.promptTokensDetails = [{ modality: 'TEXT', tokenCount: usage.promptTokens }];
  if (usage.cacheReadTokens > 0) {
    metadata.cacheTokensDetails = [{ modality: 'TEXT', tokenCount: usage.cacheReadTokens }];
  }
  if (progress.thoughts > 0) metadata.thoughtsTokenCount = progress.thoughts;
  return metadata;
}

export function geminiFinishReason(finish: 'stop' | 'length' | 'tool_call'): string {
  return finish === 'length' ? 'MAX_TOKENS' : 'STOP';
}

export function geminiResponseId(sequence: number): string {
  return `shepherdsim-${sequence}`;
}
