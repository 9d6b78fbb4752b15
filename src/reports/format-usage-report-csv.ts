import { microsToDecimalText } from '../accounting/micros-to-decimal-text.ts';
import { csvCell, csvTextCell } from '../util/csv-cell.ts';
import { basisPointsToPercent } from './basis-points-to-percent.ts';
import type { TokenTotals, UsageReport, UsageSummary } from './usage-report.ts';

const COLUMNS = [
  'section',
  'key',
  'currency',
  'requests',
  'ok',
  'errors',
  'client_closed',
  'estimated',
  'input_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'output_tokens',
  'reasoning_tokens',
  'cost',
  'cost_micros',
  'share_percent',
  'ttft_p50_ms',
  'ttft_p95_ms',
  'tokens_per_second_median',
] as const;

/** The free-text columns, guarded against spreadsheet formulas (model ids like `@cf/…` exist). */
const TEXT_COLUMNS: ReadonlySet<string> = new Set(['section', 'key', 'currency']);

type Row = Partial<Record<(typeof COLUMNS)[number], string | number | null>>;

/**
 * The report as one RFC 4180 table (CRLF line ends, one header row). The `section` column says what
 * a row is: `model` (key = model id), `day` (key = YYYY-MM-DD), `total` (key = the month) and one
 * `ledger` row (key `match` or `mismatch`, cost = the ledger's usage charges). Money is exact
 * decimal text of whole units plus micro-units; fields that do not apply to a section are empty.
 */
export function formatUsageReportCsv(report: UsageReport): string {
  const { currency } = report;
  const rows: Row[] = [
    ...report.models.map((model) => ({
      section: 'model',
      key: model.model,
      currency,
      ...summaryFields(model),
      share_percent: basisPointsToPercent(model.shareBasisPoints),
    })),
    ...report.days.map((day) => ({
      section: 'day',
      key: day.date,
      currency,
      requests: day.requests,
      ...tokenFields(day.tokens),
      cost: microsToDecimalText(day.costMicros),
      cost_micros: day.costMicros.toString(),
    })),
    { section: 'total', key: report.month, currency, ...summaryFields(report.total) },
    {
      section: 'ledger',
      key: report.matchesLedger ? 'match' : 'mismatch',
      currency,
      cost: microsToDecimalText(report.ledgerTotalMicros),
      cost_micros: report.ledgerTotalMicros.toString(),
    },
  ];
  const lines = [
    COLUMNS.join(','),
    ...rows.map((row) =>
      COLUMNS.map((column) => {
        const value = row[column];
        return TEXT_COLUMNS.has(column) && typeof value === 'string'
          ? csvTextCell(value)
          : csvCell(value);
      }).join(','),
    ),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

function summaryFields(summary: UsageSummary): Row {
  return {
    requests: summary.requests,
    ok: summary.ok,
    errors: summary.errors,
    client_closed: summary.clientClosed,
    estimated: summary.estimated,
    ...tokenFields(summary.tokens),
    cost: microsToDecimalText(summary.costMicros),
    cost_micros: summary.costMicros.toString(),
    ttft_p50_ms: summary.ttftP50Ms,
    ttft_p95_ms: summary.ttftP95Ms,
    tokens_per_second_median: summary.tokensPerSecondMedian,
  };
}

function tokenFields(tokens: TokenTotals): Row {
  return {
    input_tokens: tokens.input,
    cached_input_tokens: tokens.cachedInput,
    cache_write_tokens: tokens.cacheWrite,
    output_tokens: tokens.output,
    reasoning_tokens: tokens.reasoning,
  };
}
