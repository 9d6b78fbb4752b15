import { z } from 'zod';
import { decimalText, microsText } from './console-schemas.ts';

/** One upstream attempt; every field may be missing from old stored history. */
export const requestAttemptSchema = z.object({
  model: z.string().nullable(),
  provider: z.string().nullable(),
  upstreamModel: z.string().nullable(),
  /** `ok`, `error` or `client_closed`. */
  outcome: z.string().nullable(),
  errorCode: z.string().nullable(),
  upstreamStatus: z.number().nullable(),
  /** Milliseconds from the request's acceptance to this attempt's start. */
  startMs: z.number().nullable(),
  durationMs: z.number().nullable(),
});
export type RequestAttempt = z.output<typeof requestAttemptSchema>;

export const requestLogEntrySchema = z.object({
  requestId: z.string(),
  createdAt: z.string(),
  keyId: z.string(),
  requestedModel: z.string(),
  servedModel: z.string(),
  fallback: z.boolean(),
  /** `ok`, `error` or `client_closed`. */
  status: z.string(),
  errorCode: z.string().nullable(),
  tokens: z.object({
    input: z.number(),
    cachedInput: z.number(),
    cacheWrite: z.number(),
    output: z.number(),
    reasoning: z.number(),
  }),
  estimated: z.boolean(),
  currency: z.string(),
  cost: decimalText,
  costMicros: microsText,
  ttftMs: z.number().nullable(),
  totalMs: z.number(),
  tokensPerSecond: z.number().nullable(),
  /** Null when the stored chain could not be read. */
  attempts: z.array(requestAttemptSchema).nullable(),
});
export type RequestLogEntry = z.output<typeof requestLogEntrySchema>;

/** `GET /requests`: newest first; pass `nextCursor` back as `cursor` for the next page. */
export const requestLogPageSchema = z.object({
  data: z.array(requestLogEntrySchema),
  nextCursor: z.string().nullable(),
});
export type RequestLogPage = z.output<typeof requestLogPageSchema>;

/** The parts of `GET /models` the log's model filter needs. */
export const modelIdsSchema = z.object({
  data: z.array(z.object({ id: z.string() })),
});

/** The parts of `GET /keys` the log's key filter needs (`key` is already `prefix…last4`). */
export const keyChoicesSchema = z.object({
  data: z.array(
    z.object({ id: z.string(), name: z.string(), key: z.string(), status: z.string() }),
  ),
});
export type KeyChoice = z.output<typeof keyChoicesSchema>['data'][number];
