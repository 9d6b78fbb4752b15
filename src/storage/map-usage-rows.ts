import type { Insertable, Selectable } from 'kysely';
import type { UsageRecordsTable } from './database-schema.ts';
import type { UsageRecord, UsageRecordInput } from './ledger-store.ts';
import { toTimestamp } from './map-rows.ts';

export function toUsageRow(usage: UsageRecordInput): Insertable<UsageRecordsTable> {
  return {
    request_id: usage.requestId,
    account_id: usage.accountId,
    key_id: usage.keyId,
    requested_model: usage.requestedModel,
    served_model: usage.servedModel,
    provider: usage.provider,
    upstream_model: usage.upstreamModel,
    status: usage.status,
    error_code: usage.errorCode,
    input_tokens: usage.inputTokens,
    cached_input_tokens: usage.cachedInputTokens,
    cache_write_tokens: usage.cacheWriteTokens,
    cache_write_1h_tokens: usage.cacheWrite1hTokens,
    output_tokens: usage.outputTokens,
    reasoning_tokens: usage.reasoningTokens,
    cost_micros: usage.costMicros,
    currency: usage.currency,
    exchange_rate: usage.exchangeRate,
    estimated: usage.estimated ? 1 : 0,
    time_to_first_token_ms: usage.timeToFirstTokenMs,
    time_to_first_reasoning_ms: usage.timeToFirstReasoningMs,
    time_to_first_content_ms: usage.timeToFirstContentMs,
    upstream_time_to_first_byte_ms: usage.upstreamTimeToFirstByteMs,
    total_ms: usage.totalMs,
    tokens_per_second: usage.tokensPerSecond,
    chunks: usage.chunks,
    gateway_overhead_ms: usage.gatewayOverheadMs,
    attempts: usage.attempts,
    created_at: toTimestamp(usage.createdAt),
  };
}

export function mapUsageRow(row: Selectable<UsageRecordsTable>): UsageRecord {
  return {
    requestId: row.request_id,
    accountId: row.account_id,
    keyId: row.key_id,
    requestedModel: row.requested_model,
    servedModel: row.served_model,
    provider: row.provider,
    upstreamModel: row.upstream_model,
    status: row.status,
    errorCode: row.error_code,
    inputTokens: Number(row.input_tokens),
    cachedInputTokens: Number(row.cached_input_tokens),
    cacheWriteTokens: Number(row.cache_write_tokens),
    cacheWrite1hTokens: Number(row.cache_write_1h_tokens),
    outputTokens: Number(row.output_tokens),
    reasoningTokens: Number(row.reasoning_tokens),
    costMicros: row.cost_micros,
    currency: row.currency,
    exchangeRate: row.exchange_rate,
    estimated: row.estimated !== 0n,
    timeToFirstTokenMs: row.time_to_first_token_ms,
    timeToFirstReasoningMs: row.time_to_first_reasoning_ms,
    timeToFirstContentMs: row.time_to_first_content_ms,
    upstreamTimeToFirstByteMs: row.upstream_time_to_first_byte_ms,
    totalMs: row.total_ms,
    tokensPerSecond: row.tokens_per_second,
    chunks: Number(row.chunks),
    gatewayOverheadMs: row.gateway_overhead_ms,
    attempts: row.attempts,
    createdAt: new Date(row.created_at),
  };
}
