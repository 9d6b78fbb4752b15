import { z } from 'zod';
import { decimalText, microsText } from './console-schemas.ts';

/** Input counts include cached input and cache writes; output includes reasoning. */
export const tokenTotalsSchema = z.object({
  input: z.number(),
  cachedInput: z.number(),
  cacheWrite: z.number(),
  output: z.number(),
  reasoning: z.number(),
});
export type TokenTotals = z.output<typeof tokenTotalsSchema>;

/** Counts, tokens, cost and latency of a model or of the whole month. */
export const usageSummarySchema = z.object({
  requests: z.number(),
  ok: z.number(),
  errors: z.number(),
  clientClosed: z.number(),
  estimated: z.number(),
  tokens: tokenTotalsSchema,
  cost: decimalText,
  costMicros: microsText,
  ttftP50Ms: z.number().nullable(),
  ttftP95Ms: z.number().nullable(),
  tokensPerSecondMedian: z.number().nullable(),
});
export type UsageSummary = z.output<typeof usageSummarySchema>;

export const modelUsageSchema = usageSummarySchema.extend({
  model: z.string(),
  /** Percent text with two decimals; the models' shares sum to 100. */
  share: z.string(),
  shareBasisPoints: z.number().int(),
});
export type ModelUsage = z.output<typeof modelUsageSchema>;

export const dayUsageSchema = z.object({
  /** UTC day, YYYY-MM-DD. */
  date: z.string(),
  requests: z.number(),
  tokens: tokenTotalsSchema,
  cost: decimalText,
  costMicros: microsText,
});
export type DayUsage = z.output<typeof dayUsageSchema>;

/** `GET /usage?month=YYYY-MM`: the monthly report of `shepherd report --format json`. */
export const usageReportSchema = z.object({
  object: z.literal('usage_report'),
  month: z.string(),
  from: z.string(),
  to: z.string(),
  accountId: z.string().nullable(),
  currency: z.string(),
  /** Highest spend first. */
  models: z.array(modelUsageSchema),
  /** Every day of the month, days without requests included. */
  days: z.array(dayUsageSchema),
  total: usageSummarySchema,
  ledgerTotal: decimalText,
  ledgerTotalMicros: microsText,
  matchesLedger: z.boolean(),
});
export type UsageReport = z.output<typeof usageReportSchema>;
