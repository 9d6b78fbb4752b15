import { microsToDecimalText } from '../accounting/micros-to-decimal-text.ts';
import { basisPointsToPercent } from './basis-points-to-percent.ts';
import type {
  LatencySummary,
  RequestCounts,
  TokenTotals,
  UsageReport,
  UsageSummary,
} from './usage-report.ts';

/** Money in JSON: exact decimal text of whole units and the micro-units as text, never a number. */
export interface MoneyJson {
  /** Whole currency units, exact (`"1234.56"`). */
  cost: string;
  /** Micro-units (`"1234560000"`). */
  costMicros: string;
}

export interface UsageSummaryJson extends RequestCounts, LatencySummary, MoneyJson {
  tokens: TokenTotals;
}

export interface ModelUsageJson extends UsageSummaryJson {
  model: string;
  /** Percent with two decimals (`"12.34"`); the models' shares sum to `"100.00"`. */
  share: string;
  shareBasisPoints: number;
}

export interface DayUsageJson extends MoneyJson {
  date: string;
  requests: number;
  tokens: TokenTotals;
}

export interface UsageReportJson {
  object: 'usage_report';
  month: string;
  /** ISO-8601 UTC, inclusive. */
  from: string;
  /** ISO-8601 UTC, exclusive. */
  to: string;
  accountId: string | null;
  currency: string;
  models: ModelUsageJson[];
  days: DayUsageJson[];
  total: UsageSummaryJson;
  ledgerTotal: string;
  ledgerTotalMicros: string;
  matchesLedger: boolean;
}

/** The report as a JSON-safe object (for `JSON.stringify` and HTTP bodies). */
export function formatUsageReportJson(report: UsageReport): UsageReportJson {
  return {
    object: 'usage_report',
    month: report.month,
    from: report.from.toISOString(),
    to: report.to.toISOString(),
    accountId: report.accountId,
    currency: report.currency,
    models: report.models.map((model) => ({
      model: model.model,
      ...summaryJson(model),
      share: basisPointsToPercent(model.shareBasisPoints),
      shareBasisPoints: model.shareBasisPoints,
    })),
    days: report.days.map((day) => ({
      date: day.date,
      requests: day.requests,
      tokens: { ...day.tokens },
      ...money(day.costMicros),
    })),
    total: summaryJson(report.total),
    ledgerTotal: microsToDecimalText(report.ledgerTotalMicros),
    ledgerTotalMicros: report.ledgerTotalMicros.toString(),
    matchesLedger: report.matchesLedger,
  };
}

function summaryJson(summary: UsageSummary): UsageSummaryJson {
  return {
    requests: summary.requests,
    ok: summary.ok,
    errors: summary.errors,
    clientClosed: summary.clientClosed,
    estimated: summary.estimated,
    tokens: { ...summary.tokens },
    ...money(summary.costMicros),
    ttftP50Ms: summary.ttftP50Ms,
    ttftP95Ms: summary.ttftP95Ms,
    tokensPerSecondMedian: summary.tokensPerSecondMedian,
  };
}

function money(micros: bigint): MoneyJson {
  return { cost: microsToDecimalText(micros), costMicros: micros.toString() };
}
