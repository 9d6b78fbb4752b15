import { z } from 'zod';
import { balanceSchema, decimalText, microsText } from './console-schemas.ts';

/** Answers of the console admin API (`/console/api/admin/*`, docs/console-api.md). */

export const adminAccountUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(['user', 'admin']),
  disabled: z.boolean(),
  lastLoginAt: z.string().nullable(),
});

export const adminAccountSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['active', 'disabled']),
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
  balance: balanceSchema,
  users: z.array(adminAccountUserSchema),
});
export type AdminAccount = z.output<typeof adminAccountSchema>;

export const accountSearchSchema = z.object({
  data: z.array(adminAccountSchema),
  total: z.number(),
});

export const adjustmentResultSchema = z.object({
  transactionId: z.string(),
  duplicate: z.boolean(),
  accountId: z.string(),
  amount: decimalText,
  amountMicros: microsText,
  balance: balanceSchema,
});
export type AdjustmentResult = z.output<typeof adjustmentResultSchema>;

export const voucherBatchSchema = z.object({
  id: z.string(),
  name: z.string(),
  currency: z.string(),
  amount: decimalText,
  amountMicros: microsText,
  count: z.number(),
  redeemedCount: z.number(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
});
export type VoucherBatch = z.output<typeof voucherBatchSchema>;

export const generatedBatchSchema = z.object({
  batch: voucherBatchSchema,
  codes: z.array(z.string()),
  notice: z.string(),
});
export type GeneratedBatch = z.output<typeof generatedBatchSchema>;

export const voucherBatchListSchema = z.object({ data: z.array(voucherBatchSchema) });

export const voucherStateSchema = z.enum(['available', 'redeemed', 'expired']);
export type VoucherState = z.output<typeof voucherStateSchema>;

export const voucherBatchDetailSchema = z.object({
  batch: voucherBatchSchema,
  vouchers: z.array(
    z.object({
      id: z.string(),
      lastFour: z.string(),
      state: voucherStateSchema,
      redeemedAt: z.string().nullable(),
      redeemedBy: z.string().nullable(),
    }),
  ),
});
export type VoucherBatchDetail = z.output<typeof voucherBatchDetailSchema>;

/** The circuit breaker of one deployment (src/routing/deployment-health.ts). */
export const breakerStateSchema = z.enum(['closed', 'open', 'half_open', 'disabled']);
export type BreakerState = z.output<typeof breakerStateSchema>;

export const deploymentHealthSchema = z.object({
  id: z.string(),
  provider: z.string(),
  upstreamModel: z.string(),
  modelIds: z.array(z.string()),
  state: breakerStateSchema,
  consecutiveFailures: z.number(),
  /** 0..1 over the rolling window. */
  failureRate: z.number(),
  windowAttempts: z.number(),
  /** Epoch ms when an open or disabled breaker lets the next probe through. */
  retryAtMs: z.number().nullable(),
  /** Epoch ms until which a Retry-After cool-down keeps it out. */
  coolingUntilMs: z.number().nullable(),
  lastError: z.string().nullable(),
  lastChangeAtMs: z.number().nullable(),
});
export type DeploymentHealth = z.output<typeof deploymentHealthSchema>;

export const upstreamsSchema = z.object({ data: z.array(deploymentHealthSchema) });

const tokenTotalsSchema = z.object({
  input: z.number(),
  cachedInput: z.number(),
  cacheWrite: z.number(),
  output: z.number(),
  reasoning: z.number(),
});

const usageSummarySchema = z.object({
  requests: z.number(),
  ok: z.number(),
  errors: z.number(),
  tokens: tokenTotalsSchema,
  cost: decimalText,
  costMicros: microsText,
});

export const modelUsageSchema = usageSummarySchema.extend({
  model: z.string(),
  /** Percent with two decimals, `"12.34"`. */
  share: z.string(),
});
export type ModelUsage = z.output<typeof modelUsageSchema>;

export const topAccountSchema = z.object({
  accountId: z.string(),
  name: z.string().nullable(),
  requests: z.number(),
  currency: z.string(),
  cost: decimalText,
  costMicros: microsText,
});
export type TopAccount = z.output<typeof topAccountSchema>;

export const globalUsageSchema = z.object({
  report: z.object({
    month: z.string(),
    currency: z.string(),
    models: z.array(modelUsageSchema),
    total: usageSummarySchema,
    ledgerTotal: decimalText,
    matchesLedger: z.boolean(),
  }),
  topAccounts: z.array(topAccountSchema),
});
export type GlobalUsage = z.output<typeof globalUsageSchema>;
