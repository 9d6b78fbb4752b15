/**
 * The monthly usage report (ledger.md I10). Token totals follow the canonical convention: `input`
 * includes `cachedInput` and `cacheWrite`, and `output` includes `reasoning`. Money is `bigint`
 * micro-units of the wallet currency; formatters turn it into text, never into a float.
 */

export interface ReportPeriod {
  /** `YYYY-MM`. */
  month: string;
  /** First instant of the month, UTC (inclusive). */
  from: Date;
  /** First instant of the next month, UTC (exclusive). */
  to: Date;
}

export interface TokenTotals {
  input: number;
  cachedInput: number;
  cacheWrite: number;
  output: number;
  reasoning: number;
}

/** Requests by how they ended, plus how many were billed from estimated tokens. */
export interface RequestCounts {
  requests: number;
  ok: number;
  errors: number;
  clientClosed: number;
  estimated: number;
}

/**
 * Latency over the records that measured it; null when none did. Percentiles are nearest-rank, so
 * each is a value some request actually had.
 */
export interface LatencySummary {
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  /** Median (nearest-rank p50) of the per-request output tokens per second. */
  tokensPerSecondMedian: number | null;
}

export interface UsageSummary extends RequestCounts, LatencySummary {
  tokens: TokenTotals;
  costMicros: bigint;
}

export interface ModelUsage extends UsageSummary {
  /** Public id of the model that served. */
  model: string;
  /**
   * Share of the month's spend in basis points (10,000 = 100 %). Shares are apportioned by largest
   * remainder, so they sum to exactly 10,000 whenever anything was spent (all 0 otherwise).
   */
  shareBasisPoints: number;
}

export interface DayUsage {
  /** UTC calendar day, `YYYY-MM-DD`. */
  date: string;
  requests: number;
  tokens: TokenTotals;
  costMicros: bigint;
}

export interface UsageReport {
  month: string;
  from: Date;
  to: Date;
  /** The account reported on; null for every account together. */
  accountId: string | null;
  currency: string;
  /** Highest spend first, then by model id. */
  models: ModelUsage[];
  /** Every day of the month in order, days without requests included. */
  days: DayUsage[];
  total: UsageSummary;
  /** What the ledger charged for usage in the same period (and account). */
  ledgerTotalMicros: bigint;
  /** Σ of the records' costs equals the ledger's charges to the micro-unit. */
  matchesLedger: boolean;
}
