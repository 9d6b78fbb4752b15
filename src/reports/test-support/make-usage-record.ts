import type { UsageRecord } from '../../storage/ledger-store.ts';

/** A complete usage record for report tests: zero tokens, no latency, ok; overrides win. */
export function makeUsageRecord(
  overrides: Partial<UsageRecord> & { requestId: string; createdAt: Date },
): UsageRecord {
  return {
    accountId: 'acct_a',
    keyId: 'key_a',
    requestedModel: overrides.servedModel ?? 'model-a',
    servedModel: 'model-a',
    provider: 'simulated',
    upstreamModel: 'model-a-upstream',
    status: 'ok',
    errorCode: null,
    inputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    costMicros: 0n,
    currency: 'KRW',
    exchangeRate: '1400',
    estimated: false,
    timeToFirstTokenMs: null,
    timeToFirstReasoningMs: null,
    timeToFirstContentMs: null,
    upstreamTimeToFirstByteMs: null,
    totalMs: 0,
    tokensPerSecond: null,
    chunks: 0,
    gatewayOverheadMs: null,
    attempts: '[]',
    ...overrides,
  };
}
