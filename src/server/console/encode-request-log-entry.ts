import * as z from 'zod';
import { microsToDecimalText } from '../../accounting/micros-to-decimal-text.ts';
import type { UsageCursor } from '../../storage/console-store.ts';
import type { UsageRecord } from '../../storage/ledger-store.ts';
import { safeParseJson } from '../../util/safe-parse-json.ts';

/** The attempt chain as `routing/attempt-record.ts` writes it; lenient, it is stored history. */
const attemptSchema = z.object({
  modelId: z.string().nullish(),
  provider: z.string().nullish(),
  upstreamModel: z.string().nullish(),
  outcome: z.string().nullish(),
  errorCode: z.string().nullish(),
  upstreamStatus: z.number().nullish(),
  startMs: z.number().nullish(),
  durationMs: z.number().nullish(),
});
const attemptsSchema = z.array(attemptSchema);

export interface RequestLogAttempt {
  model: string | null;
  provider: string | null;
  upstreamModel: string | null;
  outcome: string | null;
  errorCode: string | null;
  upstreamStatus: number | null;
  startMs: number | null;
  durationMs: number | null;
}

/** The stored attempt chain, or null when the column holds something else. */
export function parseAttempts(text: string): RequestLogAttempt[] | null {
  const parsed = safeParseJson(text);
  const attempts = parsed.ok ? attemptsSchema.safeParse(parsed.value) : undefined;
  if (attempts?.success !== true) return null;
  return attempts.data.map((attempt) => ({
    model: attempt.modelId ?? null,
    provider: attempt.provider ?? null,
    upstreamModel: attempt.upstreamModel ?? null,
    outcome: attempt.outcome ?? null,
    errorCode: attempt.errorCode ?? null,
    upstreamStatus: attempt.upstreamStatus ?? null,
    startMs: attempt.startMs ?? null,
    durationMs: attempt.durationMs ?? null,
  }));
}

/** One row of the console's request log. */
export function encodeRequestLogEntry(record: UsageRecord) {
  const attempts = parseAttempts(record.attempts);
  const firstModel = attempts?.[0]?.model;
  return {
    requestId: record.requestId,
    createdAt: record.createdAt.toISOString(),
    keyId: record.keyId,
    requestedModel: record.requestedModel,
    servedModel: record.servedModel,
    /** A fallback model was tried (an alias resolving to its model is not a fallback). */
    fallback:
      attempts !== null &&
      firstModel !== undefined &&
      attempts.some((attempt) => attempt.model !== firstModel),
    status: record.status,
    errorCode: record.errorCode,
    tokens: {
      input: record.inputTokens,
      cachedInput: record.cachedInputTokens,
      cacheWrite: record.cacheWriteTokens + record.cacheWrite1hTokens,
      output: record.outputTokens,
      reasoning: record.reasoningTokens,
    },
    estimated: record.estimated,
    currency: record.currency,
    cost: microsToDecimalText(record.costMicros),
    costMicros: record.costMicros.toString(),
    ttftMs: record.timeToFirstTokenMs,
    totalMs: record.totalMs,
    tokensPerSecond: record.tokensPerSecond,
    attempts,
  };
}

/** An opaque cursor: the last row's time and request id, base64url. */
export function encodeUsageCursor(record: Pick<UsageRecord, 'createdAt' | 'requestId'>): string {
  return Buffer.from(`${record.createdAt.toISOString()} ${record.requestId}`, 'utf8').toString(
    'base64url',
  );
}

/** The cursor's position, or undefined when it is not one this API made. */
export function decodeUsageCursor(cursor: string): UsageCursor | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) (\S{1,200})$/.exec(text);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  const createdAt = new Date(match[1]);
  if (Number.isNaN(createdAt.getTime())) return undefined;
  return { createdAt, requestId: match[2] };
}
