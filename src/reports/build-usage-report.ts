import type { UsageRecord } from '../storage/ledger-store.ts';
import { apportionBasisPoints } from './apportion-basis-points.ts';
import { nearestRank } from './nearest-rank.ts';
import type {
  DayUsage,
  LatencySummary,
  ModelUsage,
  ReportPeriod,
  TokenTotals,
  UsageReport,
  UsageSummary,
} from './usage-report.ts';

const DAY_MS = 86_400_000;

/** A usage record priced in another currency than the report's: their sum would mean nothing. */
export class UsageReportCurrencyError extends Error {
  readonly recordCurrency: string;
  readonly reportCurrency: string;

  constructor(requestId: string, recordCurrency: string, reportCurrency: string) {
    super(
      `usage record ${requestId} is priced in ${recordCurrency}, not the report's ${reportCurrency}; was billing.currency changed mid-month?`,
    );
    this.name = 'UsageReportCurrencyError';
    this.recordCurrency = recordCurrency;
    this.reportCurrency = reportCurrency;
  }
}

export interface BuildUsageReportInput {
  /** May be a superset: records outside the period (or of another account) are left out. */
  records: readonly UsageRecord[];
  period: ReportPeriod;
  currency: string;
  /** The ledger's usage charges for the same period and account (`sumUsageCharges`). */
  ledgerTotalMicros: bigint;
  /** Report one account only; omitted, every account together. */
  accountId?: string;
}

/**
 * Aggregates one month of usage records per served model, per UTC day and in total, and compares
 * the total with what the ledger charged. Pure: same records, same report.
 */
export function buildUsageReport(input: BuildUsageReportInput): UsageReport {
  const { period, currency } = input;
  const records = input.records.filter(
    (record) =>
      record.createdAt >= period.from &&
      record.createdAt < period.to &&
      (input.accountId === undefined || record.accountId === input.accountId),
  );
  for (const record of records) {
    if (record.currency !== currency) {
      throw new UsageReportCurrencyError(record.requestId, record.currency, currency);
    }
  }

  const byModel = new Map<string, UsageRecord[]>();
  for (const record of records) {
    const group = byModel.get(record.servedModel);
    if (group === undefined) byModel.set(record.servedModel, [record]);
    else group.push(record);
  }
  const summaries = [...byModel.entries()]
    .map(([model, group]) => ({ model, ...summarize(group) }))
    .sort((a, b) =>
      a.costMicros === b.costMicros
        ? compareText(a.model, b.model)
        : a.costMicros > b.costMicros
          ? -1
          : 1,
    );
  const shares = apportionBasisPoints(summaries.map((summary) => summary.costMicros));
  const models: ModelUsage[] = summaries.map((summary, index) => ({
    ...summary,
    shareBasisPoints: shares[index] ?? 0,
  }));

  const total = summarize(records);
  return {
    month: period.month,
    from: period.from,
    to: period.to,
    accountId: input.accountId ?? null,
    currency,
    models,
    days: summarizeDays(records, period),
    total,
    ledgerTotalMicros: input.ledgerTotalMicros,
    matchesLedger: total.costMicros === input.ledgerTotalMicros,
  };
}

function summarize(records: readonly UsageRecord[]): UsageSummary {
  const tokens = emptyTokens();
  let costMicros = 0n;
  let ok = 0;
  let errors = 0;
  let clientClosed = 0;
  let estimated = 0;
  for (const record of records) {
    addTokens(tokens, record);
    costMicros += record.costMicros;
    if (record.status === 'ok') ok += 1;
    else if (record.status === 'error') errors += 1;
    else clientClosed += 1;
    if (record.estimated) estimated += 1;
  }
  return {
    requests: records.length,
    ok,
    errors,
    clientClosed,
    estimated,
    tokens,
    costMicros,
    ...summarizeLatency(records),
  };
}

function summarizeLatency(records: readonly UsageRecord[]): LatencySummary {
  const ttfts = measured(records.map((record) => record.timeToFirstTokenMs));
  const rates = measured(records.map((record) => record.tokensPerSecond));
  return {
    ttftP50Ms: nearestRank(ttfts, 50) ?? null,
    ttftP95Ms: nearestRank(ttfts, 95) ?? null,
    tokensPerSecondMedian: nearestRank(rates, 50) ?? null,
  };
}

function summarizeDays(records: readonly UsageRecord[], period: ReportPeriod): DayUsage[] {
  const days: DayUsage[] = [];
  const byDate = new Map<string, DayUsage>();
  for (let start = period.from.getTime(); start < period.to.getTime(); start += DAY_MS) {
    const day: DayUsage = {
      date: dateOf(new Date(start)),
      requests: 0,
      tokens: emptyTokens(),
      costMicros: 0n,
    };
    days.push(day);
    byDate.set(day.date, day);
  }
  for (const record of records) {
    const day = byDate.get(dateOf(record.createdAt));
    // Records were filtered to the period, whose every day is listed.
    if (day === undefined) continue;
    day.requests += 1;
    addTokens(day.tokens, record);
    day.costMicros += record.costMicros;
  }
  return days;
}

function emptyTokens(): TokenTotals {
  return { input: 0, cachedInput: 0, cacheWrite: 0, output: 0, reasoning: 0 };
}

function addTokens(tokens: TokenTotals, record: UsageRecord): void {
  tokens.input += record.inputTokens;
  tokens.cachedInput += record.cachedInputTokens;
  tokens.cacheWrite += record.cacheWriteTokens;
  tokens.output += record.outputTokens;
  tokens.reasoning += record.reasoningTokens;
}

/** The non-null values, sorted ascending. */
function measured(values: ReadonlyArray<number | null>): number[] {
  return values.filter((value): value is number => value !== null).sort((a, b) => a - b);
}

function dateOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** Code-unit order, the same on every machine (localeCompare is not). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
